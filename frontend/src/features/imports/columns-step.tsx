// Step 2: what each column of the file is. Every column shows its header,
// a few of its values and how many rows fill it, and a field to map it
// onto (the suggestion first; contacts as Contact 1, Contact 2 ...). A
// saved mapping (template) can be applied, and this one saved.
import { useMemo, useState } from 'preact/hooks';
import type { Import, ImportFields, ImportOptions } from '../../api/types';
import { deleteTemplate, listTemplates, saveTemplate } from '../../api/imports';
import { Alert } from '../../components/ui/alert';
import { Button } from '../../components/ui/button';
import { Dialog } from '../../components/ui/dialog';
import { Field } from '../../components/ui/field';
import { IconArrowRight, IconTrash } from '../../components/ui/icons';
import { Select, TextInput } from '../../components/ui/input';
import { describeError } from '../../lib/errors';
import { toastError, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { contactsShown, duplicateColumns, fieldGroups, fieldLabel, headerKey, templateMapping } from './import-model';

interface Props {
  imp: Import;
  fields: ImportFields;
  mapping: (string | null)[];
  options: ImportOptions;
  /** the API's messages per column, from the last save */
  errors: Map<number, string>;
  /** a message about the mapping as a whole */
  formError: string | null;
  busy: boolean;
  onChange: (mapping: (string | null)[], options?: ImportOptions) => void;
  onNext: () => void;
}

const num = (n: number) => n.toLocaleString('en-US');

export function ColumnsStep({ imp, fields, mapping, options, errors, formError, busy, onChange, onNext }: Props) {
  const cols = imp.file.columns;
  const dup = duplicateColumns(mapping);
  const groups = useMemo(() => fieldGroups(fields, contactsShown(mapping, fields.contacts_max)), [fields, mapping]);
  const usedBy = new Map<string, number>();
  mapping.forEach((f, i) => {
    if (f && !usedBy.has(f)) usedBy.set(f, i);
  });
  const mapped = mapping.filter(Boolean).length;

  const set = (i: number, v: string) => {
    const next = mapping.slice();
    next[i] = v === '' ? null : v;
    onChange(next);
  };

  return (
    <div class="import-step">
      <Templates imp={imp} mapping={mapping} options={options} onApply={onChange} />
      {imp.template ? (
        <Alert tone="info" title={`Mapped as the saved mapping “${imp.template.name}”`}>
          Its header matches this file’s. Change any column below.
        </Alert>
      ) : null}
      {formError ? (
        <Alert tone="danger" title="The mapping cannot be used" assertive>
          {formError}
        </Alert>
      ) : null}

      <ol class="map-list" aria-label="Columns of the file">
        {cols.map((c, i) => {
          const v = mapping[i] ?? '';
          const err = errors.get(i) ?? (dup.has(i) ? `${fieldLabel(v, fields)} is mapped to column ${dup.get(i)! + 1} already.` : undefined);
          const id = `map-${i}`;
          return (
            <li key={c.index} class={`map-row${v ? ' map-row--mapped' : ''}${err ? ' map-row--invalid' : ''}`}>
              <div class="map-row__source">
                <span class="map-row__name">{c.name}</span>
                <span class="map-row__meta">
                  Column {c.index} · {c.filled === imp.file.rows ? 'every row' : `${num(c.filled)} of ${num(imp.file.rows)} rows`}
                  {c.decimal ? ` · decimals with “${c.decimal}”` : ''}
                </span>
                {c.samples.length > 0 ? (
                  <span class="map-row__samples" title={c.samples.join(' · ')}>
                    {c.samples.map((s, k) => (
                      <span key={k} class="map-row__sample">
                        {s}
                      </span>
                    ))}
                  </span>
                ) : (
                  <span class="map-row__meta muted">empty</span>
                )}
              </div>
              <span class="map-row__arrow" aria-hidden="true">
                <IconArrowRight size={16} />
              </span>
              <div class="map-row__target">
                <Select
                  id={id}
                  aria-label={`Field for column ${c.index}, “${c.name}”`}
                  aria-invalid={err ? 'true' : undefined}
                  aria-describedby={err ? `${id}-error` : undefined}
                  value={v}
                  disabled={busy}
                  onChange={(e) => set(i, e.currentTarget.value)}
                >
                  <option value="">Don’t import</option>
                  {groups.map((g) => (
                    <optgroup key={g.label} label={g.label}>
                      {g.options.map((o) => {
                        const other = usedBy.get(o.value);
                        return (
                          <option key={o.value} value={o.value}>
                            {o.label}
                            {other !== undefined && other !== i ? ` (column ${other + 1})` : ''}
                          </option>
                        );
                      })}
                    </optgroup>
                  ))}
                </Select>
                {err ? (
                  <p class="field__error" id={`${id}-error`}>
                    {err}
                  </p>
                ) : c.suggested && v === c.suggested ? (
                  <p class="map-row__hint">Suggested from the header</p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>

      {imp.preview.length > 0 ? (
        <details class="import-preview">
          <summary>{imp.preview.length === 1 ? 'The file’s first row' : `The file’s first ${imp.preview.length} rows`}</summary>
          <div class="import-preview__scroll">
            <table class="import-preview__table">
              <thead>
                <tr>
                  {cols.map((c) => (
                    <th key={c.index} scope="col">
                      {c.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {imp.preview.map((row, r) => (
                  <tr key={r}>
                    {cols.map((c, k) => (
                      <td key={c.index}>{row[k] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}

      <div class="import-actions">
        <span class="import-actions__note">
          {mapped} of {cols.length} column{cols.length === 1 ? '' : 's'} mapped
        </span>
        <Button variant="primary" onClick={onNext} loading={busy} disabled={mapped === 0 || dup.size > 0}>
          Next: options
        </Button>
      </div>
    </div>
  );
}

function Templates({ imp, mapping, options, onApply }: { imp: Import; mapping: (string | null)[]; options: ImportOptions; onApply: Props['onChange'] }) {
  const res = useResource('templates', (signal) => listTemplates(signal));
  const list = res.data ?? [];
  const [chosen, setChosen] = useState('');
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState(imp.template?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const columns = imp.file.columns.map((c) => c.name);

  const apply = (id: string) => {
    setChosen(id);
    const t = list.find((x) => x.id === id);
    if (t) onApply(templateMapping(t, columns), t.options);
  };

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const t = await saveTemplate(name.trim(), imp.id, { mapping, options });
      toastSuccess(`Mapping saved as “${t.name}”`, 'Files with the same header will be mapped this way.');
      setSaving(false);
      setChosen(t.id);
      res.reload();
    } catch (e) {
      const d = describeError(e);
      setError(d.message ? `${d.title}. ${d.message}` : d.title);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string) => {
    try {
      await deleteTemplate(id);
      setChosen('');
      res.reload();
    } catch (e) {
      const d = describeError(e);
      toastError(d.title, d.message);
    }
  };

  return (
    <div class="import-templates">
      {list.length > 0 ? (
        <div class="import-templates__pick">
          <label for="import-template" class="import-templates__label">
            Saved mapping
          </label>
          <Select id="import-template" value={chosen} onChange={(e) => apply(e.currentTarget.value)}>
            <option value="">Choose…</option>
            {list.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
                {headerKey(t.headers) === headerKey(columns) ? ' (same header)' : ''}
              </option>
            ))}
          </Select>
          {chosen ? (
            <Button size="sm" variant="danger-ghost" iconOnly icon={<IconTrash size={15} />} aria-label="Delete this saved mapping" onClick={() => void remove(chosen)} />
          ) : null}
        </div>
      ) : null}
      <Button size="sm" variant="ghost" onClick={() => setSaving(true)} disabled={mapping.every((m) => !m)}>
        Save this mapping…
      </Button>
      <Dialog
        open={saving}
        title="Save the mapping"
        onClose={() => setSaving(false)}
        busy={busy}
        size="sm"
        footer={
          <>
            <Button variant="ghost" onClick={() => setSaving(false)} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void save()} loading={busy} disabled={name.trim() === ''}>
              Save
            </Button>
          </>
        }
      >
        <p class="dialog__text">Files with the same header get this mapping and these options. A saved mapping of the same name is replaced.</p>
        <Field label="Name" error={error} required>
          {(control) => (
            <TextInput
              {...control}
              data-autofocus
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && name.trim() !== '') void save();
              }}
            />
          )}
        </Field>
      </Dialog>
    </div>
  );
}
