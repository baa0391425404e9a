import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { Button } from './button';
import { IconX } from './icons';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  open: boolean;
  title: string;
  /** Esc, the close button and a click outside call this (unless busy) */
  onClose: () => void;
  children?: ComponentChildren;
  footer?: ComponentChildren;
  size?: 'sm' | 'md' | 'lg';
  /** while true the dialog cannot be dismissed (a request is running) */
  busy?: boolean;
  /** role="alertdialog" for confirmations */
  alert?: boolean;
}

/**
 * A modal dialog on the native <dialog> element: the page behind is inert,
 * focus moves in on open (to [data-autofocus] or the first control), Tab
 * cycles inside, Esc closes, and focus returns to where it was.
 */
export function Dialog({ open, title, onClose, children, footer, size = 'md', busy, alert }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const titleId = `dlg${useId()}`;
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      if (typeof el.showModal === 'function') el.showModal();
      else el.setAttribute('open', '');
      const first = el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>(`.dialog__body ${FOCUSABLE.split(', ').join(', .dialog__body ')}`) ?? el.querySelector<HTMLElement>(FOCUSABLE);
      first?.focus();
    } else if (!open && el.open) {
      if (typeof el.close === 'function') el.close();
      else el.removeAttribute('open');
      returnTo.current?.focus();
    }
  }, [open]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onCancel = (e: Event) => {
      e.preventDefault();
      if (!busyRef.current) closeRef.current();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const items = Array.from(el.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((n) => n.offsetParent !== null || n === document.activeElement);
      if (items.length === 0) return;
      const first = items[0]!;
      const last = items[items.length - 1]!;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (e.target === el && !busyRef.current) closeRef.current();
    };
    el.addEventListener('cancel', onCancel);
    el.addEventListener('keydown', onKey);
    el.addEventListener('click', onClick);
    return () => {
      el.removeEventListener('cancel', onCancel);
      el.removeEventListener('keydown', onKey);
      el.removeEventListener('click', onClick);
    };
  }, []);

  return (
    <dialog ref={ref} class={`dialog dialog--${size}`} aria-labelledby={titleId} aria-modal="true" role={alert ? 'alertdialog' : 'dialog'}>
      {open ? (
        <div class="dialog__panel">
          <header class="dialog__header">
            <h2 class="dialog__title" id={titleId}>
              {title}
            </h2>
            <Button variant="ghost" size="sm" iconOnly icon={<IconX size={18} />} aria-label="Close" onClick={onClose} disabled={busy} />
          </header>
          <div class="dialog__body">{children}</div>
          {footer ? <footer class="dialog__footer">{footer}</footer> : null}
        </div>
      ) : null}
    </dialog>
  );
}

interface ConfirmProps {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  /** red confirm button for what cannot be taken back lightly */
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** "Are you sure?" with the consequence spelled out and the safe choice focused. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, busy, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      busy={busy}
      size="sm"
      alert
      footer={
        <>
          <Button onClick={onCancel} disabled={busy} data-autofocus>
            Cancel
          </Button>
          <Button variant={danger ? 'danger' : 'primary'} loading={busy} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div class="confirm__text">{children}</div>
    </Dialog>
  );
}
