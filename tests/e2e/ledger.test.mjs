// The client ledger in a real browser (issue 6) against the real daemon
// and PostgreSQL: the Ledger tab lists a client's entries with the range's
// opening and closing balance and charts the balance; recording a payment
// (typed without a sign, sent negative, with an Idempotency-Key that a
// retry reuses) changes the balance, the paid to date (the Ledger tab's and
// the Overview's), the table and the chart; a wrong amount or date shows
// the field error (the API's 422 included); kind and date filters narrow
// the table and survive reload and back; the CSV statement downloads with
// the rows the API lists; archived clients (409) and users without edit
// rights cannot post; it works at phone width; and the dialogs post by the
// kinds and sign rules the API serves (GET /api/v1/ledger/kinds), with no
// copy of their own. Any console error fails the test that caused it.
//
// Screenshots go to var/e2e/screenshots/ (see lib/browser.mjs and README,
// "Web app").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, newUser, setPermissions, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });

// Entries in the past, on fixed days, so that the table and the chart
// read the same every run (only "today" moves).
const HISTORY = [
  { kind: 'opening_balance', amount: '250.00', notes: 'Carried over from the old system', occurred_at: '2025-01-06T10:00:00Z' },
  { kind: 'invoice', amount: '1100.50', reference: 'INV-1001', occurred_at: '2025-02-03T10:00:00Z' },
  { kind: 'payment', amount: '-350.00', reference: 'BACS 4410', occurred_at: '2025-03-14T10:00:00Z' },
];

