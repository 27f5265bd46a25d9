// Shared set-up of the end-to-end suites (personas, explorer, share, a11y, csp): serves the
// release build (LOUPE_DIST, default dist/) on 127.0.0.1, opens a fresh Chromium per test
// and fails the test on any console error, uncaught exception, dialog or request that left
// 127.0.0.1 (see browser.mjs). Waits are conditions, never sleeps.

import { after, afterEach, before, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { openBrowser } from './browser.mjs';
import { LoupePage, LOAD_TIMEOUT, digits } from './loupe_page.mjs';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '..', '..');
export const DIST = resolve(process.env.LOUPE_DIST ?? join(ROOT, 'dist'));
export const WWW = resolve(process.env.LOUPE_WWW ?? join(ROOT, 'www'));
export const FIXTURES = join(HERE, 'fixtures');
export const SCREENSHOTS = join(HERE, 'screenshots');
export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };
export const PERSONAS = ['citizen', 'journalist', 'power'];
export { LOAD_TIMEOUT, digits };

export const CATALOG = JSON.parse(readFileSync(join(WWW, 'catalog.json'), 'utf8'));
export const DATASET_IDS = CATALOG.datasets.map((d) => d.id);
export const PRESETS = Object.fromEntries(
  PERSONAS.map((p) => [p, JSON.parse(readFileSync(join(WWW, 'presets', `${p}.json`), 'utf8'))]),
);

/**
 * Registers the hooks of a suite and returns a live object: `t.server`, `t.browser`,
 * `t.page`, `t.loupe` (for the current test), `t.url(query)` and `t.expectConsole(re)`.
 * Options: `mounts`/`headers` for the server, `acceptDownloads`, `viewport`, `initScripts`
 * (functions or strings given to `context.addInitScript` before any page runs).
 */
export function useLoupe({ mounts = {}, headers, acceptDownloads = false, viewport = WIDE, initScripts = [] } = {}) {
  const t = { expected: [] };
  before(async () => {
    assert.ok(
      existsSync(join(DIST, 'index.html')),
      `${DIST}/index.html is missing: run \`trunk build --release --public-url ./\` first`,
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    t.server = await startServer(DIST, { mounts: { '/__fixtures__/': FIXTURES, ...mounts }, headers });
  });
  after(async () => {
    await t.server?.close();
  });
  beforeEach(async () => {
    t.expected = [];
    t.browser = await openBrowser({ ...viewport, acceptDownloads });
    for (const script of initScripts) await t.browser.context.addInitScript(script);
    t.page = t.browser.page;
    t.loupe = new LoupePage(t.page, t.server.url);
  });
  afterEach(async () => {
    const { problems } = t.browser;
    await t.browser.close();
    const consoleErrors = problems.consoleErrors.filter((text) => !t.expected.some((re) => re.test(text)));
    assert.deepEqual(problems.externalRequests, [], 'requests left 127.0.0.1');
    assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions in the page');
    assert.deepEqual(problems.dialogs, [], 'dialogs opened by the page');
    assert.deepEqual(consoleErrors, [], 'console errors');
  });
  /** The app's address with a query: t.url({ src, persona }) or t.url('?src=…'). */
  t.url = (query = {}, base = t.server.url) => {
    if (typeof query === 'string') return `${base}${query.startsWith('?') ? '' : '?'}${query}`;
    const u = new URL(base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) u.searchParams.set(k, v);
    return u.href;
  };
  t.expectConsole = (re) => t.expected.push(re);
  return t;
}

/** Opens a URL and waits for data-loupe="ready" (fails with what the page shows otherwise). */
export async function openReady(loupe, href, timeout = LOAD_TIMEOUT) {
  await loupe.page.goto(href, { waitUntil: 'domcontentloaded' });
  const state = await loupe.waitSettled(timeout);
  if (state !== 'ready') {
    throw new Error(`${href}: data-loupe=${state}; page shows ${JSON.stringify(await loupe.snapshot())}`);
  }
}

/** Text of an element by data-testid (trimmed), or null when absent. */
export function testIdText(page, id) {
  return page.evaluate((i) => document.querySelector(`[data-testid="${i}"]`)?.textContent?.trim() ?? null, id);
}

/** Waits until the text of a data-testid element differs from `before`; returns the new text. */
export async function waitTextChange(page, id, before, timeout = LOAD_TIMEOUT) {
  const handle = await page.waitForFunction(
    ([i, b]) => {
      const el = document.querySelector(`[data-testid="${i}"]`);
      const text = el?.textContent?.trim() ?? null;
      return text !== null && text !== b ? text : false;
    },
    [id, before],
    { timeout, polling: 50 },
  );
  return handle.jsonValue();
}

/** What the view shows, for comparing before/after a reload or a history move. */
export function viewSnapshot(page) {
  return page.evaluate(() => {
    const q = (sel) => [...document.querySelectorAll(sel)];
    const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    const group = document.querySelector('[data-testid="group-table"]');
    return {
      summary: text('chart-summary'),
      matchCount: text('match-count'),
      chips: q('[data-testid="filter-chip"] span').map((s) => s.textContent.trim()),
      // Cell by cell (`innerText` is empty for a panel the browser has not laid out: panels
      // away from the viewport are skipped, `content-visibility: auto`).
      groupTable: group ? [...group.querySelectorAll('tr')].map((r) => [...r.cells].map((c) => c.textContent.trim()).join('\t')).join('\n') : null,
      questions: q('[data-testid="question"]').map((b) => `${b.getAttribute('aria-pressed')}:${b.textContent.trim()}`),
    };
  });
}

/** The text of each row of `rows` (a locator of `tr`), its cells' text joined by tabs. Unlike
 * `innerText`, it does not need the panel laid out (panels away from the viewport are not:
 * `content-visibility: auto`). */
export function rowTexts(rows) {
  return rows.evaluateAll((trs) => trs.map((r) => [...r.cells].map((c) => c.textContent.trim()).join('\t')));
}

/** Options of a <select> (value + label). */
export function selectOptions(locator) {
  return locator.evaluate((sel) => [...sel.options].map((o) => ({ value: o.value, label: o.textContent.trim() })));
}
