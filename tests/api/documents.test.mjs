// Documents (issue 14): uploads of several files stored in PostgreSQL in
// chunks, byte-identical downloads with ranges, rename, visibility and
// delete; one blob per company for the same bytes; another company's or
// another client's document is a 404 on every route; permissions; the
// company's size limit; file names that try to be paths, headers or
// scripts; a cut body stores nothing; the portal's view of it all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, login, fieldErrors } from './lib/http.mjs';
import { newCompany, newUser, setPermissions, uid } from './lib/fixtures.mjs';
import { asOwner } from './lib/db.mjs';
import { activity, createClient, getClient } from './lib/clients.mjs';
import { papi, sessionOf, slugOf, secretsUsed } from './lib/portal.mjs';
import { BASE } from './lib/env.mjs';
import { receiver, verified } from './lib/receiver.mjs';
import { validateSchema } from './lib/openapi.mjs';
import { bytes, download, sha256, stored, uploadOk, uploadTo } from './lib/documents.mjs';

const MiB = 1024 * 1024;

async function company(label = 'Docs') {
  const co = newCompany(label);
  co.me = (await api('GET', '/api/v1/me', { token: co.token })).json;
  co.auth = { 'X-API-Token': co.token };
  return co;
}

test('documents-1.1: upload two files, list them, download each byte for byte; the client counts them; events', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Acme' });
  const big = bytes(MiB + 12345); // three chunks
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), bytes(2000)]);
  const docs = await uploadOk(co.token, 'clients', c.id, [
    { name: 'big.bin', data: big }, { name: 'Invoice 7.pdf', data: pdf, type: 'application/pdf' }]);
  assert.equal(docs.length, 2);
  assert.deepEqual(docs.map((d) => [d.name, d.size, d.sha256, d.client, d.visible]), [
    ['big.bin', big.length, sha256(big), c.id, false], ['Invoice 7.pdf', pdf.length, sha256(pdf), c.id, false]]);
  assert.equal(docs[1].content_type, 'application/pdf');
  assert.equal(docs[1].sniffed_type, 'application/pdf');
  assert.deepEqual(docs[0].uploaded_by, { type: 'user', id: co.me.user.id, name: 'Test Owner' });

  const list = await api('GET', `/api/v1/clients/${c.id}/documents`, { token: co.token });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.data.map((d) => d.id).sort(), docs.map((d) => d.id).sort());
  assert.equal(list.json.meta.pagination.total, 2);

  for (const [d, data] of [[docs[0], big], [docs[1], pdf]]) {
    const r = await download(`/api/v1/documents/${d.id}/download`, co.auth);
    assert.equal(r.status, 200);
    assert.equal(sha256(r.body), sha256(data), 'byte-identical');
    assert.equal(r.headers.get('content-length'), String(data.length));
    assert.equal(r.headers.get('etag'), `"${sha256(data)}"`);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('content-type'), d.content_type);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="[^"]+"; filename\*=UTF-8''/);
  }
  const full = await getClient(co.token, c.id);
  assert.equal(full.counts.documents, 2, 'the overview counts documents');
  const types = (await activity(co.token, c.id)).map((e) => e.type);
  assert.equal(types.filter((t) => t === 'document.created').length, 2);
  assert.equal(types.filter((t) => t === 'document.downloaded').length, 2, 'downloads are in the activity');

  const one = await api('GET', `/api/v1/documents/${docs[1].id}`, { token: co.token });
  assert.equal(one.status, 200);
  assert.equal(one.headers.get('etag'), '"1"');
  const all = await api('GET', `/api/v1/documents?client=${c.id}&type=application&q=INVOICE`, { token: co.token });
  assert.deepEqual(all.json.data.map((d) => d.id), [docs[1].id], 'filters: client, type, q on the name');
  const since = await api('GET', `/api/v1/documents?uploaded_since=2999-01-01T00:00:00Z`, { token: co.token });
  assert.equal(since.json.data.length, 0);
  const bad = await api('GET', '/api/v1/documents?uploaded_since=yesterday', { token: co.token });
  assert.equal(bad.status, 400, 'documents-1.2: (twin) a bad time is a 400');
  const page = await api('GET', `/api/v1/clients/${c.id}/documents?per_page=1`, { token: co.token });
  const next = await api('GET', `/api/v1/clients/${c.id}/documents?per_page=1&cursor=${page.json.meta.next_cursor}`,
    { token: co.token });
  assert.notEqual(page.json.data[0].id, next.json.data[0].id, 'documents-1.3: a cursor walks the list');
});

