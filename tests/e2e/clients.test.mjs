// The admin web app in a real browser (Debian's chromium, headless)
// against the real daemon and PostgreSQL: sign in, create a client with
// two contacts (after the API's field error for a bad email), find it by a
// contact's email, edit it, archive and restore it, see each change in the
// Activity tab, survive a stale edit (412), work at phone width, sign out
// and be refused. Any console error fails the test that caused it.
//
// It also writes screenshots of the list, view and edit screens at
// desktop and phone width (to var/e2e/screenshots/; see lib/browser.mjs
// and README, "Web app").
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, DESKTOP, PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';

// Straight API calls for setup and checks (the api suite holds responses
// to openapi.yaml; this suite is about the browser).
const api = (method, path, opts) => http(method, path, { ...opts, validate: false });

// Fixed data, so the screenshots show the same list every run.
const SEED = [
  ['Bluebird Bakery', 'Maya', 'Ortiz', 'maya@bluebird-bakery.example', 'GB'],
  ['Cedar & Stone Architects', 'Jonas', 'Weber', 'jonas.weber@cedarstone.example', 'DE'],
  ['Harbor Logistics', 'Priya', 'Nair', 'priya@harborlogistics.example', 'NL'],
  ['Lumen Dental Clinic', 'Sofia', 'Rossi', 'sofia.rossi@lumendental.example', 'IT'],
  ['Maple Street Studio', 'Ethan', 'Clarke', 'ethan@maplestreet.example', 'CA'],
  ['Orbit Software', 'Chen', 'Wei', 'chen.wei@orbitsoftware.example', 'SG'],
  ['Fjord Outdoor Supply', 'Ingrid', 'Larsen', 'ingrid@fjordoutdoor.example', 'NO'],
];

