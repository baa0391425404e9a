// CSV import and export of clients (issue 16): uploads in the encodings
// and layouts other tools write, the suggested mapping, the dry run and
// the run with their exact per-row errors and rejected rows, duplicates,
// re-imports that skip or update, opening balances in the ledger, all or
// nothing, cancel, templates, progress, permissions, and the export that
// an import turns back into the same clients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, fieldErrors } from './lib/http.mjs';
import { newCompany, newUser } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { BASE } from './lib/env.mjs';
import {
  configure, csvObjects, fixture, importFile, issues, manyRows, parseCsv, phase, upload, uploadOk, waitIdle,
} from './lib/imports.mjs';

const co = newCompany('Import');

async function clientsOf(token, query = '') {
  const r = await api('GET', `/api/v1/clients?per_page=100${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

async function full(token, id) {
  const r = await api('GET', `/api/v1/clients/${id}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The client and import events of a company (by its owner's email), as "type count".
async function eventTypes(email) {
  const r = await asOwner((db) => db.query(`SELECT type, count(*)::int AS n FROM events
    WHERE company_id = (SELECT company_id FROM users WHERE email = $1)
    AND (type LIKE 'client.%' OR type LIKE 'import.%') GROUP BY type ORDER BY type`, [email]));
  return r.rows.map((x) => `${x.type} ${x.n}`);
}

async function text(path, token) {
  const res = await fetch(BASE + path, { headers: { 'X-API-Token': token } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

// ---- uploads ---------------------------------------------------------------

test('imports-1.1: an upload answers its columns, first rows and a suggested mapping', async () => {
  const up = await uploadOk(co.token, 'zoho.csv', fixture('zoho.csv'));
  assert.equal(up.status, 'uploaded');
  assert.equal(up.file.encoding, 'UTF-8');
  assert.equal(up.file.delimiter, ',');
  assert.equal(up.file.header_row, 1);
  assert.equal(up.file.rows, 1);
  assert.deepEqual(up.suggested_mapping, ['name', null, 'contact1.first_name', 'contact1.last_name',
    'contact1.email', 'contact1.phone', 'settings.currency', 'address.address1', 'address.city',
    'address.postal_code', 'address.country', 'opening_balance', 'settings.payment_terms', 'id_number']);
  assert.deepEqual(up.file.columns[4].samples, ['ann@acme.example']);
  assert.equal(up.preview[0][0], 'Acme');
  assert.equal(up.mapping, null);
  assert.equal(up.options.match_key, 'email');
});

test('imports-1.2: semicolons and Latin-1 are found and converted', async () => {
  const up = await uploadOk(co.token, 'latin1.csv', fixture('latin1-semicolon.csv'));
  assert.equal(up.file.encoding, 'ISO-8859-1');
  assert.equal(up.file.delimiter, ';');
  assert.deepEqual(up.suggested_mapping, ['name', 'contact1.email', 'address.city', 'address.country',
    'opening_balance']);
  assert.equal(up.file.columns[4].decimal, ',');
  assert.equal(up.preview[0][0], 'Müller & Söhne GmbH');
  assert.equal((await configure(co.token, up.id, up.suggested_mapping, {})).status, 200);
  const done = await phase(co.token, up.id, 'run');
  assert.equal(done.result.created, 2, JSON.stringify(done.result));
  const [c] = await clientsOf(co.token, '&q=S%C3%B6hne');
  assert.equal(c.name, 'Müller & Söhne GmbH');
  assert.equal(c.address.city, 'Köln');
  assert.equal(c.address.country, 'DE');
  assert.equal(c.balance, '1142.85');
  const [b] = await clientsOf(co.token, '&q=B%C3%A4cker');
  assert.equal(b.balance, '-5.00');
});

test('imports-1.3: Windows-1252, UTF-8 with a BOM and UTF-16 are told apart', async () => {
  let up = await uploadOk(co.token, 'cp1252.csv', fixture('windows-1252.csv'));
  assert.equal(up.file.encoding, 'Windows-1252');
  assert.deepEqual(up.preview[0], ['Café Zoë', 'zoe@cafe.example', '“Quoted” – costs 5 €']);
  up = await uploadOk(co.token, 'bom.csv', fixture('utf8-bom.csv'));
  assert.equal(up.file.encoding, 'UTF-8 with BOM');
  assert.deepEqual(up.suggested_mapping, ['name', 'contact1.email'], 'the BOM is not part of the first header');
  up = await uploadOk(co.token, 'utf16.csv', fixture('utf16le-tab.csv'));
  assert.equal(up.file.encoding, 'UTF-16LE');
  assert.equal(up.file.delimiter, '\t');
  assert.deepEqual(up.preview[0], ['Łódź Sp. z o.o.', 'lodz@example.pl']);
});

test('imports-1.4: quoted line breaks stay in their field, and rows after them keep their lines', async () => {
  const up = await uploadOk(co.token, 'nl.csv', fixture('quoted-newlines.csv'));
  assert.equal(up.file.rows, 2);
  assert.equal(up.preview[0][2], 'line 1\nline 2 with "quotes"');
  await configure(co.token, up.id, ['name', 'contact1.email', 'private_notes'], {});
  const done = await phase(co.token, up.id, 'run');
  assert.equal(done.result.created, 1);
  assert.equal(done.result.rejected, 1);
  const [row] = await issues(co.token, up.id);
  assert.equal(row.row, 3, 'the third record');
  assert.equal(row.line, 4, 'starts on the fourth line of the text');
  const [c] = await clientsOf(co.token, '&q=Acme%2C%20Inc');
  assert.equal((await full(co.token, c.id)).private_notes, 'line 1\nline 2 with "quotes"');
});

test('imports-1.5: title lines above the header are skipped; amounts with signs and symbols read', async () => {
  const up = await uploadOk(co.token, 'ninja.csv', fixture('title-lines.csv'));
  assert.equal(up.file.header_row, 4);
  assert.equal(up.file.first_row, 5);
  assert.equal(up.file.rows, 2);
  assert.deepEqual(up.suggested_mapping, ['name', 'contact1.first_name', 'contact1.email',
    'opening_balance', null], 'paid to date has no field: listed, kept out');
  await configure(co.token, up.id, up.suggested_mapping, {});
  const done = await phase(co.token, up.id, 'run');
  assert.equal(done.result.created, 2, JSON.stringify(done.result));
  const balances = (await clientsOf(co.token, '&q=%40acme.example')).concat(await clientsOf(co.token, '&q=%40beta.example'))
    .filter((c) => ['Acme', 'Beta'].includes(c.name)).map((c) => `${c.name} ${c.balance}`).sort();
  assert.ok(balances.includes('Acme -1142.85'), balances.join());
  assert.ok(balances.includes('Beta -42.00'), balances.join());
});

test('imports-1.6: a repeated header name: the second email and phone are the next contact\'s', async () => {
  const own = newCompany('Repeated');
  const up = await uploadOk(own.token, 'rep.csv', fixture('repeated-header.csv'));
  assert.deepEqual(up.suggested_mapping, ['name', 'contact1.email', 'phone', 'contact2.email',
    'contact1.phone']);
  await configure(own.token, up.id, up.suggested_mapping, {});
  await phase(own.token, up.id, 'run');
  const [c] = await clientsOf(own.token, '&q=ops%40acme.example');
  const f = await full(own.token, c.id);
  assert.equal(f.phone, '+1 555 0100');
  assert.deepEqual(f.contacts.map((k) => `${k.email} ${k.phone} ${k.is_primary}`),
    ['ann@acme.example +1 555 0199 true', 'ops@acme.example  false']);
});

test('imports-1.7: a bad file is a 422 that says what and where', async () => {
  let r = await upload(co.token, 'bad.csv', fixture('bad-quote.csv'));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message, 'malformed quotes');
  assert.equal(r.json.error.field, 'file');
  assert.equal(r.json.error.detail, 'Row 3 (line 3), column 2.');
  assert.match(r.json.error.hint, /double quotes/);
  assert.deepEqual(fieldErrors(r), ['file:invalid_format']);
  r = await upload(co.token, 'book.xlsx', Buffer.from('PK\x03\x04rest of a zip'));
  assert.equal(r.status, 422);
  assert.match(r.json.error.errors[0].message, /workbook/);
  r = await upload(co.token, 'empty.csv', Buffer.alloc(0));
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['file:empty']);
  r = await upload(co.token, 'header-only.csv', Buffer.from('name,email\n'));
  assert.equal(r.status, 422);
  assert.match(r.json.error.errors[0].message, /no data rows/);
  r = await upload(co.token, 'x.csv', Buffer.from('a\n1\n'), { field: 'upload' });
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['upload:unknown_field']);
  r = await upload(co.token, 'big-field.csv', Buffer.from(`name\n"${'x'.repeat(70000)}"\n`));
  assert.equal(r.status, 422);
  assert.equal(r.json.error.message, 'a field is longer than 65536 bytes');
  r = await api('POST', '/api/v1/imports', { token: co.token, body: { file: 'name\nx' } });
  assert.equal(r.status, 415);
  assert.match(r.json.error.hint, /multipart\/form-data/);
  // Twin: the same rows, well quoted, upload.
  r = await upload(co.token, 'good.csv', Buffer.from('name,email\nBad,"5"" screen"\n'));
  assert.equal(r.status, 201, r.text);
});

// ---- mapping -----------------------------------------------------------------------

test('imports-2.1: a mapping that does not fit is refused field by field; one that fits is kept', async () => {
  const up = await uploadOk(co.token, 'people.csv', fixture('people.csv'));
  let r = await configure(co.token, up.id, ['name']);
  assert.equal(r.status, 422);
  assert.deepEqual(fieldErrors(r), ['mapping:invalid_value']);
  r = await configure(co.token, up.id, ['name', 'colour', null, null]);
  assert.deepEqual(fieldErrors(r), ['mapping[1]:invalid_value']);
  r = await configure(co.token, up.id, ['name', 'contact1.email', 'name', null]);
  assert.deepEqual(fieldErrors(r), ['mapping[2]:duplicate']);
  r = await configure(co.token, up.id, ['name', null, 'phone', null], { match_key: 'email' });
  assert.deepEqual(fieldErrors(r), ['options.match_key:invalid_value']);
  r = await configure(co.token, up.id, ['name', 'contact1.email', null, null], { on_match: 'merge' });
  assert.deepEqual(fieldErrors(r), ['options.on_match:invalid_value']);
  r = await api('PATCH', `/api/v1/imports/${up.id}`, { token: co.token, body: {} });
  assert.deepEqual(fieldErrors(r), ['body:empty']);
  r = await configure(co.token, up.id, ['name', 'contact1.email', 'phone', 'address.city'],
    { match_key: 'email', on_match: 'update' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.options.on_match, 'update');
  // (nginx marks the tag weak, W/, when it compresses the answer; If-Match
  // compares tags weakly: core/etag.c)
  assert.equal(r.headers.get('etag').replace(/^W\//, ''), `"${r.json.version}"`);
  const stale = await api('PATCH', `/api/v1/imports/${up.id}`, {
    token: co.token, body: { options: { mode: 'valid_rows' } }, headers: { 'If-Match': '"1"' },
  });
  assert.equal(stale.status, 412);
  r = await api('POST', `/api/v1/imports/${up.id}/run`, { token: co.token });
  assert.equal(r.status, 202);
  assert.equal((await configure(co.token, up.id, undefined, { mode: 'valid_rows' })).status, 409,
    'no new mapping while it runs');
  await waitIdle(co.token, up.id);
  assert.equal((await configure(co.token, up.id, undefined, { mode: 'valid_rows' })).status, 409,
    'nor after');
});

test('imports-2.2: a run without a mapping is refused; the fields a column can take are listed', async () => {
  const up = await uploadOk(co.token, 'people.csv', fixture('people.csv'));
  const r = await api('POST', `/api/v1/imports/${up.id}/run`, { token: co.token });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'mapping');
  const f = await api('GET', '/api/v1/import-fields', { token: co.token });
  assert.equal(f.status, 200);
  assert.equal(f.json.contacts_max, 50);
  const names = f.json.fields.map((x) => x.field);
  for (const n of ['number', 'id_number', 'group', 'opening_balance', 'email', 'settings.currency',
    'settings.payment_terms', 'settings.language', 'address.country', 'shipping_address.city']) {
    assert.ok(names.includes(n), n);
  }
});

// ---- dry run, run, per-row errors -------------------------------------------------------

const badErrors = [
  { row: 3, column: 3, column_name: 'Email', value: 'not-an-email',
    message: 'field "contacts[0].email" is not a valid email address: "not-an-email"' },
  { row: 4, column: 1, column_name: 'Number', value: 'C-1',
    message: 'client number "C-1" is already used by row 2 of this file' },
  { row: 5, column: 4, column_name: 'Country', value: 'Atlantis',
    message: 'field "address.country" must be an ISO 3166-1 alpha-2 country code, not "Atlantis"' },
  { row: 6, column: 5, column_name: 'Opening balance', value: '12x',
    message: 'field "opening_balance" is not an amount: "12x"' },
];

const badRejectedCsv = [
  'Number,Name,Email,Country,Opening balance,error',
  'C-2,Beta Ltd,not-an-email,GB,0,"column 3 (Email): field ""contacts[0].email"" is not a valid email address: ""not-an-email"""',
  'C-1,Gamma SA,gamma@example.com,FR,0,"column 1 (Number): client number ""C-1"" is already used by row 2 of this file"',
  'C-4,Delta Inc,delta@example.com,Atlantis,0,"column 4 (Country): field ""address.country"" must be an ISO 3166-1 alpha-2 country code, not ""Atlantis"""',
  'C-5,Epsilon AG,epsilon@example.com,CH,12x,"column 5 (Opening balance): field ""opening_balance"" is not an amount: ""12x"""',
  '',
].join('\r\n');

function pick(rows) {
  return rows.map((i) => ({ row: i.row, column: i.errors[0].column, column_name: i.errors[0].column_name,
    value: i.errors[0].value, message: i.errors[0].message }));
}

test('imports-3.1: the dry run gives the exact per-row errors and writes nothing', async () => {
  const c = newCompany('Dry');
  const up = await uploadOk(c.token, 'bad-rows.csv', fixture('bad-rows.csv'));
  await configure(c.token, up.id, up.suggested_mapping, { match_key: 'email' });
  assert.deepEqual(up.suggested_mapping, ['number', 'name', 'contact1.email', 'address.country', 'opening_balance']);
  const done = await phase(c.token, up.id, 'dry-run');
  assert.equal(done.status, 'uploaded');
  assert.deepEqual({ ...done.dry_run, summary: undefined }, {
    status: 'checked', mode: 'valid_rows', rows: 6, created: 2, updated: 0, unchanged: 0, skipped: 0,
    rejected: 4, duplicates: 0, summary: undefined,
  });
  assert.match(done.dry_run.summary, /a run would create 2 clients.*4 rows have errors/);
  assert.deepEqual(pick(await issues(c.token, up.id, '&phase=dry_run')), badErrors);
  assert.equal((await clientsOf(c.token)).length, 0, 'the dry run wrote no client');
  assert.deepEqual(await eventTypes(c.email), [], 'and no event');
  const csv = await text(`/api/v1/imports/${up.id}/rejected.csv?phase=dry_run`, c.token);
  assert.equal(csv.status, 200);
  assert.equal(csv.body, badRejectedCsv);
  assert.match(csv.headers.get('content-disposition'), /rejected-bad-rows\.csv/);
});

test('imports-3.2: the run imports the valid rows and rejects the same rows, with the same CSV', async () => {
  const c = newCompany('Run');
  const up = await uploadOk(c.token, 'bad-rows.csv', fixture('bad-rows.csv'));
  await configure(c.token, up.id, up.suggested_mapping, { match_key: 'email' });
  const done = await phase(c.token, up.id, 'run');
  assert.equal(done.status, 'completed');
  assert.equal(done.result.outcome, 'partial');
  assert.equal(done.result.created, 2);
  assert.equal(done.result.rejected, 4);
  assert.equal(done.result.summary, '2 clients created from 6 rows; 4 left out with errors.');
  assert.deepEqual(pick(await issues(c.token, up.id)), badErrors);
  assert.equal((await text(`/api/v1/imports/${up.id}/rejected.csv`, c.token)).body, badRejectedCsv);
  const names = (await clientsOf(c.token)).map((x) => `${x.number} ${x.name} ${x.balance}`).sort();
  assert.deepEqual(names, ['C-1 Alpha GmbH 100.00', 'C-6 Zeta BV -1142.85']);
  // One event per created client, and one import.completed.
  assert.deepEqual(await eventTypes(c.email), ['client.created 2', 'import.completed 1']);
  // The rejected rows, fixed, go in as a file of their own.
  const fixed = (await text(`/api/v1/imports/${up.id}/rejected.csv`, c.token)).body
    .replace('not-an-email', 'beta@example.com').replace('C-1,Gamma', 'C-3,Gamma')
    .replace('Atlantis', 'US').replace(',12x,', ',12,');
  const again = await importFile(c.token, 'fixed.csv', Buffer.from(fixed),
    { mapping: ['number', 'name', 'contact1.email', 'address.country', 'opening_balance', null] });
  assert.equal(again.result.created, 4, JSON.stringify(again.result));
  assert.equal(again.result.rejected, 0);
});

test('imports-3.3: all or nothing: one bad row and nothing is imported, and it says so', async () => {
  const c = newCompany('AllOrNothing');
  const done = await importFile(c.token, 'bad-rows.csv', fixture('bad-rows.csv'),
    { options: { match_key: 'email', mode: 'all_or_nothing' } });
  assert.equal(done.status, 'failed');
  assert.equal(done.result.outcome, 'nothing');
  assert.equal(done.result.created, 0);
  assert.equal(done.result.summary, 'Nothing was imported: 4 of 6 rows have errors, and the import was all or nothing.');
  assert.equal((await clientsOf(c.token)).length, 0);
  assert.equal((await issues(c.token, done.id)).length, 4);
  assert.deepEqual(await eventTypes(c.email), ['import.completed 1']);
  const ev = await asOwner((db) => db.query(`SELECT changes FROM events WHERE type = 'import.completed'
    AND company_id = (SELECT company_id FROM users WHERE email = $1)`, [c.email]));
  assert.equal(ev.rows[0].changes.status.after, 'failed');
  // Twin: the same mode with good rows imports them all.
  const ok = await importFile(c.token, 'people.csv', fixture('people.csv'),
    { options: { mode: 'all_or_nothing' } });
  assert.equal(ok.status, 'completed');
  assert.equal(ok.result.outcome, 'imported');
  assert.equal(ok.result.created, 3);
});

// ---- duplicates ------------------------------------------------------------------------------

test('imports-4.1: re-importing with match key email and skip creates nothing, and says so', async () => {
  const c = newCompany('Reimport');
  const first = await importFile(c.token, 'people.csv', fixture('people.csv'), { options: { match_key: 'email' } });
  assert.equal(first.result.created, 3);
  const again = await importFile(c.token, 'people.csv', fixture('people.csv'),
    { options: { match_key: 'email', on_match: 'skip' } });
  assert.equal(again.status, 'completed');
  assert.equal(again.result.outcome, 'nothing');
  assert.equal(again.result.created, 0);
  assert.equal(again.result.skipped, 3);
  assert.match(again.result.summary, /^Nothing was imported: of 3 rows, 3 matched clients and were skipped/);
  assert.equal((await clientsOf(c.token)).length, 3);
});

test('imports-4.2: with update only the mapped fields change; new rows are created', async () => {
  const c = newCompany('Update');
  await importFile(c.token, 'people.csv', fixture('people.csv'), { options: { match_key: 'email' } });
  const [ann] = await clientsOf(c.token, '&q=ann%40people');
  const p = await api('PATCH', `/api/v1/clients/${ann.id}`, { token: c.token, body: { website: 'https://ann.example' } });
  assert.equal(p.status, 200);
  const before = await full(c.token, ann.id);
  // Map only email and phone: the new name and city in the file stay out.
  const done = await importFile(c.token, 'people-changed.csv', fixture('people-changed.csv'), {
    mapping: [null, 'contact1.email', 'phone', null], options: { match_key: 'email', on_match: 'update' },
  });
  assert.deepEqual([done.result.created, done.result.updated, done.result.unchanged], [1, 1, 1],
    JSON.stringify(done.result), 'Dora is new, Ann has a new phone, Bob has the same');
  const after = await full(c.token, ann.id);
  assert.equal(after.phone, '+1 555 9001');
  assert.equal(after.name, before.name, 'name not mapped: unchanged');
  assert.equal(after.address.city, before.address.city, 'city not mapped: unchanged');
  assert.equal(after.website, 'https://ann.example', 'a field the file does not have: unchanged');
  assert.deepEqual(after.contacts.map((k) => k.email), ['ann@people.example']);
  const ev = await asOwner((db) => db.query(`SELECT count(*)::int AS n FROM events
    WHERE entity_public_id = $1 AND type = 'client.updated'`, [ann.id]));
  assert.equal(ev.rows[0].n, 2, 'the website patch, then the import: one event each');
  // Twin: the same file again changes nothing.
  const twice = await importFile(c.token, 'people-changed.csv', fixture('people-changed.csv'), {
    mapping: [null, 'contact1.email', 'phone', null], options: { match_key: 'email', on_match: 'update' },
  });
  assert.deepEqual([twice.result.created, twice.result.updated, twice.result.unchanged], [0, 0, 3]);
  assert.equal(twice.result.outcome, 'nothing');
});

test('imports-4.3: rows of the file that match each other are reported; create anyway creates both', async () => {
  const c = newCompany('Dups');
  const file = Buffer.from('name,email\nAcme,a@dup.example\nAcme again,A@DUP.example\n');
  const skip = await importFile(c.token, 'dups.csv', file, { options: { match_key: 'email', group_rows: false } });
  assert.deepEqual([skip.result.created, skip.result.skipped, skip.result.duplicates], [1, 1, 1]);
  const [d] = await issues(c.token, skip.id, '&kind=duplicate');
  assert.equal(d.row, 3);
  assert.equal(d.errors[0].message, 'matches row 2 of this file (the same email "A@DUP.example"): skipped');
  const create = await importFile(c.token, 'dups.csv', file,
    { options: { match_key: 'email', on_match: 'create', group_rows: false } });
  assert.equal(create.result.created, 2);
  assert.equal((await clientsOf(c.token)).length, 3);
});

test('imports-4.4: match keys number, id_number and name; consecutive rows of one client are its contacts', async () => {
  const c = newCompany('Keys');
  const done = await importFile(c.token, 'multi.csv', fixture('multi-contact-rows.csv'),
    { options: { match_key: 'number' } });
  assert.equal(done.result.created, 2);
  const [acme] = await clientsOf(c.token, '&q=K-1');
  assert.deepEqual((await full(c.token, acme.id)).contacts.map((k) => k.first_name), ['Ann', 'Bob']);
  const byName = await importFile(c.token, 'multi.csv', fixture('multi-contact-rows.csv'),
    { mapping: [null, 'name', 'contact1.first_name', 'contact1.email'], options: { match_key: 'name' } });
  assert.deepEqual([byName.result.created, byName.result.skipped], [0, 2]);
  const idn = await importFile(c.token, 'idn.csv', Buffer.from('ref,name\nX-9,Xeno\n'),
    { mapping: ['id_number', 'name'], options: { match_key: 'id_number' } });
  assert.equal(idn.result.created, 1);
  const idn2 = await importFile(c.token, 'idn.csv', Buffer.from('ref,name\nX-9,Xeno renamed\n'),
    { mapping: ['id_number', 'name'], options: { match_key: 'id_number', on_match: 'update' } });
  assert.equal(idn2.result.updated, 1);
});

// ---- the ledger ---------------------------------------------------------------------------------

test('imports-5.1: an opening balance lands in the ledger and the check stays at zero', async () => {
  const c = newCompany('Ledger');
  const done = await importFile(c.token, 'title-lines.csv', fixture('title-lines.csv'));
  assert.equal(done.result.created, 2);
  const [acme] = await clientsOf(c.token, '&q=ann%40acme');
  const l = await api('GET', `/api/v1/clients/${acme.id}/ledger`, { token: c.token });
  assert.deepEqual(l.json.data.map((e) => `${e.kind} ${e.amount} ${e.balance_after}`),
    ['opening_balance -1142.85 -1142.85']);
  const check = await api('GET', '/api/v1/ledger/check', { token: c.token });
  assert.deepEqual(check.json.differences, []);
  // Twin: a second opening balance for the same client is refused on its column.
  const again = await importFile(c.token, 'title-lines.csv', fixture('title-lines.csv'),
    { options: { match_key: 'email', on_match: 'update' } });
  assert.equal(again.result.rejected, 2);
  const [first] = await issues(c.token, again.id);
  assert.equal(first.errors[0].column_name, 'Client Balance');
  assert.match(first.errors[0].message, /an opening balance must be the first ledger entry/);
});

// ---- cancel, progress, templates, permissions -------------------------------------------------

test('imports-6.1: progress is pushed as events and cancel stops a run; all or nothing keeps nothing', async () => {
  const c = newCompany('Cancel');
  const up = await uploadOk(c.token, 'many.csv', manyRows(3000, 'M'));
  await configure(c.token, up.id, up.suggested_mapping, { match_key: 'number', mode: 'all_or_nothing' });
  const r = await api('POST', `/api/v1/imports/${up.id}/run`, { token: c.token });
  assert.equal(r.status, 202);
  // Events: at least two states of the run, with its progress.
  const res = await fetch(`${BASE}/api/v1/imports/${up.id}/events`, { headers: { 'X-API-Token': c.token } });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body.getReader();
  let buf = '';
  const seen = [];
  while (seen.length < 2) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    for (const m of buf.matchAll(/event: import\ndata: (.*)\n\n/g)) seen.push(JSON.parse(m[1]));
    buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
  }
  await reader.cancel();
  assert.ok(seen.length >= 2);
  assert.ok(seen.every((s) => ['queued', 'running'].includes(s.status)), seen.map((s) => s.status).join());
  const cancel = await api('POST', `/api/v1/imports/${up.id}/cancel`, { token: c.token });
  assert.equal(cancel.status, 202, cancel.text);
  assert.equal(cancel.json.cancel_requested, true);
  const done = await waitIdle(c.token, up.id);
  assert.equal(done.status, 'cancelled');
  assert.equal(done.result.summary, 'Cancelled: nothing was imported.');
  assert.equal((await clientsOf(c.token)).length, 0);
  // Twin: nothing left to cancel.
  const twice = await api('POST', `/api/v1/imports/${up.id}/cancel`, { token: c.token });
  assert.equal(twice.status, 409);
});

test('imports-6.2: a saved template is suggested again for a file with the same header', async () => {
  const c = newCompany('Templates');
  const up = await uploadOk(c.token, 'people.csv', fixture('people.csv'));
  await configure(c.token, up.id, ['name', 'contact1.email', null, 'address.city'], { match_key: 'email', on_match: 'update' });
  const t = await api('POST', '/api/v1/import-templates', { token: c.token, body: { name: 'People', import: up.id } });
  assert.equal(t.status, 201, t.text);
  assert.deepEqual(t.json.mapping, ['name', 'contact1.email', null, 'address.city']);
  // Same header (cased and spaced differently): the template's mapping.
  const same = await uploadOk(c.token, 'p2.csv', Buffer.from('NAME, e-mail ,phone,CITY\nZed,zed@x.example,1,Oslo\n'));
  assert.deepEqual(same.template, { id: t.json.id, name: 'People' });
  assert.deepEqual(same.suggested_mapping, ['name', 'contact1.email', null, 'address.city']);
  assert.equal(same.options.on_match, 'update');
  // Twin: another header gets suggestions by name.
  const other = await uploadOk(c.token, 'zoho.csv', fixture('zoho.csv'));
  assert.equal(other.template, null);
  const list = await api('GET', '/api/v1/import-templates', { token: c.token });
  assert.deepEqual(list.json.data.map((x) => x.name), ['People']);
  const bad = await api('POST', '/api/v1/import-templates', { token: c.token, body: { name: '', import: up.id } });
  assert.equal(bad.status, 422);
  assert.equal((await api('DELETE', `/api/v1/import-templates/${t.json.id}`, { token: c.token })).status, 204);
  assert.equal((await api('DELETE', `/api/v1/import-templates/${t.json.id}`, { token: c.token })).status, 404);
});

test('imports-6.3: imports are for admins, and another company\'s are a 404', async () => {
  const up = await uploadOk(co.token, 'people.csv', fixture('people.csv'));
  const me = await api('GET', '/api/v1/me', { token: co.token });
  const member = newUser(me.json.company.id, 'member');
  const r = await upload(member.token, 'people.csv', fixture('people.csv'));
  assert.equal(r.status, 403);
  assert.equal((await api('GET', `/api/v1/imports/${up.id}`, { token: member.token })).status, 403);
  const other = newCompany('Other');
  for (const [m, p] of [['GET', ''], ['GET', '/errors'], ['GET', '/rejected.csv'], ['GET', '/events'],
    ['POST', '/run'], ['POST', '/dry-run'], ['DELETE', '']]) {
    const x = await api(m, `/api/v1/imports/${up.id}${p}`, { token: other.token });
    assert.equal(x.status, 404, `${m} ${p}`);
  }
  const list = await api('GET', '/api/v1/imports', { token: other.token });
  assert.equal(list.json.data.length, 0);
  // Twin: its own company sees it, and deletes it.
  assert.ok((await api('GET', '/api/v1/imports?per_page=100', { token: co.token })).json.data.some((i) => i.id === up.id));
  assert.equal((await api('DELETE', `/api/v1/imports/${up.id}`, { token: co.token })).status, 204);
  assert.equal((await api('GET', `/api/v1/imports/${up.id}`, { token: co.token })).status, 404);
});

// ---- export and the round trip ---------------------------------------------------------------

async function seedForExport(token) {
  const g = await api('POST', '/api/v1/groups', { token, body: { name: 'VIP' } });
  assert.equal(g.status, 201, g.text);
  const a = await api('POST', '/api/v1/clients', { token, body: {
    number: 'A-100', name: 'Acme GmbH', website: 'https://acme.example', phone: '+49 30 1234',
    vat_number: 'DE123456789', id_number: 'EXT-1',
    address: { address1: 'Hauptstr. 1', address2: 'Hof 2', city: 'Berlin', state: 'BE', postal_code: '10115', country: 'DE' },
    shipping_address: { address1: '1 Rue X', city: 'Paris', postal_code: '75001', country: 'FR' },
    public_notes: '=SUM(1,2)', private_notes: 'line 1\nline 2, "quoted"',
    custom_value1: 'c1', custom_value2: '@c2', custom_value3: 'c3', custom_value4: 'c4', group: g.json.id,
    contacts: [
      { first_name: 'Ann', last_name: 'Lee', email: 'ann@acme.example', phone: '+1 555', custom_value1: 'k1' },
      { first_name: 'Bob', email: 'bob@acme.example', send_email: false },
    ],
  } });
  assert.equal(a.status, 201, a.text);
  const s = await api('PATCH', `/api/v1/clients/${a.json.id}/settings`, { token,
    body: { currency: 'EUR', payment_terms: 30, language: 'de', reminder_schedule: [3, 7], send_reminders: false } });
  assert.equal(s.status, 200, s.text);
  const l = await api('POST', `/api/v1/clients/${a.json.id}/ledger`, { token,
    headers: { 'Idempotency-Key': `ob-${a.json.id}` }, body: { kind: 'opening_balance', amount: '1142.85' } });
  assert.equal(l.status, 201, l.text);
  const b = await api('POST', '/api/v1/clients', { token, body: {
    number: 'A-101', contacts: [{ first_name: 'Cy', last_name: 'Dee', email: 'cy@person.example' }] } });
  assert.equal(b.status, 201, b.text);
  const d = await api('POST', '/api/v1/clients', { token, body: {
    number: 'A-102', name: ' Spaced, "Quoted" ', custom_value1: '-12' } });
  assert.equal(d.status, 201, d.text);
}

const informational = ['id', 'created_at', 'updated_at'];

function comparable(csv) {
  return csvObjects(csv).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !informational.includes(k))))
    .sort((x, y) => x.number.localeCompare(y.number));
}

test('imports-7.1: the export re-imports with its suggested mapping into the same clients, field for field', async () => {
  const a = newCompany('ExportA');
  await seedForExport(a.token);
  const exp = await text('/api/v1/clients/export.csv', a.token);
  assert.equal(exp.status, 200);
  assert.equal(exp.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(exp.headers.get('content-disposition'), /^attachment; filename="clients-\d{4}-\d{2}-\d{2}\.csv"$/);
  const rows = csvObjects(exp.body);
  const acme = rows.find((r) => r.number === 'A-100');
  assert.equal(acme.public_notes, "'=SUM(1,2)", 'formulas defused');
  assert.equal(acme.phone, "'+49 30 1234");
  assert.equal(acme['settings.currency'], 'EUR');
  assert.equal(acme['settings.reminder_schedule'], '3,7');
  assert.equal(acme.contact2_send_email, 'false');
  assert.equal(acme.balance, '1142.85');
  assert.equal(acme.group, 'VIP');

  const b = newCompany('ExportB');
  const up = await uploadOk(b.token, 'clients.csv', Buffer.from(exp.body));
  const header = parseCsv(exp.body)[0];
  const unmapped = header.filter((h, i) => up.suggested_mapping[i] === null);
  assert.deepEqual(unmapped, ['id', 'display_name', 'status', 'paid_to_date', 'created_at', 'updated_at'],
    'every field but the ones for reading is suggested');
  await configure(b.token, up.id, up.suggested_mapping, { match_key: 'number' });
  const done = await phase(b.token, up.id, 'run');
  assert.equal(done.result.created, 3, JSON.stringify(done.result));
  const back = await text('/api/v1/clients/export.csv', b.token);
  assert.deepEqual(comparable(back.body), comparable(exp.body));
  assert.deepEqual((await api('GET', '/api/v1/ledger/check', { token: b.token })).json.differences, []);
});

test('imports-7.2: the export follows the list\'s filters and sort, with a BOM when asked', async () => {
  const c = newCompany('ExportFilters');
  for (const n of ['Beta', 'Alpha', 'Gamma']) {
    assert.equal((await api('POST', '/api/v1/clients', { token: c.token, body: { name: n } })).status, 201);
  }
  const [gamma] = await clientsOf(c.token, '&q=Gamma');
  await api('POST', `/api/v1/clients/${gamma.id}/archive`, { token: c.token });
  let r = await text('/api/v1/clients/export.csv?sort=name', c.token);
  assert.deepEqual(csvObjects(r.body).map((x) => x.name), ['Alpha', 'Beta']);
  r = await text('/api/v1/clients/export.csv?status=archived', c.token);
  assert.deepEqual(csvObjects(r.body).map((x) => `${x.name} ${x.status}`), ['Gamma archived']);
  const raw = await fetch(`${BASE}/api/v1/clients/export.csv?q=alp&bom=true`, { headers: { 'X-API-Token': c.token } });
  const bytes = Buffer.from(await raw.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the byte order mark first');
  assert.equal(csvObjects(bytes.toString('utf8')).length, 1);
  // Twins: bad parameters are a 400 in the envelope.
  const bad = await api('GET', '/api/v1/clients/export.csv?bom=yes', { token: c.token });
  assert.equal(bad.status, 400);
  assert.equal((await api('GET', '/api/v1/clients/export.csv?sort=colour', { token: c.token })).status, 400);
  assert.equal((await api('GET', '/api/v1/clients/export.csv?page=2', { token: c.token })).status, 400);
});

test('imports-7.3: an export of thousands of clients streams whole', async () => {
  const c = newCompany('ExportMany');
  const done = await importFile(c.token, 'many.csv', manyRows(2500, 'E'), { options: { match_key: 'number' } });
  assert.equal(done.result.created, 2500);
  const r = await text('/api/v1/clients/export.csv?sort=number', c.token);
  assert.equal(r.headers.get('transfer-encoding'), 'chunked');
  const rows = csvObjects(r.body);
  assert.equal(rows.length, 2500);
  assert.equal(new Set(rows.map((x) => x.number)).size, 2500);
});
