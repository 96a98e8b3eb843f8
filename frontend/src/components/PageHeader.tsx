import type { ReactNode } from 'react';
import { usePageTitle } from '../utils/usePageTitle';

/** Page title (an h1, also the document title) with optional actions on the right. */
export default function PageHeader({ title, extra, children }: { title: string; extra?: ReactNode; children?: ReactNode }) {
  usePageTitle(title);
  return (
    <div className="gd-page-header">
      <div>
        <h1 className="gd-page-title">{title}</h1>
        {children}
      </div>
      {extra && <div>{extra}</div>}
    </div>
  );
}
