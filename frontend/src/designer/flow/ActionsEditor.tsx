// The actions of a transition or an automation: assign, set, notify, comment, create child (and
// webhook, survey, create_article_draft), each with pickers for teams, recipients, fields and ticket types.
import { useFlowT } from './useFlowT';
import { Button, Card, Checkbox, Input, InputNumber, Select, Space, Typography } from 'antd';
import type { Json } from '../../rules/logic';
import { DeleteOutlined, PlusOutlined } from './icons';
import { ChannelSelect, DurationInput, fieldLabel, formFields, RecipientSelect, StrategySelect, TeamSelect, TypeSelect } from './pickers';
import { parseDuration } from './duration';
import { badScoreRange, type SurveyKind, withSurveyKind } from './survey';
import type { Action, ActionKind, Definition } from './types';

const KINDS: ActionKind[] = ['assign', 'set', 'notify', 'comment', 'create_child', 'webhook', 'survey', 'create_article_draft'];

function blank(kind: ActionKind): Action {
  switch (kind) {
    case 'assign':
      return { do: 'assign', strategy: 'none' };
    case 'set':
      return { do: 'set', fields: {} };
    case 'notify':
      return { do: 'notify', to: ['requester'], channels: ['in_app'] };
    case 'comment':
      return { do: 'comment', text: '', internal: true };
    case 'create_child':
      return { do: 'create_child', type: '' , map: {} };
    case 'webhook':
      return { do: 'webhook', url: 'https://' };
    case 'create_article_draft':
      return { do: 'create_article_draft' };
    default:
      return { do: 'survey', kind: 'csat' };
  }
}

/** A literal typed in a "set" row: numbers and true/false as such, else text. A {"var": …} is kept. */
function literalOf(text: string): Json {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text;
}

