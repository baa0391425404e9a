// The Documents tab of a client or a group (issue 14): several files at
// once (drag and drop, or the file picker: on a phone, the camera or the
// files app), each with its own progress bar and Cancel; the list with
// type, size, uploader, date and whether the client sees it; a preview of
// images and PDFs in a sandboxed frame; download, rename, delete.
import './documents.css';
import { useRef, useState } from 'preact/hooks';
import { isAbort } from '../../api/client';
import { deleteDocument, documentHref, listDocuments, updateDocument, uploadDocument, type DocumentOwner } from '../../api/documents';
import type { DocumentInfo } from '../../api/types';
import { Button, ButtonLink } from '../../components/ui/button';
import { ConfirmDialog, Dialog } from '../../components/ui/dialog';
import { EmptyState } from '../../components/ui/empty-state';
import { Field } from '../../components/ui/field';
import { IconDownload, IconEdit, IconFileText, IconTrash, IconUpload, IconX } from '../../components/ui/icons';
import { TextInput } from '../../components/ui/input';
import { LoadingBlock } from '../../components/ui/spinner';
import { Switch } from '../../components/ui/switch';
import { describeError } from '../../lib/errors';
import { fileKind, formatDate, formatFileSize, previewable } from '../../lib/format';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';

interface Props {
  owner: DocumentOwner;
  ownerId: string;
  /** may upload, rename, delete and show documents to the client */
  canEdit: boolean;
  /** something changed (the client's counts) */
  onChanged?: () => void;
}

interface Sending {
  key: number;
  name: string;
  sent: number;
  total: number;
  error: string | null;
  ac: AbortController;
}

let nextKey = 1;

