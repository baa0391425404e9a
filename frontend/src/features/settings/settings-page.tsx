import './settings.css';
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ApiError } from '../../api/client';
import { SettingField } from '../../components/settings/setting-field';
import { Alert } from '../../components/ui/alert';
import { Button, ButtonLink } from '../../components/ui/button';
import { EmptyState } from '../../components/ui/empty-state';
import { LoadingBlock } from '../../components/ui/spinner';
import { TabPanel, Tabs } from '../../components/ui/tabs';
import { describeError } from '../../lib/errors';
import { useLeaveGuard } from '../../lib/leave-guard';
import { isAdmin, useSession } from '../../lib/session';
import { settingLabel, settingRows, settingSections, type SettingRow } from '../../lib/settings/registry';
import { toastError, toastInfo, toastSuccess } from '../../lib/toast';
import { useResource } from '../../lib/use-resource';
import { getSettings, updateSettings } from '../../api/settings';
import { adoptAnswer, apiErrors, buildPatch, dirtyKeys, formFromRows, isDirty, withDraft, type CompanyForm } from './form-model';
import { NumberPreviewBox, PatternVariables } from './number-preview';

const ID = 'company-setting';

/**
 * The company's settings, one tab per section of the registry. Every
 * field shows whether the company set it or the built-in default applies;
 * Save sends what changed in any section, and a field's "Reset to
 * default" takes the company's value away at once. The numbers section
 * previews the next client number as the pattern is typed.
 */
