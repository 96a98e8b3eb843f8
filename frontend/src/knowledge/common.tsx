import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import './categories'; // the category texts (filterByTag)
import './upkeepI18n'; // the review-due badge
import type { Article } from './types';

// HTML from the server is safe to insert: article bodies are rendered from Markdown and sanitised with nh3 on
// the server (runtime/knowledge/render.py); titles and snippets there are escaped text with <mark> only.
export function ServerHtml({ html, className, as = 'div' }: { html: string; className?: string; as?: 'div' | 'span' | 'p' }) {
  const Element = as;
  return <Element className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Status, visibility, a review that is due (staff) and tags; with ``tagHref`` each tag is a link (to the articles with that tag). */
export function Badges({ article, tagHref }: { article: Article; tagHref?: (tag: string) => string }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {article.status === 'draft' && <Tag color="orange">{t('knowledge.draft')}</Tag>}
      {article.visibility === 'staff' && <Tag color="purple">{t('knowledge.staffOnly')}</Tag>}
      {article.visibility === 'teams' && <Tag color="blue">{t('knowledge.teamsOnly')}</Tag>}
      {article.review_due && <Tag color="gold">{t('knowledgeUpkeep.reviewDue')}</Tag>}
      {article.tags.map((tag) =>
        tagHref ? (
          <Tag key={tag} className="gd-kb-tag">
            <Link to={tagHref(tag)} className="gd-kb-tag-link" title={t('knowledgeCategories.filterByTag', { tag })}>
              {tag}
            </Link>
          </Tag>
        ) : (
          <Tag key={tag}>{tag}</Tag>
        ),
      )}
    </Space>
  );
}