// A tiny CSV reader (quoted fields with commas and doubled quotes).
function parseCsv(text) {
  const rows = [];
  for (const line of text.trim().split(/\r?\n/)) {
    const cells = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) cells.push(cell), (cell = '');
      else cell += c;
    }
    cells.push(cell);
    rows.push(cells);
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe('admin web app: the client ledger', () => {
  let browser;
  let page;
  let watch;
  let owner;
  let companyId;
  let clientId;
  let archivedId;
  let busyId;

  const post = (id, body) => api('POST', `/api/v1/clients/${id}/ledger`, { token: owner.token, body, headers: { 'Idempotency-Key': `e2e-${uid()}` } });
  const getClient = async (id) => (await api('GET', `/api/v1/clients/${id}`, { token: owner.token })).json;
  const testId = (id) => page.getByTestId(id);
  const shows = (locator, text) => locator.filter({ hasText: new RegExp(`^\\s*${text.replace(/[$.+]/g, '\\$&')}\\s*$`) }).waitFor();
  const rows = () => page.locator('section[aria-labelledby="ledger-entries-title"] tbody tr');
  const chart = () => page.getByRole('figure', { name: 'Balance over time' });

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Quayside Wholesale', '--email', owner.email, '--name', 'Test Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    companyId = (await api('GET', '/api/v1/me', { token: owner.token })).json.company.id;
    const make = async (name, email) => {
      const r = await api('POST', '/api/v1/clients', { token: owner.token, body: { name, contacts: [{ first_name: name.split(' ')[0], email }] } });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };
    clientId = await make('Harbor Logistics', 'priya@harborlogistics.example');
    for (const e of HISTORY) assert.equal((await post(clientId, e)).status, 201);
    archivedId = await make('Fjord Outdoor Supply', 'ingrid@fjordoutdoor.example');
    assert.equal((await post(archivedId, { kind: 'opening_balance', amount: '80.00', occurred_at: '2025-01-10T10:00:00Z' })).status, 201);
    assert.equal((await api('POST', `/api/v1/clients/${archivedId}/archive`, { token: owner.token })).status, 200);
    busyId = await make('Orbit Software', 'chen.wei@orbitsoftware.example');
    for (let i = 1; i <= 27; i++) {
      const day = String(i).padStart(2, '0');
      assert.equal((await post(busyId, { kind: 'invoice', amount: `${i}.00`, reference: `INV-${day}`, occurred_at: `2025-04-${day}T09:00:00Z` })).status, 201);
    }
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-6.1 the Ledger tab lists the entries, the opening and closing balance and charts the balance', async () => {
    await signIn(page, owner.email, owner.password);
    await page.goto(`/clients/${clientId}`);
    await page.getByRole('tab', { name: /Ledger/ }).click();
    await page.waitForURL(`**/clients/${clientId}/ledger`);
    assert.equal(await page.getByRole('tab', { name: /Ledger/ }).getAttribute('aria-selected'), 'true');
    assert.match(await page.getByRole('tab', { name: /Ledger/ }).textContent(), /Ledger\s*3/);

    await shows(testId('ledger-balance'), 'US$1,000.50');
    await shows(testId('ledger-paid'), 'US$350.00');
    await shows(testId('ledger-opening'), 'US$0.00');
    await shows(testId('ledger-closing'), 'US$1,000.50');
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr:not(.table__skeleton)').length === 3);
    // newest first, signed amounts, the running balance, paid to date where it moved
    const first = await rows().nth(0).locator('td').allTextContents();
    assert.deepEqual(first, ['14 Mar 2025', 'Payment', 'BACS 4410', '', '-US$350.00', 'US$1,000.50', 'US$350.00']);
    assert.deepEqual(await rows().nth(2).locator('td').allTextContents(), ['6 Jan 2025', 'Opening balance', '', 'Carried over from the old system', '+US$250.00', 'US$250.00', '']);

    // the chart: a figure named and described in words, drawn on a canvas
    await chart().locator('canvas').waitFor();
    assert.equal(await chart().getAttribute('data-last-balance'), '1000.50');
    assert.equal(await chart().getAttribute('aria-describedby'), 'ledger-chart-caption');
    assert.match(await chart().locator('figcaption').textContent(), /^Balance from 6 Jan 2025 to .*: US\$0\.00 at the start, US\$1,000\.50 at the end; highest US\$1,350\.50 on 3 Feb 2025, lowest US\$250\.00 on 6 Jan 2025\. 3 days with entries\.$/);
    watch.assertClean();
  });

  test('e2e-6.2 records a payment: balance, paid to date (tab and Overview), table and chart change; a retry reuses its Idempotency-Key', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record payment' });
    const amount = dialog.getByLabel(/Amount received/);
    assert.equal(await amount.evaluate((el) => el === document.activeElement), true, 'the amount takes focus');
    await amount.fill('400');
    await dialog.getByText('after this payment US$600.50').waitFor();
    await dialog.getByLabel('Reference').fill('BACS 5521');

    // the first try gets no usable answer (a 503 on the way)...
    let stalled = true;
    await page.route(`**/api/v1/clients/${clientId}/ledger`, async (route) => {
      if (route.request().method() === 'POST' && stalled) {
        stalled = false;
        return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { status: 503, code: 'unavailable', message: 'the database is not reachable', detail: null, hint: null, field: null, request_id: 'x' } }) });
      }
      return route.continue();
    });
    watch.allow(503);
    const firstTry = page.waitForRequest((r) => r.url().endsWith(`/clients/${clientId}/ledger`) && r.method() === 'POST');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    const tried = await firstTry;
    await dialog.getByRole('alert').getByText('Something went wrong on the server').waitFor();
    // ...so the same submission goes again with the same key, and is posted once
    const secondTry = page.waitForRequest((r) => r.url().endsWith(`/clients/${clientId}/ledger`) && r.method() === 'POST');
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    const sent = await secondTry;
    await page.unroute(`**/api/v1/clients/${clientId}/ledger`);
    assert.match(sent.headers()['idempotency-key'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(sent.headers()['idempotency-key'], tried.headers()['idempotency-key']);
    assert.deepEqual(sent.postDataJSON(), { kind: 'payment', amount: '-400', reference: 'BACS 5521' });

    await page.getByText('Payment of US$400.00 recorded').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await shows(testId('ledger-balance'), 'US$600.50');
    await shows(testId('ledger-paid'), 'US$750.00');
    await shows(testId('ledger-closing'), 'US$600.50');
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 4);
    const top = await rows().nth(0).locator('td').allTextContents();
    assert.deepEqual(top.slice(1), ['Payment', 'BACS 5521', '', '-US$400.00', 'US$600.50', 'US$750.00']);
    assert.match(await page.getByRole('tab', { name: /Ledger/ }).textContent(), /Ledger\s*4/);
    await page.locator('figure[data-last-balance="600.50"]').waitFor();
    assert.match(await chart().locator('figcaption').textContent(), /US\$600\.50 at the end; highest US\$1,350\.50 on 3 Feb 2025.* 4 days with entries\.$/);

    // the API agrees, and the ledger still adds up
    const c = await getClient(clientId);
    assert.deepEqual([c.balance, c.paid_to_date, c.counts.ledger_entries], ['600.50', '750.00', 4]);
    const list = (await api('GET', `/api/v1/clients/${clientId}/ledger`, { token: owner.token })).json;
    assert.deepEqual([list.data[0].amount, list.data[0].idempotency_key], ['-400.00', sent.headers()['idempotency-key']]);
    assert.deepEqual((await api('GET', '/api/v1/ledger/check', { token: owner.token })).json.differences, []);

    // the Overview shows the same numbers
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.waitForURL(`**/clients/${clientId}`);
    await shows(testId('overview-balance'), 'US$600.50');
    await shows(testId('overview-paid'), 'US$750.00');
    await page.getByRole('link', { name: /^Ledger\s*4/ }).click();
    await page.waitForURL(`**/clients/${clientId}/ledger`);
    await shows(testId('ledger-balance'), 'US$600.50');

    // and so does the clients list, in the client's currency
    await page.goto('/clients');
    const listed = page.getByRole('row', { name: /Harbor Logistics/ });
    await listed.getByText('US$600.50', { exact: true }).waitFor();
    await listed.getByText('US$750.00', { exact: true }).waitFor();
    await page.goto(`/clients/${clientId}/ledger`);
    await shows(testId('ledger-balance'), 'US$600.50');
    watch.assertClean();
  });

  test('e2e-6.3 a wrong amount or date shows the field error (the API’s 422 too); an adjustment posts signed', async () => {
    await page.getByRole('button', { name: 'Record payment' }).click();
    const pay = page.getByRole('dialog', { name: 'Record payment' });
    const amount = pay.getByLabel(/Amount received/);
    // a sign never leaves the browser
    let posts = 0;
    const count = (r) => {
      if (r.method() === 'POST' && r.url().endsWith(`/clients/${clientId}/ledger`)) posts++;
    };
    page.on('request', count);
    await amount.fill('-40');
    await pay.getByRole('button', { name: 'Record payment' }).click();
    await pay.getByText('Enter the amount without a minus sign: a payment always takes it off the balance').waitFor();
    assert.equal(await amount.getAttribute('aria-invalid'), 'true');
    await amount.and(page.locator(':focus')).waitFor(); // focus goes to the field to fix
    assert.equal(posts, 0);

    // more decimals than the currency has: the API says so (422), under the input
    await amount.fill('12.345');
    await pay.locator('#ledger-entry-amount:not([aria-invalid])').waitFor(); // typing clears the error
    watch.allow(422);
    const refused = page.waitForResponse((r) => r.url().endsWith(`/clients/${clientId}/ledger`) && r.request().method() === 'POST');
    await pay.getByRole('button', { name: 'Record payment' }).click();
    assert.equal((await refused).status(), 422);
    await pay.getByText("Amount has more decimals than USD allows. The client's currency is USD, with 2 decimal places.").waitFor();
    assert.equal(await amount.getAttribute('aria-invalid'), 'true');
    assert.equal(posts, 1);
    page.off('request', count);
    await pay.getByRole('button', { name: 'Cancel' }).click();
    await pay.waitFor({ state: 'hidden' });

    // an invoice dated before the latest entry: the API's 422 under the date
    await page.getByRole('button', { name: 'Post adjustment' }).click();
    const adj = page.getByRole('dialog', { name: 'Post adjustment' });
    const kind = adj.getByLabel('Kind of entry');
    assert.deepEqual(await kind.locator('option').allTextContents(), ['Adjustment', 'Invoice', 'Credit', 'Refund'], 'an opening balance only as the first entry');
    await kind.selectOption('invoice');
    await adj.getByText('An invoice sent outside clientd: adds to what the client owes.').waitFor();
    await adj.getByLabel(/^Amount/).fill('99');
    await adj.getByLabel('Date').fill('2025-06-01');
    watch.allow(422);
    await adj.getByRole('button', { name: 'Post invoice' }).click();
    await adj.getByText("The date is earlier than the client's latest ledger entry.").waitFor();
    assert.equal(await adj.getByLabel('Date').getAttribute('aria-invalid'), 'true');

    // an adjustment down: typed unsigned, sent negative
    await kind.selectOption('adjustment');
    await adj.getByText('Decrease balance').click();
    await adj.getByLabel(/^Amount/).fill('0.50');
    await adj.getByLabel('Date').fill(await adj.getByLabel('Date').getAttribute('max'));
    await adj.getByLabel('Notes').fill('Rounding');
    await adj.getByText('after this entry US$600.00').waitFor();
    const sent = page.waitForRequest((r) => r.url().endsWith(`/clients/${clientId}/ledger`) && r.method() === 'POST');
    await adj.getByRole('button', { name: 'Post adjustment' }).click();
    assert.deepEqual((await sent).postDataJSON(), { kind: 'adjustment', amount: '-0.50', notes: 'Rounding' });
    await page.getByText('Adjustment of US$0.50 posted').waitFor();
    await shows(testId('ledger-balance'), 'US$600.00');
    await shows(testId('ledger-paid'), 'US$750.00');
    assert.equal((await getClient(clientId)).balance, '600.00');
    watch.assertClean();
  });

  test('e2e-6.4 filters by kind and date narrow the table, live in the URL and survive reload and back', async () => {
    await page.getByLabel('Kind', { exact: true }).selectOption({ label: 'Payments' });
    await page.waitForURL(/\/ledger\?kind=payment$/);
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 2);
    assert.deepEqual(await rows().locator('td:nth-child(2)').allTextContents(), ['Payment', 'Payment']);
    // the kind narrows the table only: the balances are the range's
    await shows(testId('ledger-closing'), 'US$600.00');

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 2);
    assert.equal(await page.getByLabel('Kind', { exact: true }).inputValue(), 'payment');

    // a start date: the opening balance is the balance before it
    await page.getByLabel('From', { exact: true }).fill('2025-02-01');
    await page.waitForURL(/\/ledger\?from=2025-02-01&kind=payment$/);
    await shows(testId('ledger-opening'), 'US$250.00');
    await shows(testId('ledger-closing'), 'US$600.00');
    await page.getByText('Since 1 Feb 2025').first().waitFor();
    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await page.waitForURL(/\/ledger\?from=2025-02-01$/);
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 4);
    await chart().locator('figcaption').filter({ hasText: /^Balance from 1 Feb 2025 to .*: US\$250\.00 at the start, US\$600\.00 at the end/ }).waitFor();
    await screenshot(page, 'ledger-desktop');

    await page.goBack();
    await page.waitForURL(/\/ledger\?from=2025-02-01&kind=payment$/);
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 2);
    await page.goBack();
    await page.waitForURL(/\/ledger\?kind=payment$/);
    await shows(testId('ledger-opening'), 'US$0.00');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), '');

    // a range that ends before it starts is not asked for
    await page.getByLabel('From', { exact: true }).fill('2025-03-01');
    await page.waitForURL(/from=2025-03-01/);
    await page.getByLabel('To', { exact: true }).fill('2025-02-01');
    await page.getByText('The end date is before the start date.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Statement (CSV)' }).isDisabled(), true);
    await page.getByRole('button', { name: 'All dates' }).click();
    await page.waitForURL(/\/ledger\?kind=payment$/);

    // many entries: 25 at a time, then the older ones
    await page.goto(`/clients/${busyId}/ledger`);
    await page.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 25);
    await page.getByText('25 of 27 entries').waitFor();
    await page.getByRole('button', { name: 'Show older entries' }).click();
    await page.getByText('All 27 entries').waitFor();
    assert.deepEqual(await rows().nth(26).locator('td').nth(2).textContent(), 'INV-01');
    watch.assertClean();
  });

  test('e2e-6.5 the statement downloads as CSV for the date range, with the rows the API lists', async () => {
    await page.goto(`/clients/${clientId}/ledger?from=2025-02-01`);
    await shows(testId('ledger-opening'), 'US$250.00');
    assert.equal(await page.getByLabel('From', { exact: true }).inputValue(), '2025-02-01');
    const link = page.getByRole('link', { name: 'Statement (CSV)' });
    assert.match(await link.getAttribute('href'), /^\/api\/v1\/clients\/[0-9a-z]{12}\/ledger\/statement\?from=2025-02-01T00%3A00%3A00\.000Z$/);
    const downloading = page.waitForEvent('download');
    await link.click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^statement-\d+-2025-02-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8'));

    const listed = (await api('GET', `/api/v1/clients/${clientId}/ledger?from=2025-02-01`, { token: owner.token })).json;
    const entries = csv.filter((r) => r.entry_id);
    assert.deepEqual(
      entries.map((r) => [r.entry_id, r.kind, r.reference, r.amount, r.balance]),
      [...listed.data].reverse().map((e) => [e.id, e.kind, e.reference, e.amount, e.balance_after]),
    );
    assert.deepEqual([csv[0].kind, csv[0].balance], ['opening', listed.meta.ledger.opening_balance]);
    assert.deepEqual([csv.at(-1).kind, csv.at(-1).balance, csv.at(-1).paid_to_date], ['closing', '600.00', '750.00']);
    watch.assertClean();
  });

  test('e2e-6.6 archived clients (and a 409 from archiving meanwhile) and users without edit rights cannot post', async () => {
    // an archived client: the buttons are disabled, and say why
    await page.goto(`/clients/${archivedId}/ledger`);
    await shows(testId('ledger-balance'), 'US$80.00');
    const reason = 'Archived clients take no entries: restore the client to record payments and post adjustments.';
    await page.getByText(reason).waitFor();
    for (const name of ['Record payment', 'Post adjustment']) {
      const b = page.getByRole('button', { name });
      assert.equal(await b.isDisabled(), true, name);
      assert.equal(await b.getAttribute('aria-describedby'), 'ledger-blocked');
    }

    // archived behind the page's back: the API's 409, said plainly; the page catches up
    await page.goto(`/clients/${clientId}/ledger`);
    await page.getByRole('button', { name: 'Record payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record payment' });
    await dialog.getByLabel(/Amount received/).fill('10');
    assert.equal((await api('POST', `/api/v1/clients/${clientId}/archive`, { token: owner.token })).status, 200);
    watch.allow(409);
    await dialog.getByRole('button', { name: 'Record payment' }).click();
    await dialog.getByRole('alert').getByText('Client is archived').waitFor();
    await dialog.getByText('Restore the client first.').waitFor();
    await page.getByText('This client is archived').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.getByRole('button', { name: 'Record payment' }).isDisabled(), true);
    assert.equal((await getClient(clientId)).balance, '600.00');
    assert.equal((await api('POST', `/api/v1/clients/${clientId}/restore`, { token: owner.token })).status, 200);

    // a member who may only view clients: sees the ledger, cannot post
    const member = newUser(companyId, 'member');
    await setPermissions(member.email, ['clients.view.all']);
    const other = await launch();
    try {
      const mp = await other.context.newPage();
      mp.setDefaultTimeout(10_000);
      const mw = watchConsole(mp);
      await signIn(mp, member.email, member.password);
      await mp.goto(`/clients/${clientId}/ledger`);
      await mp.getByTestId('ledger-balance').filter({ hasText: 'US$600.00' }).waitFor();
      await mp.getByText('Recording entries needs the permission to edit clients.').waitFor();
      assert.equal(await mp.getByRole('button', { name: 'Record payment' }).isDisabled(), true);
      assert.equal(await mp.getByRole('button', { name: 'Post adjustment' }).isDisabled(), true);
      assert.equal(await mp.getByRole('link', { name: 'Statement (CSV)' }).count(), 1, 'viewers may download the statement');
      mw.assertClean();
    } finally {
      await other.close();
    }
    watch.assertClean();
  });

  test('e2e-6.7 works at phone width: no sideways scrolling, the chart fits, the dialog too', async () => {
    const noOverflow = async (p) => assert.equal(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'page scrolls sideways');

    // the chart follows its container when the window narrows
    await page.goto(`/clients/${clientId}/ledger`);
    await chart().locator('canvas').waitFor();
    const wide = await chart().locator('canvas').evaluate((c) => c.getBoundingClientRect().width);
    await page.setViewportSize(PHONE);
    await page.waitForFunction((w) => {
      const c = document.querySelector('figure .step-chart canvas');
      return c && c.getBoundingClientRect().width < w && c.getBoundingClientRect().right <= window.innerWidth;
    }, wide);
    await noOverflow(page);
    await page.setViewportSize(DESKTOP);

    const phone = await browser.context.newPage();
    phone.setDefaultTimeout(10_000);
    const pw = watchConsole(phone);
    await phone.setViewportSize(PHONE);
    await phone.goto(`/clients/${clientId}/ledger`);
    await phone.getByTestId('ledger-balance').filter({ hasText: 'US$600.00' }).waitFor();
    await phone.getByRole('figure', { name: 'Balance over time' }).locator('canvas').waitFor();
    await phone.waitForFunction(() => document.querySelectorAll('section[aria-labelledby="ledger-entries-title"] tbody tr').length === 5);
    await noOverflow(phone);
    const canvas = await phone.locator('figure canvas').boundingBox();
    assert.ok(canvas.x >= 0 && canvas.x + canvas.width <= PHONE.width, `chart ${canvas.x}+${canvas.width}`);
    const pay = phone.getByRole('button', { name: 'Record payment' });
    const box = await pay.boundingBox();
    assert.ok(box.height >= 44, `touch target ${box.height}`);
    await screenshot(phone, 'ledger-phone');

    await pay.click();
    const dialog = phone.getByRole('dialog', { name: 'Record payment' });
    await dialog.getByLabel(/Amount received/).waitFor();
    await noOverflow(phone);
    await phone.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await phone.close();
    pw.assertClean();
    watch.assertClean();
  });

  test('e2e-6.8 the posting dialogs follow the kinds GET /api/v1/ledger/kinds serves, asked for once per page load', async () => {
    // the web app's unit tests run on this file: it is what the daemon serves
    const served = JSON.parse(readFileSync(new URL('../../frontend/src/features/ledger/ledger-kinds.served.json', import.meta.url), 'utf8'));
    assert.deepEqual((await api('GET', '/api/v1/ledger/kinds', { token: owner.token })).json, served);

    // asked for once, however often the dialogs open and the tab is left and entered again
    let asked = 0;
    const count = (r) => {
      if (new URL(r.url()).pathname === '/api/v1/ledger/kinds') asked++;
    };
    page.on('request', count);
    await page.goto(`/clients/${clientId}/ledger`);
    const openAndCancel = async (name) => {
      await page.getByRole('button', { name }).click();
      const d = page.getByRole('dialog', { name });
      await d.getByRole('button', { name: 'Cancel' }).click();
      await d.waitFor({ state: 'hidden' });
    };
    await openAndCancel('Record payment');
    await openAndCancel('Post adjustment');
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.waitForURL(`**/clients/${clientId}`);
    await page.getByRole('tab', { name: /Ledger/ }).click();
    await page.waitForURL(`**/clients/${clientId}/ledger`);
    await openAndCancel('Record payment');
    page.off('request', count);
    assert.equal(asked, 1);

    // no copy of the rules in the app: were credits either way, a credit would ask for its direction
    const either = { data: served.data.map((k) => (k.kind === 'credit' ? { ...k, sign: 'either' } : k)) };
    await page.route('**/api/v1/ledger/kinds', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(either) }));
    await page.reload();
    await page.getByRole('button', { name: 'Post adjustment' }).click();
    const adj = page.getByRole('dialog', { name: 'Post adjustment' });
    await adj.getByLabel('Kind of entry').selectOption('credit');
    await adj.getByText('A credit note.', { exact: true }).waitFor();
    await adj.getByRole('radio', { name: 'Decrease balance' }).waitFor();
    await adj.getByRole('button', { name: 'Cancel' }).click();
    await adj.waitFor({ state: 'hidden' });
    await page.unroute('**/api/v1/ledger/kinds');
    watch.assertClean();
  });
});
