// "Walk it": a simulated ticket started from sample data (the server's simulation: is the form valid,
// what priority, route and SLA it gets), then clicked through the graph; every step lists the
// transitions out of its state, allowed or, for the blocked ones, why not.
import { useFlowT } from './useFlowT';
import { Alert, Button, Checkbox, Descriptions, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Json } from '../../rules/logic';
import { useErrorHandler } from '../../utils/errors';
import type { FlowEditorProps } from './editorProps';
import { explainTransitions, take, type Option, type WalkTicket } from './explain';
import { flowApi, type Simulation } from './flowApi';
import { CheckCircleOutlined, CloseCircleOutlined } from './icons';
import { fieldValues, formFields, RoleSelect } from './pickers';
import { describeRule, fieldTitles } from './rulesText';
import type { Definition } from './types';

export interface WalkView {
  current: string | null;
  visited: string[];
}

interface Step {
  from: string;
  transition: string;
  to: string;
}

/** Sample form data from text inputs: numbers for number fields, values as typed otherwise. */
export function sampleData(definition: Definition, values: Record<string, string | undefined>): Record<string, Json> {
  const data: Record<string, Json> = {};
  for (const [name, schema] of formFields(definition)) {
    const text = values[name];
    if (text === undefined || text === '') continue;
    if (schema.type === 'number' || schema.type === 'integer') data[name] = Number(text);
    else if (schema.type === 'boolean') data[name] = text === 'true';
    else if (schema.type === 'array') data[name] = [text];
    else data[name] = text;
  }
  return data;
}

