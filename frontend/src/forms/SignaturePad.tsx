import { Button, Space } from 'antd';
import SignaturePadLib from 'signature_pad';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A drawing pad (signature_pad: pointer, touch and pen) that gives the signature as a PNG. */
export default function SignaturePad({ onSave, onCancel, busy }: { onSave: (png: Blob) => void; onCancel: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const pad = useRef<SignaturePadLib | null>(null);
  const [empty, setEmpty] = useState(true);
  useEffect(() => {
    const el = canvas.current!;
    const ratio = Math.max(window.devicePixelRatio || 1, 1);
    el.width = el.offsetWidth * ratio;
    el.height = el.offsetHeight * ratio;
    el.getContext('2d')!.scale(ratio, ratio);
    const instance = new SignaturePadLib(el, { backgroundColor: 'rgb(255,255,255)' });
    instance.addEventListener('endStroke', () => setEmpty(instance.isEmpty()));
    pad.current = instance;
    return () => instance.off();
  }, []);
  return (
    <div className="gd-signature-pad">
      <canvas ref={canvas} aria-label={t('signature.pad')} role="img" />
      <Space wrap>
        <Button
          type="primary"
          disabled={empty}
          loading={busy}
          onClick={() => canvas.current?.toBlob((blob) => blob && onSave(blob), 'image/png')}
        >
          {t('signature.done')}
        </Button>
        <Button onClick={() => { pad.current?.clear(); setEmpty(true); }}>{t('signature.again')}</Button>
        <Button onClick={onCancel}>{t('signature.cancel')}</Button>
      </Space>
    </div>
  );
}
