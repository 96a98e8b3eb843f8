import { ariaDescribedByIds, examplesId, getInputProps, type BaseInputTemplateProps } from '@rjsf/utils';
import { Input } from 'antd';
import type { ChangeEvent, FocusEvent } from 'react';

/**
 * rjsf's antd input, with numbers in a plain `<input type="number">` (the phone shows its number
 * pad) instead of antd's InputNumber, which would add its own library to every form page.
 */
export default function BaseInputTemplate(props: BaseInputTemplateProps) {
  const { disabled, formContext, id, onBlur, onChange, onChangeOverride, onFocus, options, placeholder, readonly, schema, value, type } = props;
  const inputProps = getInputProps(schema, type, options, false);
  const readonlyAsDisabled = (formContext as { readonlyAsDisabled?: boolean } | undefined)?.readonlyAsDisabled ?? true;
  const numeric = inputProps.type === 'number' || inputProps.type === 'integer';
  const handleChange =
    onChangeOverride ??
    (({ target }: ChangeEvent<HTMLInputElement>) => {
      if (target.value === '') onChange(options.emptyValue);
      else onChange(numeric ? Number(target.value) : target.value);
    });
  const currency = typeof options.currency === 'string' ? options.currency : undefined;
  const decimals = typeof options.decimals === 'number' ? options.decimals : undefined;
  const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]) : null;
  return (
    <>
      <Input
        disabled={disabled || (readonlyAsDisabled && readonly)}
        id={id}
        name={id}
        onBlur={!readonly ? ({ target }: FocusEvent<HTMLInputElement>) => onBlur(id, target.value) : undefined}
        onChange={!readonly ? handleChange : undefined}
        onFocus={!readonly ? ({ target }: FocusEvent<HTMLInputElement>) => onFocus(id, target.value) : undefined}
        placeholder={placeholder}
        style={{ width: '100%' }}
        list={examples ? examplesId(id) : undefined}
        {...inputProps}
        type={numeric ? 'number' : inputProps.type}
        {...(currency ? { addonBefore: currency } : {})}
        {...(numeric && decimals !== undefined ? { step: decimals > 0 ? 10 ** -decimals : 1 } : {})}
        value={value ?? ''}
        aria-describedby={ariaDescribedByIds(id, !!examples)}
      />
      {examples && (
        <datalist id={examplesId(id)}>
          {examples.map((example) => (
            <option key={String(example)} value={String(example)} />
          ))}
        </datalist>
      )}
    </>
  );
}
