// The sign-in page warns before a wrong password pauses the account, and
// says how a password is reset (issue 11, item 8; issue 10, finding 1).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, launch, screenshot, watchConsole } from './lib/browser.mjs';
import { newCompany } from '../api/lib/fixtures.mjs';

describe('admin web app: signing in', () => {
  let browser;
  let page;
  let watch;
  const co = newCompany('Login page');

  before(async () => {
    browser = await launch();
    page = await browser.context.newPage();
    watch = watchConsole(page);
  });
  after(async () => {
    await browser?.close();
  });

  async function tryPassword(password) {
    await page.getByLabel('Email').fill(co.email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('e2e-login-1.1 warns before the attempt that pauses the account, and explains a reset', async () => {
    await page.goto('/login');
    // "Forgot password?" is there from the start, folded.
    const forgot = page.getByRole('button', { name: 'Forgot password?' });
    assert.equal(await forgot.getAttribute('aria-expanded'), 'false');
    for (let i = 1; i <= 3; i++) {
      watch.allow(401);
      await tryPassword(`wrong-${i}-password`);
      await page.getByRole('alert').filter({ hasText: 'Email or password is incorrect' }).waitFor();
      assert.match(await page.locator('.alert[role=alert]').innerText(), /Check both and try again/);
    }
    // The fourth wrong password: the next one would pause the account.
    watch.allow(401);
    await tryPassword('wrong-4-password');
    await page.getByRole('alert').filter({ hasText: 'One more failed attempt pauses logins' }).waitFor();
    assert.equal(await forgot.getAttribute('aria-expanded'), 'true', 'the reset help opens by itself');
    const help = page.locator('#forgot-help');
    assert.match(await help.innerText(), new RegExp(`clientd set-password --email ${co.email.replace(/[.+]/g, '\\$&')}`));
    await screenshot(page, 'login-warning-desktop');
    // The fifth: paused, with the time to wait.
    watch.allow(401);
    await tryPassword('wrong-5-password');
    await page.getByRole('alert').filter({ hasText: 'Logins for this account are now paused' }).waitFor();
    watch.allow(429);
    await tryPassword(co.password);
    await page.getByRole('alert').filter({ hasText: 'Too many attempts' }).waitFor();
    assert.match(await page.locator('.alert[role=alert]').innerText(), /Try again in \d+ (minutes|seconds)/);
    // Twin: the help folds away again.
    await forgot.click();
    assert.equal(await forgot.getAttribute('aria-expanded'), 'false');
    assert.equal(await help.count(), 0);
    await page.setViewportSize(PHONE);
    await forgot.click();
    await help.waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no sideways scrolling at phone width');
    await screenshot(page, 'login-forgot-phone');
    watch.assertClean();
  });
});