function showLiteral(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface Props {
  definition: Definition;
  value: Action[];
  onChange: (actions: Action[]) => void;
  /** Used in accessible names: "Actions of transition Resolve". */
  owner: string;
}

export default function ActionsEditor({ definition, value, onChange, owner }: Props) {
  const { t } = useFlowT();
  const replace = (i: number, next: Action) => onChange(value.map((a, j) => (j === i ? next : a)));
  const fields = formFields(definition).map(([name]) => ({ value: name, label: fieldLabel(definition, name) }));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="small">
      {value.map((action, i) => {
        const label = t('actions.label', { n: i + 1, owner });
        return (
          <Card key={i} size="small" aria-label={label}
            title={<Select aria-label={t('actions.kind', { n: i + 1 })} value={action.do} style={{ width: 180 }}
              onChange={(kind: ActionKind) => replace(i, blank(kind))}
              options={KINDS.map((k) => ({ value: k, label: t(`actions.kinds.${k}`) }))} />}
            extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('actions.remove', { n: i + 1 })}
              onClick={() => onChange(value.filter((_, j) => j !== i))} />}>
            {action.do === 'assign' && (
              <Space wrap>
                <TeamSelect aria-label={t('pickers.team')} style={{ minWidth: 200 }} value={action.team}
                  onChange={(team) => replace(i, { ...action, team })} />
                <StrategySelect aria-label={t('pickers.strategy')} style={{ minWidth: 160 }} value={action.strategy}
                  onChange={(strategy) => replace(i, { ...action, strategy: strategy as Action['strategy'] })} />
                {action.strategy === 'fixed' && (
                  <Input aria-label={t('pickers.userEmail')} placeholder="name@example.com" value={action.user}
                    onChange={(e) => replace(i, { ...action, user: e.target.value || undefined })} />
                )}
              </Space>
            )}
            {action.do === 'set' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                {Object.entries(action.fields ?? {}).map(([field, rule]) => (
                  <Space key={field} wrap>
                    <Typography.Text>{fieldLabel(definition, field)} =</Typography.Text>
                    <Input aria-label={t('actions.setValue', { field })} value={showLiteral(rule)}
                      onChange={(e) => replace(i, { ...action, fields: { ...action.fields, [field]: literalOf(e.target.value) } })} />
                    <Button type="text" icon={<DeleteOutlined />} aria-label={t('actions.setRemove', { field })}
                      onClick={() => {
                        const next = { ...action.fields };
                        delete next[field];
                        replace(i, { ...action, fields: next });
                      }} />
                  </Space>
                ))}
                <Select aria-label={t('actions.setAdd')} placeholder={t('actions.setAdd')} style={{ minWidth: 220 }} value={null}
                  options={fields.filter((f) => !(f.value in (action.fields ?? {})))}
                  onChange={(field: string) => replace(i, { ...action, fields: { ...action.fields, [field]: '' } })} />
              </Space>
            )}
            {action.do === 'notify' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <RecipientSelect aria-label={t('pickers.recipients')} style={{ width: '100%' }} value={action.to}
                  onChange={(to) => replace(i, { ...action, to })} />
                <ChannelSelect aria-label={t('pickers.channels')} style={{ width: '100%' }} value={action.channels}
                  onChange={(channels) => replace(i, { ...action, channels: channels.length ? (channels as Action['channels']) : undefined })} />
                <Input aria-label={t('actions.template')} placeholder={t('actions.template')} value={action.template}
                  onChange={(e) => replace(i, { ...action, template: e.target.value || undefined })} />
                <Checkbox checked={!!action.status_link}
                  onChange={(e) => replace(i, { ...action, status_link: e.target.checked || undefined })}>
                  {t('actions.statusLink')}
                </Checkbox>
              </Space>
            )}
            {action.do === 'comment' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input.TextArea aria-label={t('actions.commentText')} autoSize value={action.text}
                  onChange={(e) => replace(i, { ...action, text: e.target.value })} />
                <Checkbox checked={!!action.internal} onChange={(e) => replace(i, { ...action, internal: e.target.checked })}>
                  {t('actions.internal')}
                </Checkbox>
              </Space>
            )}
            {action.do === 'create_child' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <TypeSelect aria-label={t('actions.childType')} placeholder={t('actions.childType')} style={{ width: '100%' }}
                  value={action.type || undefined} onChange={(type) => replace(i, { ...action, type })} />
                {Object.entries(action.map ?? {}).map(([child, rule]) => (
                  <Space key={child} wrap>
                    <Typography.Text code>{child}</Typography.Text>
                    <span>←</span>
                    <Select aria-label={t('actions.mapFrom', { field: child })} style={{ minWidth: 180 }} options={fields}
                      value={typeof rule === 'object' && rule && 'var' in rule ? String((rule as { var: string }).var).replace(/^ticket\.data\./, '') : undefined}
                      onChange={(from: string) => replace(i, { ...action, map: { ...action.map, [child]: { var: `ticket.data.${from}` } } })} />
                    <Button type="text" icon={<DeleteOutlined />} aria-label={t('actions.mapRemove', { field: child })}
                      onClick={() => {
                        const next = { ...action.map };
                        delete next[child];
                        replace(i, { ...action, map: next });
                      }} />
                  </Space>
                ))}
                <Input.Search aria-label={t('actions.mapAdd')} placeholder={t('actions.mapAdd')} enterButton={t('add')}
                  onSearch={(name) => name.trim() && replace(i, { ...action, map: { ...action.map, [name.trim()]: '' } })} />
              </Space>
            )}
            {action.do === 'webhook' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Input aria-label={t('actions.url')} value={action.url} onChange={(e) => replace(i, { ...action, url: e.target.value })} />
                <Input aria-label={t('actions.secret')} placeholder={t('actions.secret')} value={action.secret}
                  onChange={(e) => replace(i, { ...action, secret: e.target.value || undefined })} />
              </Space>
            )}
            {action.do === 'survey' && (() => {
              const bad = badScoreRange(action.kind);
              return (
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Select aria-label={t('actions.surveyKind')} value={action.kind ?? 'csat'} style={{ width: 200 }}
                    onChange={(kind: SurveyKind) => replace(i, withSurveyKind(action, kind))}
                    options={[{ value: 'csat', label: t('actions.surveyCsat') }, { value: 'nps', label: t('actions.surveyNps') }]} />
                  <Space wrap>
                    <span>{t('actions.surveyAfter')}</span>
                    <DurationInput aria-label={t('actions.surveyAfter')} allowZero value={action.after ?? 'PT0M'}
                      onChange={(after) => replace(i, { ...action, after: parseDuration(after) ? after : undefined })} />
                  </Space>
                  <Space wrap>
                    <span>{t('actions.surveyExpires')}</span>
                    <DurationInput aria-label={t('actions.surveyExpires')} value={action.expires ?? 'P14D'}
                      onChange={(expires) => replace(i, { ...action, expires: expires && expires !== 'P14D' ? expires : undefined })} />
                  </Space>
                  <ChannelSelect aria-label={t('pickers.channels')} style={{ width: '100%' }} value={action.channels}
                    onChange={(channels) => replace(i, { ...action, channels: channels.length ? (channels as Action['channels']) : undefined })} />
                  <Space wrap>
                    <span>{t('actions.surveyBad')}</span>
                    <InputNumber aria-label={t('actions.surveyBad')} min={bad.min} max={bad.max} precision={0}
                      value={action.bad_at_most ?? bad.fallback}
                      onChange={(n) => replace(i, { ...action, bad_at_most: n === null || n === bad.fallback ? undefined : Number(n) })} />
                  </Space>
                  <Select aria-label={t('actions.surveyFollowUp')} value={action.follow_up ?? 'supervisor'} style={{ width: '100%' }}
                    onChange={(follow_up: 'supervisor' | 'none') => replace(i, { ...action, follow_up: follow_up === 'supervisor' ? undefined : follow_up })}
                    options={[{ value: 'supervisor', label: t('actions.followUpSupervisor') }, { value: 'none', label: t('actions.followUpNone') }]} />
                </Space>
              );
            })()}
            {action.do === 'create_article_draft' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Select aria-label={t('actions.articleTags')} placeholder={t('actions.articleTags')} mode="tags" open={false}
                  tokenSeparators={[',', '，']} style={{ width: '100%' }} value={action.tags ?? []}
                  onChange={(tags: string[]) => replace(i, { ...action, tags: tags.length ? tags : undefined })} />
                <Input aria-label={t('actions.articleCategory')} placeholder={t('actions.articleCategory')} value={action.category}
                  onChange={(e) => replace(i, { ...action, category: e.target.value || undefined })} />
                <Select aria-label={t('actions.articleVisibility')} value={action.visibility ?? 'staff'} style={{ width: '100%' }}
                  onChange={(visibility: 'everyone' | 'staff') => replace(i, { ...action, visibility: visibility === 'staff' ? undefined : visibility })}
                  options={[{ value: 'staff', label: t('actions.articleStaff') }, { value: 'everyone', label: t('actions.articleEveryone') }]} />
                <Typography.Text type="secondary">{t('actions.articleHelp')}</Typography.Text>
              </Space>
            )}
          </Card>
        );
      })}
      <Button icon={<PlusOutlined />} onClick={() => onChange([...value, blank('notify')])}>
        {t('actions.add')}
      </Button>
    </Space>
  );
}
