import { Alert, Button, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import PageHeader from '../../components/PageHeader';
import { PlusOutlined } from '../../icons';
import { useIsDesktop } from '../../layout/useMediaQuery';
import WaitingSurveys from '../../surveys/WaitingSurveys';
import TicketTable from '../../tickets/TicketTable';
import { useTicketPages } from '../../tickets/useTicketPages';
import { useStateNames } from '../../tickets/useStateNames';
import { describeApiError } from '../../utils/errors';

type Show = 'all' | 'new' | 'open' | 'pending' | 'resolved' | 'closed';
const SHOW: Show[] = ['all', 'new', 'open', 'pending', 'resolved', 'closed'];

/** The requester's own tickets: status, priority, SLA due, last update. */
export default function MyTicketsPage() {
  const { t } = useTranslation();
  const isDesktop = useIsDesktop();
  const [show, setShow] = useState<Show>('all');
  const [sort, setSort] = useState('-updated_at');
  const pages = useTicketPages({ requester: 'me', sort, status_category: show === 'all' ? undefined : show });
  const visible = pages.items;
  const stateName = useStateNames(pages.items);

  return (
    <>
      <PageHeader
        title={t('myTickets.title')}
        extra={
          <Link to="/portal">
            <Button type="primary" icon={<PlusOutlined />}>
              {t('myTickets.new')}
            </Button>
          </Link>
        }
      />
      <WaitingSurveys />
      <div className="gd-toolbar">
        <Segmented<Show>
          aria-label={t('myTickets.show')}
          value={show}
          onChange={setShow}
          options={SHOW.map((value) => ({ value, label: t(`myTickets.category.${value}`) }))}
        />
      </div>
      {pages.error && <Alert type="error" showIcon message={describeApiError(pages.error, t)} />}
      <TicketTable
        items={visible}
        loading={pages.loading}
        sort={sort}
        onSort={setSort}
        compact={!isDesktop}
        stateNames={stateName}
        pageIndex={pages.pageIndex}
        hasNext={pages.hasNext}
        onNext={pages.next}
        onPrevious={pages.previous}
        caption={t('myTickets.title')}
      />
    </>
  );
}