test('documents-1.4: a group\'s documents, the same way', async () => {
  const co = await company();
  const g = await api('POST', '/api/v1/groups', { token: co.token, body: { name: `G ${uid()}` } });
  const data = bytes(5000);
  const [d] = await uploadOk(co.token, 'groups', g.json.id, [{ name: 'terms.txt', data, type: 'text/plain' }]);
  assert.equal(d.group, g.json.id);
  assert.equal(d.client, null);
  const list = await api('GET', `/api/v1/groups/${g.json.id}/documents`, { token: co.token });
  assert.deepEqual(list.json.data.map((x) => x.id), [d.id]);
  const r = await download(`/api/v1/documents/${d.id}/download`, co.auth);
  assert.equal(sha256(r.body), sha256(data));
  const none = await uploadTo(`/api/v1/groups/${g.json.id}/documents`, [], { token: co.token });
  assert.equal(none.status, 422, 'documents-1.5: (twin) no file is a 422');
  assert.deepEqual(fieldErrors(none), ['file:required']);
  const json = await api('POST', `/api/v1/groups/${g.json.id}/documents`, { token: co.token, body: {} });
  assert.equal(json.status, 415, 'documents-1.6: JSON is not an upload');
});

test('documents-2.1: ranges: 206 with the part, a suffix, past the end 416, If-None-Match 304, If-Range', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Range' });
  const data = bytes(600 * 1024); // crosses a chunk
  const [d] = await uploadOk(co.token, 'clients', c.id, [{ name: 'r.bin', data }]);
  const path = `/api/v1/documents/${d.id}/download`;
  let r = await download(path, { ...co.auth, Range: 'bytes=524000-524999' });
  assert.equal(r.status, 206);
  assert.equal(r.headers.get('content-range'), `bytes 524000-524999/${data.length}`);
  assert.deepEqual(r.body, data.subarray(524000, 525000));
  r = await download(path, { ...co.auth, Range: 'bytes=-100' });
  assert.deepEqual(r.body, data.subarray(data.length - 100));
  r = await download(path, { ...co.auth, Range: 'bytes=600000-' });
  assert.deepEqual(r.body, data.subarray(600000));
  r = await download(path, { ...co.auth, Range: `bytes=${data.length}-` });
  assert.equal(r.status, 416, 'documents-2.2: (twin) a range past the end');
  assert.equal(r.headers.get('content-range'), `bytes */${data.length}`);
  r = await download(path, { ...co.auth, 'If-None-Match': `"${sha256(data)}"` });
  assert.equal(r.status, 304);
  r = await download(path, { ...co.auth, Range: 'bytes=0-9', 'If-Range': '"other"' });
  assert.equal(r.status, 200, 'documents-2.3: If-Range with another ETag: the whole file');
  assert.equal(r.body.length, data.length);
  r = await download(path, { ...co.auth }, 'HEAD');
  assert.equal(r.headers.get('content-length'), String(data.length), 'HEAD: the length, no body');
  assert.equal(r.body.length, 0);
});

