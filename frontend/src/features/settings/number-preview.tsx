import { useEffect, useState } from 'preact/hooks';
import { ApiError, isAbort } from '../../api/client';
import { Spinner } from '../../components/ui/spinner';
import { useDebouncedValue } from '../../lib/debounce';
import type { SettingRow } from '../../lib/settings/registry';
import type { Draft } from '../../lib/settings/values';
import { previewClientNumber, type NumberPreview } from '../../api/settings';
import { previewErrorKey, previewRequest } from './preview-model';

interface NumberPreviewProps {
  rows: SettingRow[];
  drafts: Record<string, Draft>;
  /** tells the form which field the preview finds wrong (null: none) */
  onProblem: (problem: { key: string; message: string } | null) => void;
}

/**
 * The next client number for the numbers section as typed: asks the API
 * 300 ms after the last change (an older request still running is
 * aborted), and shows what it answers. A pattern is held to the API's
 * rules first (checkPattern): one the API would refuse is reported to the
 * form, which shows the message under the pattern, without a request; a
 * variable still being typed is a quiet state. Should the API refuse one
 * anyway, its message is shown the same way.
 */
export function NumberPreviewBox({ rows, drafts, onProblem }: NumberPreviewProps) {
  const req = previewRequest(rows, drafts);
  const key = useDebouncedValue(JSON.stringify(req), 300);
  const [result, setResult] = useState<NumberPreview | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  // Leaving the section takes the preview's complaint away with it.
  useEffect(() => () => onProblem(null), []);

  useEffect(() => {
    const r = JSON.parse(key) as ReturnType<typeof previewRequest>;
    if (!r.ok) {
      setLoading(false);
      if ('unfinished' in r) {
        // still being typed: nothing to ask the API, nothing wrong yet
        setFailed('Finish the variable ({…}) to see the next number.');
        onProblem(null);
        return;
      }
      setFailed('Fix the highlighted field to see the next number.');
      onProblem({ key: r.key, message: r.error });
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    previewClientNumber(r.query, ac.signal)
      .then((p) => {
        setResult(p);
        setFailed(null);
        setLoading(false);
        onProblem(null);
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted || isAbort(e)) return;
        setLoading(false);
        const k = e instanceof ApiError ? previewErrorKey(e.field) : null;
        if (e instanceof ApiError && k) {
          setFailed('Fix the highlighted field to see the next number.');
          onProblem({ key: k, message: e.fieldErrors[e.field ?? ''] ?? e.message });
        } else {
          setFailed('The preview is not available right now.');
          onProblem(null);
        }
      });
    return () => ac.abort();
  }, [key]);

  return (
    <div class={`number-preview${failed ? ' number-preview--failed' : ''}`} data-testid="number-preview">
      <span class="number-preview__label">
        Next client number
        {loading ? <Spinner size={12} /> : null}
      </span>
      <output class="number-preview__value" aria-live="polite" aria-atomic="true">
        {failed ? <span class="number-preview__none">{failed}</span> : result ? result.number : '\u00a0'}
      </output>
      {result && !failed ? (
        <span class="number-preview__meta">
          Counter {result.counter.toLocaleString()} of the {result.counter_level === 'group' ? 'group' : 'company'}, padded to {result.padding} digit{result.padding === 1 ? '' : 's'}. Numbers already taken are skipped.
        </span>
      ) : null}
    </div>
  );
}

/** The variables of a number pattern, inserted where the cursor is. */
export const PATTERN_VARIABLES = [
  { text: '{$counter}', help: 'the counter' },
  { text: '{$group_counter}', help: "the group's own counter" },
  { text: '{$year}', help: 'the year, 2026' },
  { text: '{$month}', help: 'the month, 01 to 12' },
  { text: '{$date:Y-m-d}', help: 'the date in a format of Y y m n d j' },
  { text: '{$client_id_number}', help: "the client's ID number" },
  { text: '{$user_id}', help: 'the user who creates the client' },
] as const;

export function PatternVariables({ inputId, onInsert, disabled }: { inputId: string; onInsert: (next: string) => void; disabled?: boolean }) {
  const insert = (text: string) => {
    const el = document.getElementById(inputId);
    if (!(el instanceof HTMLInputElement)) return;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? start;
    onInsert(el.value.slice(0, start) + text + el.value.slice(end));
    setTimeout(() => {
      el.focus();
      el.setSelectionRange(start + text.length, start + text.length);
    }, 0);
  };
  return (
    <div class="pattern-vars" role="group" aria-label="Insert a variable">
      <span class="pattern-vars__label" aria-hidden="true">
        Insert
      </span>
      {PATTERN_VARIABLES.map((v) => (
        <button key={v.text} type="button" class="pattern-vars__item" title={`Insert ${v.help}`} disabled={disabled} onClick={() => insert(v.text)}>
          {v.text}
        </button>
      ))}
    </div>
  );
}