export function DocumentsTab({ owner, ownerId, canEdit, onChanged }: Props) {
  const list = useResource(`documents:${owner}:${ownerId}`, (signal) => listDocuments(owner, ownerId, signal));
  const input = useRef<HTMLInputElement>(null);
  const [sending, setSending] = useState<Sending[]>([]);
  const [over, setOver] = useState(false);
  const [showNew, setShowNew] = useState(false);
  const [preview, setPreview] = useState<DocumentInfo | null>(null);
  const [renaming, setRenaming] = useState<DocumentInfo | null>(null);
  const [deleting, setDeleting] = useState<DocumentInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const changed = () => {
    list.reload();
    onChanged?.();
  };

  const patch = (key: number, p: Partial<Sending>) => setSending((all) => all.map((s) => (s.key === key ? { ...s, ...p } : s)));
  const drop = (key: number) => setSending((all) => all.filter((s) => s.key !== key));

  const send = async (file: File) => {
    const s: Sending = { key: nextKey++, name: file.name, sent: 0, total: file.size, error: null, ac: new AbortController() };
    setSending((all) => [...all, s]);
    try {
      await uploadDocument(owner, ownerId, file, showNew, (sent, total) => patch(s.key, { sent, total }), s.ac.signal);
      drop(s.key);
      changed();
    } catch (e) {
      if (isAbort(e)) drop(s.key);
      else {
        const d = describeError(e);
        patch(s.key, { error: d.message ? `${d.title}. ${d.message}` : d.title });
      }
    }
  };
  const pick = (files: FileList | null | undefined) => {
    for (const f of Array.from(files ?? [])) void send(f);
    if (input.current) input.current.value = '';
  };

  const toggle = async (d: DocumentInfo) => {
    try {
      await updateDocument(d.id, { visible: !d.visible }, d.version);
      toastSuccess(d.visible ? `${d.name} is hidden from the client` : `${d.name} is shown to the client`);
      list.reload();
    } catch (e) {
      toastError('The document could not be changed', describeError(e).title);
      list.reload();
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusy(true);
    try {
      await deleteDocument(deleting.id);
      toastSuccess(`${deleting.name} deleted`);
      setDeleting(null);
      changed();
    } catch (e) {
      toastError('The document could not be deleted', describeError(e).title);
    } finally {
      setBusy(false);
    }
  };

  const docs = list.data?.data ?? [];
  return (
    <section class="documents" aria-label="Documents">
      {canEdit ? (
        <div
          class={`docs-drop${over ? ' docs-drop--over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            pick(e.dataTransfer?.files);
          }}
        >
          <IconUpload size={22} />
          <p class="docs-drop__title">Drop files here, or</p>
          <label class="btn btn--secondary docs-drop__pick">
            Choose files
            <input ref={input} type="file" multiple class="sr-only" aria-label="Choose files to upload" onChange={(e) => pick((e.target as HTMLInputElement).files)} />
          </label>
          <label class="docs-drop__visible">
            <input type="checkbox" checked={showNew} onChange={(e) => setShowNew((e.target as HTMLInputElement).checked)} />
            {owner === 'client' ? 'Show new files to the client in the portal' : 'Show new files to the group’s clients in the portal'}
          </label>
        </div>
      ) : null}

      {sending.length > 0 ? (
        <ul class="docs-queue" aria-label="Uploads">
          {sending.map((s) => {
            const pct = s.total > 0 ? Math.min(100, Math.floor((s.sent * 100) / s.total)) : 0;
            return (
              <li key={s.key} class={`docs-queue__item${s.error ? ' docs-queue__item--error' : ''}`}>
                <div class="docs-queue__head">
                  <span class="docs-queue__name">{s.name}</span>
                  <span class="docs-queue__state tabular">
                    {s.error ? 'Not uploaded' : s.sent >= s.total ? 'Storing…' : `${formatFileSize(s.sent)} of ${formatFileSize(s.total)}`}
                  </span>
                  {s.error ? (
                    <Button size="sm" variant="ghost" icon={<IconX size={14} />} onClick={() => drop(s.key)}>
                      Dismiss
                    </Button>
                  ) : (
                    <Button size="sm" variant="ghost" icon={<IconX size={14} />} onClick={() => s.ac.abort()} aria-label={`Cancel the upload of ${s.name}`}>
                      Cancel
                    </Button>
                  )}
                </div>
                {s.error ? (
                  <p class="docs-queue__error" role="alert">
                    {s.error}
                  </p>
                ) : (
                  <div class="docs-progress" role="progressbar" aria-label={`Upload of ${s.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
                    <span class="docs-progress__fill" style={{ width: `${pct}%` }} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}

      {list.error && !list.data ? (
        <EmptyState title="The documents could not be loaded" action={<Button onClick={list.reload}>Try again</Button>} compact>
          {describeError(list.error).title}
        </EmptyState>
      ) : !list.data ? (
        <LoadingBlock label="Loading documents…" />
      ) : docs.length === 0 ? (
        <EmptyState icon={<IconFileText size={22} />} title="No documents yet" compact>
          {canEdit ? 'Upload contracts, receipts or anything else that belongs here. Every file type is accepted.' : 'Nothing has been uploaded here.'}
        </EmptyState>
      ) : (
        <ul class="docs-list" aria-label="Documents">
          {docs.map((d) => (
            <li key={d.id} class="docs-row">
              <span class={`docs-kind docs-kind--${fileKind(d.content_type).toLowerCase()}`} aria-hidden="true">
                {fileKind(d.content_type)}
              </span>
              <div class="docs-row__main">
                {previewable(d.content_type, d.sniffed_type) ? (
                  <button type="button" class="docs-row__name" onClick={() => setPreview(d)}>
                    {d.name}
                  </button>
                ) : (
                  <a class="docs-row__name" href={documentHref(d.id)} download={d.name}>
                    {d.name}
                  </a>
                )}
                <span class="docs-row__meta muted">
                  <span class="tabular">{formatFileSize(d.size)}</span>
                  <span>{d.uploaded_by.type === 'contact' ? `${d.uploaded_by.name} (contact)` : d.uploaded_by.name}</span>
                  <span>{formatDate(d.created_at)}</span>
                </span>
              </div>
              <label class="docs-row__visible">
                <span class="sr-only">Visible to the client: {d.name}</span>
                <Switch checked={d.visible} disabled={!canEdit} onLabel="Shown to the client" offLabel="Staff only" onChange={() => void toggle(d)} />
              </label>
              <div class="docs-row__actions">
                <ButtonLink size="sm" variant="ghost" iconOnly icon={<IconDownload size={16} />} href={documentHref(d.id)} download={d.name} aria-label={`Download ${d.name}`} />
                {canEdit ? (
                  <>
                    <Button size="sm" variant="ghost" iconOnly icon={<IconEdit size={16} />} onClick={() => setRenaming(d)} aria-label={`Rename ${d.name}`} />
                    <Button size="sm" variant="danger-ghost" iconOnly icon={<IconTrash size={16} />} onClick={() => setDeleting(d)} aria-label={`Delete ${d.name}`} />
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}

      <Dialog open={preview !== null} title={preview?.name ?? ''} onClose={() => setPreview(null)} size="lg"
        footer={preview ? <ButtonLink href={documentHref(preview.id)} download={preview.name} icon={<IconDownload size={16} />}>Download</ButtonLink> : null}>
        {preview ? (
          // No scripts, no forms, no top navigation: only what the image or PDF shows.
          <iframe class="docs-preview" sandbox="" src={documentHref(preview.id, true)} title={`Preview of ${preview.name}`} />
        ) : null}
      </Dialog>

      <RenameDialog doc={renaming} onClose={() => setRenaming(null)} onSaved={() => {
        setRenaming(null);
        list.reload();
      }} />

      <ConfirmDialog open={deleting !== null} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete document" danger busy={busy}
        onConfirm={() => void remove()} onCancel={() => setDeleting(null)}>
        The file is removed for good, also from the client’s portal. This cannot be undone.
      </ConfirmDialog>
    </section>
  );
}

function RenameDialog({ doc, onClose, onSaved }: { doc: DocumentInfo | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState<string | null>(null);
  if (doc && shown !== doc.id) {
    setShown(doc.id);
    setName(doc.name);
    setError(undefined);
  }
  const save = async (e: Event) => {
    e.preventDefault();
    if (!doc) return;
    setBusy(true);
    try {
      await updateDocument(doc.id, { name: name.trim() }, doc.version);
      toastSuccess('Document renamed');
      setShown(null);
      onSaved();
    } catch (err) {
      const d = describeError(err);
      setError(d.message ?? d.title);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={doc !== null} title="Rename document" onClose={() => { setShown(null); onClose(); }} busy={busy} size="sm"
      footer={
        <>
          <Button variant="ghost" onClick={() => { setShown(null); onClose(); }} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="doc-rename" loading={busy}>
            Rename
          </Button>
        </>
      }>
      <form id="doc-rename" onSubmit={(e) => void save(e)}>
        <Field label="Name" error={error} id="doc-rename-name">
          {(control) => <TextInput {...control} value={name} maxLength={255} data-autofocus onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
      </form>
    </Dialog>
  );
}
