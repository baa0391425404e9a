// Integrations → Webhooks in a real browser (issue 15), against the real
// daemon, worker and PostgreSQL, with a real receiver on loopback (port
// 18944): create a webhook with the event picker, copy its secret, update
// a client in the app, see the delivery in the log with its payload and
// the receiver's answer, resend it, and the same page at phone width.
// Any console error fails the test that caused it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, launch, screenshot, signIn, watchConsole } from './lib/browser.mjs';
import { cli, uid } from '../api/lib/fixtures.mjs';
import { api as http } from '../api/lib/http.mjs';
import { receiver } from '../api/lib/receiver.mjs';

const api = (method, path, opts) => http(method, path, { ...opts, validate: false });

describe('admin web app: webhooks', () => {
  let browser;
  let page;
  let watch;
  let owner;
  let clientId;
  let rx;
  let hookId;

  before(async () => {
    owner = { email: `owner-${uid()}@test.example`, password: `pw-${uid()}-secret` };
    cli(['create-user', '--company-name', 'Riverside Studio', '--email', owner.email, '--name', 'Test Owner', '--password-stdin'], `${owner.password}\n`);
    owner.token = cli(['create-token', '--email', owner.email, '--token-name', 'e2e']).trim();
    const c = await api('POST', '/api/v1/clients', { token: owner.token, body: { name: 'Juniper Florists', phone: '+44 20 7946 0001' } });
    assert.equal(c.status, 201, c.text);
    clientId = c.json.id;
    rx = await receiver(18944, () => ({ status: 200, body: 'thanks, got it' }));
    browser = await launch();
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    watch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
    await rx?.close();
  });

  test('e2e-15.1 creates a webhook with the event picker and copies its secret once', async () => {
    await signIn(page, owner.email, owner.password);
    await page.getByRole('link', { name: 'Integrations' }).first().click();
    await page.waitForURL('**/integrations/tokens');
    await page.getByRole('tab', { name: 'Webhooks' }).click();
    await page.waitForURL('**/integrations/webhooks');
    await page.getByText('No webhooks yet').waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    await dialog.getByLabel('Endpoint URL').fill(rx.url('/e2e'));
    await dialog.getByLabel('Description').fill('Florist CRM');
    // An empty selection is refused before anything is sent.
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    await dialog.getByText('Choose at least one event').waitFor();
    await dialog.getByRole('checkbox', { name: 'client.updated' }).check();
    await dialog.getByRole('checkbox', { name: 'client.created' }).check();
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.getByLabel('Header 1 name').fill('X-Florist-Key');
    await dialog.getByLabel('Header 1 value').fill('k-123');
    await screenshot(page, 'webhooks-new-desktop');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const secret = page.getByRole('dialog', { name: "Your webhook's signing secret" });
    const value = await secret.getByLabel('Signing secret').inputValue();
    assert.match(value, /^whsec_/);
    await secret.getByRole('button', { name: 'Copy' }).click();
    await secret.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), value);
    await screenshot(page, 'webhooks-secret-desktop');
    await secret.getByRole('button', { name: 'Done' }).click();
    const link = page.getByRole('link', { name: rx.url('/e2e') });
    await link.waitFor();
    await page.getByText('Active').first().waitFor();
    const hooks = await api('GET', '/api/v1/webhooks', { token: owner.token });
    // Both client types chosen, not all of them: listed as such.
    assert.deepEqual(hooks.json.data[0].events, ['client.created', 'client.updated']);
    assert.deepEqual(hooks.json.data[0].headers, { 'X-Florist-Key': 'k-123' });
    hookId = hooks.json.data[0].id;
    assert.ok(!(await page.content()).includes(value.slice(6)), 'the secret is gone from the page');
    watch.assertClean();
  });

  test('e2e-15.2 updates a client, sees the delivery in the log, and resends it', async () => {
    await page.goto(`/clients/${clientId}/edit`);
    await page.getByLabel('Phone', { exact: true }).fill('+44 20 7946 0999');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Client saved').waitFor();
    await rx.waitFor((rs) => rs.length === 1, 10000, 'the delivery');
    assert.equal(rx.requests[0].json.type, 'client.updated');
    assert.equal(rx.requests[0].headers['x-florist-key'], 'k-123');

    await page.goto('/integrations/webhooks');
    await page.getByRole('link', { name: rx.url('/e2e') }).click();
    await page.waitForURL(`**/integrations/webhooks/${hookId}`);
    const row = page.locator('.delivery').first();
    await row.getByText('Delivered', { exact: true }).waitFor({ timeout: 10000 });
    await row.getByText('client.updated').waitFor();
    await row.getByRole('button', { name: 'Delivered client.updated' }).click();
    await page.getByLabel('Response').getByText('thanks, got it').waitFor();
    const payload = await page.getByLabel('Payload').textContent();
    assert.match(payload, /"phone": "\+44 20 7946 0999"/);
    assert.match(payload, /"previous_attributes": \{\s*"phone": "\+44 20 7946 0001"/);
    await screenshot(page, 'webhooks-log-desktop');

    await row.getByRole('button', { name: /^Resend client\.updated/ }).click();
    await page.getByText('Sent again').waitFor();
    await rx.waitFor((rs) => rs.length === 2, 10000, 'the resend');
    assert.equal(rx.requests[1].headers['webhook-id'], rx.requests[0].headers['webhook-id'], 'the same message');
    await page.locator('.delivery').filter({ hasText: 'Resend' }).first().getByText('Delivered', { exact: true }).waitFor({ timeout: 10000 });
    watch.assertClean();
  });

  test('e2e-15.3 sends a test, pauses and resumes', async () => {
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test sent').waitFor();
    await rx.waitFor((rs) => rs.some((r) => r.json.type === 'ping'), 10000, 'the ping');
    await page.locator('.delivery').filter({ hasText: 'ping' }).first().getByText('Delivered', { exact: true }).waitFor({ timeout: 10000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText('Webhook paused').waitFor();
    await page.locator('.webhook-head').getByText('Paused').waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByText('Webhook active').waitFor();
    watch.assertClean();
  });

  test('e2e-15.4 works at phone width', async () => {
    const phone = await browser.context.newPage();
    const w2 = watchConsole(phone);
    await phone.setViewportSize(PHONE);
    await phone.goto(`/integrations/webhooks/${hookId}`);
    await phone.locator('.delivery').first().getByText('Delivered', { exact: true }).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await screenshot(phone, 'webhooks-log-phone');
    await phone.goto('/integrations/webhooks');
    await phone.getByRole('link', { name: rx.url('/e2e') }).waitFor();
    await screenshot(phone, 'webhooks-list-phone');
    w2.assertClean();
    await phone.close();
  });
});
