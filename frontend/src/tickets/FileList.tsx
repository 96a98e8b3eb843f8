import { useTranslation } from 'react-i18next';
import { PaperClipOutlined } from '../icons';
import { formatBytes } from '../utils/format';

export interface ShownFile {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  download_url: string;
}

// Types every browser shows inline as an image. SVG is left out on purpose: it is a document, not a picture.
const IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export function isImage(file: { content_type: string }): boolean {
  return IMAGES.has(file.content_type);
}

/** A thumbnail that downloads the file, or a paper-clip link, with its name and size. */
export function FileEntry({ file }: { file: ShownFile }) {
  const { t } = useTranslation();
  return (
    <a href={file.download_url} className="gd-file" aria-label={t('ticket.fileLink', { name: file.filename })}>
      {isImage(file) ? (
        <img className="gd-thumb" src={file.download_url} alt={t('attachments.preview', { name: file.filename })} loading="lazy" />
      ) : (
        <PaperClipOutlined />
      )}
      <span className="gd-file-name">{file.filename}</span> <span className="gd-small">({formatBytes(file.size)})</span>
    </a>
  );
}

/** The files of an attachment field: images as thumbnails, other files by name. */
export default function FileList({ files }: { files: ShownFile[] }) {
  return (
    <ul className="gd-files">
      {files.map((file) => (
        <li key={file.id}>
          <FileEntry file={file} />
        </li>
      ))}
    </ul>
  );
}
