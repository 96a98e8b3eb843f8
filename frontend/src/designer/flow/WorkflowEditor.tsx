// The status graph editor: states as nodes coloured by category, transitions as edges; add a state,
// drag from one state to another to connect them, delete with confirmation, automatic layout (ELK in
// a worker) or positions dragged by hand (saved in the draft's layout), the server's structural checks
// marked on the nodes as you edit, a side panel per state and per transition, and "walk it".
import { useFlowT } from './useFlowT';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  useUpdateNodeInternals,
  type Connection,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Alert, App, Button, Form, Input, Popover, Select, Space, Switch, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FlowEditorProps } from './editorProps';
import {
  ANY_STATE,
  CATEGORY_COLORS,
  LIVE_CODES,
  addState,
  checkWorkflow,
  connect,
  definitionToGraph,
  locateProblem,
  parseEdgeId,
  removeEdge,
  removeState,
  stateDeletionImpact,
  withPositions,
  type GraphIssue,
  type Point,
} from './graph';
import { ApartmentOutlined, PlayCircleOutlined, PlusOutlined } from './icons';
import { hasAllPositions, layoutGraph, NODE_WIDTH } from './layout';
import StateNode, { type StateFlowNode } from './StateNode';
import StatePanel from './StatePanel';
import TransitionPanel from './TransitionPanel';
import { STATUS_CATEGORIES, type Definition, type StatusCategory, type Workflow } from './types';
import WalkPanel, { type WalkView } from './WalkPanel';
import './flow.css';

const nodeTypes = { state: StateNode };

type Selection = { kind: 'state'; key: string } | { kind: 'transition'; index: number } | null;

/** Marks `graph.laid-out` for the bench (bench/bench_designer_flow.py reads the measures). */
function mark(name: string) {
  if (typeof performance !== 'undefined' && performance.mark) performance.mark(name);
}

export function issueText(t: (key: string, params?: Record<string, unknown>) => string, issue: GraphIssue): string {
  const code = issue.code.replace('workflow.', '');
  if (code === 'unknown_state') return t(`checks.unknown_state_${issue.params.direction}`, issue.params);
  return t(`checks.${code}`, issue.params);
}

