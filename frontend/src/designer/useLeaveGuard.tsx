import { App } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';

export interface LeaveGuardOptions {
  /** A path prefix that is not "leaving" (the other tabs of the same designer). */
  inside?: string;
  /** Called when the user chooses to leave without saving. */
  onDiscard?: () => void;
}

/**
 * Asks before leaving with unsaved changes: the browser's own prompt on reload or close, and a
 * dialog for links inside the app (save and leave, leave without saving, or stay).
 */
export function useLeaveGuard(unsaved: boolean, save: () => Promise<boolean>, options: LeaveGuardOptions = {}) {
  const { modal } = App.useApp();
  const { t } = useTranslation('designer');
  const navigate = useNavigate();
  const state = useRef({ unsaved, save, options });
  state.current = { unsaved, save, options };

  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (!state.current.unsaved) return;
      event.preventDefault();
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      if (!state.current.unsaved || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      const anchor = (event.target as HTMLElement | null)?.closest('a[href]') as HTMLAnchorElement | null;
      if (!anchor || anchor.target === '_blank' || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin || (url.pathname === window.location.pathname && url.search === window.location.search)) return;
      const inside = state.current.options.inside;
      if (inside && (url.pathname === inside || url.pathname.startsWith(`${inside}/`))) return;
      event.preventDefault();
      event.stopPropagation();
      const to = `${url.pathname}${url.search}${url.hash}`;
      const dialog = modal.confirm({
        title: t('leave.title'),
        content: t('leave.text'),
        okText: t('leave.saveAndLeave'),
        cancelText: t('leave.stay'),
        footer: (_, { OkBtn, CancelBtn }) => (
          <>
            <CancelBtn />
            <button
              type="button"
              className="ant-btn ant-btn-default ant-btn-dangerous"
              onClick={() => {
                dialog.destroy();
                state.current.unsaved = false;
                state.current.options.onDiscard?.();
                navigate(to);
              }}
            >
              <span>{t('leave.discard')}</span>
            </button>
            <OkBtn />
          </>
        ),
        onOk: async () => {
          if (await state.current.save()) navigate(to);
        },
      });
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [modal, navigate, t]);
}
