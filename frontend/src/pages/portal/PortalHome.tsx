import { Empty, Input, Skeleton } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../api';
import PageHeader from '../../components/PageHeader';
import { FileAddOutlined } from '../../icons';
import type { ItemList, PortalType } from '../../types';
import { useErrorHandler } from '../../utils/errors';

interface Group {
  key: string;
  label: string;
  entries: { type: PortalType; category: string | null }[];
}

function matches(type: PortalType, words: string[]): boolean {
  const text = [type.name, type.description, type.key, ...type.categories.flatMap((c) => [c.key, c.label])].join(' ').toLowerCase();
  return words.every((word) => text.includes(word));
}

/** Choose what to report: the published ticket types as cards, grouped by category, with search. */
export default function PortalHome() {
  const { t, i18n } = useTranslation();
  const handleError = useErrorHandler();
  const [types, setTypes] = useState<PortalType[] | null>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    // Names, descriptions and category labels come in the reader's language: fetch again when it changes.
    api.get<ItemList<PortalType>>('/portal/ticket-types').then((page) => setTypes(page.items), handleError);
  }, [handleError, i18n.language]);

  const groups = useMemo<Group[]>(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const byKey = new Map<string, Group>();
    const other: Group = { key: '', label: t('portal.otherTypes'), entries: [] };
    for (const type of types ?? []) {
      if (!matches(type, words)) continue;
      if (!type.categories.length) other.entries.push({ type, category: null });
      for (const category of type.categories) {
        const group = byKey.get(category.key) ?? { key: category.key, label: category.label, entries: [] };
        group.entries.push({ type, category: category.key });
        byKey.set(category.key, group);
      }
    }
    return [...byKey.values(), ...(other.entries.length ? [other] : [])];
  }, [types, query, t]);

  return (
    <>
      <PageHeader title={t('portal.title')}>
        <p className="gd-page-intro">{t('portal.intro')}</p>
      </PageHeader>
      <Input.Search
        className="gd-portal-search"
        aria-label={t('portal.search')}
        placeholder={t('portal.searchPlaceholder')}
        allowClear
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {types === null ? (
        <Skeleton active />
      ) : groups.length === 0 ? (
        <Empty description={t('portal.noMatches')} />
      ) : (
        groups.map((group) => (
          <section key={group.key || 'other'} className="gd-portal-group" aria-labelledby={`group-${group.key || 'other'}`}>
            <h2 id={`group-${group.key || 'other'}`} className="gd-portal-group-title">
              {group.label}
            </h2>
            <div className="gd-type-cards">
              {group.entries.map(({ type, category }) => {
                const to = `/portal/new/${encodeURIComponent(type.key)}${category ? `?category=${encodeURIComponent(category)}` : ''}`;
                return (
                  <Link key={type.key} to={to} className="gd-type-card-link" aria-label={`${group.label}: ${type.name}`}>
                    <div className="gd-type-card">
                      <div className="gd-type-card-title">
                        <FileAddOutlined /> <strong>{type.name}</strong>
                      </div>
                      {type.description && <p className="gd-type-card-text">{type.description}</p>}
                    </div>
                  </Link>
                );
              })}
            </div>
          </section>
        ))
      )}
    </>
  );
}