export function SettingsPage() {
  const { params } = useRoute();
  const me = useSession();
  const editable = isAdmin(me);
  const res = useResource('company-settings', (signal) => getSettings(signal));
  const [form, setForm] = useState<CompanyForm | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<{ key: string; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);

  useEffect(() => {
    if (res.data && !form) setForm(formFromRows(settingRows(res.data)));
  }, [res.data]);

  const sections = form ? settingSections(form.rows, 'company') : [];
  const section = sections.find((s) => s.slug === params.section) ?? (params.section ? undefined : sections[0]);
  const dirty = form ? dirtyKeys(form) : [];

  useEffect(() => {
    document.title = `${section ? `${section.title} · ` : ''}Settings · clientd`;
  }, [section?.id]);

  // Unsaved changes ask before they are lost (the sections are one form: moving between them is fine).
  useLeaveGuard(dirty.length > 0, 'your changes to the settings', (url) => url === '/settings' || url.startsWith('/settings/'));

  if (res.error && !form) {
    return (
      <div class="page">
        <EmptyState title="The settings could not be loaded" action={<Button onClick={res.reload}>Try again</Button>}>
          {describeError(res.error).title}
        </EmptyState>
      </div>
    );
  }
  if (!form) return <LoadingBlock label="Loading settings…" />;

  const sectionOf = (key: string) => sections.find((s) => s.rows.some((r) => r.key === key));

  const save = async (e: Event) => {
    e.preventDefault();
    if (saving) return;
    setSaveError(null);
    const { patch, errors: local } = buildPatch(form);
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    if (Object.keys(patch).length === 0) {
      toastInfo('Nothing changed', 'There was nothing to save.');
      return;
    }
    setSaving(true);
    try {
      const answer = await updateSettings(patch);
      setForm(formFromRows(settingRows(answer)));
      setErrors({});
      const n = Object.keys(patch).length;
      toastSuccess('Settings saved', n === 1 ? `${settingLabel(Object.keys(patch)[0]!)} changed.` : `${n} settings changed.`);
    } catch (x) {
      if (x instanceof ApiError && x.status === 422 && Object.keys(x.fieldErrors).length > 0) setErrors(apiErrors(x.fieldErrors, x.hint));
      else setSaveError(x);
    } finally {
      setSaving(false);
    }
  };

  const reset = async (row: SettingRow) => {
    setResetting(row.key);
    try {
      const answer = await updateSettings({ [row.key]: null });
      setForm((f) => (f ? adoptAnswer(f, settingRows(answer), [row.key]) : f));
      setErrors(({ [row.key]: _gone, ...rest }) => rest);
      const previous = row.value;
      toastSuccess(`${settingLabel(row.key)} reset to the default`, undefined, {
        label: 'Undo',
        run: () =>
          void updateSettings({ [row.key]: previous })
            .then((a) => setForm((f) => (f ? adoptAnswer(f, settingRows(a), [row.key]) : f)))
            .catch((x: unknown) => toastError(describeError(x).title, describeError(x).message)),
      });
    } catch (x) {
      toastError(describeError(x).title, describeError(x).message);
    } finally {
      setResetting(null);
    }
  };

  const errorFor = (key: string) => errors[key] ?? (preview?.key === key ? preview.message : undefined);
  const elsewhere = Object.keys(errors).filter((k) => sectionOf(k) && sectionOf(k) !== section);
  const tabs = sections.map((s) => ({ id: s.id, label: s.title, href: `/settings/${s.slug}` }));

  return (
    <div class="page page--form">
      <header class="page-header">
        <div class="page-header__text">
          <h1 class="page-header__title">Settings</h1>
          <p class="page-header__sub">The company’s values. Groups and clients can override most of them; a client’s Settings tab shows what applies to it.</p>
        </div>
      </header>

      {!editable ? (
        <Alert tone="info" title="Only owners and admins can change settings">
          You can see every value and where it comes from.
        </Alert>
      ) : null}

      <Tabs label="Settings sections" tabs={tabs} active={section?.id ?? ''} idBase="settings" />
      <TabPanel idBase="settings" active={section?.id ?? ''}>
        {!section ? (
          <EmptyState title="This section does not exist" action={<ButtonLink href="/settings">Go to the settings</ButtonLink>} compact />
        ) : (
          <form class="settings-form" onSubmit={save} noValidate aria-busy={saving ? 'true' : 'false'}>
            {elsewhere.length > 0 ? (
              <Alert tone="danger" title="Some changes in other sections could not be saved" assertive>
                <ul class="error-summary">
                  {elsewhere.map((k) => (
                    <li key={k}>
                      <a href={`/settings/${sectionOf(k)!.slug}`}>
                        {sectionOf(k)!.title} · {settingLabel(k)}
                      </a>
                      : {errors[k]}
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {saveError ? (
              <Alert tone="danger" title={describeError(saveError).title} assertive>
                {describeError(saveError).message}
              </Alert>
            ) : null}
            <section class="card settings-card" aria-labelledby="settings-section-title">
              <header class="settings-card__head">
                <h2 class="card__title" id="settings-section-title">
                  {section.title}
                </h2>
                {section.description ? <p class="settings-card__desc">{section.description}</p> : null}
              </header>
              <div class="settings-card__fields">
                {section.rows.map((r) => (
                  <SettingField
                    key={r.key}
                    row={r}
                    level="company"
                    idBase={ID}
                    draft={form.drafts[r.key] ?? ''}
                    onChange={(d) => {
                      setForm((f) => (f ? withDraft(f, r.key, d) : f));
                      if (errors[r.key]) setErrors(({ [r.key]: _fixed, ...rest }) => rest);
                    }}
                    error={errorFor(r.key)}
                    disabled={!editable || saving}
                    actions={
                      editable && r.source === 'company' && !isDirty(r, form.drafts[r.key]) ? (
                        <Button size="sm" variant="ghost" loading={resetting === r.key} disabled={resetting !== null || saving} aria-label={`Reset ${settingLabel(r.key)} to the default`} onClick={() => reset(r)}>
                          Reset to default
                        </Button>
                      ) : isDirty(r, form.drafts[r.key]) ? (
                        <span class="setting-field__changed">Changed</span>
                      ) : null
                    }
                    extra={r.type === 'pattern' && r.key === 'client_number_pattern' ? <PatternVariables inputId={`${ID}-${r.key}`} disabled={!editable || saving} onInsert={(v) => setForm((f) => (f ? withDraft(f, r.key, v) : f))} /> : undefined}
                  />
                ))}
                {section.rows.some((r) => r.key === 'client_number_pattern') ? (
                  <NumberPreviewBox rows={form.rows} drafts={form.drafts} onProblem={setPreview} />
                ) : null}
              </div>
            </section>
            {editable ? (
              <div class="form-actions">
                <span class="form-actions__status muted" aria-live="polite">
                  {saving ? 'Saving…' : dirty.length > 0 ? `${dirty.length} unsaved change${dirty.length === 1 ? '' : 's'}${dirty.some((k) => sectionOf(k) !== section) ? ' (also in other sections)' : ''}` : ''}
                </span>
                <Button variant="ghost" disabled={dirty.length === 0 || saving} onClick={() => { setForm(formFromRows(form.rows)); setErrors({}); }}>
                  Discard changes
                </Button>
                <Button type="submit" variant="primary" loading={saving} disabled={dirty.length === 0 && !saving}>
                  Save changes
                </Button>
              </div>
            ) : null}
          </form>
        )}
      </TabPanel>
    </div>
  );
}
