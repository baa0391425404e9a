// Documents in a real browser (issue 14): staff upload two files at once
// on the client's Documents tab and watch each one's progress, show one to
// the client, preview it, enter the portal as the contact, find only that
// one on the portal's Documents page and download it, byte for byte. Then
// the same at phone width (the file picker, the list as it wraps), the
// rename and delete dialogs, and a group's documents.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';
import { slugOf } from '../api/lib/portal.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });
const sha = (b) => createHash('sha256').update(b).digest('hex');

// A real PNG (1x1), and a larger file whose upload takes long enough to watch.
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2219bc20000000049454e44ae426082', 'hex');
const REPORT = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(3 * 1024 * 1024)]);

describe('documents: staff upload and share, the contact downloads', () => {
  let browser;
  let page;
  let watch;
  let owner;
  let slug;
  let clientId;

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Harbour Books', '--email', owner.email, '--name', 'Hana Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    slug = await slugOf(owner.token);
    const r = await api('POST', '/api/v1/clients', { token: owner.token, body: {
      name: 'Quayside Café', contacts: [{ first_name: 'Theo', last_name: 'Marsh', email: `theo-${uid()}@quayside.example` }] } });
    assert.equal(r.status, 201, r.text);
    clientId = r.json.id;
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    watch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-14.1 two files at once, each with its progress; one shown to the client; an image previews', async () => {
    await page.setViewportSize(DESKTOP);
    await signIn(page, owner.email, owner.password);
    await page.goto(`/clients/${clientId}/documents`);
    await page.getByText('No documents yet').waitFor();
    // Slow the upload down so that its progress can be seen.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
    await page.getByLabel('Choose files to upload').setInputFiles([
      { name: 'receipt.png', mimeType: 'image/png', buffer: PNG },
      { name: 'Annual report 2026.pdf', mimeType: 'application/pdf', buffer: REPORT },
    ]);
    const bar = page.getByRole('progressbar', { name: 'Upload of Annual report 2026.pdf' });
    await bar.waitFor();
    await screenshot(page, 'documents-uploading');
    await page.waitForFunction(() => {
      const b = document.querySelector('[aria-label="Upload of Annual report 2026.pdf"]');
      return !b || Number(b.getAttribute('aria-valuenow')) > 0;
    });
    await bar.waitFor({ state: 'detached', timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const rows = page.locator('.docs-row');
    await rows.filter({ hasText: 'Annual report 2026.pdf' }).waitFor();
    await rows.filter({ hasText: 'receipt.png' }).waitFor();
    assert.equal(await rows.count(), 2);
    await rows.filter({ hasText: 'Annual report 2026.pdf' }).getByText('PDF', { exact: true }).waitFor();
    await rows.filter({ hasText: 'receipt.png' }).getByText('Hana Owner').waitFor();

    await page.getByRole('switch', { name: /Visible to the client: receipt\.png/ }).click();
    await page.getByText('receipt.png is shown to the client').waitFor();
    await page.getByRole('tab', { name: /Documents/ }).getByText('2').waitFor().catch(() => {});

    await page.getByRole('button', { name: 'receipt.png', exact: true }).click();
    const frame = page.frameLocator('iframe[title="Preview of receipt.png"]');
    await frame.locator('img').waitFor();
    await screenshot(page, 'documents-preview');
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await screenshot(page, 'documents-tab');
    const list = await api('GET', `/api/v1/clients/${clientId}/documents`, { token: owner.token });
    assert.deepEqual(list.json.data.map((d) => [d.name, d.visible]).sort(), [['Annual report 2026.pdf', false], ['receipt.png', true]]);
    assert.equal(list.json.data.find((d) => d.name === 'Annual report 2026.pdf').sha256, sha(REPORT), 'stored byte for byte');
    watch.assertClean();
  });

  test('e2e-14.2 in the portal as the contact: only the shown file, downloaded byte for byte (phone width)', async () => {
    await page.goto(`/clients/${clientId}`);
    const [tab] = await Promise.all([
      browser.context.waitForEvent('page'),
      page.locator('.contact-list__item').getByRole('button', { name: 'Client portal' }).click(),
    ]);
    await tab.setViewportSize(PHONE);
    const twatch = watchConsole(tab);
    await tab.waitForURL(`**/portal/${slug}`);
    await tab.getByRole('link', { name: 'Documents' }).click();
    await tab.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    const names = await tab.locator('.portal-docs__name').allTextContents();
    assert.deepEqual(names, ['receipt.png'], 'only the document shown to the client');
    await screenshot(tab, 'portal-documents-phone');
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('link', { name: 'receipt.png' }).click()]);
    assert.equal(download.suggestedFilename(), 'receipt.png');
    assert.equal(sha(readFileSync(await download.path())), sha(PNG), 'the same bytes');
    const ev = await api('GET', `/api/v1/clients/${clientId}/activity`, { token: owner.token });
    assert.ok(ev.json.data.some((e) => e.type === 'document.downloaded' && e.actor.type === 'contact'), 'the download is in the activity');
    twatch.assertClean();
    await tab.close();
  });

  test('e2e-14.3 at phone width: the file picker, rename, delete with confirmation; the Activity tab tells it', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`/clients/${clientId}/documents`);
    await page.getByLabel('Choose files to upload').setInputFiles([{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('call back on Monday\n') }]);
    const row = page.locator('.docs-row').filter({ hasText: 'notes.txt' });
    await row.waitFor();
    await screenshot(page, 'documents-phone');
    await page.getByRole('button', { name: 'Rename notes.txt' }).click();
    const name = page.getByRole('dialog').getByLabel('Name');
    await name.fill('a/b');
    watch.allow(422);
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('dialog').getByText(/must not contain "\/"/).waitFor();
    await name.fill('Call notes.txt');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await page.locator('.docs-row').filter({ hasText: 'Call notes.txt' }).waitFor();
    await page.getByRole('button', { name: 'Delete Call notes.txt' }).click();
    await page.getByRole('alertdialog').getByText('This cannot be undone').waitFor();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete document' }).click();
    await page.getByText('Call notes.txt deleted').waitFor();
    // the list reloads after the toast: wait for the row to go
    await page.locator('.docs-row').filter({ hasText: 'Call notes.txt' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('.docs-row').filter({ hasText: 'Call notes.txt' }).count(), 0);
    await page.goto(`/clients/${clientId}/activity`);
    await page.getByText('Document “Call notes.txt” deleted').waitFor();
    watch.assertClean();
  });

  test('e2e-14.4 a group\'s documents', async () => {
    await page.setViewportSize(DESKTOP);
    const g = await api('POST', '/api/v1/groups', { token: owner.token, body: { name: `Wholesale ${uid()}` } });
    await page.goto(`/groups/${g.json.id}`);
    await page.getByRole('heading', { name: 'Documents', level: 2, exact: true }).waitFor();
    await page.getByLabel('Choose files to upload').setInputFiles([{ name: 'price list.csv', mimeType: 'text/csv', buffer: Buffer.from('item,price\nA,1.00\n') }]);
    await page.locator('.docs-row').filter({ hasText: 'price list.csv' }).waitFor();
    await screenshot(page, 'documents-group');
    watch.assertClean();
  });
});
