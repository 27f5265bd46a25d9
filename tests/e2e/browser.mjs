// Launches Debian's Chromium through playwright-core (never the `playwright` package, whose
// install downloads browsers) with a fresh profile, and watches every page it opens:
// console errors, uncaught exceptions and any request that leaves 127.0.0.1.

import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach Google's hosts,
// which this machine's closed network refuses (see ../shared/TOOLCHAIN.md, outside the repository).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Schemes that never reach the network. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome:', 'chrome-extension:']);

export function isLocalUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (LOCAL_SCHEMES.has(url.protocol)) return true;
  return url.hostname === '127.0.0.1';
}

/**
 * Opens a browser with a throw-away profile. Returns { context, page, problems, profile, close }:
 * `problems.consoleErrors`, `problems.pageErrors` and `problems.externalRequests` fill up as
 * the page runs. External requests are recorded *and* aborted, so a test never hangs on them.
 * `problems.dialogs` lists every alert/confirm/prompt a page opened (each is dismissed).
 * `acceptDownloads: true` lets a test capture downloads (`page.waitForEvent('download')`).
 */
export async function openBrowser({ width = 1280, height = 800, acceptDownloads = false } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'loupe-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    acceptDownloads,
  });
  const problems = { consoleErrors: [], pageErrors: [], externalRequests: [], dialogs: [] };

  // Every request is seen here, including those the route below aborts.
  context.on('request', (req) => {
    const url = req.url();
    if (!isLocalUrl(url) && !problems.externalRequests.includes(url)) {
      problems.externalRequests.push(url);
    }
  });
  await context.route('**/*', (route) =>
    isLocalUrl(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  const watch = (page) => {
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const where = msg.location()?.url ? ` (${msg.location().url})` : '';
        problems.consoleErrors.push(`${msg.text()}${where}`);
      }
    });
    page.on('pageerror', (err) => problems.pageErrors.push(String(err?.stack ?? err)));
    // A full-page screenshot paints beyond the viewport without scrolling, so the panels the
    // page skips away from the viewport (`content-visibility: auto`, style.css) would be blank:
    // they are rendered for the capture, as a reader scrolling down sees them.
    const shot = page.screenshot.bind(page);
    page.screenshot = (opts = {}) => shot(opts.fullPage ? { ...opts, style: `${opts.style ?? ''}\nmain > .panel { content-visibility: visible !important; }` } : opts);
    page.on('dialog', (dialog) => {
      problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems,
    profile,
    close: async () => {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}
