import { Button } from 'antd';
import { useTranslation } from 'react-i18next';

export default function LoadMore({ visible, loading, onClick }: { visible: boolean; loading: boolean; onClick: () => void }) {
  const { t } = useTranslation();
  if (!visible) return null;
  return (
    <div className="gd-load-more">
      <Button onClick={onClick} loading={loading}>
        {t('common.loadMore')}
      </Button>
    </div>
  );
}
