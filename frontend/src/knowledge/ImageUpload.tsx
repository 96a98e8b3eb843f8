import { App, Button, type GetRef, Input, Space, Typography, Upload } from 'antd';
import { type RefObject, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import i18n from '../i18n';
import { PictureOutlined } from '../icons';
import { useErrorHandler } from '../utils/errors';
import en from './i18n/images-en.json';
import zhCN from './i18n/images-zh-CN.json';
import ArticleImages from './ArticleImages';
import { insertBlock } from './insertImage';

// Compile-time parity check: both catalogs have exactly the same keys.
const zhHasEnKeys: typeof en = zhCN;
const enHasZhKeys: typeof zhCN = en;
void zhHasEnKeys;
void enHasZhKeys;
if (!i18n.exists('knowledgeImages.insert', { lng: 'en' })) {
  i18n.addResourceBundle('en', 'translation', en, true, false);
  i18n.addResourceBundle('zh-CN', 'translation', zhCN, true, false);
}

/** What the server sniffs and accepts (runtime/knowledge/images.py); SVG is refused, it can carry script. */
export const IMAGE_TYPES = 'image/png,image/jpeg,image/gif,image/webp';

interface UploadedImage {
  url: string;
  markdown: string;
}

type TextAreaRef = GetRef<typeof Input.TextArea>;

interface Props {
  /** The article the image belongs to; null while it is not saved yet (an image needs its article). */
  articleId: number | null;
  /** Saves a new article (as a draft) so that an image can belong to it: its id, or null if it could not be saved
   * (the editor says why). Without it, a new article cannot take images. */
  ensureArticle?: () => Promise<number | null>;
  /** The body's text area: the Markdown goes at its caret once it has been focused, else at the end. */
  textArea: RefObject<TextAreaRef>;
  getBody: () => string;
  setBody: (body: string) => void;
  /** the article's revision: its images are listed again after each save (which languages show them) */
  revision?: number;
}

/** "Insert image": uploads a picture for the article and puts its Markdown (`![alt](url)`) into the body. */
export default function InsertImage({ articleId, ensureArticle, textArea, getBody, setBody, revision }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const handleError = useErrorHandler();
  const [busy, setBusy] = useState(false);
  const [uploads, setUploads] = useState(0);
  const focused = useRef(false);

  useEffect(() => {
    const element = textArea.current?.resizableTextArea?.textArea;
    if (!element) return undefined;
    const mark = () => {
      focused.current = true;
    };
    element.addEventListener('focus', mark);
    return () => element.removeEventListener('focus', mark);
  }, [textArea]);

  const insert = (markdown: string) => {
    const element = textArea.current?.resizableTextArea?.textArea;
    const atCaret = focused.current && element ? element : null;
    const { text, caret } = insertBlock(getBody(), markdown, atCaret ? atCaret.selectionStart : null,
      atCaret ? atCaret.selectionEnd : null);
    setBody(text);
    window.setTimeout(() => {
      element?.focus();
      element?.setSelectionRange(caret, caret);
    });
  };

  const send = async (file: File) => {
    setBusy(true);
    try {
      const id = articleId ?? (ensureArticle ? await ensureArticle() : null);
      if (id === null) return;
      const form = new FormData();
      form.append('file', file, file.name);
      const image = await api.upload<UploadedImage>(`/knowledge/articles/${id}/images`, form);
      insert(image.markdown);
      setUploads((count) => count + 1);
      void message.success(t('knowledgeImages.inserted'));
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };

  const canInsert = articleId !== null || ensureArticle !== undefined;
  return (
    <>
      <Space wrap size={8} className="gd-kb-image-tools">
        <Upload
          accept={IMAGE_TYPES}
          showUploadList={false}
          disabled={!canInsert || busy}
          beforeUpload={(file) => {
            void send(file);
            return false; // we upload it ourselves (the API client adds the CSRF token and reads errors)
          }}
        >
          <Button icon={<PictureOutlined />} loading={busy} disabled={!canInsert} data-testid="kb-insert-image">
            {t('knowledgeImages.insert')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">
          {!canInsert ? t('knowledgeImages.saveFirst') : articleId === null ? t('knowledgeImages.savedFirst')
            : t('knowledgeImages.help')}
        </Typography.Text>
      </Space>
      {articleId !== null && (
        <ArticleImages articleId={articleId} refreshKey={`${uploads}-${revision ?? 0}`} onInsert={insert} />
      )}
    </>
  );
}
