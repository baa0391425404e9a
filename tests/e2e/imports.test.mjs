// The import wizard and the export in a real browser (issue 16): from the
// clients list to Import, upload a CSV file, see the suggested mapping
// and change a column, choose to update matches, check the file (the dry
// run's report with its rows with errors), import it while the progress
// bar moves, see the result and the rows with errors as CSV, then export
// the list and find the imported clients in it. At phone width the
// wizard's steps fit without sideways scrolling. Any console error fails
// the test that caused it.
//
// Screenshots (var/e2e/screenshots/): import-upload, import-columns,
// import-options, import-check, import-progress, import-result (desktop)
// and import-columns-phone, import-options-phone, import-result-phone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });

// 1,600 rows, so the run takes a few batches (the bar moves) on a slow
// machine too: the first two match clients already there (by email), row
// 7 has a bad email and row 12 an unknown country.
const ROWS = 1600;
function bigFile() {
  const lines = ['Company,Contact first name,Contact last name,Email,Country,Notes'];
  for (let i = 1; i <= ROWS; i++) {
    let email = `buyer${i}@import-e2e.example`;
    let country = ['GB', 'Germany', 'NL', 'France'][i % 4];
    if (i === 1) email = 'maya@bluebird-bakery.example';
    if (i === 2) email = 'jonas.weber@cedarstone.example';
    if (i === 6) email = 'not-an-email';
    if (i === 11) country = 'Atlantis';
    const company = i === 1 ? 'Bluebird Bakery' : i === 2 ? 'Cedar & Stone Architects' : `Imported Company ${String(i).padStart(4, '0')}`;
    lines.push(`${company},First${i},Last${i},${email},${country},Imported in the e2e test`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

const SMALL = Buffer.from('Name;E-Mail;Ort;Land\r\nMüller GmbH;info@mueller.example;Köln;Deutschland\r\n');

describe('admin web app: import and export', () => {
  let browser;
  let page;
  let watch;
  let owner;

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Harbourside Consulting', '--email', owner.email,
      '--name', 'Test Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    for (const [name, first, email] of [['Bluebird Bakery', 'Maya', 'maya@bluebird-bakery.example'], ['Cedar & Stone Architects', 'Jonas', 'jonas.weber@cedarstone.example']]) {
      const r = await api('POST', '/api/v1/clients', { token: owner.token, body: { name, contacts: [{ first_name: first, email }] } });
      assert.equal(r.status, 201, r.text);
    }
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    watch = watchConsole(page);
    await signIn(page, owner.email, owner.password);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-6.1 from the clients list to the wizard; a file is uploaded and its columns mapped as suggested', async () => {
    await page.getByRole('link', { name: 'Import' }).click();
    await page.waitForURL('**/clients/import');
    await page.getByRole('heading', { name: 'Import clients' }).waitFor();
    await screenshot(page, 'import-upload');

    await page.getByTestId('import-file').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: bigFile() });
    await page.waitForURL(/\/clients\/import\/[0-9a-z]{12}$/);
    await page.getByRole('heading', { name: /clients\.csv/ }).waitFor();
    assert.match(await page.getByTestId('import-file-facts').textContent(), /1,600 rows.*6 columns.*UTF-8.*comma-separated/);

    const field = (n, name) => page.getByLabel(`Field for column ${n}, “${name}”`);
    assert.equal(await field(1, 'Company').inputValue(), 'name');
    assert.equal(await field(2, 'Contact first name').inputValue(), 'contact1.first_name');
    assert.equal(await field(4, 'Email').inputValue(), 'contact1.email');
    assert.equal(await field(5, 'Country').inputValue(), 'address.country');
    // "Notes" is ambiguous: put it in the private notes.
    await field(6, 'Notes').selectOption('private_notes');
    // A field on two columns is caught at once.
    await field(3, 'Contact last name').selectOption('name');
    await page.getByText('Name is mapped to column 1 already.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Next: options' }).isDisabled(), true);
    await field(3, 'Contact last name').selectOption('contact1.last_name');
    await screenshot(page, 'import-columns');
    watch.assertClean();
  });

  test('e2e-6.2 options: matches by email are updated, the valid rows imported', async () => {
    await page.getByRole('button', { name: 'Next: options' }).click();
    await page.getByRole('group', { name: 'Find clients already there by' }).waitFor();
    assert.equal(await page.getByRole('radio', { name: /^Email/ }).isChecked(), true, 'the email is the match key the mapping can use');
    assert.equal(await page.getByRole('radio', { name: /^Client number/ }).isDisabled(), true);
    await page.getByRole('radio', { name: /^Update the client/ }).check();
    await page.getByRole('radio', { name: /^Import the valid rows/ }).check();
    await screenshot(page, 'import-options');
    watch.assertClean();
  });

  test('e2e-6.3 the dry run reports what would happen and lists the rows with errors', async () => {
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByTestId('dry-run-summary').waitFor({ timeout: 180_000 });
    const tiles = page.getByTestId('dry-run-counts');
    assert.equal(await tiles.locator('[data-count="created"] dd').textContent(), '1,596');
    assert.equal(await tiles.locator('[data-count="updated"] dd').textContent(), '2');
    assert.equal(await tiles.locator('[data-count="rejected"] dd').textContent(), '2');
    const issues = page.getByTestId('import-issues');
    await issues.locator('code', { hasText: 'not-an-email' }).waitFor();
    await issues.locator('code', { hasText: 'Atlantis' }).waitFor();
    await issues.getByText('Not a valid email address: "not-an-email"').waitFor();
    assert.deepEqual(await issues.locator('tbody tr td:first-child').allTextContents(), ['7', '12'], 'spreadsheet rows (the header is row 1)');
    await screenshot(page, 'import-check');
    watch.assertClean();
  });

  test('e2e-6.4 the import runs with a moving progress bar; the result counts and offers the rows with errors', async () => {
    await page.getByRole('button', { name: 'Create 1,596 and update 2' }).click();
    const bar = page.getByRole('progressbar', { name: /Importing|Waiting for a worker/ });
    const seen = new Set();
    let shot = false;
    const until = Date.now() + 300_000;
    while (Date.now() < until) {
      if (await page.getByTestId('import-result-summary').isVisible()) break;
      const v = await bar.getAttribute('aria-valuenow', { timeout: 1000 }).catch(() => null);
      if (v !== null) {
        seen.add(Number(v));
        if (!shot && Number(v) > 0 && Number(v) < 100) {
          shot = true;
          await screenshot(page, 'import-progress');
        }
      }
      await page.waitForTimeout(150);
    }
    const between = [...seen].filter((v) => v > 0 && v < 100);
    assert.ok(between.length >= 1, `the bar showed progress between 0 and 100: ${[...seen].join(', ')}`);

    await page.getByTestId('import-result-summary').waitFor();
    await page.getByRole('heading', { name: 'Imported, with rows left out' }).or(page.getByText('Imported, with rows left out')).first().waitFor();
    const tiles = page.getByTestId('result-counts');
    assert.equal(await tiles.locator('[data-count="created"] dd').textContent(), '1,596');
    assert.equal(await tiles.locator('[data-count="updated"] dd').textContent(), '2');
    assert.equal(await tiles.locator('[data-count="rejected"] dd').textContent(), '2');

    const link = page.getByRole('link', { name: 'Download rows with errors' });
    const href = await link.getAttribute('href');
    assert.match(href, /\/api\/v1\/imports\/[0-9a-z]{12}\/rejected\.csv\?phase=run$/);
    const csv = await (await page.request.get(href)).text();
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines.length, 3, csv);
    assert.match(lines[0], /^Company,Contact first name,Contact last name,Email,Country,Notes,error$/);
    assert.match(lines[1], /not-an-email/);
    await screenshot(page, 'import-result');
    watch.assertClean();
  });

  test('e2e-6.5 the list shows the imported clients; Export downloads them as CSV with its filters', async () => {
    await page.getByRole('link', { name: 'Show the clients' }).click();
    await page.waitForURL('**/clients');
    await page.getByText('1,598 active clients').waitFor();
    await page.getByLabel('Search clients').fill('Imported Company 000');
    await page.getByText('6 active clients matching “Imported Company 000”').waitFor();

    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: 'CSV (UTF-8)' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(path, 'utf8');
    const rows = text.trim().split(/\r?\n/);
    assert.match(rows[0], /^id,number,name,/);
    assert.equal(rows.length, 1 + 6, 'the header and the 6 clients the search finds (rows 1 and 2 updated, row 6 refused)');
    assert.ok(rows.slice(1).every((r) => /Imported Company 000[3-9]/.test(r)));
    watch.assertClean();
  });

  test('e2e-6.6 at phone width the wizard fits: columns, options and the result without sideways scrolling', async () => {
    const phone = await browser.context.newPage();
    phone.setDefaultTimeout(15_000);
    const pw = watchConsole(phone);
    await phone.setViewportSize(PHONE);
    const noOverflow = async () =>
      assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'page scrolls sideways');

    await phone.goto('/clients/import');
    await phone.getByRole('heading', { name: 'Import clients' }).waitFor();
    await noOverflow();
    await phone.getByTestId('import-file').setInputFiles({ name: 'kunden.csv', mimeType: 'text/csv', buffer: SMALL });
    await phone.getByLabel('Field for column 3, “Ort”').waitFor();
    assert.equal(await phone.getByLabel('Field for column 2, “E-Mail”').inputValue(), 'contact1.email');
    assert.equal(await phone.getByLabel('Field for column 3, “Ort”').inputValue(), 'address.city');
    await noOverflow();
    await screenshot(phone, 'import-columns-phone');
    await phone.getByRole('button', { name: 'Next: options' }).click();
    await phone.getByRole('group', { name: 'Rows with errors' }).waitFor();
    await noOverflow();
    const box = await phone.getByRole('button', { name: 'Check the file' }).boundingBox();
    assert.ok(box.height >= 44, `touch target ${box.width}x${box.height}`);
    await screenshot(phone, 'import-options-phone');
    await phone.getByRole('button', { name: 'Check the file' }).click();
    await phone.getByTestId('dry-run-summary').waitFor({ timeout: 120_000 });
    await phone.getByRole('button', { name: 'Import 1 client' }).click();
    await phone.getByTestId('import-result-summary').waitFor({ timeout: 120_000 });
    await noOverflow();
    await screenshot(phone, 'import-result-phone');
    await phone.setViewportSize(DESKTOP);
    pw.assertClean();
    await phone.close();
  });
});
