// Upgrade an installed template to the version that ships, keeping local changes (designer/templates/upgrade.py):
// per ticket type, the template's changes (taken), the local ones (kept) and the conflicts, each with a choice;
// "Write drafts" saves the result as drafts to review and publish in the designer. The templates gallery links here.
import { Alert, App, Button, Card, Empty, List, Radio, Result, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError } from '../../../api';
import PageHeader from '../../../components/PageHeader';
import { FullPageSpinner } from '../../../auth/guards';
import { useErrorHandler } from '../../../utils/errors';
import { NS } from './i18n';
import './upgrade.css';

type Side = 'theirs' | 'mine' | 'both' | 'conflict';

export interface PartChange {
  pointer: string;
  part: string;
  name: string;
  label: string;
  attribute: string | null;
  side: Side;
  change: 'added' | 'removed' | 'changed' | 'differs';
  removal: boolean;
  base: unknown;
  theirs: unknown;
  mine: unknown;
  in_base: boolean;
  in_theirs: boolean;
  in_mine: boolean;
  keys: string[];
}

interface TypeUpgrade {
  key: string;
  name: string;
  status: 'upgrade' | 'new' | 'dropped';
  base_source: 'recorded' | 'first_version' | 'unknown' | null;
  draft_revision: number | null;
  draft_differs_from_published: boolean;
  theirs: PartChange[];
  mine: PartChange[];
  both: PartChange[];
  conflicts: PartChange[];
}

interface UpgradePlan {
  template: { key: string; name: string; version: number | null };
  installed_version: number;
  available: boolean;
  etag: string;
  conflicts: number;
  types: TypeUpgrade[];
}

interface DraftResult {
  key: string;
  status: string;
  written: boolean;
  revision: number;
  errors: unknown[];
  warnings: unknown[];
}

interface UpgradeResult {
  drafts: DraftResult[];
  created: { ticket_types: string[] };
  kept: string[];
}

type Choices = Record<string, Record<string, 'mine' | 'theirs'>>;

function shown(value: unknown, present: boolean, absent: string): string {
  if (!present) return absent;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function PartTitle({ change }: { change: PartChange }) {
  const { t } = useTranslation(NS);
  const part = t(`part.${change.part}` as 'part.field', { defaultValue: change.part });
  return (
    <span className="gd-upgrade-part">
      <strong>{part}</strong>
      {change.label && change.label !== change.name && <span>“{change.label}”</span>}
      {change.name && <Typography.Text code>{change.name}</Typography.Text>}
      {change.attribute && <span className="gd-upgrade-attr">· {change.attribute}</span>}
      {change.keys.length > 0 && <span className="gd-upgrade-attr">({change.keys.join(', ')})</span>}
      <Tag color={change.removal ? 'red' : change.change === 'added' ? 'green' : 'blue'}>
        {t(`change.${change.change}`)}
      </Tag>
      {change.removal && <Typography.Text type="danger">{t('removal')}</Typography.Text>}
    </span>
  );
}

function ChangeList({ title, changes }: { title: string; changes: PartChange[] }) {
  if (!changes.length) return null;
  return (
    <div className="gd-upgrade-section">
      <h3 className="gd-upgrade-heading">{title}</h3>
      <List
        size="small"
        dataSource={changes}
        rowKey="pointer"
        renderItem={(change) => (
          <List.Item>
            <PartTitle change={change} />
          </List.Item>
        )}
      />
    </div>
  );
}

function Conflict({ change, choice, onChoose }: {
  change: PartChange; choice: 'mine' | 'theirs' | undefined; onChoose: (value: 'mine' | 'theirs') => void;
}) {
  const { t } = useTranslation(NS);
  const absent = t('absent');
  return (
    <div className="gd-upgrade-conflict" data-pointer={change.pointer}>
      <PartTitle change={change} />
      <dl className="gd-upgrade-values">
        <dt>{t('baseValue')}</dt>
        <dd><code>{shown(change.base, change.in_base, absent)}</code></dd>
        <dt>{t('theirsValue')}</dt>
        <dd><code>{shown(change.theirs, change.in_theirs, absent)}</code></dd>
        <dt>{t('mineValue')}</dt>
        <dd><code>{shown(change.mine, change.in_mine, absent)}</code></dd>
      </dl>
      <Radio.Group
        value={choice}
        onChange={(event) => onChoose(event.target.value as 'mine' | 'theirs')}
        optionType="button"
        buttonStyle="solid"
        aria-label={change.pointer}
        options={[{ label: t('keepMine'), value: 'mine' }, { label: t('takeTheirs'), value: 'theirs' }]}
      />
    </div>
  );
}

function TypeCard({ type, choices, onChoose }: {
  type: TypeUpgrade; choices: Record<string, 'mine' | 'theirs'>; onChoose: (pointer: string, value: 'mine' | 'theirs') => void;
}) {
  const { t } = useTranslation(NS);
  const nothing = type.status === 'upgrade' && !type.conflicts.length && !type.theirs.length && !type.mine.length
    && !type.both.length;
  return (
    <Card
      className="gd-upgrade-type"
      data-type={type.key}
      title={
        <span className="gd-upgrade-type-title">
          <h2 className="gd-card-title">{type.name}</h2>
          <Typography.Text type="secondary" code>{type.key}</Typography.Text>
          <Tag color={type.status === 'new' ? 'green' : type.status === 'dropped' ? 'default' : 'blue'}>
            {t(`status.${type.status}`)}
          </Tag>
        </span>
      }
    >
      {type.status === 'new' && <Alert type="info" showIcon message={t('newType')} />}
      {type.status === 'dropped' && <Alert type="info" showIcon message={t('droppedType')} />}
      {type.status === 'upgrade' && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {(type.base_source === 'first_version' || type.base_source === 'unknown') && (
            <Alert type="warning" showIcon message={t(`base.${type.base_source}`)} />
          )}
          {type.draft_differs_from_published && <Alert type="info" showIcon message={t('mineIsDraft')} />}
          {nothing && <Typography.Text type="secondary">{t('noChanges')}</Typography.Text>}
          {type.conflicts.length > 0 && (
            <div className="gd-upgrade-section">
              <h3 className="gd-upgrade-heading">{t('conflicts', { count: type.conflicts.length })}</h3>
              {type.conflicts.map((change) => (
                <Conflict
                  key={change.pointer}
                  change={change}
                  choice={choices[change.pointer]}
                  onChoose={(value) => onChoose(change.pointer, value)}
                />
              ))}
            </div>
          )}
          <ChangeList title={t('theirs', { count: type.theirs.length })} changes={type.theirs} />
          <ChangeList title={t('mine', { count: type.mine.length })} changes={type.mine} />
          <ChangeList title={t('both', { count: type.both.length })} changes={type.both} />
        </Space>
      )}
    </Card>
  );
}

