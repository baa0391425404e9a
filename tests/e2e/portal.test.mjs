// The client portal in a real browser at phone width (issue 13): staff
// invite a contact; the contact follows the link from the mail the SMTP
// listener received, chooses a password, sees the balance and the ledger,
// downloads the statement and edits the client's address; staff see the
// change in the Activity tab attributed to the contact, follow the mail
// from the Email page, and open the portal as the contact in a new tab
// with a banner. Any console error fails the test that caused it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';
import { slugOf, waitForMail } from '../api/lib/portal.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });

describe('client portal: staff invite, the contact signs in and edits, staff see it', () => {
  let browser;
  let staff;
  let contactPage;
  let watch;
  let cwatch;
  let owner;
  let slug;
  let clientId;
  const email = `mira-${uid()}@lakeside.example`;
  const password = `pw-${uid()}-portal`;

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Lakeside Studio', '--email', owner.email, '--name', 'Olive Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    slug = await slugOf(owner.token);
    const r = await api('POST', '/api/v1/clients', { token: owner.token, body: {
      name: 'Mira Design', address: { address1: '4 Quay Road', city: 'Leeds', country: 'GB' },
      contacts: [{ first_name: 'Mira', last_name: 'Okafor', email }] } });
    assert.equal(r.status, 201, r.text);
    clientId = r.json.id;
    for (const e of [{ kind: 'invoice', amount: '480.00', reference: 'INV-2001' }, { kind: 'payment', amount: '-80.00', reference: 'Card 1182' }]) {
      const p = await api('POST', `/api/v1/clients/${clientId}/ledger`, { token: owner.token, body: e, headers: { 'Idempotency-Key': `e2e-${uid()}` } });
      assert.equal(p.status, 201, p.text);
    }
    browser = await launch();
    staff = await browser.context.newPage();
    staff.setDefaultTimeout(10_000);
    await staff.setViewportSize(PHONE);
    watch = watchConsole(staff);
  });

  after(async () => {
    await browser?.close();
  });

  test('e2e-13.1 staff send an invitation from the client\'s contacts; the Email page lists it', async () => {
    await signIn(staff, owner.email, owner.password);
    await staff.goto(`/clients/${clientId}`);
    const contacts = staff.locator('.contact-list__item');
    await contacts.getByText('Not invited').waitFor();
    await contacts.getByRole('button', { name: 'Send invitation' }).click();
    await contacts.getByText('Invited', { exact: true }).waitFor();
    await screenshot(staff, 'portal-invite-phone');
    await staff.goto('/email');
    await staff.getByRole('heading', { name: 'Email', level: 1 }).waitFor();
    await staff.getByText(`Your client portal at Lakeside Studio`).first().waitFor();
    watch.assertClean();
  });

  test('e2e-13.2 the contact sets a password from the mail, sees the balance and ledger, downloads the statement, edits the address', async () => {
    const mail = await waitForMail(email);
    assert.ok(mail.link.includes(`/portal/${slug}/welcome#`));
    contactPage = await browser.context.newPage();
    contactPage.setDefaultTimeout(10_000);
    await contactPage.setViewportSize(PHONE);
    cwatch = watchConsole(contactPage);
    await contactPage.goto(mail.link);
    await contactPage.getByRole('heading', { name: 'Welcome to Lakeside Studio' }).waitFor();
    assert.ok(!contactPage.url().includes('#'), 'the secret leaves the address bar');
    await contactPage.getByLabel('New password').fill('short');
    await contactPage.getByLabel('The same again').fill('short');
    await contactPage.getByRole('button', { name: 'Save and sign in' }).click();
    await contactPage.getByText('Use at least 8 characters').waitFor();
    await contactPage.getByLabel('New password').fill(password);
    await contactPage.getByLabel('The same again').fill(password);
    await contactPage.getByRole('button', { name: 'Save and sign in' }).click();
    await contactPage.waitForURL(`**/portal/${slug}`);
    await contactPage.getByTestId('portal-balance').filter({ hasText: '400.00' }).waitFor();
    await contactPage.getByTestId('portal-paid').filter({ hasText: '80.00' }).waitFor();
    await contactPage.getByText('INV-2001').waitFor();
    await contactPage.getByText('Card 1182').waitFor();
    await screenshot(contactPage, 'portal-overview-phone');

    const [download] = await Promise.all([
      contactPage.waitForEvent('download'),
      contactPage.getByRole('link', { name: 'Download statement (CSV)' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, /INV-2001/);
    assert.match(csv, /^date,kind,reference/);

    await contactPage.getByRole('link', { name: 'Details' }).click();
    await contactPage.getByRole('heading', { name: 'Your details' }).waitFor();
    assert.equal(await contactPage.locator('input[name="id_number"]').count(), 0);
    await contactPage.getByLabel('City').fill('York');
    await contactPage.getByRole('button', { name: 'Save details' }).click();
    await contactPage.getByText('Your details are saved').waitFor();
    await screenshot(contactPage, 'portal-details-phone');
    const c = await api('GET', `/api/v1/clients/${clientId}`, { token: owner.token });
    assert.equal(c.json.address.city, 'York');

    // Signing out and in again with the password.
    await contactPage.getByRole('button', { name: 'Sign out' }).click();
    await contactPage.waitForURL(`**/portal/${slug}/login`);
    await contactPage.getByLabel('Email').fill(email);
    await contactPage.getByLabel('Password').fill(password);
    await contactPage.getByRole('button', { name: 'Sign in' }).click();
    await contactPage.waitForURL(`**/portal/${slug}`);
    await contactPage.getByTestId('portal-balance').waitFor();
    cwatch.assertClean();
  });

  test('e2e-13.3 staff see the change in the Activity tab, attributed to the contact', async () => {
    await staff.goto(`/clients/${clientId}/activity`);
    const row = staff.locator('li, tr, article').filter({ hasText: 'Mira Okafor' }).filter({ hasText: /York/ }).first();
    await row.waitFor();
    await screenshot(staff, 'portal-activity-phone');
    watch.assertClean();
  });

  test('e2e-13.4 "Client portal" opens the portal as the contact in a new tab, with a banner', async () => {
    await staff.goto(`/clients/${clientId}`);
    const [tab] = await Promise.all([
      browser.context.waitForEvent('page'),
      staff.locator('.contact-list__item').getByRole('button', { name: 'Client portal' }).click(),
    ]);
    await tab.setViewportSize(PHONE);
    const twatch = watchConsole(tab);
    await tab.waitForURL(`**/portal/${slug}`);
    await tab.getByText(/Staff view: Olive Owner is in the portal as Mira Okafor/).waitFor();
    await tab.getByTestId('portal-balance').waitFor();
    await screenshot(tab, 'portal-staff-view-phone');
    const ev = await api('GET', `/api/v1/clients/${clientId}/activity`, { token: owner.token });
    assert.ok(ev.json.data.some((e) => e.type === 'contact.portal_entered' && e.actor.name === 'Olive Owner'));
    twatch.assertClean();
    await tab.close();
    watch.assertClean();
  });
});
