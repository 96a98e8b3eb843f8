// A state on the status graph: coloured by category, marked initial / final, with its problems on it.
import { useFlowT } from './useFlowT';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { Tooltip } from 'antd';
import { memo } from 'react';
import { CATEGORY_COLORS } from './graph';
import { ExclamationCircleOutlined, WarningOutlined } from './icons';
import type { State } from './types';

export interface StateNodeData extends Record<string, unknown> {
  state: State | null;
  /** Messages of the problems marked on this state. */
  errors: string[];
  warnings: string[];
  /** "Walk it": the simulated ticket is here. */
  current?: boolean;
  /** "Walk it": a state the ticket has been through. */
  visited?: boolean;
}

export type StateFlowNode = Node<StateNodeData, 'state'>;

function StateNodeView({ data, selected }: NodeProps<StateFlowNode>) {
  const { t } = useFlowT();
  const state = data.state;
  const color = state ? CATEGORY_COLORS[state.category] ?? '#8c8c8c' : '#595959';
  const problems = [...data.errors, ...data.warnings];
  const name = state ? state.name || state.key : t('workflow.anyState');
  const classes = ['gdf-node', selected ? 'is-selected' : '', data.current ? 'is-current' : '', data.visited ? 'is-visited' : '',
    data.errors.length ? 'has-errors' : data.warnings.length ? 'has-warnings' : '', state ? '' : 'is-any'].filter(Boolean).join(' ');
  return (
    <div className={classes} style={{ borderColor: color }} data-state={state?.key ?? '*'}
      aria-label={[name, state ? t(`categories.${state.category}`) : '', ...problems].filter(Boolean).join('. ')}>
      <Handle type="target" position={Position.Left} aria-label={t('workflow.handleIn', { state: name })} />
      <div className="gdf-node-bar" style={{ background: color }} />
      <div className="gdf-node-body">
        <div className="gdf-node-name">
          {state?.initial && <span className="gdf-badge" title={t('state.initial')}>▶</span>}
          {name}
          {state?.final && <span className="gdf-badge" title={t('state.final')}>■</span>}
        </div>
        <div className="gdf-node-meta">{state ? `${state.key} · ${t(`categories.${state.category}`)}` : t('workflow.anyStateHint')}</div>
      </div>
      {problems.length > 0 && (
        <Tooltip title={<ul className="gdf-tip">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}>
          <span className={`gdf-node-issue ${data.errors.length ? 'is-error' : 'is-warning'}`} role="img"
            aria-label={t('workflow.problems', { count: problems.length })}>
            {data.errors.length ? <ExclamationCircleOutlined /> : <WarningOutlined />}
          </span>
        </Tooltip>
      )}
      <Handle type="source" position={Position.Right} aria-label={t('workflow.handleOut', { state: name })} />
    </div>
  );
}

export default memo(StateNodeView);
