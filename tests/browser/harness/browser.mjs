// Debian's Chromium driven by playwright-core (no browser download: the package's own browsers
// are never installed). Each launch gets a fresh temporary profile from playwright.
import path from 'node:path';
import { chromium } from 'playwright-core';
import { config } from './config.mjs';

export async function launchBrowser() {
  return chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox', // CI runs as root, where Chromium's sandbox refuses to start
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const viewports = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 375, height: 812 },
};

// Logs in through the form and waits for the inbox with its live connection confirmed.
export async function logIn(page, base, { email, password }) {
  await page.goto(`${base}/`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('inbox').waitFor();
  await waitForLive(page);
}

// `connected`: the hub confirmed the page's subscriptions, so events published from now on reach it.
export function waitForLive(page) {
  return page.locator('body[data-live="connected"]').waitFor();
}

// Resolves after the browser rendered two frames: layout and effects after a resize are done.
function settled(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// Screenshots of the page at each viewport, full length; returns their paths. Leaves the page at
// the desktop size.
export async function screenshots(page, name) {
  const paths = [];
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    await settled(page);
    const file = path.join(config.artifacts, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    paths.push(file);
  }
  await page.setViewportSize(viewports.desktop);
  return paths;
}
