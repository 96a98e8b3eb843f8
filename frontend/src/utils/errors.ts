import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldFromPath } from '../api';

/**
 * Returns a function that reports an error: the API message in an antd
 * message, and validation details on the matching form fields
 * ("/email" -> field "email", "/member_ids/0" -> field "member_ids").
 * Details with no matching field are added to the message.
 * `fieldMap` renames API fields to form fields where they differ.
 */
export function useErrorHandler() {
  const { message } = App.useApp();
  const { t } = useTranslation();

  return useCallback(
    (error: unknown, form?: FormInstance, fieldMap: Record<string, string> = {}) => {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (!(error instanceof ApiError)) {
        console.error(error);
        void message.error(t('errors.unexpected'));
        return;
      }
      const text = describeApiError(error, t);
      const unplaced: string[] = [];
      if (form && error.details.length) {
        const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
        const byField = new Map<string, string[]>();
        for (const detail of error.details) {
          const apiField = fieldFromPath(detail.path);
          const field = apiField ? (fieldMap[apiField] ?? apiField) : null;
          if (field && known.has(field)) {
            byField.set(field, [...(byField.get(field) ?? []), detail.message]);
          } else {
            unplaced.push(apiField ? `${apiField}: ${detail.message}` : detail.message);
          }
        }
        if (byField.size) {
          form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
          const first = byField.keys().next().value;
          if (first) form.scrollToField(first, { block: 'center' });
        }
      } else {
        for (const detail of error.details) {
          const apiField = fieldFromPath(detail.path);
          unplaced.push(apiField ? `${apiField}: ${detail.message}` : detail.message);
        }
      }
      void message.error(unplaced.length ? `${text} ${unplaced.join('; ')}` : text, 6);
    },
    [message, t],
  );
}

type TFunc = ReturnType<typeof useTranslation<'translation'>>['t'];

export function describeApiError(error: ApiError, t: TFunc): string {
  if (error.status === 429 || error.code === 'rate_limited') {
    if (error.retryAfter !== null) return String(t('errors.rateLimitedRetry', { count: error.retryAfter }));
    return error.message || t('errors.rateLimited');
  }
  return error.message;
}
