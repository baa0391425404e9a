// The import wizard (/clients/import, then /clients/import/:id): upload a
// CSV file, map its columns, choose how duplicates and errors are
// handled, check it with a dry run, import it with live progress, and
// see what was done. The import lives on the server, so the page can be
// left and opened again at any step (the recent imports link to it).
import './imports.css';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import type { Import, ImportOptions } from '../../api/types';
import { ApiError } from '../../api/client';
import { cancelImport, deleteImport, getImport, getImportFields, isBusy, startDryRun, startRun, updateImport, watchImport, type ImportChange } from '../../api/imports';
import { Alert } from '../../components/ui/alert';
import { Badge } from '../../components/ui/badge';
import { Button } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { IconArrowLeft, IconCheck, IconLock, IconTrash } from '../../components/ui/icons';
import { Menu } from '../../components/ui/menu';
import { LoadingBlock } from '../../components/ui/spinner';
import { describeError } from '../../lib/errors';
import { isAdmin, useSession } from '../../lib/session';
import { toastError, toastInfo } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { CheckStep } from './check-step';
import { ColumnsStep } from './columns-step';
import { STATUS_LABEL, STATUS_TONE, STEPS, canVisit, columnErrors, initialMapping, initialOptions, matchKeyMapped, stepOf, suggestedMatchKey, type Step } from './import-model';
import { OptionsStep } from './options-step';
import { RunStep } from './run-step';
import { UploadStep } from './upload-step';

export function ImportPage() {
  const me = useSession();
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? null;

  useEffect(() => {
    document.title = 'Import clients · clientd';
  }, []);

  if (!isAdmin(me)) {
    return (
      <div class="page">
        <EmptyState icon={<IconLock size={22} />} title="Only owners and admins can import clients">
          Ask an admin of your company to import the file.
        </EmptyState>
      </div>
    );
  }

  return (
    <div class="page page--import">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href="/clients" class="crumbs__back">
          <IconArrowLeft size={14} />
          Clients
        </a>
      </nav>
      {id === null ? (
        <>
          <header class="page-header">
            <div class="page-header__text">
              <h1 class="page-header__title">Import clients</h1>
              <p class="page-header__sub">From a CSV file: map its columns, check it, then import it.</p>
            </div>
          </header>
          <Stepper current="upload" canGo={() => false} onGo={() => {}} />
          <section class="card">
            <UploadStep onUploaded={(imp) => route(`/clients/import/${imp.id}`)} />
          </section>
        </>
      ) : (
        <Wizard key={id} id={id} />
      )}
    </div>
  );
}

