import { Button } from './button';
import { IconAlert, IconCheckCircle, IconInfo, IconX } from './icons';

export interface ToastView {
  id: number;
  tone: 'success' | 'error' | 'info';
  title: string;
  message?: string | undefined;
  action?: { label: string; run: () => void } | undefined;
}

interface ToasterProps {
  toasts: ToastView[];
  onDismiss: (id: number) => void;
}

/** The stack of toasts, announced politely (errors assertively). */
export function Toaster({ toasts, onDismiss }: ToasterProps) {
  return (
    <div class="toaster">
      <div class="toaster__region" role="status" aria-live="polite">
        {toasts.filter((t) => t.tone !== 'error').map((t) => (
          <Toast key={t.id} t={t} onDismiss={onDismiss} />
        ))}
      </div>
      <div class="toaster__region" role="alert" aria-live="assertive">
        {toasts.filter((t) => t.tone === 'error').map((t) => (
          <Toast key={t.id} t={t} onDismiss={onDismiss} />
        ))}
      </div>
    </div>
  );
}

function Toast({ t, onDismiss }: { t: ToastView; onDismiss: (id: number) => void }) {
  const Icon = t.tone === 'success' ? IconCheckCircle : t.tone === 'error' ? IconAlert : IconInfo;
  return (
    <div class={`toast toast--${t.tone}`}>
      <Icon size={18} class="toast__icon" />
      <div class="toast__body">
        <p class="toast__title">{t.title}</p>
        {t.message ? <p class="toast__message">{t.message}</p> : null}
      </div>
      {t.action ? (
        <button
          type="button"
          class="toast__action"
          onClick={() => {
            t.action!.run();
            onDismiss(t.id);
          }}
        >
          {t.action.label}
        </button>
      ) : null}
      <Button variant="ghost" size="sm" iconOnly icon={<IconX size={16} />} aria-label="Dismiss" class="toast__close" onClick={() => onDismiss(t.id)} />
    </div>
  );
}
