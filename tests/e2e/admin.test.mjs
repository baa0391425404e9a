// The admin web app as a new user finds it (issue 11), in a real browser
// against the real daemon and PostgreSQL, one test per item of the issue:
// money keeps its currency (1), the chart of a one-day ledger (2), unsaved
// edits ask before they are lost (3), the activity names what it refers to
// (4), a phone can sort and select all and reaches nothing hidden (5), the
// group delete dialog counts what the server counts and members are added
// from the group (6), the smaller ones (7), and what admins expect to find:
// API tokens, a Group column and filter, the assigned user, the profile (9).
//
// Screenshots (var/e2e/screenshots/): ledger-one-day-desktop,
// activity-references-desktop, tokens-desktop, profile-desktop and
// list-phone-sort (see lib/browser.mjs and README, "Web app").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, DESKTOP, PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';
import { slugOf } from '../api/lib/portal.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });
const today = new Date().toISOString().slice(0, 10);

describe('admin web app: as a new user finds it (issue 11)', () => {
  let browser;
  let page;
  let watch;
  let owner;
  let admin;
  let companyId;
  const ids = {};

  const post = (path, body) => api('POST', path, { token: owner.token, body, headers: { 'Idempotency-Key': `e2e-${uid()}` } });
  const patch = (path, body) => api('PATCH', path, { token: owner.token, body });
  const get = async (path) => (await api('GET', path, { token: owner.token })).json;
  const made = async (r) => {
    assert.ok(r.status === 200 || r.status === 201, r.text);
    return r.json;
  };
  const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Riverside Trading', '--email', owner.email, '--name', 'Rita Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    companyId = (await get('/api/v1/me')).company.id;
    admin = { email: `admin-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company', companyId, '--email', admin.email, '--name', 'Adam Admin', '--role', 'admin', '--password-stdin'], `${admin.password}\n`);

    ids.eur = (await made(await post('/api/v1/groups', { name: 'Euro clients', settings: { currency: 'EUR' } }))).id;
    ids.retail = (await made(await post('/api/v1/groups', { name: 'Retail' }))).id;
    ids.wholesale = (await made(await post('/api/v1/groups', { name: 'Wholesale' }))).id;
    // 40 clients, so that the list scrolls
    for (let i = 1; i <= 40; i++) {
      const n = String(i).padStart(2, '0');
      const c = await made(await post('/api/v1/clients', { name: `Client ${n} Ltd`, number: `C-${n}`, contacts: [{ first_name: 'Contact', last_name: n, email: `c${n}@riverside.example` }] }));
      ids[`c${n}`] = c.id;
    }
    browser = await launch();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchConsole(page);
    await signIn(page, owner.email, owner.password);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-11.1 a client\'s money keeps its currency when it joins a group with another (item 1)', async () => {
    const c = await made(await post('/api/v1/clients', { name: 'Dollar Traders' }));
    ids.dollar = c.id;
    await made(await post(`/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '1250.00', reference: 'Invoice 1' }));

    // the client joins the EUR group on its form
    await page.goto(`/clients/${c.id}/edit`);
    await page.getByLabel('Group').selectOption({ label: 'Euro clients' });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/clients/${c.id}`);
    await page.getByTestId('overview-balance').filter({ hasText: 'US$1,250.00' }).waitFor();
    await page.getByText('US Dollar (USD)').waitFor();

    // its Settings tab: the currency is the client's own, fixed by its ledger
    await page.getByRole('tab', { name: 'Settings' }).click();
    const currency = page.locator('li[data-setting="currency"]');
    await currency.getByText('USD (US Dollar)').waitFor();
    assert.equal((await currency.locator('[data-source]').textContent()).split(':')[0], 'Client');
    await currency.getByText('The client has ledger entries in USD').waitFor();
    assert.equal(await currency.getByRole('button', { name: /Override|Change|Clear/ }).count(), 0, 'nothing to change it with');
    assert.equal(await page.locator('li[data-setting="language"]').getByRole('button', { name: 'Override Language' }).count(), 1, '(twin) other settings can change');

    // the ledger shows the amounts in the currency stored with them
    await page.getByRole('tab', { name: /Ledger/ }).click();
    await page.locator('section[aria-labelledby="ledger-entries-title"] tbody tr').filter({ hasText: 'Invoice 1' }).getByText('+US$1,250.00').waitFor();
    assert.equal((await get(`/api/v1/clients/${c.id}`)).currency, 'USD');
    watch.assertClean();
  });

  test('e2e-11.2 the chart of a ledger with one day of entries is a line over a day, not years (item 2)', async () => {
    const c = await made(await post('/api/v1/clients', { name: 'First Day Foods' }));
    await page.goto(`/clients/${c.id}/ledger`);
    await page.getByText('No ledger entries yet').waitFor(); // none: no chart, a word instead
    await made(await post(`/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '1250.00', reference: 'Invoice 1' }));
    await page.reload();
    const fig = page.getByRole('figure', { name: 'Balance over time' });
    await fig.locator('canvas').waitFor();
    assert.equal(await fig.getAttribute('data-points'), '2', 'the day before (at the opening balance) and the day');
    assert.equal(await fig.getAttribute('data-last-balance'), '1250.00');
    const chart = fig.locator('.step-chart');
    await page.waitForFunction(() => document.querySelector('figure .step-chart')?.dataset.xMax);
    const [min, max] = [Number(await chart.getAttribute('data-x-min')), Number(await chart.getAttribute('data-x-max'))];
    const day = Date.UTC(...today.split('-').map((x, i) => Number(x) - (i === 1 ? 1 : 0))) / 1000;
    assert.ok(max - min <= 3 * 86400, `the axis spans ${(max - min) / 86400} days`);
    assert.ok(min <= day - 86400 && max >= day, 'and holds the day and the day before');
    assert.match(await fig.locator('figcaption').textContent(), /^Balance on .*: US\$0\.00 at the start, US\$1,250\.00 at the end; .* 1 day with entries\.$/);
    await screenshot(page, 'ledger-one-day-desktop');
    watch.assertClean();
  });

  test('e2e-11.3 unsaved edits ask before a link, Back or a reload drops them (item 3)', async () => {
    const c = ids.c01;
    await page.goto(`/clients/${c}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`**/clients/${c}/edit`);
    const name = page.getByLabel('Name', { exact: true });
    await name.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' (edited)');
    await page.getByText('Unsaved changes').waitFor();

    // a sidebar link asks; staying keeps the edits
    await nav('Groups').click();
    const ask = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await ask.getByText('You have not saved your changes to this client').waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    assert.match(page.url(), /\/edit$/);
    assert.equal(await name.inputValue(), 'Client 01 Ltd (edited)');

    // Back asks too; leaving goes back for real
    await page.goBack();
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    assert.match(page.url(), /\/edit$/);
    assert.equal(await name.inputValue(), 'Client 01 Ltd (edited)');

    // a reload: the browser's own question (dismissed: the page stays)
    let asked = null;
    page.once('dialog', (d) => {
      asked = d.type();
      void d.dismiss();
    });
    await page.evaluate(() => setTimeout(() => location.reload(), 0));
    await page.waitForFunction(() => true);
    await page.waitForTimeout(500);
    assert.equal(asked, 'beforeunload');
    assert.equal(await name.inputValue(), 'Client 01 Ltd (edited)');

    await page.goBack();
    await ask.getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL(`**/clients/${c}`);
    assert.equal((await get(`/api/v1/clients/${c}`)).name, 'Client 01 Ltd', 'nothing was saved');

    // twin: a saved form leaves without a question, and Back does not come to it twice
    await page.getByRole('link', { name: 'Edit' }).click();
    await name.fill('Client 01 Limited');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/clients/${c}`);
    await page.getByRole('heading', { name: /Client 01 Limited/, level: 1 }).waitFor();
    await page.goBack();
    await page.waitForURL(`**/clients/${c}/edit`);
    await page.goBack();
    await page.waitForURL(`**/clients/${c}`);

    // the company settings: a link out asks, the sections of the form do not
    await nav('Settings').click();
    await page.getByLabel('Payment terms', { exact: true }).fill('21');
    await page.getByRole('tab', { name: 'Reminders' }).click();
    await page.waitForURL('**/settings/reminders');
    assert.equal(await ask.count(), 0);
    await nav('Clients').click();
    await ask.getByText('You have not saved your changes to the settings').waitFor();
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await nav('Clients').click();
    await page.waitForURL('**/clients');
    watch.assertClean();
  });

  test('e2e-11.4 the activity shows names, money in its currency and times, the raw values in tooltips (item 4)', async () => {
    const users = await get('/api/v1/users');
    const adamId = users.data.find((u) => u.email === admin.email).id;
    const c = await made(await post('/api/v1/clients', { name: 'Referenced Ltd', group: ids.retail }));
    await made(await patch(`/api/v1/clients/${c.id}`, { group: ids.wholesale, assigned_user: adamId }));
    assert.equal((await api('DELETE', `/api/v1/groups/${ids.retail}`, { token: owner.token })).status, 204);
    await made(await post(`/api/v1/clients/${c.id}/ledger`, { kind: 'invoice', amount: '1199.75' }));
    await made(await post(`/api/v1/clients/${c.id}/ledger`, { kind: 'payment', amount: '-400.00' }));
    const src = await made(await post('/api/v1/clients', { name: 'Absorbed Co' }));
    await made(await post(`/api/v1/clients/${src.id}/ledger`, { kind: 'invoice', amount: '25.00' }));
    await made(await post(`/api/v1/clients/${c.id}/merge`, { source: src.id }));

    await page.goto(`/clients/${c.id}/activity`);
    const moved = page.locator('[data-event-type="client.updated"]').first();
    await moved.waitFor();
    assert.match(await moved.textContent(), /Group\s*Retail \(deleted\)\s*→\s*Wholesale/);
    assert.match(await moved.textContent(), /Assigned user\s*Adam Admin/);
    const link = moved.getByRole('link', { name: 'Wholesale' });
    assert.equal(await link.getAttribute('href'), `/groups/${ids.wholesale}`);
    assert.equal(await link.getAttribute('title'), ids.wholesale, 'the id is kept in the tooltip');
    assert.equal(await moved.getByText('Retail (deleted)').getAttribute('title'), ids.retail);
    assert.doesNotMatch(await moved.textContent(), new RegExp(ids.wholesale), 'no id is shown as text');

    const payment = page.locator('[data-event-type="ledger_entry.created"]').filter({ hasText: 'Payment recorded' });
    assert.match(await payment.textContent(), /Amount\s*-US\$400\.00/);
    assert.match(await payment.textContent(), /Balance\s*US\$1,199\.75\s*→\s*US\$799\.75/);
    assert.equal(await payment.getByText('US$799.75', { exact: true }).getAttribute('title'), '799.75 USD');
    const first = page.locator('[data-event-type="ledger_entry.created"]').filter({ hasText: 'Invoice posted' });
    await first.getByText('its currency is now fixed at USD').waitFor();

    const merged = page.locator('[data-event-type="client.merged"]');
    assert.match(await merged.textContent(), /Balance\s*US\$799\.75\s*→\s*US\$824\.75/);
    assert.equal(await merged.getByRole('link', { name: 'Absorbed Co' }).getAttribute('href'), `/clients/${src.id}`);
    await screenshot(page, 'activity-references-desktop');

    // the source names the client it was merged into, linked
    await page.goto(`/clients/${src.id}/activity`);
    const gone = page.locator('[data-event-type="client.deleted"]');
    await gone.getByRole('link', { name: 'Referenced Ltd' }).waitFor();
    assert.doesNotMatch(await gone.textContent(), new RegExp(c.id));
    // and its ledger's merge note names the client, not its id
    await page.goto(`/clients/${src.id}/ledger`);
    await page.getByText(/Balance moved to Referenced Ltd \(number \d+\)\./).waitFor();
    watch.assertClean();
  });

  test('e2e-11.5 at phone width the list sorts and selects all, and Tab reaches nothing hidden (item 5)', async () => {
    const phone = await browser.context.newPage();
    phone.setDefaultTimeout(10_000);
    const pw = watchConsole(phone);
    await phone.setViewportSize(PHONE);
    await phone.goto('/clients');
    await phone.getByRole('link', { name: 'Client 40 Ltd' }).waitFor();

    // every control Tab reaches is one the user can see
    const reached = [];
    await phone.locator('body').focus();
    for (let i = 0; i < 45; i++) {
      await phone.keyboard.press('Tab');
      const f = await phone.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        // a checkbox or radio is drawn by its label (the input itself is a transparent pixel)
        const shown = el.matches('input[type="checkbox"], input[type="radio"]') ? (el.closest('label') ?? el) : el;
        const r = shown.getBoundingClientRect();
        const visible = shown.checkVisibility({ visibilityProperty: true }) && r.width > 1 && r.height > 1 && r.right > 0 && r.left < window.innerWidth;
        return { what: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}`, visible, inHead: Boolean(el.closest('thead')) };
      });
      if (f) reached.push(f);
    }
    assert.ok(reached.length > 20, `Tab went through the page (${reached.length})`);
    assert.deepEqual(reached.filter((f) => !f.visible || f.inHead), [], 'a hidden control took focus');
    assert.equal(await phone.locator('thead').evaluate((el) => getComputedStyle(el).display), 'none');

    // the phone's own sort
    await phone.getByLabel('Sort').selectOption({ label: 'Name, Z to A' });
    await phone.waitForURL(/[?&]sort=-name/);
    await phone.waitForFunction(() => document.querySelector('tbody tr a')?.textContent === 'Referenced Ltd' || document.querySelector('tbody tr a')?.textContent?.startsWith('R'));
    await screenshot(phone, 'list-phone-sort');

    // and select-all
    await phone.getByLabel('Select all on this page').check();
    const count = await phone.locator('tbody tr').count();
    await phone.getByRole('region', { name: 'Bulk actions' }).getByText(`${count} selected`).waitFor();
    assert.equal(await phone.locator('tbody tr.table__row--selected').count(), count);
    await phone.getByLabel('Select all on this page').uncheck();
    await phone.getByRole('region', { name: 'Bulk actions' }).waitFor({ state: 'detached' });
    assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'page scrolls sideways');
    await phone.close();
    pw.assertClean();
  });

  test('e2e-11.6 deleting a group counts what the server counts, by status; members are added from the group (item 6)', async () => {
    const g = await made(await post('/api/v1/groups', { name: 'Mixed bag' }));
    const [a, b, d] = [ids.c10, ids.c11, ids.c12];
    await made(await post('/api/v1/clients/bulk', { action: 'assign_group', ids: [a, b, d], group: g.id }));
    await made(await post(`/api/v1/clients/${b}/archive`));
    assert.equal((await api('DELETE', `/api/v1/clients/${d}`, { token: owner.token })).status, 200);

    await page.goto(`/groups/${g.id}`);
    await page.getByRole('heading', { name: 'Mixed bag', level: 1 }).waitFor();

    // adding members from the group's page (the bulk assign_group)
    await page.getByRole('button', { name: 'Add clients' }).click();
    const add = page.getByRole('dialog', { name: 'Add clients to Mixed bag' });
    await add.getByLabel('Find clients').fill('Client 2');
    await add.getByText('Client 20 Ltd').waitFor();
    await add.getByRole('checkbox', { name: /Client 20 Ltd/ }).check();
    await add.getByRole('checkbox', { name: /Client 21 Ltd/ }).check();
    await add.getByRole('button', { name: 'Add 2 clients' }).click();
    await page.getByText('2 clients added to Mixed bag').waitFor();
    await page.locator('#group-members-title').getByText('4').waitFor();
    assert.equal((await get(`/api/v1/clients/${ids.c20}`)).group, g.id);

    // the delete dialog says what the server will count, before asking it
    await page.getByRole('button', { name: 'Group actions' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete Mixed bag?' });
    await dialog.getByText('5 clients are in this group: 3 active, 1 archived and 1 deleted.').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Delete group' }).count(), 0, 'no delete that the server would refuse');
    const refused = await api('DELETE', `/api/v1/groups/${g.id}`, { token: owner.token });
    assert.equal(refused.json.error.message, 'group "Mixed bag" still has 5 clients', 'the same count as the server');
    await dialog.getByRole('button', { name: 'Take all 5 clients out and delete' }).click();
    await page.waitForURL('**/groups');
    await page.getByText('Group deleted').waitFor();
    assert.equal((await get(`/api/v1/clients/${d}`)).group, null);
    watch.assertClean();
  });

  test('e2e-11.7 the smaller ones: website and phone, the number preview, custom fields, scroll, focus, portal, standing (item 7)', async () => {
    // website and phone: checked as the API checks them, before sending
    await page.goto('/clients/new');
    await page.getByLabel('Name', { exact: true }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'cf-name', 'the new-client form starts at Name');
    let sent = 0;
    const onReq = (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/clients') sent++;
    };
    page.on('request', onReq);
    await page.getByLabel('Name', { exact: true }).fill('Formats Ltd');
    await page.getByLabel('Website', { exact: true }).fill('not a url');
    await page.getByLabel('Phone', { exact: true }).first().fill('abc');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByText('Fix these 2 fields to save').waitFor();
    await page.getByText('Not an http(s) URL such as "https://example.com": "not a url"').first().waitFor();
    await page.getByText(/^Not a phone number \(digits, .*\): "abc"$/).first().waitFor();
    assert.equal(sent, 0, 'nothing was sent');
    // a bare domain gets its https://
    await page.getByLabel('Website', { exact: true }).fill('formats.example');
    await page.getByLabel('Website', { exact: true }).blur();
    assert.equal(await page.getByLabel('Website', { exact: true }).inputValue(), 'https://formats.example');
    await page.getByLabel('Phone', { exact: true }).first().fill('+44 (0)20 7946 0958 ext. 12');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.waitForURL(/\/clients\/[0-9a-z]{12}$/);
    page.off('request', onReq);
    const formats = await get(`/api/v1/clients/${page.url().split('/').pop()}`);
    assert.deepEqual([formats.website, formats.phone], ['https://formats.example', '+44 (0)20 7946 0958 ext. 12']);
    // the Standing card: what the money is in, and the way to the ledger
    await page.getByText('US Dollar (USD)').waitFor();
    await page.getByRole('link', { name: /No ledger entries yet: open the ledger/ }).waitFor();

    // custom fields: only the named ones, by their names
    await made(await patch('/api/v1/settings', { custom_fields: { client1: 'Region', contact2: 'Role' } }));
    await page.goto(`/clients/${ids.c02}/edit`);
    await page.getByLabel('Region', { exact: true }).waitFor();
    assert.equal(await page.getByLabel(/^Custom field \d/).count(), 0, 'no unnamed field is offered');
    await page.locator('.contact-card').first().getByText('Custom fields').click();
    await page.locator('.contact-card').first().getByLabel('Role', { exact: true }).waitFor();

    // the number preview asks the API only about patterns it would take
    await page.goto('/settings/numbers');
    const preview = page.getByTestId('number-preview');
    await page.waitForFunction(() => /^\d{4}$/.test(document.querySelector('[data-testid="number-preview"] output')?.textContent ?? ''));
    let asked = 0;
    const onPreview = (r) => {
      if (new URL(r.url()).pathname === '/api/v1/settings/client-number-preview') asked++;
    };
    page.on('request', onPreview);
    const pattern = page.getByLabel('Number pattern');
    await pattern.fill('');
    await pattern.pressSequentially('C-{$cou', { delay: 40 });
    await preview.getByText('Finish the variable').waitFor();
    assert.equal(await pattern.getAttribute('aria-invalid'), null, 'an unfinished variable is no error');
    await page.waitForTimeout(500);
    assert.equal(asked, 0, 'no request while the pattern is unfinished');
    await pattern.fill('C-{$year}');
    await page.getByText('has no counter: every client would get the same number').waitFor();
    await page.waitForTimeout(500);
    assert.equal(asked, 0, 'nor for one the API would refuse');
    page.off('request', onPreview);
    await page.getByRole('button', { name: 'Discard changes' }).click();

    // the list remembers where it was scrolled after Back
    await page.goto('/clients?per_page=50&sort=number');
    await page.getByRole('link', { name: 'Client 35 Ltd' }).waitFor();
    await page.getByRole('link', { name: 'Client 35 Ltd' }).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(300);
    const y = await page.evaluate(() => window.scrollY);
    assert.ok(y > 300, `scrolled to ${y}`);
    await page.getByRole('link', { name: 'Client 35 Ltd' }).click();
    await page.waitForURL(`**/clients/${ids.c35}`);
    assert.ok((await page.evaluate(() => window.scrollY)) < 50, 'a new page starts at the top');
    await page.goBack();
    await page.getByRole('link', { name: 'Client 35 Ltd' }).waitFor();
    await page.waitForFunction((want) => Math.abs(window.scrollY - want) < 40, y);

    // the portal's sign-in page (open since issue 13) asks for the email and
    // password at once, under the company's name, with no empty logo box
    await page.goto(`/portal/${await slugOf(owner.token)}/login`);
    await page.getByLabel('Password').waitFor();
    await page.locator('.portal__brand', { hasText: 'Riverside' }).waitFor();
    assert.equal(await page.locator('.portal__mark').count(), 0);
    await page.goto('/clients');
    watch.assertClean();
  });

  test('e2e-11.9 API tokens, the Group column and filter, the assigned user, the profile (item 9)', async () => {
    // API tokens, under Integrations
    await nav('Integrations').click();
    await page.waitForURL('**/integrations/tokens');
    await page.getByRole('tab', { name: 'API tokens' }).waitFor();
    await page.getByRole('button', { name: 'New token' }).first().click();
    const create = page.getByRole('dialog', { name: 'New API token' });
    await create.getByRole('button', { name: 'Create token' }).click();
    await create.getByText('Name the token after the script or service that uses it').waitFor();
    await create.getByLabel('Name').fill('Nightly export');
    await create.getByLabel('Expires').selectOption({ label: 'In 30 days' });
    await create.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: 'Copy your new token' });
    const secret = await shown.getByTestId('token-secret').inputValue();
    assert.match(secret, /^cdt_[A-Za-z0-9_-]{43}$/);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByText('Copied to the clipboard.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await shown.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /Nightly export/ });
    await row.getByText(`${secret.slice(0, 12)}…`).waitFor();
    await row.getByText('Never used').waitFor();
    assert.equal(await page.getByText(secret).count(), 0, 'the secret is shown once');
    assert.equal((await api('GET', '/api/v1/me', { token: secret })).status, 200, 'the token works');
    await page.reload();
    await row.getByText('Used just now').waitFor();
    await screenshot(page, 'tokens-desktop');
    await row.getByRole('button', { name: 'Revoke Nightly export' }).click();
    await page.getByRole('alertdialog', { name: 'Revoke “Nightly export”?' }).getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Token “Nightly export” revoked').waitFor();
    await row.waitFor({ state: 'detached' });
    assert.equal((await api('GET', '/api/v1/me', { token: secret })).status, 401, 'and stops at once when revoked');

    // the Group column and filter
    await made(await post('/api/v1/clients/bulk', { action: 'assign_group', ids: [ids.c03, ids.c04], group: ids.wholesale }));
    await nav('Clients').click();
    await page.waitForURL('**/clients');
    await page.getByLabel('Search clients').fill('Client 03');
    await page.getByRole('row', { name: /Client 03 Ltd/ }).getByRole('link', { name: 'Wholesale' }).waitFor();
    await page.getByLabel('Search clients').fill('');
    await page.waitForURL('**/clients');
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Wholesale' });
    await page.waitForURL(`**/clients?group=${ids.wholesale}`);
    await page.waitForFunction(() => [...document.querySelectorAll('tbody tr')].length === 3);
    const names = await page.locator('tbody tr .client-cell__name').allTextContents();
    assert.deepEqual(names.sort(), ['Client 03 Ltd', 'Client 04 Ltd', 'Referenced Ltd']);
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'No group' });
    await page.waitForURL('**/clients?group=none');
    await page.getByRole('link', { name: 'Client 40 Ltd' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Client 03 Ltd' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: 'Dollar Traders' }).count(), 0, 'a client of another group is not listed');

    // the assigned user, on the client's form and in its details
    await page.goto(`/clients/${ids.c05}/edit`);
    await page.getByLabel('Assigned user').selectOption({ label: `Adam Admin (${admin.email})` });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/clients/${ids.c05}`);
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.locator('.dl__row').filter({ hasText: 'Assigned user' }).getByText('Adam Admin').waitFor();
    const users = await get('/api/v1/users');
    assert.equal((await get(`/api/v1/clients/${ids.c05}`)).assigned_user, users.data.find((u) => u.email === admin.email).id);

    // the profile: name and password
    await page.getByRole('button', { name: /Rita Owner/ }).click();
    await page.getByRole('menuitem', { name: 'Profile' }).click();
    await page.waitForURL('**/profile');
    await page.getByLabel('Name', { exact: true }).fill('Rita Riverside');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name saved').waitFor();
    await page.getByTestId('account-name').filter({ hasText: 'Rita Riverside' }).waitFor();
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await page.getByLabel('New password, again').fill('a brand new passphrase');
    watch.allow(403);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('That is not your current password').waitFor();
    await page.getByLabel('Current password').fill(owner.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed').waitFor();
    await screenshot(page, 'profile-desktop');
    owner.password = 'a brand new passphrase';
    assert.equal((await api('GET', '/api/v1/me', { token: owner.token })).status, 200, 'tokens keep working');
    // signed in here still; the new password signs in elsewhere
    await page.goto('/clients');
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    const again = await http('POST', '/api/v1/login', { body: { email: owner.email, password: owner.password }, validate: false });
    assert.equal(again.status, 200);
    await page.setViewportSize(DESKTOP);
    watch.assertClean();
  });
});
