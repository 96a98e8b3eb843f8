// The priority editor: levels and default, the urgency x impact matrix as a grid of drop-downs,
// overrides with the rule editor, and a test box that shows which cell or override decided.
import { useFlowT } from './useFlowT';
import { Alert, Button, Card, Form, InputNumber, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { FlowEditorProps } from './editorProps';
import { problemsUnder } from './editorProps';
import type { Simulation } from './flowApi';
import { DeleteOutlined, PlusOutlined } from './icons';
import { fieldLabel, levelsOf, ruleFields } from './pickers';
import { cellKey, combinations, decisionLines, matrixAxes, matrixCandidates, setCell } from './priority';
import { RuleEditor } from './RuleEditor';
import SampleForm from './SampleForm';
import type { Priority, PriorityOverride } from './types';

type Effect = 'set' | 'raise_by' | 'lower_by';

export default function PriorityEditor(props: FlowEditorProps) {
  const { definition, onChange, errors } = props;
  const { t } = useFlowT();
  const [result, setResult] = useState<Simulation | null>(null);
  const priority: Priority = definition.priority ?? {};
  const levels = levelsOf(definition);
  const patch = (next: Partial<Priority>) => onChange({ ...definition, priority: { ...priority, ...next } });
  const matrix = priority.matrix ?? { by: [], cells: {} };
  const axes = matrixAxes(definition);
  const titles = Object.fromEntries(matrix.by.map((f) => [f, fieldLabel(definition, f)]));
  const structured = result?.priority.decision;
  const decision = structured ? decisionLines(structured, titles, t('priority.fallback')) : null;
  const decidedCell = structured?.base.by === 'matrix' ? structured.base.cell : null;
  const matchedOverrides = structured?.overrides.filter((o) => o.matched).map((o) => o.index) ?? [];
  const levelOptions = [{ value: '', label: t('priority.notSet') }, ...levels.map((l) => ({ value: l, label: l }))];
  const cellSelect = (key: string, label: string) => (
    <Select aria-label={label} size="small" style={{ width: 96 }} value={matrix.cells[key] ?? ''} options={levelOptions}
      onChange={(level: string) => patch({ matrix: { ...matrix, cells: setCell(matrix.cells, key, level || undefined) } })} />
  );
  const overrides = priority.overrides ?? [];
  const setOverride = (i: number, o: PriorityOverride) => patch({ overrides: overrides.map((x, j) => (j === i ? o : x)) });
  const effectOf = (o: PriorityOverride): Effect => (o.set ? 'set' : o.lower_by ? 'lower_by' : 'raise_by');

  return (
    <div className="gdf-two">
      <div>
        {problemsUnder(errors, '/priority').map((p) => <Alert key={p.path + p.message} type="error" showIcon message={p.message} style={{ marginBottom: 8 }} />)}
        <Card size="small" title={t('priority.levelsTitle')} style={{ marginBottom: 12 }}>
          <Form layout="inline" size="small">
            <Form.Item label={t('priority.levels')} htmlFor="gdf-levels">
              <Select id="gdf-levels" mode="tags" style={{ minWidth: 240 }} value={levels}
                onChange={(next: string[]) => patch({ levels: next.length ? next : undefined })} />
            </Form.Item>
            <Form.Item label={t('priority.default')} htmlFor="gdf-default">
              <Select id="gdf-default" style={{ width: 100 }} value={priority.default ?? levels[levels.length - 1]}
                options={levels.map((l) => ({ value: l, label: l }))} onChange={(d: string) => patch({ default: d })} />
            </Form.Item>
          </Form>
        </Card>
        <Card size="small" title={t('priority.matrixTitle')} style={{ marginBottom: 12 }}>
          <Form layout="vertical" size="small">
            <Form.Item label={t('priority.by')} htmlFor="gdf-by" help={t('priority.byHelp')}>
              <Select id="gdf-by" mode="multiple" maxCount={3} value={matrix.by} options={matrixCandidates(definition)}
                onChange={(by: string[]) => patch({ matrix: by.length ? { by, cells: by.length === matrix.by.length ? matrix.cells : {} } : undefined })} />
            </Form.Item>
          </Form>
          {axes.length === 2 ? (
            <div className="gdf-scroll">
              <table className="gdf-matrix" aria-label={t('priority.matrixTitle')}>
                <thead>
                  <tr>
                    <th scope="col">{axes[0].title} \ {axes[1].title}</th>
                    {axes[1].values.map((v) => <th key={v} scope="col">{v === '*' ? t('priority.any') : v}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {axes[0].values.map((row) => (
                    <tr key={row}>
                      <th scope="row">{row === '*' ? t('priority.any') : row}</th>
                      {axes[1].values.map((col) => {
                        const key = cellKey([row, col]);
                        return (
                          <td key={col} className={decidedCell === key ? 'is-decided' : undefined} data-cell={key}>
                            {cellSelect(key, t('priority.cellLabel', { cell: `${axes[0].title} ${row}, ${axes[1].title} ${col}` }))}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : axes.length ? (
            <table className="gdf-matrix" aria-label={t('priority.matrixTitle')}>
              <tbody>
                {combinations(axes).map((parts) => {
                  const key = cellKey(parts);
                  return (
                    <tr key={key}>
                      <th scope="row">{parts.map((p, i) => `${axes[i].title} ${p === '*' ? t('priority.any') : p}`).join(', ')}</th>
                      <td className={decidedCell === key ? 'is-decided' : undefined} data-cell={key}>{cellSelect(key, key)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <Typography.Text type="secondary">{t('priority.noMatrix')}</Typography.Text>
          )}
          {axes.length > 0 && (
            <Space style={{ marginTop: 8 }}>
              <span>{t('priority.fallback')}</span>
              <span data-cell="*" className={decidedCell === '*' ? 'is-decided' : undefined}>{cellSelect('*', t('priority.fallback'))}</span>
            </Space>
          )}
        </Card>
        <Card size="small" title={t('priority.overridesTitle')}>
          <Typography.Paragraph type="secondary">{t('priority.overridesHelp')}</Typography.Paragraph>
          {overrides.map((o, i) => (
            <Card key={i} size="small" className={`gdf-rule-card ${matchedOverrides.includes(i) ? 'is-matched' : ''}`}
              title={t('priority.override', { n: i + 1 })}
              extra={<Button type="text" danger icon={<DeleteOutlined />} aria-label={t('priority.removeOverride', { n: i + 1 })}
                onClick={() => patch({ overrides: overrides.filter((_, j) => j !== i) })} />}>
              <Form layout="vertical" size="small">
                <Form.Item label={t('priority.when')}>
                  <RuleEditor aria-label={t('priority.whenLabel', { n: i + 1 })} value={o.when} allowTicketContext fields={ruleFields(definition)}
                    onChange={(when) => setOverride(i, { ...o, when })} />
                </Form.Item>
                <Space wrap>
                  <Select aria-label={t('priority.effect', { n: i + 1 })} value={effectOf(o)} style={{ width: 180 }}
                    options={(['raise_by', 'lower_by', 'set'] as Effect[]).map((e) => ({ value: e, label: t(`priority.effects.${e}`) }))}
                    onChange={(e: Effect) => setOverride(i, e === 'set' ? { when: o.when, set: levels[0] } : { when: o.when, [e]: 1 })} />
                  {effectOf(o) === 'set' ? (
                    <Select aria-label={t('priority.setLevel', { n: i + 1 })} value={o.set} style={{ width: 100 }}
                      options={levels.map((l) => ({ value: l, label: l }))} onChange={(set: string) => setOverride(i, { when: o.when, set })} />
                  ) : (
                    <InputNumber aria-label={t('priority.steps', { n: i + 1 })} min={1} max={9} value={o.raise_by ?? o.lower_by}
                      onChange={(n) => setOverride(i, { when: o.when, [effectOf(o)]: Number(n ?? 1) })} />
                  )}
                </Space>
              </Form>
            </Card>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => patch({ overrides: [...overrides, { when: { in: ['vip', { var: 'ticket.requester.tags' }] }, raise_by: 1 }] })}>
            {t('priority.addOverride')}
          </Button>
        </Card>
      </div>
      <Card size="small" title={t('test.title')} className="gdf-testbox">
        <SampleForm {...props} idPrefix="gdf-ptest" only={matrix.by.length ? matrix.by : undefined} onResult={setResult} />
        {result && decision && (
          <div style={{ marginTop: 12 }} aria-live="polite" className="gdf-test-result">
            <Typography.Title level={3} style={{ fontSize: 16 }}>{t('priority.result', { level: result.priority.level })}</Typography.Title>
            <ul className="gdf-priority-decision">
              {decision.map((line, i) => (
                <li key={i} data-decisive={line.decisive || undefined}>
                  {line.decisive ? <Typography.Text strong>{t(`priority.${line.key}`, line.params)} {t('priority.decisive')}</Typography.Text> : t(`priority.${line.key}`, line.params)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Card>
    </div>
  );
}