test('documents-3.1: rename and visibility, with versions; bad names refused; delete', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Edit' });
  const [d] = await uploadOk(co.token, 'clients', c.id, [{ name: 'a.txt', data: Buffer.from('hello') }]);
  let r = await api('PATCH', `/api/v1/documents/${d.id}`, { token: co.token, body: { name: 'Ünïcode – ok.txt', visible: true } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.name, r.json.visible, r.json.version], ['Ünïcode – ok.txt', true, 2]);
  r = await api('PATCH', `/api/v1/documents/${d.id}`, { token: co.token, body: { visible: false }, headers: { 'If-Match': '"1"' } });
  assert.equal(r.status, 412, 'documents-3.2: (twin) a stale version');
  for (const [name, why] of [['a/b', 'slash'], ['a\\b', 'backslash'], ['..', 'dots'], ['a\u0001b', 'control'], ['', 'empty'], ['x'.repeat(300), 'long']]) {
    r = await api('PATCH', `/api/v1/documents/${d.id}`, { token: co.token, body: { name } });
    assert.equal(r.status, 422, `documents-3.3: a name with ${why} is refused`);
  }
  r = await api('PATCH', `/api/v1/documents/${d.id}`, { token: co.token, body: { color: 'red' } });
  assert.deepEqual(fieldErrors(r), ['color:unknown_field']);
  const cd = (await download(`/api/v1/documents/${d.id}/download`, co.auth)).headers.get('content-disposition');
  assert.equal(cd, 'attachment; filename="_n_code _ ok.txt"; filename*=UTF-8\'\'%C3%9Cn%C3%AFcode%20%E2%80%93%20ok.txt');
  const types = (await activity(co.token, c.id)).map((e) => e.type);
  assert.equal(types.filter((t) => t === 'document.updated').length, 1);

  r = await api('DELETE', `/api/v1/documents/${d.id}`, { token: co.token });
  assert.equal(r.status, 204);
  assert.equal((await api('GET', `/api/v1/documents/${d.id}`, { token: co.token })).status, 404);
  assert.equal((await download(`/api/v1/documents/${d.id}/download`, co.auth)).status, 404);
  assert.deepEqual(await stored(co.email), { documents: 0, blobs: 0, chunks: 0, orphans: 0 },
    'documents-3.4: the last reference gone, the blob and its chunks go');
  assert.equal((await api('DELETE', `/api/v1/documents/${d.id}`, { token: co.token })).status, 404);
});

test('documents-4.1: the same bytes twice are one blob; another company gets its own', async () => {
  const a = await company();
  const b = await company();
  const data = bytes(700 * 1024);
  const ca = await createClient(a.token, { name: 'A1' });
  const ca2 = await createClient(a.token, { name: 'A2' });
  const cb = await createClient(b.token, { name: 'B1' });
  const [d1] = await uploadOk(a.token, 'clients', ca.id, [{ name: 'one.bin', data }]);
  const [d2] = await uploadOk(a.token, 'clients', ca2.id, [{ name: 'two.bin', data }]);
  assert.notEqual(d1.id, d2.id);
  assert.deepEqual(await stored(a.email), { documents: 2, blobs: 1, chunks: 2, orphans: 0 }, 'stored once');
  const [d3] = await uploadOk(b.token, 'clients', cb.id, [{ name: 'mine.bin', data }]);
  assert.deepEqual(await stored(b.email), { documents: 1, blobs: 1, chunks: 2, orphans: 0 },
    'documents-4.2: never shared across companies');
  assert.equal(d3.sha256, d1.sha256);
  await api('DELETE', `/api/v1/documents/${d1.id}`, { token: a.token });
  assert.deepEqual(await stored(a.email), { documents: 1, blobs: 1, chunks: 2, orphans: 0 },
    'documents-4.3: a blob with a reference left stays');
  const r = await download(`/api/v1/documents/${d2.id}/download`, a.auth);
  assert.equal(sha256(r.body), sha256(data));
  // Two identical files in one upload: one blob.
  const c = await company();
  const cc = await createClient(c.token, { name: 'C' });
  await uploadOk(c.token, 'clients', cc.id, [{ name: 'x.bin', data }, { name: 'y.bin', data }]);
  assert.deepEqual(await stored(c.email), { documents: 2, blobs: 1, chunks: 2, orphans: 0 });
});

