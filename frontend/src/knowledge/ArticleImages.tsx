import { App, Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { useErrorHandler } from '../utils/errors';
import { formatBytes } from '../utils/format';
import { LANGUAGE_NAMES } from './editorForm';
import './upkeepI18n';

export interface ListedImage {
  id: string;
  url: string;
  markdown: string;
  content_type: string;
  size: number;
  filename: string;
  created_at: string;
  /** the languages whose saved text shows it */
  shown_in: string[];
}

interface Props {
  articleId: number;
  /** changes when an image was uploaded or the article saved: the list is read again */
  refreshKey?: unknown;
  onInsert: (markdown: string) => void;
}

/** The images uploaded for an article (GET .../images): insert one again, or delete one the text no longer shows
 * (the server refuses while the saved text shows it, and says so). */
export default function ArticleImages({ articleId, refreshKey, onInsert }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [images, setImages] = useState<ListedImage[]>([]);

  const load = useCallback(() => {
    api
      .get<{ items: ListedImage[] }>(`/knowledge/articles/${articleId}/images`)
      .then((found) => setImages(found.items))
      .catch(() => setImages([]));
  }, [articleId]);

  useEffect(load, [load, refreshKey]);

  const remove = async (image: ListedImage) => {
    try {
      await api.delete(`/knowledge/articles/${articleId}/images/${image.id}`);
      void message.success(t('knowledgeUpkeep.deleted'));
    } catch (error) {
      handleError(error);
    }
    load();
  };

  if (images.length === 0) return null;
  return (
    <section className="gd-kb-images" aria-label={t('knowledgeUpkeep.images', { count: images.length })} data-testid="kb-images">
      <Typography.Text strong>{t('knowledgeUpkeep.images', { count: images.length })}</Typography.Text>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('knowledgeUpkeep.imagesHelp')}
      </Typography.Paragraph>
      <ul className="gd-kb-image-list">
        {images.map((image) => {
          const shown = image.shown_in.length > 0;
          return (
            <li key={image.id} className="gd-kb-image-item" data-testid="kb-image">
              <img src={image.url} alt="" className="gd-kb-image-thumb" loading="lazy" />
              <div className="gd-kb-image-facts">
                <Typography.Text ellipsis={{ tooltip: image.filename }}>{image.filename}</Typography.Text>
                <Space size={4} wrap>
                  <Typography.Text type="secondary">{formatBytes(image.size)}</Typography.Text>
                  {shown ? (
                    <Tag color="green">
                      {t('knowledgeUpkeep.shownIn', {
                        languages: image.shown_in.map((locale) => LANGUAGE_NAMES[locale as keyof typeof LANGUAGE_NAMES] ?? locale).join(', '),
                      })}
                    </Tag>
                  ) : (
                    <Tag>{t('knowledgeUpkeep.notShown')}</Tag>
                  )}
                </Space>
              </div>
              <Space size={4} wrap className="gd-kb-image-actions">
                <Button size="small" onClick={() => onInsert(image.markdown)}>
                  {t('knowledgeUpkeep.insert')}
                </Button>
                {shown ? (
                  <Tooltip title={t('knowledgeUpkeep.deleteShown')}>
                    <Button size="small" danger disabled>
                      {t('knowledgeUpkeep.delete')}
                    </Button>
                  </Tooltip>
                ) : (
                  <Popconfirm title={t('knowledgeUpkeep.deleteConfirm')} onConfirm={() => remove(image)}
                    okText={t('knowledgeUpkeep.delete')} okButtonProps={{ danger: true }}>
                    <Button size="small" danger>
                      {t('knowledgeUpkeep.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