export default function TemplateUpgradePage() {
  const { t } = useTranslation(NS);
  const { name = '' } = useParams();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [plan, setPlan] = useState<UpgradePlan | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [choices, setChoices] = useState<Choices>({});
  const [writing, setWriting] = useState(false);
  const [stale, setStale] = useState(false);
  const [result, setResult] = useState<UpgradeResult | null>(null);

  const load = useCallback(async () => {
    setStale(false);
    setLoadError(null);
    try {
      setPlan(await api.get<UpgradePlan>(`/templates/${encodeURIComponent(name)}/upgrade`));
      setChoices({});
    } catch (error) {
      if (error instanceof ApiError) setLoadError(error);
      else handleError(error);
    }
  }, [name, handleError]);

  useEffect(() => {
    void load();
  }, [load]);

  const total = plan?.conflicts ?? 0;
  const chosen = useMemo(
    () => Object.values(choices).reduce((sum, byPointer) => sum + Object.keys(byPointer).length, 0),
    [choices],
  );

  const choose = (type: string, pointer: string, value: 'mine' | 'theirs') =>
    setChoices((prev) => ({ ...prev, [type]: { ...prev[type], [pointer]: value } }));

  const write = async () => {
    if (!plan) return;
    setWriting(true);
    try {
      const written = await api.post<UpgradeResult>(`/templates/${encodeURIComponent(name)}/upgrade`, { choices },
        { headers: { 'If-Match': `"${plan.etag}"` } });
      setResult(written);
      void message.success(t('written'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'upgrade_plan_stale') setStale(true);
      handleError(error);
    } finally {
      setWriting(false);
    }
  };

  const back = <Link to="/admin/templates">{t('backToTemplates')}</Link>;
  if (loadError) {
    return (
      <>
        <PageHeader title={t('titleLoading')} />
        <Result status={loadError.status === 404 ? '404' : 'error'} title={loadError.message} extra={back} />
      </>
    );
  }
  if (!plan) return <FullPageSpinner />;

  const header = (
    <PageHeader title={t('title', { name: plan.template.name })}>
      <Typography.Text type="secondary">
        {result
          ? t('nowInstalled', { version: plan.template.version })
          : plan.available
            ? t('versions', { installed: plan.installed_version, available: plan.template.version })
            : t('upToDate', { version: plan.installed_version })}
      </Typography.Text>
    </PageHeader>
  );

  if (result) {
    return (
      <div className="gd-upgrade">
        {header}
        <Result status="success" title={t('written')}>
          <List
            dataSource={result.drafts}
            rowKey="key"
            renderItem={(draft) => (
              <List.Item
                actions={[<Link key="open" to={`/designer/${encodeURIComponent(draft.key)}`}>{t('openDesigner')}</Link>]}
              >
                <Space wrap>
                  <Typography.Text code>{draft.key}</Typography.Text>
                  {draft.status === 'new' && <Tag color="green">{t('created')}</Tag>}
                  {!draft.written && <Tag>{t('draftUnchanged')}</Tag>}
                  <Typography.Text type={draft.errors.length ? 'danger' : 'secondary'}>
                    {t('draftLine', { errors: draft.errors.length, warnings: draft.warnings.length })}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          {result.kept.length > 0 && <Typography.Paragraph>{t('kept', { keys: result.kept.join(', ') })}</Typography.Paragraph>}
          <div className="gd-upgrade-back">{back}</div>
        </Result>
      </div>
    );
  }

  return (
    <div className="gd-upgrade">
      {header}
      {!plan.available ? (
        <Empty description={t('upToDate', { version: plan.installed_version })}>{back}</Empty>
      ) : (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Paragraph className="gd-upgrade-intro">{t('intro')}</Typography.Paragraph>
          {stale && (
            <Alert type="warning" showIcon message={t('stale')}
              action={<Button size="small" onClick={() => void load()}>{t('reload')}</Button>} />
          )}
          {plan.types.map((type) => (
            <TypeCard key={type.key} type={type} choices={choices[type.key] ?? {}}
              onChoose={(pointer, value) => choose(type.key, pointer, value)} />
          ))}
          <div className="gd-upgrade-footer">
            {total > 0 && <Typography.Text type="secondary">{t('chosen', { chosen, total })}</Typography.Text>}
            <Button type="primary" onClick={() => void write()} loading={writing} disabled={chosen < total || stale}>
              {t('write')}
            </Button>
          </div>
        </Space>
      )}
    </div>
  );
}