export default function WalkPanel({ typeKey, definition, flush, onView }: Pick<FlowEditorProps, 'typeKey' | 'definition' | 'flush'> & {
  onView: (view: WalkView) => void;
}) {
  const { t } = useFlowT();
  const handleError = useErrorHandler();
  const [values, setValues] = useState<Record<string, string | undefined>>({});
  const [tags, setTags] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>(['agent']);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [walk, setWalk] = useState<WalkTicket | null>(null);
  const [steps, setSteps] = useState<Step[]>([]);
  const [starting, setStarting] = useState(false);
  const [taking, setTaking] = useState<Option | null>(null);
  const [answerForm] = Form.useForm();
  const titles = fieldTitles(definition);
  const stateName = (key: string) => definition.workflow.states.find((s) => s.key === key)?.name ?? key;

  const start = async () => {
    setStarting(true);
    try {
      const data = sampleData(definition, values);
      const ticket = { requester: { tags, roles: ['requester'] } };
      if (!(await flush())) return;
      const result = await flowApi.simulate(typeKey, data, ticket);
      setSimulation(result);
      const initial = definition.workflow.states.find((s) => s.initial)?.key ?? definition.workflow.states[0]?.key;
      if (!initial) return;
      const first: WalkTicket = { status: initial, data, ticket: { ...ticket, priority: result.priority.level,
        team: result.routing.matched?.assign?.team ?? null } };
      setWalk(first);
      setSteps([]);
      onView({ current: initial, visited: [initial] });
    } catch (error) {
      handleError(error);
    } finally {
      setStarting(false);
    }
  };

  const options = walk ? explainTransitions(definition, walk, roles) : [];

  const takeOption = (option: Option, answers: Record<string, Json>) => {
    if (!walk) return;
    const next = take(walk, option.transition, answers);
    const nextSteps = [...steps, { from: walk.status, transition: option.transition.name || option.transition.key, to: next.status }];
    setWalk(next);
    setSteps(nextSteps);
    onView({ current: next.status, visited: [...new Set([...nextSteps.map((s) => s.from), next.status])] });
  };

  const reason = (option: Option, r: Option['reasons'][number]) => {
    const name = option.transition.name || option.transition.key;
    if (r.code === 'role_missing') return t('walk.roleMissing', { roles: r.roles.join(t('walk.or')), transition: name });
    return t('walk.guardFalse', { transition: name, rule: describeRule(t, option.transition.guard, titles) })
      + (r.error ? ` (${r.error})` : '');
  };

  return (
    <div aria-label={t('walk.title')}>
      <h2 className="gdf-panel-title">{t('walk.title')}</h2>
      <Typography.Paragraph type="secondary">{t('walk.intro')}</Typography.Paragraph>
      <Form layout="vertical" size="small">
        {formFields(definition).map(([name, schema]) => {
          const choices = fieldValues(schema);
          const label = typeof schema.title === 'string' ? schema.title : name;
          const id = `gdf-walk-${name}`;
          return (
            <Form.Item key={name} label={label} htmlFor={id}>
              {choices ? (
                <Select id={id} allowClear value={values[name]} options={choices}
                  onChange={(v?: string) => setValues({ ...values, [name]: v })} />
              ) : (
                <Input id={id} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
              )}
            </Form.Item>
          );
        })}
        <Form.Item label={t('walk.tags')} htmlFor="gdf-walk-tags">
          <Select id="gdf-walk-tags" mode="tags" value={tags} onChange={setTags} options={[{ value: 'vip', label: 'vip' }]} />
        </Form.Item>
        <Form.Item label={t('walk.actingAs')} htmlFor="gdf-walk-roles">
          <RoleSelect id="gdf-walk-roles" value={roles} onChange={setRoles} />
        </Form.Item>
        <Button type="primary" loading={starting} onClick={() => void start()}>
          {walk ? t('walk.restart') : t('walk.start')}
        </Button>
      </Form>

      {simulation && (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 12 }} className="gdf-walk-sim">
          <Descriptions.Item label={t('walk.form')}>
            {simulation.valid ? <Tag color="green">{t('walk.valid')}</Tag> : (
              <Space direction="vertical">{simulation.errors.map((e) => <Typography.Text key={e.path} type="danger">{e.path} {e.message}</Typography.Text>)}</Space>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('walk.priority')}>{simulation.priority.level}</Descriptions.Item>
          <Descriptions.Item label={t('walk.route')}>
            {simulation.routing.matched ? `${simulation.routing.matched.name} → ${simulation.routing.matched.assign?.team ?? '—'}` : t('walk.noRoute')}
          </Descriptions.Item>
          <Descriptions.Item label={t('walk.sla')}>
            {simulation.sla.policy ? `${simulation.sla.policy.name}: ${Object.entries(simulation.sla.targets ?? {}).map(([m, d]) => `${t(`metric.${m}` as 'metric.response')} ${d}`).join(', ')}` : t('walk.noSla')}
          </Descriptions.Item>
        </Descriptions>
      )}

      {walk && (
        <div style={{ marginTop: 12 }}>
          <Typography.Title level={3} style={{ fontSize: 15 }}>{t('walk.now', { state: stateName(walk.status) })}</Typography.Title>
          {options.length === 0 && <Alert type="info" showIcon message={t('walk.noWayOut')} />}
          <List size="small" dataSource={options} className="gdf-walk-options" renderItem={(option) => {
            const name = option.transition.name || option.transition.key;
            return (
              <List.Item data-transition={option.transition.key}
                actions={[<Button key="take" size="small" type="primary" disabled={!option.allowed}
                  aria-label={t('walk.takeLabel', { transition: name })}
                  onClick={() => {
                    if (option.requires.length || option.checklist.length) {
                      answerForm.resetFields();
                      setTaking(option);
                    } else takeOption(option, {});
                  }}>{t('walk.take')}</Button>]}>
                <List.Item.Meta
                  avatar={option.allowed ? <CheckCircleOutlined style={{ color: '#52c41a' }} /> : <CloseCircleOutlined style={{ color: '#ff4d4f' }} />}
                  title={`${name} → ${stateName(option.transition.to)}`}
                  description={option.allowed
                    ? option.requires.length ? t('walk.asks', { fields: option.requires.map((f) => (f === 'comment' ? t('comment') : titles[f] ?? f)).join(t('listSeparator')) }) : null
                    : option.reasons.map((r) => <div key={r.code}>{reason(option, r)}</div>)} />
              </List.Item>
            );
          }} />
          {steps.length > 0 && (
            <>
              <Typography.Title level={3} style={{ fontSize: 15 }}>{t('walk.path')}</Typography.Title>
              <ol className="gdf-walk-path">
                {steps.map((s, i) => <li key={i}>{t('walk.step', { from: stateName(s.from), transition: s.transition, to: stateName(s.to) })}</li>)}
              </ol>
            </>
          )}
        </div>
      )}

      <Modal open={!!taking} title={taking ? t('walk.takeTitle', { transition: taking.transition.name || taking.transition.key }) : ''}
        okText={t('walk.take')} cancelText={t('cancel')} onCancel={() => setTaking(null)}
        onOk={() => {
          void answerForm.validateFields().then((answers: Record<string, Json>) => {
            const given = Object.fromEntries(Object.entries(answers).filter(([k]) => !k.startsWith('__check_')));
            if (taking) takeOption(taking, given);
            setTaking(null);
          });
        }}>
        <Form form={answerForm} layout="vertical">
          {taking?.requires.map((field) => (
            <Form.Item key={field} name={field} label={field === 'comment' ? t('comment') : titles[field] ?? field}
              rules={[{ required: true, message: t('walk.required') }]}>
              <Input />
            </Form.Item>
          ))}
          {taking?.checklist.map((item, i) => (
            <Form.Item key={i} name={`__check_${i}`} valuePropName="checked"
              rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t('walk.checkFirst', { item })))) }]}>
              <Checkbox>{item}</Checkbox>
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </div>
  );
}
