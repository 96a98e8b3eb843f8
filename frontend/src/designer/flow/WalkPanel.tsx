// "Walk it": a simulated ticket started from sample data and clicked through the graph, all on the
// server (POST /simulate with `walk`: the runtime's own explainer and transition checks, nothing
// written). The server is given the whole list of transitions taken so far each time and answers
// with every step: the state, and the transitions out of it, allowed or, for the blocked ones, why.
import { useFlowT } from './useFlowT';
import { Alert, Button, Checkbox, Descriptions, Form, Input, List, Modal, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Json } from '../../rules/logic';
import { useErrorHandler } from '../../utils/errors';
import type { FlowEditorProps } from './editorProps';
import { flowApi, type ExplainedTransition, type Simulation, type WalkStepRequest } from './flowApi';
import { sampleData, stepRequest, walkedPath } from './walk';
import { CheckCircleOutlined, CloseCircleOutlined } from './icons';
import { fieldValues, formFields, RoleSelect } from './pickers';

export interface WalkView {
  current: string | null;
  visited: string[];
}

export default function WalkPanel({ typeKey, definition, flush, onView }: Pick<FlowEditorProps, 'typeKey' | 'definition' | 'flush'> & {
  onView: (view: WalkView) => void;
}) {
  const { t, language } = useFlowT();
  const handleError = useErrorHandler();
  const [values, setValues] = useState<Record<string, string | undefined>>({});
  const [tags, setTags] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>(['agent']);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [taken, setTaken] = useState<WalkStepRequest[]>([]);
  const [refusal, setRefusal] = useState<NonNullable<Simulation['walk']>['refused']>(null);
  const [busy, setBusy] = useState(false);
  const [taking, setTaking] = useState<ExplainedTransition | null>(null);
  const [answerForm] = Form.useForm();

  /** Ask the server for the walk along `steps`; a refused last step is shown and not kept. */
  const run = async (steps: WalkStepRequest[], fresh: boolean) => {
    setBusy(true);
    try {
      if (fresh && !(await flush())) return;
      const ticket = { requester: { tags, roles: ['requester'] } };
      const result = await flowApi.walk(typeKey, sampleData(definition, values), ticket, steps, roles, language.startsWith('zh') ? 'zh-CN' : 'en');
      const walk = result.walk!;
      setRefusal(walk.refused);
      const kept = walk.refused ? steps.slice(0, walk.refused.index) : steps;
      setSimulation(result);
      setTaken(kept);
      const states = walk.steps.map((s) => s.state);
      onView({ current: states[states.length - 1] ?? null, visited: [...new Set(states)] });
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const walk = simulation?.walk;
  const here = walk?.steps[walk.steps.length - 1];
  const options = here?.transitions ?? [];
  const path = walkedPath(simulation);
  const takeOption = (option: ExplainedTransition, answers: Record<string, Json>) => void run([...taken, stepRequest(option, answers)], false);

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
        <Button type="primary" loading={busy && !walk} onClick={() => void run([], true)}>
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

      {walk && here && (
        <div style={{ marginTop: 12 }} aria-busy={busy}>
          <Typography.Title level={3} style={{ fontSize: 15 }}>{t('walk.now', { state: here.state_name })}</Typography.Title>
          {refusal && (
            <Alert type="error" showIcon className="gdf-walk-refused" style={{ marginBottom: 8 }}
              message={t('walk.refused', { transition: refusal.name })}
              description={<ul className="gd-plain-list">{refusal.reasons.map((r, i) => <li key={i}>{r.message}</li>)}</ul>} />
          )}
          {here.actions.length > 0 && <Typography.Paragraph type="secondary">{t('walk.actionsNotRun', { count: here.actions.length })}</Typography.Paragraph>}
          {options.length === 0 && <Alert type="info" showIcon message={t('walk.noWayOut')} />}
          {options.length > 0 && <List size="small" dataSource={options} className="gdf-walk-options" renderItem={(option) => (
            <List.Item data-transition={option.key}
              actions={[<Button key="take" size="small" type="primary" disabled={!option.allowed || busy}
                aria-label={t('walk.takeLabel', { transition: option.name })}
                onClick={() => {
                  if (option.requires.length || option.checklist.length) {
                    answerForm.resetFields();
                    setTaking(option);
                  } else takeOption(option, {});
                }}>{t('walk.take')}</Button>]}>
              <List.Item.Meta
                avatar={option.allowed ? <CheckCircleOutlined style={{ color: '#52c41a' }} /> : <CloseCircleOutlined style={{ color: '#ff4d4f' }} />}
                title={`${option.name} → ${option.to_name}`}
                description={option.allowed
                  ? option.requires.length ? t('walk.asks', { fields: option.requires.map((f) => f.title).join(t('listSeparator')) }) : null
                  : option.reasons.map((r) => <div key={r.code}>{r.message}</div>)} />
            </List.Item>
          )} />}
          {path.length > 0 && (
            <>
              <Typography.Title level={3} style={{ fontSize: 15 }}>{t('walk.path')}</Typography.Title>
              <ol className="gdf-walk-path">
                {path.map((s, i) => <li key={i}>{t('walk.step', s)}</li>)}
              </ol>
            </>
          )}
        </div>
      )}

      <Modal open={!!taking} title={taking ? t('walk.takeTitle', { transition: taking.name }) : ''}
        okText={t('walk.take')} cancelText={t('cancel')} onCancel={() => setTaking(null)}
        onOk={() => {
          void answerForm.validateFields().then((answers: Record<string, Json>) => {
            if (taking) takeOption(taking, answers);
            setTaking(null);
          });
        }}>
        <Form form={answerForm} layout="vertical">
          {taking?.requires.map((field) => (
            <Form.Item key={field.field} name={field.field} label={field.title}>
              {field.options ? <Select options={field.options.map((o) => ({ value: o.value as string, label: o.label }))} />
                : field.field === 'comment' ? <Input.TextArea rows={2} /> : <Input />}
            </Form.Item>
          ))}
          {taking?.checklist.map((item, i) => (
            <Form.Item key={i} name={`__check_${i}`} valuePropName="checked">
              <Checkbox>{item}</Checkbox>
            </Form.Item>
          ))}
        </Form>
      </Modal>
    </div>
  );
}
