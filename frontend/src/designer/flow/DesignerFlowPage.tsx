// The flow editors of one ticket type on a page of their own (/designer/:key/flow/:tab): the draft
// loaded and saved, the tabs, the save state and the publish dialog. The designer page of issue 15
// mounts the same tabs (FLOW_TABS) with its own draft; see HANDOFF.md.
import { useFlowT } from './useFlowT';
import { Alert, App, Badge, Button, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { Suspense, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import PageHeader from '../../components/PageHeader';
import { describeApiError } from '../../utils/errors';
import { ApiError } from '../../api';
import { flowApi, type TicketTypeInfo } from './flowApi';
import './i18n';
import PublishDialog from './PublishDialog';
import { FlowRefsProvider } from './refs';
import { FLOW_TABS, tabForPath, type FlowTabKey } from './tabs';
import { useDraft, type SaveState } from './useDraft';
import './flow.css';

const SAVE_COLORS: Record<SaveState, string> = { saved: 'green', dirty: 'blue', saving: 'blue', conflict: 'red', error: 'red' };

export default function DesignerFlowPage() {
  const { key = '', tab = 'workflow' } = useParams();
  const { t } = useFlowT();
  const { t: tCommon } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const draft = useDraft(key);
  const [info, setInfo] = useState<TicketTypeInfo | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [focus, setFocus] = useState<string | null>(null);

  useEffect(() => {
    flowApi.type(key).then(setInfo, () => setInfo(null));
  }, [key]);

  const active = (FLOW_TABS.some((x) => x.key === tab) ? tab : 'workflow') as FlowTabKey;

  const show = useCallback((path: string) => {
    const target = tabForPath(path);
    setFocus(path);
    if (target) navigate(`/designer/${encodeURIComponent(key)}/flow/${target}`);
    else void message.info(t('page.elsewhere', { path }));
  }, [key, navigate, message, t]);

  if (draft.loadError) {
    const text = draft.loadError instanceof ApiError ? describeApiError(draft.loadError, tCommon) : String(draft.loadError);
    return <Alert type="error" showIcon message={text} />;
  }
  if (!draft.definition) return <Spin />;

  const definition = draft.definition;
  const props = {
    typeKey: key,
    definition,
    onChange: draft.update,
    errors: draft.errors,
    warnings: draft.warnings,
    focus,
    flush: draft.flush,
    onShow: show,
  };

  return (
    <FlowRefsProvider>
      <PageHeader title={t('page.title', { name: definition.name })}
        extra={
          <Space wrap>
            <Tag color={SAVE_COLORS[draft.saveState]} role="status" aria-live="polite">{t(`page.save.${draft.saveState}`)}</Tag>
            {draft.errors.length > 0 && <Badge count={draft.errors.length} title={t('page.errors', { count: draft.errors.length })} />}
            <Button type="primary" onClick={() => setPublishing(true)}>{t('page.publish')}</Button>
          </Space>
        }>
        <Typography.Text type="secondary">
          {info?.latest_version ? t('page.latest', { n: info.latest_version }) : t('page.neverPublished')}
        </Typography.Text>
      </PageHeader>
      {draft.saveState === 'conflict' && (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} message={draft.saveError}
          action={<Button size="small" onClick={() => void draft.reload()}>{t('page.reload')}</Button>} />
      )}
      {draft.saveState === 'error' && draft.saveError && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={draft.saveError} />}
      {draft.layoutInBrowser && active === 'workflow' && (
        <Alert type="info" showIcon closable style={{ marginBottom: 12 }} message={t('page.layoutInBrowser')} />
      )}
      <Tabs activeKey={active} destroyOnHidden
        onChange={(next) => { setFocus(null); navigate(`/designer/${encodeURIComponent(key)}/flow/${next}`); }}
        items={FLOW_TABS.map((x) => {
          const Editor = x.component;
          return {
            key: x.key,
            label: t(x.label),
            children: (
              <Suspense fallback={<Spin />}>
                <Editor {...props} />
              </Suspense>
            ),
          };
        })} />
      <PublishDialog open={publishing} typeKey={key} definition={definition} latestVersion={info?.latest_version ?? null}
        flush={draft.flush} onClose={() => setPublishing(false)} onShow={show}
        onPublished={(v) => setInfo((i) => (i ? { ...i, latest_version: v.number } : i))} />
    </FlowRefsProvider>
  );
}
