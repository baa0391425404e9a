// Settings, groups and generated numbers (issue 5).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, concurrently, fieldErrors } from './lib/http.mjs';
import { newCompany, newUser, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { createClient, getClient } from './lib/clients.mjs';

async function patch(token, path, body, status = 200) {
  const r = await api('PATCH', path, { token, body });
  assert.equal(r.status, status, r.text);
  return r.json;
}

async function group(token, name, settings) {
  const r = await api('POST', '/api/v1/groups', { token, body: { name, ...(settings ? { settings } : {}) } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const eff = (j, key) => [j.settings[key].value, j.settings[key].source];

test('settings-1.1: company settings show every key with its value and source', async () => {
  const co = newCompany('Settings');
  const r = await api('GET', '/api/v1/settings', { token: co.token });
  assert.equal(r.status, 200);
  assert.deepEqual(eff(r.json, 'currency'), ['USD', 'default']);
  assert.deepEqual(r.json.settings.currency.levels, ['company', 'group', 'client']);
  assert.deepEqual(r.json.settings.portal_registration.levels, ['company']);
  assert.ok(r.json.settings.date_format.values.includes('DD.MM.YYYY'));
  const p = await patch(co.token, '/api/v1/settings', { currency: 'EUR', send_reminders: false, payment_terms: 0 });
  assert.deepEqual(eff(p, 'currency'), ['EUR', 'company']);
  assert.deepEqual(eff(p, 'send_reminders'), [false, 'company'], 'false is a value');
  assert.deepEqual(eff(p, 'payment_terms'), [0, 'company'], '0 is a value');
  const reset = await patch(co.token, '/api/v1/settings', { currency: null });
  assert.deepEqual(eff(reset, 'currency'), ['USD', 'default']);
});

test('settings-1.2: a key set at company, at group, at client; clearing falls back', async () => {
  const co = newCompany('Settings');
  await patch(co.token, '/api/v1/settings', { currency: 'EUR', language: 'de' });
  const g = await group(co.token, `G ${uid()}`, { currency: 'CHF' });
  const inGroup = await createClient(co.token, { group: g.id });
  const loose = await createClient(co.token);
  const s1 = (await api('GET', `/api/v1/clients/${inGroup.id}/settings`, { token: co.token })).json;
  assert.deepEqual(eff(s1, 'currency'), ['CHF', 'group']);
  assert.deepEqual(eff(s1, 'language'), ['de', 'company']);
  assert.deepEqual(eff(s1, 'timezone'), ['UTC', 'default']);
  const s2 = (await api('GET', `/api/v1/clients/${loose.id}/settings`, { token: co.token })).json;
  assert.deepEqual(eff(s2, 'currency'), ['EUR', 'company'], 'a client without a group falls back to the company');
  const over = await patch(co.token, `/api/v1/clients/${inGroup.id}/settings`, { currency: 'JPY' });
  assert.deepEqual(eff(over, 'currency'), ['JPY', 'client']);
  assert.equal((await getClient(co.token, inGroup.id)).currency, 'JPY');
  assert.equal((await getClient(co.token, inGroup.id)).balance, '0', 'JPY has no minor unit');
  const cleared = await patch(co.token, `/api/v1/clients/${inGroup.id}/settings`, { currency: null });
  assert.deepEqual(eff(cleared, 'currency'), ['CHF', 'group'], 'clearing a client override falls back to the group');
  // The group's own view.
  const gs = (await api('GET', `/api/v1/groups/${g.id}/settings`, { token: co.token })).json;
  assert.deepEqual(eff(gs, 'currency'), ['CHF', 'group']);
  assert.deepEqual(eff(gs, 'language'), ['de', 'company']);
  assert.equal(gs.settings.custom_fields, undefined, 'company-only keys are not shown for groups');
});

test('settings-1.3: bad keys, levels and types are 422 naming the key', async () => {
  const co = newCompany('Settings');
  const c = await createClient(co.token);
  const g = await group(co.token, `G ${uid()}`);
  const cases = [
    ['/api/v1/settings', { colour: 'red' }, ['colour:unknown_field']],
    ['/api/v1/settings', { currency: 'EURO' }, ['currency:invalid_format']],
    ['/api/v1/settings', { currency: 'XYZ' }, ['currency:invalid_value']],
    ['/api/v1/settings', { timezone: 'Mars/Olympus' }, ['timezone:invalid_value']],
    ['/api/v1/settings', { send_reminders: 'yes' }, ['send_reminders:invalid_type']],
    ['/api/v1/settings', { payment_terms: '30' }, ['payment_terms:invalid_type']],
    ['/api/v1/settings', { payment_terms: -1 }, ['payment_terms:out_of_range']],
    ['/api/v1/settings', { language: 'de_CH' }, ['language:invalid_format']],
    ['/api/v1/settings', { reminder_schedule: [14, 7] }, ['reminder_schedule[1]:invalid_value']],
    ['/api/v1/settings', { client_number_pattern: 'KDR' }, ['client_number_pattern:invalid_value']],
    [`/api/v1/clients/${c.id}/settings`, { portal_registration: true }, ['portal_registration:invalid_value']],
    [`/api/v1/clients/${c.id}/settings`, { client_number_pattern: '{$counter}' }, ['client_number_pattern:invalid_value']],
    [`/api/v1/groups/${g.id}/settings`, { custom_fields: {} }, ['custom_fields:invalid_value']],
    [`/api/v1/clients/${c.id}/settings`, {}, ['body:empty']],
  ];
  for (const [path, body, want] of cases) {
    const r = await api('PATCH', path, { token: co.token, body });
    assert.equal(r.status, 422, `${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual(fieldErrors(r), want, `${path} ${JSON.stringify(body)}`);
  }
  const msg = (await api('PATCH', '/api/v1/settings', { token: co.token, body: { client_number_pattern: 'KDR' } })).json;
  assert.match(msg.error.message, /no counter/);
  // Nothing above changed anything.
  const s = (await api('GET', '/api/v1/settings', { token: co.token })).json;
  assert.deepEqual(eff(s, 'currency'), ['USD', 'default']);
});

test('settings-1.4: settings writes need admin rights and write events', async () => {
  const co = newCompany('Settings');
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const member = newUser(me.company.id, 'member');
  const c = await createClient(co.token);
  assert.equal((await api('PATCH', '/api/v1/settings', { token: member.token, body: { currency: 'EUR' } })).status, 403);
  assert.equal((await api('PATCH', `/api/v1/clients/${c.id}/settings`, { token: member.token, body: { currency: 'EUR' } })).status, 403);
  assert.equal((await api('GET', `/api/v1/clients/${c.id}/settings`, { token: member.token })).status, 200);
  await patch(co.token, `/api/v1/clients/${c.id}/settings`, { currency: 'GBP' });
  const act = (await api('GET', `/api/v1/clients/${c.id}/activity`, { token: co.token })).json.data;
  assert.deepEqual(act[0].changes, { 'settings.currency': { before: null, after: 'GBP' } });
  await patch(co.token, '/api/v1/settings', { payment_terms: 45 });
  const ev = await asOwner((db) => db.query(
    "SELECT changes FROM events e JOIN users u ON u.company_id = e.company_id WHERE u.email = $1 AND e.type = 'settings.updated'",
    [co.email]));
  assert.deepEqual(ev.rows[0].changes, { 'settings.payment_terms': { before: null, after: 45 } });
});

test('settings-1.5: If-Match on client settings', async () => {
  const co = newCompany('Settings');
  const c = await createClient(co.token);
  const g = await api('GET', `/api/v1/clients/${c.id}/settings`, { token: co.token });
  const etag = g.headers.get('etag');
  const ok = await api('PATCH', `/api/v1/clients/${c.id}/settings`, { token: co.token, headers: { 'If-Match': etag }, body: { language: 'fr' } });
  assert.equal(ok.status, 200);
  const stale = await api('PATCH', `/api/v1/clients/${c.id}/settings`, { token: co.token, headers: { 'If-Match': etag }, body: { language: 'it' } });
  assert.equal(stale.status, 412);
});

test('settings-1.6: a list of clients shows each effective currency in one query', async () => {
  const co = newCompany('Settings');
  await patch(co.token, '/api/v1/settings', { currency: 'EUR' });
  const g = await group(co.token, `G ${uid()}`, { currency: 'KWD' });
  const a = await createClient(co.token, { name: 'In group', group: g.id });
  const b = await createClient(co.token, { name: 'Own' });
  await patch(co.token, `/api/v1/clients/${b.id}/settings`, { currency: 'JPY' });
  await createClient(co.token, { name: 'Plain' });
  const e = await api('POST', `/api/v1/clients/${a.id}/ledger`, { token: co.token, headers: { 'Idempotency-Key': uid() }, body: { kind: 'invoice', amount: '12.345' } });
  assert.equal(e.status, 201, e.text);
  const r = await api('GET', '/api/v1/clients?sort=name', { token: co.token });
  assert.deepEqual(r.json.data.map((c) => [c.name, c.currency]), [['In group', 'KWD'], ['Own', 'JPY'], ['Plain', 'EUR']]);
  assert.equal(r.json.data[0].balance, '12.345', 'three places for KWD');
  assert.match(r.headers.get('server-timing'), /1 round trip/);
  // The list's resolution (SQL) and the settings view's (the registry) agree.
  for (const c of r.json.data) {
    const s = (await api('GET', `/api/v1/clients/${c.id}/settings`, { token: co.token })).json;
    assert.equal(s.settings.currency.value, c.currency, c.name);
  }
});

test('groups-1.1: create, rename, list with member counts; names are unique', async () => {
  const co = newCompany('Groups');
  const g = await group(co.token, 'Wholesale', { payment_terms: 60 });
  assert.deepEqual(g.settings, { payment_terms: 60 });
  assert.equal(g.member_count, 0);
  const dup = await api('POST', '/api/v1/groups', { token: co.token, body: { name: 'wholesale' } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'name');
  await createClient(co.token, { group: g.id });
  const one = (await api('GET', `/api/v1/groups/${g.id}`, { token: co.token })).json;
  assert.equal(one.member_count, 1);
  const renamed = await patch(co.token, `/api/v1/groups/${g.id}`, { name: 'Wholesale EU', settings: { payment_terms: null, currency: 'EUR' } });
  assert.equal(renamed.name, 'Wholesale EU');
  assert.deepEqual(renamed.settings, { currency: 'EUR' });
  await group(co.token, 'Retail');
  const list = await api('GET', '/api/v1/groups', { token: co.token });
  assert.deepEqual(list.json.data.map((x) => x.name), ['Retail', 'Wholesale EU']);
  assert.equal((await api('GET', '/api/v1/groups?q=retail', { token: co.token })).json.data.length, 1);
  for (const [body, want] of [[{}, ['name:required']], [{ name: '' }, ['name:empty']], [{ name: 'x', settings: { portal_uploads: true } }, ['settings.portal_uploads:invalid_value']], [{ name: 'x', color: 1 }, ['color:unknown_field']]]) {
    const r = await api('POST', '/api/v1/groups', { token: co.token, body });
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.deepEqual(fieldErrors(r), want, JSON.stringify(body));
  }
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  const member = newUser(me.company.id, 'member');
  assert.equal((await api('POST', '/api/v1/groups', { token: member.token, body: { name: 'no' } })).status, 403);
  const other = newCompany('Groups-other');
  assert.equal((await api('GET', `/api/v1/groups/${g.id}`, { token: other.token })).status, 404);
});

test('groups-1.2: a group with clients is deleted only when asked to detach them', async () => {
  const co = newCompany('Groups');
  const g = await group(co.token, 'Temp');
  const c = await createClient(co.token, { group: g.id });
  const refused = await api('DELETE', `/api/v1/groups/${g.id}`, { token: co.token });
  assert.equal(refused.status, 409);
  assert.match(refused.json.error.message, /still has 1 client$/);
  assert.match(refused.json.error.hint, /detach=true/);
  assert.equal((await api('DELETE', `/api/v1/groups/${g.id}?detach=maybe`, { token: co.token })).status, 400);
  const ok = await api('DELETE', `/api/v1/groups/${g.id}?detach=true`, { token: co.token });
  assert.equal(ok.status, 204);
  const after = await getClient(co.token, c.id);
  assert.equal(after.group, null);
  const act = (await api('GET', `/api/v1/clients/${c.id}/activity`, { token: co.token })).json.data;
  assert.deepEqual(act[0].changes, { group: { before: g.id, after: null } });
  assert.equal((await api('GET', `/api/v1/groups/${g.id}`, { token: co.token })).status, 404);
});

test('groups-1.4: a group shows its members by status, the same clients a delete counts (issue 11)', async () => {
  const co = newCompany('Groups');
  const g = await group(co.token, 'Counted');
  const [a, b, c] = [await createClient(co.token, { group: g.id }), await createClient(co.token, { group: g.id }), await createClient(co.token, { group: g.id })];
  await api('POST', `/api/v1/clients/${b.id}/archive`, { token: co.token });
  await api('DELETE', `/api/v1/clients/${c.id}`, { token: co.token });
  const one = (await api('GET', `/api/v1/groups/${g.id}`, { token: co.token })).json;
  assert.deepEqual([one.member_count, one.member_counts], [2, { active: 1, archived: 1, deleted: 1 }]);
  const listed = (await api('GET', '/api/v1/groups', { token: co.token })).json.data.find((x) => x.id === g.id);
  assert.deepEqual(listed.member_counts, one.member_counts);
  const refused = await api('DELETE', `/api/v1/groups/${g.id}`, { token: co.token });
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.message, 'group "Counted" still has 3 clients');
  assert.equal(refused.json.error.detail, '1 active, 1 archived and 1 deleted; archived and deleted clients count too.');
  // Twin: with every member gone from the group, nothing is counted and the
  // delete goes through (a deleted client is restored to leave its group).
  await api('POST', `/api/v1/clients/${c.id}/restore`, { token: co.token });
  await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'assign_group', ids: [a.id, b.id, c.id], group: null } });
  assert.deepEqual((await api('GET', `/api/v1/groups/${g.id}`, { token: co.token })).json.member_counts, { active: 0, archived: 0, deleted: 0 });
  assert.equal((await api('DELETE', `/api/v1/groups/${g.id}`, { token: co.token })).status, 204);
});

test('groups-1.3: bulk assign_group', async () => {
  const co = newCompany('Groups');
  const g = await group(co.token, 'Bulk');
  const a = await createClient(co.token);
  const b = await createClient(co.token);
  const r = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'assign_group', ids: [a.id, b.id], group: g.id } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.results.map((x) => x.result), ['changed', 'changed']);
  assert.equal((await getClient(co.token, a.id)).group, g.id);
  const off = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'assign_group', ids: [a.id], group: null } });
  assert.equal(off.json.results[0].result, 'changed');
  assert.equal((await getClient(co.token, a.id)).group, null);
  const missing = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'assign_group', ids: [a.id] } });
  assert.deepEqual(fieldErrors(missing), ['group:required']);
  const stray = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'archive', ids: [a.id], group: g.id } });
  assert.deepEqual(fieldErrors(stray), ['group:unknown_field']);
  const unknown = await api('POST', '/api/v1/clients/bulk', { token: co.token, body: { action: 'assign_group', ids: [a.id], group: 'aaaaaaaaaaaa' } });
  assert.deepEqual(fieldErrors(unknown), ['group:invalid_value']);
});

test('numbers-1.1: patterns, padding, date variables and the preview', async () => {
  const co = newCompany('Numbers');
  const year = String(new Date().getUTCFullYear());
  await patch(co.token, '/api/v1/settings', { client_number_pattern: 'C-{$year}-{$counter}', counter_padding: 3, client_number_counter: 7 });
  const pre = await api('GET', '/api/v1/settings/client-number-preview', { token: co.token });
  assert.equal(pre.status, 200, pre.text);
  assert.deepEqual(pre.json, { pattern: 'C-{$year}-{$counter}', padding: 3, counter_level: 'company', number: `C-${year}-007`, counter: 7 });
  const pre2 = await api('GET', '/api/v1/settings/client-number-preview', { token: co.token });
  assert.equal(pre2.json.number, pre.json.number, 'previewing uses nothing');
  const c = await createClient(co.token);
  assert.equal(c.number, `C-${year}-007`);
  assert.equal((await createClient(co.token)).number, `C-${year}-008`);
  // An unsaved pattern, padding and counter can be previewed.
  const live = await api('GET', `/api/v1/settings/client-number-preview?pattern=${encodeURIComponent('{$date:Ymd}/{$counter}-{$date:y}')}&padding=5&counter=42`, { token: co.token });
  const d = new Date();
  const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  assert.equal(live.json.number, `${ymd}/00042-${year.slice(2)}`);
  const bad = await api('GET', `/api/v1/settings/client-number-preview?pattern=KDR`, { token: co.token });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'pattern');
  assert.match(bad.json.error.message, /no counter/);
  // Taken numbers are skipped, archived and deleted clients' too.
  const taken = await createClient(co.token, { number: `C-${year}-009` });
  await api('DELETE', `/api/v1/clients/${taken.id}`, { token: co.token });
  assert.equal((await createClient(co.token)).number, `C-${year}-010`);
  // A counter longer than the padding is not cut.
  await patch(co.token, '/api/v1/settings', { client_number_counter: 12345, counter_padding: 2 });
  assert.equal((await createClient(co.token)).number, `C-${year}-12345`);
});

test('numbers-1.2: a group keeps its own pattern and counter; the company\'s is untouched', async () => {
  const co = newCompany('Numbers');
  const g = await group(co.token, 'W', { client_number_pattern: 'W{$counter}', client_number_counter: 500 });
  const a = await createClient(co.token, { group: g.id });
  assert.equal(a.number, 'W0500');
  assert.equal((await createClient(co.token, { group: g.id })).number, 'W0501');
  assert.equal((await createClient(co.token)).number, '0001', 'a client without a group uses the company counter');
  const gs = (await api('GET', `/api/v1/groups/${g.id}`, { token: co.token })).json;
  assert.equal(gs.settings.client_number_counter, 502);
  const pre = await api('GET', `/api/v1/settings/client-number-preview?group=${g.id}`, { token: co.token });
  assert.deepEqual([pre.json.number, pre.json.counter_level], ['W0502', 'group']);
});

test('numbers-1.3: {$client_id_number} and {$user_id}', async () => {
  const co = newCompany('Numbers');
  const me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  await patch(co.token, '/api/v1/settings', { client_number_pattern: '{$client_id_number}-{$user_id}-{$counter}' });
  const c = await createClient(co.token, { id_number: 'EXT9' });
  assert.equal(c.number, `EXT9-${me.user.id}-0001`);
});

test('numbers-1.4: 500 concurrent creates in one group with {$group_counter} give 500 distinct numbers', async () => {
  const co = newCompany('Numbers');
  const g = await group(co.token, 'Busy', { client_number_pattern: 'B-{$group_counter}' });
  const rs = await concurrently(500, (i) =>
    api('POST', '/api/v1/clients', { token: co.token, body: { name: `B${i}`, group: g.id } }));
  assert.deepEqual([...new Set(rs.map((r) => r.status))], [201]);
  const nums = rs.map((r) => r.json.number);
  assert.equal(new Set(nums).size, 500);
  assert.deepEqual([...nums].sort(), Array.from({ length: 500 }, (_, i) => `B-${String(i + 1).padStart(4, '0')}`));
});