function Stepper({ current, canGo, onGo }: { current: Step; canGo: (s: Step) => boolean; onGo: (s: Step) => void }) {
  const at = STEPS.findIndex((s) => s.step === current);
  return (
    <ol class="stepper" aria-label="Steps">
      {STEPS.map((s, i) => {
        const state = i < at ? 'done' : i === at ? 'current' : 'todo';
        const inner = (
          <>
            <span class="stepper__dot" aria-hidden="true">
              {state === 'done' ? <IconCheck size={12} /> : i + 1}
            </span>
            <span class="stepper__label">{s.label}</span>
          </>
        );
        return (
          <li key={s.step} class={`stepper__item stepper__item--${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {state !== 'current' && canGo(s.step) ? (
              <button type="button" class="stepper__link" onClick={() => onGo(s.step)}>
                {inner}
              </button>
            ) : (
              <span class="stepper__link">{inner}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

type Busy = 'save' | 'check' | 'run' | 'cancel' | 'recheck' | 'mode' | 'delete' | null;

function Wizard({ id }: { id: string }) {
  const { route } = useLocation();
  const res = useResource(id, (signal) => getImport(id, signal));
  const fields = useResource('import-fields', (signal) => getImportFields(signal));
  const imp = res.data;
  const [step, setStep] = useState<Step>('columns');
  const [mapping, setMapping] = useState<(string | null)[]>([]);
  const [options, setOptions] = useState<ImportOptions | null>(null);
  const [errors, setErrors] = useState<Map<number, string>>(new Map());
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState<Busy>(null);

  // The drafts start from the import once it is loaded.
  const loaded = imp !== undefined;
  useEffect(() => {
    if (!imp) return;
    const m = initialMapping(imp);
    setMapping(m);
    setOptions(initialOptions(imp, m));
    setStep(stepOf(imp));
  }, [loaded]);

  // A step the import can no longer be at (a run started elsewhere, a
  // check that ended) gives way to the one it is at.
  useEffect(() => {
    if (imp && !canVisit(imp, step)) setStep(stepOf(imp));
  }, [imp?.status, imp?.dry_run === null]);

  // Live progress while a dry run or a run goes on.
  const busyNow = imp ? isBusy(imp) : false;
  useEffect(() => {
    if (!busyNow) return;
    const w = watchImport(id, (next) => res.setData(next), () => {});
    return () => w.stop();
  }, [busyNow, id]);

  if (res.error) {
    const notFound = res.error instanceof ApiError && res.error.status === 404;
    return (
      <Alert tone="danger" title={notFound ? 'This import does not exist' : 'The import could not be loaded'} actions={notFound ? undefined : <Button size="sm" onClick={res.reload}>Try again</Button>}>
        {notFound ? <a href="/clients/import">Start a new import</a> : `${describeError(res.error).title}.`}
      </Alert>
    );
  }
  if (!imp || !options || !fields.data) return fields.error ? <Alert tone="danger" title="The import fields could not be loaded">{describeError(fields.error).title}.</Alert> : <LoadingBlock label="Loading the import…" />;

  const fail = (e: unknown) => {
    if (e instanceof ApiError && e.status === 422) {
      const cols = columnErrors(e.fieldErrors);
      setErrors(cols);
      const other = Object.entries(e.fieldErrors).filter(([k]) => !/^mapping\[\d+\]$/.test(k));
      setFormError(other.length > 0 ? other.map(([, v]) => v).join(' ') : cols.size > 0 ? null : describeError(e).title);
      return;
    }
    if (e instanceof ApiError && e.status === 409) res.reload();
    const d = describeError(e);
    toastError(d.title, d.message);
  };

  const act = async (which: Busy, f: () => Promise<Import>, then?: (imp: Import) => void) => {
    setBusy(which);
    setFormError(null);
    try {
      const next = await f();
      res.setData(next);
      setErrors(new Map());
      then?.(next);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(null);
    }
  };

  const save = (change: ImportChange) => updateImport(id, change);

  // Columns → options: the mapping is saved (the API checks it), with a
  // match key it can use.
  const toOptions = () => {
    const o = matchKeyMapped(options.match_key, mapping) ? options : { ...options, match_key: suggestedMatchKey(mapping) };
    void act('save', () => save({ mapping, options: o }), (next) => {
      if (next.options) setOptions(next.options);
      setStep('options');
    });
  };

  const check = (o: ImportOptions, which: Busy = 'check') =>
    void act(which, async () => {
      await save({ mapping, options: o });
      return startDryRun(id);
    }, () => setStep('check'));

  const run = () => void act('run', () => startRun(id), () => setStep('run'));
  const cancel = () => void act('cancel', () => cancelImport(id), () => toastInfo('Cancelling…', 'The worker stops at its next batch.'));

  const remove = async () => {
    setBusy('delete');
    try {
      await deleteImport(id);
      route('/clients/import', true);
    } catch (e) {
      fail(e);
      setBusy(null);
    }
  };

  const f = imp.file;
  const facts = [
    `${f.rows.toLocaleString('en-US')} row${f.rows === 1 ? '' : 's'}`,
    `${f.columns.length} column${f.columns.length === 1 ? '' : 's'}`,
    f.encoding ?? '',
    f.delimiter ? `${f.delimiter === '\t' ? 'tab' : f.delimiter === ',' ? 'comma' : f.delimiter === ';' ? 'semicolon' : 'pipe'}-separated` : '',
    f.header_row && f.header_row > 1 ? `header on row ${f.header_row}` : '',
  ].filter(Boolean);

  return (
    <>
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">
            <span class="import-filename">{f.name}</span>
            <Badge tone={STATUS_TONE[imp.status]}>{imp.status === 'uploaded' && imp.dry_run ? 'Checked' : STATUS_LABEL[imp.status]}</Badge>
          </h1>
          <p class="page-header__sub" data-testid="import-file-facts">
            {facts.map((x) => (
              <span key={x}>{x}</span>
            ))}
          </p>
        </div>
        {!busyNow ? (
          <div class="page-header__actions">
            <Menu
              label="Import actions"
              items={[{ id: 'delete', label: imp.status === 'uploaded' ? 'Discard this import' : 'Delete this import and its file', icon: <IconTrash size={16} />, danger: true, onSelect: () => void remove() }]}
            />
          </div>
        ) : null}
      </header>
      <Stepper current={step} canGo={(s) => canVisit(imp, s)} onGo={setStep} />
      <section class="card" aria-label={STEPS.find((s) => s.step === step)?.label}>
        {step === 'columns' ? (
          <ColumnsStep
            imp={imp}
            fields={fields.data}
            mapping={mapping}
            options={options}
            errors={errors}
            formError={formError}
            busy={busy === 'save'}
            onChange={(m, o) => {
              setMapping(m);
              if (o) setOptions(o);
              setErrors(new Map());
            }}
            onNext={toOptions}
          />
        ) : step === 'options' ? (
          <OptionsStep mapping={mapping} options={options} error={formError} busy={busy === 'check'} onChange={setOptions} onBack={() => setStep('columns')} onNext={() => check(options)} />
        ) : step === 'check' ? (
          <CheckStep
            imp={imp}
            options={options}
            busy={busy === 'run' || busy === 'cancel' || busy === 'recheck' || busy === 'mode' ? busy : null}
            onBack={() => setStep('columns')}
            onRun={run}
            onCancel={cancel}
            onRecheck={() => check(options, 'recheck')}
            onValidRows={() => {
              const o = { ...options, mode: 'valid_rows' as const };
              setOptions(o);
              check(o, 'mode');
            }}
          />
        ) : (
          <RunStep imp={imp} busy={busy === 'cancel'} onCancel={cancel} />
        )}
      </section>
    </>
  );
}
