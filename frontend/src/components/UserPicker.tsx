import { Select, Spin, type SelectProps } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { Page, User, UserRef } from '../types';

type PickerValue = number | number[] | null | undefined;

export interface UserPickerProps extends Omit<SelectProps<PickerValue>, 'options' | 'onSearch' | 'filterOption' | 'mode'> {
  multiple?: boolean;
  /** Users already referenced by the value, so their names show before any search. */
  knownUsers?: UserRef[];
  /** Only offer active users (default true). */
  activeOnly?: boolean;
  /** Where to search: the admin's user list (GET /users, default) or the person directory anyone signed in may
   * read (GET /people: active people only), e.g. for a user choosing their own delegate. */
  source?: 'users' | 'people';
}

function toRef(user: User | UserRef): UserRef {
  return { id: user.id, name: user.name, email: user.email };
}

/** Picks one or more users, searching GET /users?q= (or GET /people?q=) as the user types. */
export default function UserPicker({ multiple = false, knownUsers, activeOnly = true, source = 'users', ...rest }: UserPickerProps) {
  const { t } = useTranslation();
  const [found, setFound] = useState<UserRef[]>([]);
  const [loading, setLoading] = useState(false);
  const [seen, setSeen] = useState<Map<number, UserRef>>(() => new Map());
  const timer = useRef<number | undefined>(undefined);
  const controller = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!knownUsers?.length) return;
    setSeen((prev) => {
      const next = new Map(prev);
      for (const user of knownUsers) next.set(user.id, toRef(user));
      return next;
    });
  }, [knownUsers]);

  const search = useCallback(
    (q: string) => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(async () => {
        controller.current?.abort();
        const ctrl = new AbortController();
        controller.current = ctrl;
        setLoading(true);
        try {
          const page = await api.get<Page<User | UserRef>>(
            source === 'people' ? '/people' : '/users',
            source === 'people'
              ? { q: q.trim(), limit: 20 }
              : { q: q.trim(), limit: 20, active: activeOnly ? 'true' : undefined },
            { signal: ctrl.signal },
          );
          const refs = page.items.map(toRef);
          setFound(refs);
          setSeen((prev) => {
            const next = new Map(prev);
            for (const user of refs) next.set(user.id, user);
            return next;
          });
        } catch {
          // aborted or failed: keep the previous options
        } finally {
          if (controller.current === ctrl) setLoading(false);
        }
      }, 250);
    },
    [activeOnly, source],
  );

  useEffect(
    () => () => {
      window.clearTimeout(timer.current);
      controller.current?.abort();
    },
    [],
  );

  const options = useMemo(() => {
    const byId = new Map<number, UserRef>();
    const selected = rest.value;
    const selectedIds = Array.isArray(selected) ? selected : selected != null ? [selected] : [];
    for (const id of selectedIds) {
      const known = seen.get(id);
      byId.set(id, known ?? { id, name: `#${id}`, email: '' });
    }
    for (const user of found) byId.set(user.id, user);
    return [...byId.values()].map((user) => ({
      value: user.id,
      label: user.email ? `${user.name || user.email} <${user.email}>` : user.name,
    }));
  }, [found, seen, rest.value]);

  return (
    <Select<PickerValue>
      showSearch
      allowClear
      placeholder={t('userPicker.placeholder')}
      {...rest}
      mode={multiple ? 'multiple' : undefined}
      filterOption={false}
      onSearch={search}
      onFocus={(event) => {
        if (!found.length) search('');
        rest.onFocus?.(event);
      }}
      notFoundContent={loading ? <Spin size="small" /> : t('userPicker.noMatches')}
      options={options}
      optionFilterProp="label"
    />
  );
}