function WorkflowCanvas({ typeKey, definition, onChange, errors, warnings, focus, flush, readOnly = false }: FlowEditorProps & { readOnly?: boolean }) {
  const { t } = useFlowT();
  const tt = t as unknown as (key: string, params?: Record<string, unknown>) => string;
  const { modal } = App.useApp();
  const workflow = definition.workflow;
  const graph = useMemo(() => definitionToGraph(definition), [definition]);
  const [positions, setPositions] = useState<Record<string, Point>>(() =>
    Object.fromEntries(graph.nodes.filter((n) => n.position).map((n) => [n.id, n.position as Point])));
  const [selection, setSelection] = useState<Selection>(null);
  const [walking, setWalking] = useState(false);
  const [walkView, setWalkView] = useState<WalkView>({ current: null, visited: [] });
  const [laying, setLaying] = useState(false);
  const [adding, setAdding] = useState(false);
  const [newName, setNewName] = useState('');
  const [newCategory, setNewCategory] = useState<StatusCategory>('open');
  const [layoutError, setLayoutError] = useState<string | null>(null);
  const laidOut = useRef(false);
  const flow = useReactFlow();

  const update = useCallback((next: Workflow, extra: Partial<Definition> = {}) => onChange({ ...definition, ...extra, workflow: next }), [definition, onChange]);

  // Saved positions from the draft win over the local ones when they change (undo, redo, a reload).
  // Undoing the first move takes the saved positions away: the graph is laid out again (not saved).
  const savedPositions = definition.layout?.workflow;
  const hadSaved = useRef(!!savedPositions);
  useEffect(() => {
    if (savedPositions) setPositions((p) => ({ ...p, ...savedPositions }));
    else if (hadSaved.current) void runLayoutRef.current(false);
    hadSaved.current = !!savedPositions;
  }, [savedPositions]);

  const runLayout = useCallback(async (save: boolean) => {
    setLaying(true);
    setLayoutError(null);
    try {
      mark('graph.layout-start');
      const { getElk } = await import('./elkWorker');
      // Left to right on a desk; top to bottom on a phone, where the canvas is narrow.
      const next = await layoutGraph(getElk(), definitionToGraph(definition), window.innerWidth < 900 ? 'DOWN' : 'RIGHT');
      mark('graph.layout-end');
      performance.measure?.('graph.layout', 'graph.layout-start', 'graph.layout-end');
      setPositions(next);
      if (save) onChange(withPositions(definition, next));
      window.setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }), 50);
    } catch (error) {
      setLayoutError(String(error));
    } finally {
      setLaying(false);
    }
  }, [definition, onChange, flow]);

  const runLayoutRef = useRef(runLayout);
  runLayoutRef.current = runLayout;

  // Laid out automatically on opening when positions are missing (not saved until the designer moves something).
  useEffect(() => {
    if (laidOut.current) return;
    laidOut.current = true;
    if (!hasAllPositions(graph)) void runLayout(false);
    else mark('graph.layout-end');
  }, [graph, runLayout]);

  // Problems: the live checks (in the reader's language) and the server's others, on states and edges.
  const issues = useMemo(() => checkWorkflow(workflow), [workflow]);
  const byState = useMemo(() => {
    const map = new Map<string, { errors: string[]; warnings: string[] }>();
    const at = (key: string) => {
      if (!map.has(key)) map.set(key, { errors: [], warnings: [] });
      return map.get(key)!;
    };
    for (const issue of issues) if (issue.state) at(issue.state)[issue.severity === 'error' ? 'errors' : 'warnings'].push(issueText(tt, issue));
    for (const [list, kind] of [[errors, 'errors'], [warnings, 'warnings']] as const) {
      for (const p of list) {
        if (LIVE_CODES.has(p.code)) continue;
        const where = locateProblem(p.path);
        if (where.state !== undefined && workflow.states[where.state]) at(workflow.states[where.state].key)[kind].push(p.message);
      }
    }
    return map;
  }, [issues, errors, warnings, workflow, tt]);
  const byTransition = useMemo(() => {
    const map = new Map<number, string[]>();
    for (const issue of issues) if (issue.transition !== undefined) map.set(issue.transition, [...(map.get(issue.transition) ?? []), issueText(tt, issue)]);
    for (const p of [...errors, ...warnings]) {
      if (LIVE_CODES.has(p.code)) continue;
      const where = locateProblem(p.path);
      if (where.transition !== undefined) map.set(where.transition, [...(map.get(where.transition) ?? []), p.message]);
    }
    return map;
  }, [issues, errors, warnings, tt]);
  const graphIssues = issues.filter((i) => !i.state && i.transition === undefined);

  const [nodes, setNodes] = useState<StateFlowNode[]>([]);
  useEffect(() => {
    // Keep what React Flow measured of each node: a node object without `measured` is hidden (and its
    // edges are not drawn) until the resize observer reports again, which it does not do for a node
    // whose size did not change; rebuilt on every keystroke in a panel, the graph went blank.
    setNodes((current) => {
      const measured = new Map(current.map((n) => [n.id, n.measured]));
      return graph.nodes.map((n, i) => ({
        id: n.id,
        measured: measured.get(n.id),
        type: 'state',
        position: positions[n.id] ?? { x: (i % 4) * (NODE_WIDTH + 60), y: Math.floor(i / 4) * 120 },
        selected: selection?.kind === 'state' && selection.key === n.id,
        data: {
          state: n.state,
          errors: byState.get(n.id)?.errors ?? [],
          warnings: byState.get(n.id)?.warnings ?? [],
          current: walking && walkView.current === n.id,
          visited: walking && walkView.visited.includes(n.id),
        },
      }));
    });
  }, [graph, positions, byState, selection, walking, walkView]);

  // React Flow draws an edge only between handles it has measured. A node object rebuilt while its first
  // measurement is pending can lose its handles' bounds, and nothing measures it again if its size stays the
  // same: the new transition exists but its edge is never drawn. Measure the handles again whenever the set of
  // edges changes (cheap: a few dozen nodes, once per added or removed transition).
  const updateNodeInternals = useUpdateNodeInternals();
  const edgeSet = graph.edges.map((e) => e.id).join('|');
  const nodeIds = graph.nodes.map((n) => n.id).join('|');
  useEffect(() => {
    const frame = window.requestAnimationFrame(() => updateNodeInternals(nodeIds.split('|').filter(Boolean)));
    return () => window.cancelAnimationFrame(frame);
  }, [edgeSet, nodeIds, updateNodeInternals]);

  const edges: Edge[] = useMemo(() => graph.edges.map((e) => {
    const problem = byTransition.has(e.index);
    const selected = selection?.kind === 'transition' && selection.index === e.index;
    const fromHere = walking && (e.source === walkView.current || (e.source === ANY_STATE && !!walkView.current));
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      label: e.label,
      selected,
      markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
      className: [problem ? 'has-problem' : '', fromHere ? 'is-walk-option' : ''].filter(Boolean).join(' '),
      ariaLabel: t('workflow.edgeLabel', { transition: e.label, from: e.source === ANY_STATE ? t('workflow.anyState') : e.source, to: e.target }),
      labelBgPadding: [4, 2] as [number, number],
      labelBgBorderRadius: 4,
    };
  }), [graph, byTransition, selection, walking, walkView, t]);

  const onNodesChange = useCallback((changes: NodeChange<StateFlowNode>[]) => {
    setNodes((current) => applyNodeChanges(changes, current));
  }, []);

  const onNodeDragStop = useCallback((_: unknown, __: unknown, dragged: StateFlowNode[]) => {
    const next = { ...positions };
    for (const n of nodes) next[n.id] = n.position;
    for (const n of dragged) next[n.id] = n.position;
    setPositions(next);
    onChange(withPositions(definition, next));
  }, [positions, nodes, definition, onChange]);

  const onConnect = useCallback((connection: Connection) => {
    if (!connection.source || !connection.target || connection.target === ANY_STATE) return;
    const result = connect(workflow, connection.source, connection.target);
    if (result.created) update(result.workflow);
    setSelection({ kind: 'transition', index: result.index });
  }, [workflow, update]);

  const deleteState = useCallback((key: string) => {
    const state = workflow.states.find((s) => s.key === key);
    const impact = stateDeletionImpact(workflow, key);
    modal.confirm({
      title: t('state.deleteTitle', { state: state?.name ?? key }),
      content: (
        <div>
          {impact.removed.length > 0 && <p>{t('state.deleteRemoves', { list: impact.removed.join(t('listSeparator')) })}</p>}
          {impact.narrowed.length > 0 && <p>{t('state.deleteNarrows', { list: impact.narrowed.join(t('listSeparator')) })}</p>}
          {!impact.removed.length && !impact.narrowed.length && <p>{t('state.deleteAlone')}</p>}
        </div>
      ),
      okText: t('delete'),
      okButtonProps: { danger: true },
      cancelText: t('cancel'),
      onOk: () => {
        const nextPositions = { ...positions };
        delete nextPositions[key];
        setPositions(nextPositions);
        setSelection(null);
        const next = removeState(workflow, key);
        onChange(definition.layout ? withPositions({ ...definition, workflow: next }, nextPositions) : { ...definition, workflow: next });
      },
    });
  }, [workflow, positions, definition, onChange, modal, t]);

  const deleteTransition = useCallback((index: number, source?: string) => {
    const transition = workflow.transitions[index];
    if (!transition) return;
    const several = source && Array.isArray(transition.from) && transition.from.length > 1;
    modal.confirm({
      title: several
        ? t('transition.deleteEdgeTitle', { transition: transition.name || transition.key, from: source })
        : t('transition.deleteTitle', { transition: transition.name || transition.key }),
      content: several ? t('transition.deleteEdgeText') : t('transition.deleteText'),
      okText: t('delete'),
      okButtonProps: { danger: true },
      cancelText: t('cancel'),
      onOk: () => {
        setSelection(null);
        update(several ? removeEdge(workflow, index, source as string) : { ...workflow, transitions: workflow.transitions.filter((_, i) => i !== index) });
      },
    });
  }, [workflow, update, modal, t]);

  const [selectedEdge, setSelectedEdge] = useState<string | null>(null);

  // The Delete key asks first (React Flow's own deleting is off).
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (readOnly || (event.key !== 'Delete' && event.key !== 'Backspace')) return;
    if ((event.target as HTMLElement).closest('input, textarea, [contenteditable], .gdf-panel')) return;
    if (selection?.kind === 'state') deleteState(selection.key);
    else if (selection?.kind === 'transition') deleteTransition(selection.index, selectedEdge ? parseEdgeId(selectedEdge).source : undefined);
  };

  // An error link (#/workflow/states/2, #/workflow/transitions/4/...) selects what it points at.
  useEffect(() => {
    if (!focus) return;
    const where = locateProblem(focus);
    if (where.state !== undefined && workflow.states[where.state]) setSelection({ kind: 'state', key: workflow.states[where.state].key });
    else if (where.transition !== undefined) setSelection({ kind: 'transition', index: where.transition });
  }, [focus]); // eslint-disable-line react-hooks/exhaustive-deps

  const addNewState = () => {
    const { workflow: next, key } = addState(workflow, newName || t('state.newName'), newCategory);
    const xs = Object.values(positions);
    const place = { x: xs.length ? Math.max(...xs.map((p) => p.x)) + NODE_WIDTH + 60 : 0, y: xs.length ? Math.min(...xs.map((p) => p.y)) : 0 };
    const nextPositions = { ...positions, [key]: place };
    setPositions(nextPositions);
    onChange(withPositions({ ...definition, workflow: next }, nextPositions));
    setSelection({ kind: 'state', key });
    setAdding(false);
    setNewName('');
    window.setTimeout(() => void flow.fitView({ padding: 0.15, maxZoom: 1 }), 50);
  };

  const selectedState = selection?.kind === 'state' ? workflow.states.find((s) => s.key === selection.key) : undefined;

  const panel = walking ? (
    <WalkPanel typeKey={typeKey} definition={definition} flush={flush} onView={setWalkView} />
  ) : selectedState ? (
    <StatePanel workflow={workflow} state={selectedState} problems={[...(byState.get(selectedState.key)?.errors ?? []), ...(byState.get(selectedState.key)?.warnings ?? [])]}
      onChange={(next, key) => {
        update(next);
        if (key !== selectedState.key) {
          const moved = { ...positions, [key]: positions[selectedState.key] };
          delete moved[selectedState.key];
          setPositions(moved);
          onChange(withPositions({ ...definition, workflow: next }, moved));
          setSelection({ kind: 'state', key });
        }
      }}
      onDelete={() => deleteState(selectedState.key)}
      onConnect={(target) => onConnect({ source: selectedState.key, target, sourceHandle: null, targetHandle: null })} />
  ) : selection?.kind === 'transition' && workflow.transitions[selection.index] ? (
    <TransitionPanel definition={definition} index={selection.index} problems={byTransition.get(selection.index) ?? []}
      onChange={(transition) => update({ ...workflow, transitions: workflow.transitions.map((x, i) => (i === selection.index ? transition : x)) })}
      onDelete={() => deleteTransition(selection.index)} />
  ) : (
    <div>
      <h2 className="gdf-panel-title">{t('workflow.helpTitle')}</h2>
      <ul className="gdf-help">
        <li>{t('workflow.helpAdd')}</li>
        <li>{t('workflow.helpConnect')}</li>
        <li>{t('workflow.helpSelect')}</li>
        <li>{t('workflow.helpDelete')}</li>
      </ul>
    </div>
  );

  return (
    <div className="gdf-workflow" onKeyDown={onKeyDown}>
      <Space wrap className="gdf-toolbar">
        {!readOnly && <>
        <Popover open={adding} onOpenChange={setAdding} trigger="click" title={t('state.add')} content={(
          <Form layout="vertical" size="small" onFinish={addNewState} style={{ width: 240 }}>
            <Form.Item label={t('state.name')} htmlFor="gdf-new-state-name">
              <Input id="gdf-new-state-name" autoFocus value={newName} onChange={(e) => setNewName(e.target.value)} />
            </Form.Item>
            <Form.Item label={t('state.category')} htmlFor="gdf-new-state-category">
              <Select id="gdf-new-state-category" value={newCategory} onChange={setNewCategory}
                options={STATUS_CATEGORIES.map((c) => ({ value: c, label: t(`categories.${c}`) }))} />
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={!newName.trim()}>{t('add')}</Button>
          </Form>
        )}>
          <Button icon={<PlusOutlined />} disabled={walking}>{t('state.add')}</Button>
        </Popover>
        <Button icon={<ApartmentOutlined />} loading={laying} onClick={() => void runLayout(true)}>{t('workflow.autoLayout')}</Button>
        <Tooltip title={t('walk.hint')}>
          <Space>
            <PlayCircleOutlined />
            <label htmlFor="gdf-walk-switch">{t('walk.toggle')}</label>
            <Switch id="gdf-walk-switch" checked={walking} onChange={(on) => { setWalking(on); setWalkView({ current: null, visited: [] }); }} />
          </Space>
        </Tooltip>
        </>}
        <span className="gdf-legend" aria-label={t('workflow.legend')}>
          {STATUS_CATEGORIES.map((c) => (
            <span key={c}><i style={{ background: CATEGORY_COLORS[c] }} />{t(`categories.${c}`)}</span>
          ))}
        </span>
      </Space>
      {graphIssues.map((issue) => (
        <Alert key={issue.code} type="error" showIcon message={issueText(tt, issue)} className="gdf-graph-issue" />
      ))}
      {layoutError && <Alert type="error" showIcon message={t('workflow.layoutFailed', { error: layoutError })} />}
      <div className={`gdf-workflow-body${readOnly ? ' is-read-only' : ''}`}>
        <div className="gdf-canvas" role={readOnly ? 'img' : 'application'} aria-label={t('workflow.canvas')}>
          <ReactFlow<StateFlowNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStop={readOnly ? undefined : onNodeDragStop}
            onConnect={readOnly ? undefined : onConnect}
            onNodeClick={readOnly ? undefined : (_, node) => { if (node.id !== ANY_STATE && !walking) setSelection({ kind: 'state', key: node.id }); }}
            onEdgeClick={readOnly ? undefined : (_, edge) => { if (!walking) { setSelection({ kind: 'transition', index: parseEdgeId(edge.id).index }); setSelectedEdge(edge.id); } }}
            onPaneClick={readOnly ? undefined : () => { if (!walking) setSelection(null); }}
            deleteKeyCode={null}
            nodesDraggable={!readOnly}
            elementsSelectable={!readOnly}
            nodesConnectable={!walking && !readOnly}
            fitView
            fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
            minZoom={0.2}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        {!readOnly && (
          <aside className="gdf-panel">
            {panel}
          </aside>
        )}
      </div>
      {!readOnly && <Typography.Text type="secondary" className="gdf-footnote">{t('workflow.footnote')}</Typography.Text>}
    </div>
  );
}

const noChange = () => undefined;
const nothingToSave = () => Promise.resolve(true);

/** The status graph to look at, not to edit (the templates page): laid out automatically, no dragging,
 * connecting, selecting or deleting, no side panel; the legend stays. */
export function WorkflowGraph({ definition }: { definition: Definition }) {
  return (
    <ReactFlowProvider>
      <WorkflowCanvas typeKey={definition.key ?? ''} definition={definition} onChange={noChange} errors={[]} warnings={[]}
        flush={nothingToSave} readOnly />
    </ReactFlowProvider>
  );
}

export default function WorkflowEditor(props: FlowEditorProps) {
  return (
    <ReactFlowProvider>
      <WorkflowCanvas {...props} />
    </ReactFlowProvider>
  );
}
