import { Badge, Button, Popover } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { BellOutlined } from '../icons';
import type { Notification, Page } from '../types';
import { useDateTimeFormatter } from '../utils/format';

const POLL_MS = 60_000;

/** The in-app inbox: unread count on a bell, the latest notifications in a panel. */
export default function NotificationBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const format = useDateTimeFormatter();
  const [items, setItems] = useState<Notification[]>([]);
  const [unread, setUnread] = useState(0);
  const [more, setMore] = useState(false);
  const [open, setOpen] = useState(false);
  const [marking, setMarking] = useState(false);
  // The newest notification this bell has shown: "mark all read" reads up to it, not one that arrives meanwhile.
  const newestId = useRef<number | null>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const bellRef = useRef<HTMLButtonElement>(null);

  const refresh = useCallback(async () => {
    try {
      const [latest, unreadPage] = await Promise.all([
        api.get<Page<Notification>>('/notifications', { limit: 10 }),
        api.get<Page<Notification>>('/notifications', { unread: true, limit: 99 }),
      ]);
      setItems(latest.items);
      newestId.current = Math.max(latest.items[0]?.id ?? 0, unreadPage.items[0]?.id ?? 0) || null;
      setUnread(unreadPage.items.length);
      setMore(!!unreadPage.next_cursor);
    } catch {
      // the bell stays as it was; errors surface on the pages themselves
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  const openItem = async (item: Notification) => {
    setOpen(false);
    if (!item.read_at) {
      await api.post(`/notifications/${item.id}/read`).catch(() => undefined);
      void refresh();
    }
    if (item.ticket_id) navigate(`/tickets/${item.ticket_id}`);
    else if (item.link?.startsWith('/') && !item.link.startsWith('//')) navigate(item.link); // same-site paths only
  };

  const markAllRead = async () => {
    setMarking(true);
    try {
      await api.post('/notifications/read-all', newestId.current ? { up_to_id: newestId.current } : {});
    } catch {
      // nothing changed; the unread ones stay as they were
    }
    await refresh();
    setMarking(false);
    panelRef.current?.focus(); // the button is gone; stay in the panel (Escape still closes it)
  };

  const count = more ? '99+' : String(unread);
  const label = unread ? t('bell.labelUnread', { count: more ? 99 : unread }) : t('bell.label');

  // Plain markup: the bell is on every page, so it stays out of antd's heavier list components.
  const panel = (
    <div
      className="gd-bell-panel"
      ref={panelRef}
      tabIndex={-1}
      onKeyDown={(event) => {
        // Keyboard users: Escape closes the panel and returns to the bell.
        if (event.key === 'Escape') {
          setOpen(false);
          bellRef.current?.focus();
        }
      }}
    >
      {items.length === 0 ? (
        <p className="gd-bell-empty">{t('bell.empty')}</p>
      ) : (
        <ul className="gd-bell-list">
          {items.map((item) => (
            <li key={item.id} className={item.read_at ? 'gd-bell-item' : 'gd-bell-item gd-bell-unread'}>
              <button type="button" className="gd-bell-button" onClick={() => void openItem(item)}>
                <span className="gd-bell-message">{item.message}</span>
                <span className="gd-small gd-secondary">
                  {format(item.created_at)}
                  {!item.read_at && ` · ${t('bell.unread')}`}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <Popover
      content={panel}
      title={
        <div className="gd-bell-head">
          <span>{t('bell.title')}</span>
          {unread > 0 && (
            <Button type="link" size="small" loading={marking} onClick={() => void markAllRead()}>
              {t('bell.markAllRead')}
            </Button>
          )}
        </div>
      }
      trigger="click"
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) void refresh();
      }}
      placement="bottomRight"
      // On a phone the bell is not at the screen's edge: shift the panel sideways to keep it on screen.
      align={{ overflow: { shiftX: true, adjustY: true } }}
      afterOpenChange={(visible) => {
        // Move focus into the panel, which antd renders at the end of the page.
        if (visible) (panelRef.current?.querySelector('button') ?? panelRef.current)?.focus();
      }}
    >
      <Button ref={bellRef} type="text" className="gd-header-button" aria-label={label} aria-haspopup="dialog" aria-expanded={open}>
        <Badge count={unread ? count : 0} size="small" offset={[2, -2]}>
          <BellOutlined style={{ fontSize: 18, color: '#fff' }} />
        </Badge>
      </Button>
    </Popover>
  );
}