test('documents-5.1: another company\'s document, client or group is a 404 on every route', async () => {
  const a = await company();
  const b = await company();
  const ca = await createClient(a.token, { name: 'Theirs' });
  const ga = await api('POST', '/api/v1/groups', { token: a.token, body: { name: `G ${uid()}` } });
  const [d] = await uploadOk(a.token, 'clients', ca.id, [{ name: 'secret.txt', data: Buffer.from('secret') }]);
  const t = b.token;
  const checks = [
    await api('GET', `/api/v1/documents/${d.id}`, { token: t }),
    await api('PATCH', `/api/v1/documents/${d.id}`, { token: t, body: { name: 'x' } }),
    await api('DELETE', `/api/v1/documents/${d.id}`, { token: t }),
    await download(`/api/v1/documents/${d.id}/download`, b.auth),
    await api('GET', `/api/v1/clients/${ca.id}/documents`, { token: t }),
    await uploadTo(`/api/v1/clients/${ca.id}/documents`, [{ name: 'x', data: Buffer.from('x') }], { token: t }),
    await api('GET', `/api/v1/groups/${ga.json.id}/documents`, { token: t }),
    await uploadTo(`/api/v1/groups/${ga.json.id}/documents`, [{ name: 'x', data: Buffer.from('x') }], { token: t }),
    await api('GET', `/api/v1/documents?client=${ca.id}`, { token: t }),
  ];
  assert.deepEqual(checks.map((r) => r.status), Array(checks.length).fill(404));
  assert.equal((await api('GET', '/api/v1/documents', { token: t })).json.data.length, 0, 'nothing of A in B\'s list');
  assert.equal((await api('GET', `/api/v1/documents/${d.id}`, { token: a.token })).status, 200, '(twin) its owner sees it');
});

test('documents-6.1: permissions: no view right is a 403; view only lists and downloads but does not write', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Perm' });
  const [d] = await uploadOk(co.token, 'clients', c.id, [{ name: 'p.txt', data: Buffer.from('perm') }]);
  const none = newUser(co.me.company.id);
  await setPermissions(none.email, []);
  assert.equal((await api('GET', `/api/v1/clients/${c.id}/documents`, { token: none.token })).status, 403);
  assert.equal((await download(`/api/v1/documents/${d.id}/download`, { 'X-API-Token': none.token })).status, 403);
  const viewer = newUser(co.me.company.id);
  await setPermissions(viewer.email, ['clients.view.all']);
  assert.equal((await api('GET', `/api/v1/clients/${c.id}/documents`, { token: viewer.token })).status, 200);
  const r = await download(`/api/v1/documents/${d.id}/download`, { 'X-API-Token': viewer.token });
  assert.equal(r.body.toString(), 'perm');
  assert.equal((await uploadTo(`/api/v1/clients/${c.id}/documents`, [{ name: 'x', data: Buffer.from('x') }],
    { token: viewer.token })).status, 403);
  assert.equal((await api('PATCH', `/api/v1/documents/${d.id}`, { token: viewer.token, body: { name: 'y' } })).status, 403);
  assert.equal((await api('DELETE', `/api/v1/documents/${d.id}`, { token: viewer.token })).status, 403);
  // Members limited to their own clients: another's client's document is a 404.
  const own = newUser(co.me.company.id);
  await setPermissions(own.email, ['clients.view.own', 'clients.edit.own']);
  assert.equal((await api('GET', `/api/v1/documents/${d.id}`, { token: own.token })).status, 404);
  assert.equal((await api('GET', '/api/v1/documents', { token: own.token })).json.data.length, 0);
});

test('documents-7.1: over the company\'s limit is a 413 naming it; nothing stored', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Limit' });
  let r = await api('PATCH', '/api/v1/settings', { token: co.token, body: { document_max_size: 1048576 } });
  assert.equal(r.status, 200, r.text);
  r = await uploadTo(`/api/v1/clients/${c.id}/documents`, [{ name: 'ok.bin', data: bytes(1000) },
    { name: 'big.bin', data: bytes(MiB + 1) }], { token: co.token });
  assert.equal(r.status, 413);
  assert.equal(r.json.error.message, 'file is too large');
  assert.match(r.json.error.detail, /"big\.bin" has 1048577 bytes; files may have at most 1 MiB \(1048576 bytes\)\./);
  assert.deepEqual(await stored(co.email), { documents: 0, blobs: 0, chunks: 0, orphans: 0 }, 'all or nothing');
  r = await uploadTo(`/api/v1/clients/${c.id}/documents`, [{ name: 'fits.bin', data: bytes(MiB) }], { token: co.token });
  assert.equal(r.status, 201, 'documents-7.2: (twin) the limit itself fits');
  r = await api('PATCH', '/api/v1/settings', { token: co.token, body: { document_max_size: 100 * MiB + 1 } });
  assert.equal(r.status, 422, 'documents-7.3: the limit stops at 100 MiB');
  const dflt = await api('GET', '/api/v1/settings', { token: newCompany('D').token });
  assert.equal(dflt.json.settings?.document_max_size?.value ?? dflt.json.document_max_size?.value, 25 * MiB,
    'documents-7.4: 25 MiB by default');
});

