import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Article } from './types';

// HTML from the server is safe to insert: article bodies are rendered from Markdown and sanitised with nh3 on
// the server (runtime/knowledge/render.py); titles and snippets there are escaped text with <mark> only.
export function ServerHtml({ html, className, as = 'div' }: { html: string; className?: string; as?: 'div' | 'span' | 'p' }) {
  const Element = as;
  return <Element className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function Badges({ article }: { article: Article }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {article.status === 'draft' && <Tag color="orange">{t('knowledge.draft')}</Tag>}
      {article.visibility === 'staff' && <Tag color="purple">{t('knowledge.staffOnly')}</Tag>}
      {article.visibility === 'teams' && <Tag color="blue">{t('knowledge.teamsOnly')}</Tag>}
      {article.tags.map((tag) => (
        <Tag key={tag}>{tag}</Tag>
      ))}
    </Space>
  );
}