describe('admin web app: clients', () => {
  let browser;
  let page;
  let watch;
  let owner;
  let clientId;

  // One page for the whole flow (the steps build on each other); each
  // step checks that it logged no console error.
  before(async () => {
    // A fresh company (fixed name, so the screenshots stay the same) and
    // its owner, made with the real CLI as the API suites do.
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Harbourside Consulting', '--email', owner.email,
      '--name', 'Test Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    for (const [name, first, last, email, country] of SEED) {
      const r = await api('POST', '/api/v1/clients', {
        token: owner.token,
        body: { name, address: { city: 'Springfield', country }, contacts: [{ first_name: first, last_name: last, email, phone: '+44 20 7946 0000' }] },
      });
      assert.equal(r.status, 201, r.text);
    }
    browser = await launch();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-1.1 signs in; the header shows the user and the company', async () => {
    await signIn(page, owner.email, owner.password);
    assert.equal(await page.getByTestId('account-name').textContent(), 'Test Owner');
    assert.equal(await page.getByTestId('account-company').textContent(), 'Harbourside Consulting');
    await page.getByRole('row', { name: /Orbit Software/ }).waitFor();
    await screenshot(page, 'list-desktop');
    watch.assertClean();
  });

  test('e2e-1.2 creates a client with two contacts, after the field error for a bad email', async () => {
    await page.getByRole('link', { name: 'New client' }).click();
    await page.waitForURL('**/clients/new');
    await page.getByLabel('Name', { exact: true }).fill('Northwind Traders');
    await page.getByLabel('Phone', { exact: true }).first().fill('+44 20 7946 0958');
    await page.getByLabel('Website', { exact: true }).fill('https://northwind.example');
    await page.getByLabel('VAT number', { exact: true }).fill('GB123456789');

    const first = page.locator('.contact-card').nth(0);
    await first.getByLabel('First name', { exact: true }).fill('Ann');
    await first.getByLabel('Last name', { exact: true }).fill('Lee');
    await first.getByLabel('Email', { exact: true }).fill('ann.lee@northwind.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const second = page.locator('.contact-card').nth(1);
    // the new contact's first field has focus
    assert.equal(await second.getByLabel('First name', { exact: true }).evaluate((el) => el === document.activeElement), true);
    await second.getByLabel('First name', { exact: true }).fill('Bob');
    await second.getByLabel('Last name', { exact: true }).fill('Stone');
    await second.getByLabel('Email', { exact: true }).fill('bob.stone@@northwind');

    const billing = page.getByRole('region', { name: 'Billing address' });
    await billing.getByLabel('Street', { exact: true }).fill('12 Harbour Road');
    await billing.getByLabel('Postal code', { exact: true }).fill('SW1A 1AA');
    await billing.getByLabel('City', { exact: true }).fill('London');
    await billing.getByLabel('Country', { exact: true }).selectOption('GB');
    await page.getByLabel('Private notes', { exact: true }).fill('Prefers invoices at the start of the month.');

    watch.allow(422);
    const r422 = page.waitForResponse((r) => r.url().endsWith('/api/v1/clients') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Create client' }).click();
    assert.equal((await r422).status(), 422);
    const email2 = second.getByLabel('Email', { exact: true });
    await second.getByText('Not a valid email address').waitFor();
    assert.equal(await email2.getAttribute('aria-invalid'), 'true');
    await page.getByText('Fix this field to save').waitFor();
    assert.equal(page.url(), `${BASE}/clients/new`);

    await email2.fill('bob.stone@northwind.example');
    await screenshot(page, 'edit-desktop-new');
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.waitForURL(/\/clients\/[0-9a-z]{12}$/);
    clientId = page.url().split('/').pop();
    await page.getByRole('heading', { name: /Northwind Traders/, level: 1 }).waitFor();
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await contacts.getByText('ann.lee@northwind.example').waitFor();
    await contacts.getByText('bob.stone@northwind.example').waitFor();
    const c = await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token });
    assert.deepEqual(c.json.contacts.map((k) => [k.first_name, k.email, k.is_primary]), [
      ['Ann', 'ann.lee@northwind.example', true],
      ['Bob', 'bob.stone@northwind.example', false],
    ]);
    assert.equal(c.json.address.city, 'London');
    await screenshot(page, 'view-desktop');
    watch.assertClean();
  });

  test('e2e-1.3 finds the client by a contact email in the search', async () => {
    await page.getByRole('link', { name: 'Clients', exact: true }).first().click();
    await page.waitForURL('**/clients');
    await page.getByLabel('Search clients').fill('bob.stone@northwind');
    await page.waitForURL(/[?&]q=bob\.stone%40northwind/);
    const rows = page.locator('tbody tr');
    await page.getByRole('link', { name: 'Northwind Traders' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    assert.equal(await rows.count(), 1);
    // the search survives a reload (it lives in the URL)
    await page.reload();
    assert.equal(await page.getByLabel('Search clients').inputValue(), 'bob.stone@northwind');
    await page.getByRole('link', { name: 'Northwind Traders' }).click();
    await page.waitForURL(`**/clients/${clientId}`);
    watch.assertClean();
  });

  test('e2e-1.4 edits the client', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`**/clients/${clientId}/edit`);
    await page.getByLabel('Name', { exact: true }).fill('Northwind Traders Ltd');
    const billing = page.getByRole('region', { name: 'Billing address' });
    await billing.getByLabel('City', { exact: true }).fill('Manchester');
    // Bob becomes the primary contact
    await page.locator('.contact-card').nth(1).getByLabel('Primary contact').check();
    await screenshot(page, 'edit-desktop');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/clients/${clientId}`);
    await page.getByRole('heading', { name: /Northwind Traders Ltd/, level: 1 }).waitFor();
    await page.getByText('Client saved').waitFor();
    const c = await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token });
    assert.equal(c.json.name, 'Northwind Traders Ltd');
    assert.equal(c.json.address.city, 'Manchester');
    assert.equal(c.json.primary_contact.first_name, 'Bob');
    watch.assertClean();
  });

  test('e2e-1.5 archives and restores it (menu by keyboard), each change in the Activity tab', async () => {
    const menu = page.getByRole('button', { name: 'Client actions' });
    await menu.click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    await page.getByText('This client is archived').waitFor();
    await page.getByRole('heading', { level: 1 }).getByText('Archived').waitFor();
    assert.equal((await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token })).json.status, 'archived');

    // Restore with the keyboard: Enter opens the menu, "r" jumps to Restore.
    await menu.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    await page.keyboard.press('r');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Restore');
    await page.keyboard.press('Enter');
    await page.getByText('Client restored').waitFor();
    await page.getByText('This client is archived').waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token })).json.status, 'active');

    await page.getByRole('tab', { name: /Activity/ }).click();
    await page.waitForURL(`**/clients/${clientId}/activity`);
    await page.locator('[data-event-type="client.restored"]').waitFor();
    const types = await page.locator('.timeline__item').evaluateAll((els) => els.map((e) => e.dataset.eventType));
    assert.deepEqual(types, ['client.restored', 'client.archived', 'client.updated', 'client.created']);
    const updated = page.locator('[data-event-type="client.updated"]');
    assert.match(await updated.textContent(), /Name\s*Northwind Traders\s*→\s*Northwind Traders Ltd/);
    assert.match(await updated.textContent(), /Billing address · City\s*London\s*→\s*Manchester/);
    assert.match(await updated.textContent(), /Bob Stone is now the primary contact/);
    await screenshot(page, 'activity-desktop');

    // the tabs are ARIA tabs: arrows move between them
    await page.getByRole('tab', { name: /Activity/ }).focus();
    await page.keyboard.press('ArrowLeft');
    await page.waitForURL(`**/clients/${clientId}/details`);
    await page.getByRole('heading', { name: 'Addresses' }).waitFor();
    watch.assertClean();
  });

  test('e2e-1.6 a stale edit (412) says so and offers to reload', async () => {
    await page.goto(`/clients/${clientId}/edit`);
    await page.getByLabel('Name', { exact: true }).waitFor();
    // someone else changes the client behind the page's back
    const elsewhere = await api('PATCH', `/api/v1/clients/${clientId}`, { token: owner.token, body: { name: 'Northwind (changed elsewhere)' } });
    assert.equal(elsewhere.status, 200);
    await page.getByLabel('VAT number', { exact: true }).fill('GB999999999');
    watch.allow(412);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Someone else changed this client while you were editing').waitFor();
    assert.equal((await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token })).json.vat_number, 'GB123456789');
    await page.getByRole('button', { name: 'Reload the latest version' }).click();
    await page.getByText('Loaded the latest version').waitFor();
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Northwind (changed elsewhere)');
    await page.getByLabel('Name', { exact: true }).fill('Northwind Traders Ltd');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(`**/clients/${clientId}`);
    await page.getByRole('heading', { name: /Northwind Traders Ltd/, level: 1 }).waitFor();
    watch.assertClean();
  });

  test('e2e-1.7 works at phone width: drawer, cards, no sideways scrolling', async () => {
    const phone = await browser.context.newPage();
    phone.setDefaultTimeout(10_000);
    const pw = watchConsole(phone);
    await phone.setViewportSize(PHONE);
    const noOverflow = async () =>
      assert.equal(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, 'page scrolls sideways');

    await phone.goto('/clients');
    await phone.getByRole('link', { name: 'Northwind Traders Ltd' }).waitFor();
    assert.equal(await phone.locator('.sidebar').isVisible(), false);
    const menuButton = phone.getByRole('button', { name: 'Open menu' });
    const box = await menuButton.boundingBox();
    assert.ok(box.width >= 44 && box.height >= 44, `touch target ${box.width}x${box.height}`);
    // rows are cards: the table header is not shown
    assert.equal(await phone.locator('thead').evaluate((el) => el.getBoundingClientRect().height <= 1), true);
    await noOverflow();
    await screenshot(phone, 'list-phone');

    await menuButton.click();
    const drawerLink = phone.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Clients' });
    await drawerLink.waitFor();
    await phone.keyboard.press('Escape');
    await drawerLink.waitFor({ state: 'hidden' });

    await phone.getByRole('link', { name: 'Northwind Traders Ltd' }).click();
    await phone.waitForURL(`**/clients/${clientId}`);
    await phone.getByRole('heading', { name: 'Standing' }).waitFor();
    await noOverflow();
    await screenshot(phone, 'view-phone');

    await phone.goto(`/clients/${clientId}/edit`);
    await phone.getByLabel('Name', { exact: true }).waitFor();
    await noOverflow();
    await screenshot(phone, 'edit-phone');
    await phone.close();
    pw.assertClean();
  });

  test('e2e-1.8 signs out, and the session is refused afterwards', async () => {
    await page.goto('/clients');
    await page.getByRole('button', { name: /Test Owner/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: 'Sign in to clientd' }).waitFor();
    // the old cookie no longer works
    const r = await browser.context.request.get('/api/v1/clients');
    assert.equal(r.status(), 401);
    // and the app sends a visitor back to sign in
    await page.goto(`/clients/${clientId}`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('heading', { name: 'Sign in to clientd' }).waitFor();
    await page.setViewportSize(DESKTOP);
    await screenshot(page, 'login-desktop');
    watch.assertClean();
  });
});