test('documents-8.1: names with /, \\, .., control characters, quotes or 300 characters are stored and served safely', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Names' });
  const cases = [
    ['../../etc/passwd', '_.._etc_passwd'],
    ['C:\\Windows\\evil.exe', 'C__Windows_evil.exe'],
    ['..', 'file'],
    ['a\u0007b\u001bc.txt', 'abc.txt'],
    ['say "hi" \'there\'.txt', 'say _hi_ _there_.txt'],
    ['x'.repeat(300) + '.pdf', 'x'.repeat(251) + '.pdf'],
  ];
  for (const [name, want] of cases) {
    // Undici would escape a quote itself: the multipart header as a client might send it.
    const boundary = `b${uid()}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/[\\"]/g, (m) => `\\${m}`)}"\r\n`
      + 'Content-Type: text/plain\r\n\r\n';
    const body = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from('x'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const r = await api('POST', `/api/v1/clients/${c.id}/documents`, {
      token: co.token, raw: body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(r.status, 201, `${JSON.stringify(name)}: ${r.text}`);
    const d = r.json.data[0];
    assert.equal(d.name, want, JSON.stringify(name));
    const cd = (await download(`/api/v1/documents/${d.id}/download`, co.auth)).headers.get('content-disposition');
    assert.match(cd, /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+\-.^_`|~%]*$/, cd);
    assert.doesNotMatch(cd.split('filename*')[0], /[/\\]|\.\.\//);
  }
});

test('documents-8.2: HTML and SVG are never served inline; an image may be', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Inline' });
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), bytes(100)]);
  const docs = await uploadOk(co.token, 'clients', c.id, [
    { name: 'x.html', data: Buffer.from('<html><script>alert(1)</script>'), type: 'text/html' },
    { name: 'x.svg', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), type: 'image/svg+xml' },
    { name: 'fake.png', data: Buffer.from('<html><script>alert(1)</script>'), type: 'image/png' },
    { name: 'real.png', data: png, type: 'image/png' }]);
  assert.equal(docs[2].sniffed_type, 'text/html', 'the bytes say what they are');
  for (const d of docs.slice(0, 3)) {
    const r = await download(`/api/v1/documents/${d.id}/download?disposition=inline`, co.auth);
    assert.match(r.headers.get('content-disposition'), /^attachment;/, d.name);
    assert.ok(r.headers.get('content-security-policy').includes('sandbox'), d.name);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  const r = await download(`/api/v1/documents/${docs[3].id}/download?disposition=inline`, co.auth);
  assert.match(r.headers.get('content-disposition'), /^inline; filename="real.png"/, 'documents-8.3: (twin) a PNG previews');
  assert.equal((await download(`/api/v1/documents/${docs[3].id}/download?disposition=open`, co.auth)).status, 400);
});

test('documents-9.1: a truncated multipart body is a 400 and nothing is stored', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Cut' });
  const boundary = `cut${uid()}`;
  const part = (name, data) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`), data, Buffer.from('\r\n')]);
  const whole = Buffer.concat([part('one.bin', bytes(600 * 1024)), part('two.bin', bytes(1000)), Buffer.from(`--${boundary}--\r\n`)]);
  for (const cut of [whole.length - 4, 600 * 1024 + 100, 30]) {
    const r = await api('POST', `/api/v1/clients/${c.id}/documents`, {
      token: co.token, raw: whole.subarray(0, cut), headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(r.status, 400, `cut at ${cut}: ${r.text}`);
    assert.equal(r.json.error.message, 'request body is not valid multipart/form-data');
    assert.deepEqual(await stored(co.email), { documents: 0, blobs: 0, chunks: 0, orphans: 0 }, `cut at ${cut}`);
  }
  const ok = await api('POST', `/api/v1/clients/${c.id}/documents`, {
    token: co.token, raw: whole, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.equal(ok.status, 201, 'documents-9.2: (twin) the whole body is stored');
});

// The portal: a contact entered by staff (issue 13's portal link).
async function contactSession(co, client) {
  const staff = await login(co.email, co.password);
  const r = await api('POST', `/api/v1/clients/${client.id}/contacts/${client.contacts[0].id}/portal-link`, { session: staff });
  assert.equal(r.status, 201, r.text);
  const secret = r.json.path.split('#')[1];
  secretsUsed.add(secret);
  return sessionOf(await papi('POST', co.slug, '/links/redeem', { body: { token: secret } }));
}

test('documents-10.1: a contact lists and downloads only its client\'s visible documents; another client\'s is a 404', async () => {
  const co = await company();
  co.slug = await slugOf(co.token);
  const c1 = await createClient(co.token, { name: 'P1', contacts: [{ first_name: 'Ann', email: `a-${uid()}@portal.example` }] });
  const c2 = await createClient(co.token, { name: 'P2', contacts: [{ first_name: 'Bob', email: `b-${uid()}@portal.example` }] });
  const shown = bytes(3000);
  const [vis, hidden] = await uploadOk(co.token, 'clients', c1.id, [{ name: 'shown.bin', data: shown }, { name: 'hidden.bin', data: bytes(10) }]);
  await api('PATCH', `/api/v1/documents/${vis.id}`, { token: co.token, body: { visible: true } });
  const [other] = await uploadOk(co.token, 'clients', c2.id, [{ name: 'other.bin', data: bytes(10) }], { visible: 'true' });
  assert.equal(other.visible, true, 'visible from the upload form');
  const s1 = await contactSession(co, c1);
  const cookie = { Cookie: `clientd_portal=${s1.cookie}` };
  const list = await papi('GET', co.slug, '/documents', { p: s1 });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.data.map((d) => d.name), ['shown.bin']);
  const r = await download(`/api/v1/portal/${co.slug}/documents/${vis.id}/download`, cookie);
  assert.equal(r.status, 200);
  assert.equal(sha256(r.body), sha256(shown));
  assert.equal((await download(`/api/v1/portal/${co.slug}/documents/${hidden.id}/download`, cookie)).status, 404,
    'documents-10.2: a hidden document is a 404');
  assert.equal((await download(`/api/v1/portal/${co.slug}/documents/${other.id}/download`, cookie)).status, 404,
    'documents-10.3: another client\'s document is a 404');
  assert.equal((await download(`/api/v1/portal/${co.slug}/documents/${vis.id}/download`, co.auth)).status, 401,
    'documents-10.4: staff credentials are not a portal session');
  assert.equal((await download(`/api/v1/documents/${vis.id}/download`, cookie)).status, 401,
    'documents-10.5: nor a contact\'s cookie a staff one');
  const evs = await activity(co.token, c1.id);
  const dl = evs.find((e) => e.type === 'document.downloaded' && e.actor.type === 'contact');
  assert.ok(dl, 'the contact\'s download is in the client\'s activity');

  // A group's visible document reaches its members' contacts.
  const g = await api('POST', '/api/v1/groups', { token: co.token, body: { name: `G ${uid()}` } });
  await api('PATCH', `/api/v1/clients/${c1.id}`, { token: co.token, body: { group: g.json.id } });
  await uploadOk(co.token, 'groups', g.json.id, [{ name: 'group-terms.txt', data: Buffer.from('terms') }], { visible: 'true' });
  const again = await papi('GET', co.slug, '/documents', { p: s1 });
  assert.deepEqual(again.json.data.map((d) => d.name).sort(), ['group-terms.txt', 'shown.bin']);
});

test('documents-10.6: contacts upload only where the company allows it, shown to their client and attributed to them', async () => {
  const co = await company();
  co.slug = await slugOf(co.token);
  const c = await createClient(co.token, { name: 'Up', contacts: [{ first_name: 'Cy', email: `c-${uid()}@portal.example` }] });
  const s = await contactSession(co, c);
  const headers = { Cookie: `clientd_portal=${s.cookie}`, 'X-CSRF-Token': s.csrf };
  let r = await uploadTo(`/api/v1/portal/${co.slug}/documents`, [{ name: 'mine.pdf', data: Buffer.from('%PDF-1.4 x') }], { headers });
  assert.equal(r.status, 403, r.text);
  assert.equal((await stored(co.email)).documents, 0);
  await api('PATCH', '/api/v1/settings', { token: co.token, body: { portal_uploads: true } });
  r = await uploadTo(`/api/v1/portal/${co.slug}/documents`, [{ name: 'mine.pdf', data: Buffer.from('%PDF-1.4 x') }], { headers });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.data[0].uploaded_by_you, true);
  const staff = (await api('GET', `/api/v1/clients/${c.id}/documents`, { token: co.token })).json.data[0];
  assert.equal(staff.visible, true);
  assert.equal(staff.uploaded_by.type, 'contact');
  assert.equal(staff.uploaded_by.id, c.contacts[0].id);
  r = await uploadTo(`/api/v1/portal/${co.slug}/documents`, [{ name: 'x', data: Buffer.from('x') }],
    { headers: { Cookie: headers.Cookie } });
  assert.equal(r.status, 403, 'documents-10.7: (twin) no CSRF token, no upload');
});

test('documents-11.1: webhooks and events name the documents\' types', async () => {
  const co = await company();
  const ev = await api('GET', '/api/v1/webhooks/events', { token: co.token });
  const types = ev.json.data.map((e) => e.type);
  for (const t of ['document.created', 'document.updated', 'document.deleted']) assert.ok(types.includes(t), t);
  assert.ok(!types.includes('document.downloaded'), 'a download is activity, not a webhook');
});

test('documents-11.2: a webhook on document.* gets created, updated and deleted, signed, in the documented shape; never a download', async () => {
  const co = await company();
  const rx = await receiver(18947);
  try {
    const w = await api('POST', '/api/v1/webhooks', { token: co.token, body: { url: rx.url('/docs'), events: ['document.*'] } });
    assert.equal(w.status, 201, w.text);
    const c = await createClient(co.token, { name: 'Hooked' });
    const [d] = await uploadOk(co.token, 'clients', c.id, [{ name: 'h.txt', data: Buffer.from('hook') }]);
    await download(`/api/v1/documents/${d.id}/download`, co.auth);
    await api('PATCH', `/api/v1/documents/${d.id}`, { token: co.token, body: { name: 'g.txt' } });
    await api('DELETE', `/api/v1/documents/${d.id}`, { token: co.token });
    await rx.waitFor((rs) => rs.length >= 3, 20000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(rx.requests.map((r) => r.json.type), ['document.created', 'document.updated', 'document.deleted']);
    for (const r of rx.requests) {
      assert.ok(verified(w.json.secret, r), `${r.json.type}: signed`);
      validateSchema('#/components/schemas/WebhookEvent', r.json, `${r.json.type} payload`);
      assert.equal(r.json.data.id, d.id);
    }
    assert.equal(rx.requests[0].json.data.sha256, d.sha256);
    assert.deepEqual(rx.requests[1].json.previous_attributes, { name: 'h.txt' });
    assert.equal(rx.requests[2].json.data.name, 'g.txt', 'a deleted document\'s last values');
  } finally {
    await rx.close();
  }
});

test('documents-12.1: a document\'s bytes never leave without a credential', async () => {
  const co = await company();
  const c = await createClient(co.token, { name: 'Anon' });
  const [d] = await uploadOk(co.token, 'clients', c.id, [{ name: 'a.txt', data: Buffer.from('private') }]);
  const r = await fetch(`${BASE}/api/v1/documents/${d.id}/download`);
  assert.equal(r.status, 401);
  assert.ok(!(await r.text()).includes('private'));
  const rows = await asOwner((db) => db.query('SELECT count(*)::int AS n FROM documents WHERE public_id = $1', [d.id]));
  assert.equal(rows.rows[0].n, 1);
});
