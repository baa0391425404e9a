// Browser helpers for the e2e suite: Debian's chromium driven by
// playwright-core (no downloaded browsers), a fresh profile per browser,
// and a console watch that fails a test on any console error or page error.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE = process.env.CLIENTD_URL;
if (!BASE) {
  console.error('CLIENTD_URL is not set: run the browser tests through scripts/test');
  process.exit(77);
}

// Where screenshot() writes: $CLIENTD_SCREENSHOTS, else var/e2e/screenshots/
// (run output, never tracked). The README's pictures are a curated set in
// docs/screenshots/ that scripts/screenshots refreshes.
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SCREENSHOTS = process.env.CLIENTD_SCREENSHOTS ? resolve(process.env.CLIENTD_SCREENSHOTS) : join(ROOT, 'var', 'e2e', 'screenshots');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A chromium with its own throwaway profile; close() removes the profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'clientd-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ARGS,
    viewport: DESKTOP,
    locale: 'en-GB',
    timezoneId: 'UTC',
    baseURL: BASE,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Watches a page's console. Chromium logs every 4xx/5xx response as a
 * console error ("Failed to load resource: ... status of 422"); a test
 * that provokes one on purpose says so with allow(status), once per
 * response. Anything else logged as an error fails assertClean().
 */
export function watchConsole(page) {
  const errors = [];
  const allowed = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return {
    errors,
    allow(status) {
      allowed.push(status);
    },
    assertClean() {
      const left = [...allowed];
      const unexpected = errors.filter((text) => {
        const m = /Failed to load resource: the server responded with a status of (\d{3})/.exec(text);
        if (!m) return true;
        const i = left.indexOf(Number(m[1]));
        if (i < 0) return true;
        left.splice(i, 1);
        return false;
      });
      assert.deepEqual(unexpected, [], 'console errors during the test');
    },
  };
}

/** Signs in through the login page and waits for the clients list. */
export async function signIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/clients');
  await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
}

/**
 * Writes NAME.png of the whole page into SCREENSHOTS. The viewport is
 * stretched to the page's height for the shot, so sticky bars and the
 * full-height sidebar sit where a reader expects them; toasts are
 * dismissed and focus is dropped, so the same data gives the same picture.
 */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.locator('.toast__close').evaluateAll((buttons) => buttons.forEach((b) => b.click()));
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    window.scrollTo(0, 0);
  });
  const vp = page.viewportSize();
  for (let i = 0; i < 3; i++) {
    const h = await page.evaluate(() => document.documentElement.scrollHeight);
    if (h <= page.viewportSize().height) break;
    await page.setViewportSize({ width: vp.width, height: h });
  }
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
  await page.setViewportSize(vp);
}
