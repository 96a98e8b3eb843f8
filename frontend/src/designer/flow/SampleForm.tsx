// Sample data for the test boxes: a value per form field (a drop-down for fixed values) and the
// requester's tags; "Try it" runs the server's simulation of the draft on them.
import { useFlowT } from './useFlowT';
import { Alert, Button, Form, Input, Select } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api';
import { useErrorHandler } from '../../utils/errors';
import type { FlowEditorProps } from './editorProps';
import { flowApi, type Simulation } from './flowApi';
import { fieldValues, formFields } from './pickers';
import { sampleData } from './walk';

interface Props extends Pick<FlowEditorProps, 'typeKey' | 'definition' | 'flush'> {
  /** Only these fields (e.g. the matrix's); default all. */
  only?: string[];
  idPrefix: string;
  onResult: (result: Simulation | null) => void;
}

export default function SampleForm({ typeKey, definition, flush, only, idPrefix, onResult }: Props) {
  const { t } = useFlowT();
  const handleError = useErrorHandler();
  const [values, setValues] = useState<Record<string, string | undefined>>({});
  const [tags, setTags] = useState<string[]>([]);
  const [running, setRunning] = useState(false);
  const [problem, setProblem] = useState<string[] | null>(null);

  const run = async () => {
    setRunning(true);
    setProblem(null);
    try {
      if (!(await flush())) return;
      const result = await flowApi.simulate(typeKey, sampleData(definition, values), { requester: { tags, roles: ['requester'] } });
      onResult(result);
    } catch (error) {
      onResult(null);
      // A draft with errors cannot be simulated: say so with the errors, here where the designer looks.
      if (error instanceof ApiError && error.code === 'definition_invalid') setProblem([error.message, ...error.details.slice(0, 5).map((d) => `${d.path}: ${d.message}`)]);
      else handleError(error);
    } finally {
      setRunning(false);
    }
  };

  const fields = formFields(definition).filter(([name]) => !only || only.includes(name));
  return (
    <Form layout="vertical" size="small" onFinish={() => void run()}>
      {fields.map(([name, schema]) => {
        const choices = fieldValues(schema);
        const id = `${idPrefix}-${name}`;
        return (
          <Form.Item key={name} label={typeof schema.title === 'string' ? schema.title : name} htmlFor={id} style={{ marginBottom: 8 }}>
            {choices ? (
              <Select id={id} allowClear value={values[name]} options={choices} onChange={(v?: string) => setValues({ ...values, [name]: v })} />
            ) : (
              <Input id={id} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            )}
          </Form.Item>
        );
      })}
      <Form.Item label={t('walk.tags')} htmlFor={`${idPrefix}-tags`} style={{ marginBottom: 8 }}>
        <Select id={`${idPrefix}-tags`} mode="tags" value={tags} onChange={setTags} options={[{ value: 'vip', label: 'vip' }]} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={running}>{t('test.run')}</Button>
      {problem && <Alert style={{ marginTop: 8 }} type="error" showIcon message={problem[0]}
        description={<ul>{problem.slice(1).map((p) => <li key={p}>{p}</li>)}</ul>} />}
    </Form>
  );
}
