// The side panel of a state: name (and its Chinese translation), key, category, initial, final.
import { useFlowT } from './useFlowT';
import { Alert, Button, Form, Input, Select, Switch } from 'antd';
import { isKey, renameStateKey, setInitial } from './graph';
import { DeleteOutlined } from './icons';
import { STATUS_CATEGORIES, type State, type Workflow } from './types';
import TranslationInput from './TranslationInput';

interface Props {
  workflow: Workflow;
  state: State;
  problems: string[];
  onChange: (workflow: Workflow, key: string) => void;
  onDelete: () => void;
  /** Add a transition from this state (the keyboard's and the phone's way to connect states). */
  onConnect: (target: string) => void;
}

export default function StatePanel({ workflow, state, problems, onChange, onDelete, onConnect }: Props) {
  const { t } = useFlowT();
  const patch = (next: Partial<State>) => {
    const states = workflow.states.map((s) => {
      if (s.key !== state.key) return s;
      const merged = { ...s, ...next } as State;
      for (const k of Object.keys(merged) as (keyof State)[]) if (merged[k] === undefined || merged[k] === false) delete merged[k];
      return merged;
    });
    onChange({ ...workflow, states }, state.key);
  };
  const keyTaken = (k: string) => k !== state.key && workflow.states.some((s) => s.key === k);
  return (
    <Form layout="vertical" size="small" aria-label={t('state.panel', { state: state.name })}>
      <h2 className="gdf-panel-title">{t('state.title', { state: state.name || state.key })}</h2>
      {problems.map((p) => <Alert key={p} type="warning" showIcon message={p} style={{ marginBottom: 8 }} />)}
      <Form.Item label={t('state.name')} htmlFor="gdf-state-name">
        <Input id="gdf-state-name" value={state.name} onChange={(e) => patch({ name: e.target.value })} />
      </Form.Item>
      <TranslationInput label={t('state.nameZh')} id="gdf-state-name-zh" owner={state} property="name"
        onChange={(i18n) => patch({ i18n })} />
      <Form.Item label={t('state.key')} htmlFor="gdf-state-key" help={t('state.keyHelp')}>
        <Input id="gdf-state-key" defaultValue={state.key} key={state.key}
          onBlur={(e) => {
            const next = e.target.value.trim();
            if (next !== state.key && isKey(next) && !keyTaken(next)) onChange(renameStateKey(workflow, state.key, next), next);
            else e.target.value = state.key;
          }} />
      </Form.Item>
      <Form.Item label={t('state.category')} htmlFor="gdf-state-category">
        <Select id="gdf-state-category" value={state.category} onChange={(category) => patch({ category })}
          options={STATUS_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} />
      </Form.Item>
      <Form.Item label={t('state.initial')} htmlFor="gdf-state-initial" help={t('state.initialHelp')}>
        <Switch id="gdf-state-initial" checked={!!state.initial}
          onChange={(on) => (on ? onChange(setInitial(workflow, state.key), state.key) : patch({ initial: undefined }))} />
      </Form.Item>
      <Form.Item label={t('state.final')} htmlFor="gdf-state-final" help={t('state.finalHelp')}>
        <Switch id="gdf-state-final" checked={!!state.final} onChange={(on) => patch({ final: on || undefined })} />
      </Form.Item>
      <Form.Item label={t('state.description')} htmlFor="gdf-state-description">
        <Input.TextArea id="gdf-state-description" autoSize value={state.description}
          onChange={(e) => patch({ description: e.target.value || undefined })} />
      </Form.Item>
      <Form.Item label={t('state.connect')} htmlFor="gdf-state-connect" help={t('state.connectHelp')}>
        <Select id="gdf-state-connect" value={null} placeholder={t('state.connectPlaceholder')}
          options={workflow.states.filter((s) => s.key !== state.key).map((s) => ({ value: s.key, label: `${s.name} (${s.key})` }))}
          onChange={(target: string) => onConnect(target)} />
      </Form.Item>
      <Button danger icon={<DeleteOutlined />} onClick={onDelete}>{t('state.delete')}</Button>
    </Form>
  );
}
