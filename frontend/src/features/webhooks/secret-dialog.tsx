import { useState } from 'preact/hooks';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { IconCheck, IconCopy } from '../../components/ui/icons';

interface SecretDialogProps {
  secret: string | null;
  title: string;
  /** after a rotation: until when the old secret still signs */
  previousUntil?: string | null | undefined;
  onClose: () => void;
}

/** The signing secret, shown this once, with a copy button. */
export function SecretDialog({ secret, title, previousUntil, onClose }: SecretDialogProps) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      (document.getElementById('webhook-secret') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <Dialog
      open={secret !== null}
      title={title}
      onClose={onClose}
      size="md"
      footer={
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      <p>Receivers verify each delivery's signature with this secret (README, “Webhooks”).</p>
      <div class="secret-box">
        <input id="webhook-secret" class="input secret-box__value" readOnly value={secret ?? ''} aria-label="Signing secret" onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
        <Button icon={copied ? <IconCheck size={16} /> : <IconCopy size={16} />} onClick={copy} data-autofocus>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <Alert tone="warning" title="Copy it now">
        It is not shown again: clientd keeps it sealed.
        {previousUntil ? ` The previous secret signs too until ${new Date(previousUntil).toLocaleString()}.` : ''}
      </Alert>
    </Dialog>
  );
}
