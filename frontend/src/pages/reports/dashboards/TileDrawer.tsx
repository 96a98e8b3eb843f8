import { Button, Checkbox, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsDesktop } from '../../../layout/useMediaQuery';
import { BREAKDOWNS, BUCKETS, KINDS, RANGES, STATUS_CATEGORIES, toForm, type MetricInfo, type Tile, type TileForm } from './tileApi';

interface Props {
  open: boolean;
  tile?: Tile;
  metrics: MetricInfo[];
  teams: Array<{ key: string; name: string }>;
  types: Array<{ key: string; name: string }>;
  onApply: (form: TileForm) => void;
  onClose: () => void;
}

const EMPTY: TileForm = { kind: 'bar', metric: 'volume', measures: ['count'], by: 'priority', range: 'last_30_days' };

/** The side panel that adds or edits a tile: chart kind, metric, measure(s), breakdown, bucket, filters, range.
 * The server checks the combination when the dashboard is saved and names any problem by the tile's pointer. */
export default function TileDrawer({ open, tile, metrics, teams, types, onApply, onClose }: Props) {
  const { t } = useTranslation();
  const desktop = useIsDesktop();
  const [form] = Form.useForm<TileForm>();
  const metricKey = Form.useWatch('metric', form);
  const metric = metrics.find((m) => m.key === metricKey);

  useEffect(() => {
    if (open) form.setFieldsValue(tile ? toForm(tile) : { ...EMPTY, title: '', bucket: undefined, team: undefined, type: undefined, priority: undefined, status_category: undefined, mine: false });
  }, [open, tile, form]);

  const none = { value: '', label: t('dashboards.tile.none') };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={tile ? t('dashboards.tile.editTitle') : t('dashboards.tile.addTitle')}
      width={desktop ? 420 : '100%'}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('dashboards.tile.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()}>
            {t('dashboards.tile.apply')}
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(values) => onApply({ ...values, measures: values.measures ?? [] })}>
        <Form.Item name="title" label={t('dashboards.tile.title')}>
          <Input maxLength={200} placeholder={t('dashboards.tile.titlePlaceholder')} />
        </Form.Item>
        <Form.Item name="kind" label={t('dashboards.tile.kind')} rules={[{ required: true }]}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`dashboards.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="metric" label={t('dashboards.tile.metric')} rules={[{ required: true }]}>
          <Select
            options={metrics.map((m) => ({ value: m.key, label: t(`dashboards.metric.${m.key}` as 'dashboards.metric.volume', { defaultValue: m.key }) }))}
            onChange={(value: string) => {
              const next = metrics.find((m) => m.key === value);
              form.setFieldsValue({ measures: next ? [next.measures[0]] : [], bucket: next?.uses_range ? form.getFieldValue('bucket') : undefined });
            }}
          />
        </Form.Item>
        <Form.Item name="measures" label={t('dashboards.tile.measure')} rules={[{ required: true, type: 'array', min: 1, max: 4 }]}>
          <Select mode="multiple" options={(metric?.measures ?? []).map((m) => ({ value: m, label: t(`dashboards.measure.${m}` as 'dashboards.measure.count', { defaultValue: m }) }))} />
        </Form.Item>
        <Form.Item name="by" label={t('dashboards.tile.by')}>
          <Select allowClear options={[none, ...BREAKDOWNS.map((b) => ({ value: b, label: t(`dashboards.by.${b}`) }))]} />
        </Form.Item>
        <Form.Item name="bucket" label={t('dashboards.tile.bucket')}>
          <Select allowClear disabled={metric ? !metric.uses_range : false} options={[none, ...BUCKETS.map((b) => ({ value: b, label: t(`dashboards.bucket.${b}`) }))]} />
        </Form.Item>
        <Form.Item name="range" label={t('dashboards.tile.range')} rules={[{ required: true }]}>
          <Select options={RANGES.map((r) => ({ value: r, label: t(`dashboards.range.${r}`) }))} />
        </Form.Item>
        <fieldset className="gd-dash-filters">
          <legend>{t('dashboards.tile.filters')}</legend>
          <Form.Item name="team" label={t('dashboards.tile.team')}>
            <Select allowClear options={[none, ...teams.map((team) => ({ value: team.key, label: team.name }))]} />
          </Form.Item>
          <Form.Item name="type" label={t('dashboards.tile.type')}>
            <Select allowClear options={[none, ...types.map((type) => ({ value: type.key, label: type.name }))]} />
          </Form.Item>
          <Form.Item name="priority" label={t('dashboards.tile.priority')}>
            <Input maxLength={20} />
          </Form.Item>
          <Form.Item name="status_category" label={t('dashboards.tile.statusCategory')}>
            <Select allowClear options={[none, ...STATUS_CATEGORIES.map((c) => ({ value: c, label: t(`dashboards.category.${c}`) }))]} />
          </Form.Item>
          <Form.Item name="mine" valuePropName="checked">
            <Checkbox>{t('dashboards.tile.mine')}</Checkbox>
          </Form.Item>
        </fieldset>
      </Form>
    </Drawer>
  );
}
