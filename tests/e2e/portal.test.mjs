// Opendatasoft portals (issue 10, browser engine): a portal dataset opened by its page address,
// documented by the portal's metadata, found through the "Portail" search, through the JS
// API, and the portal's failures (unknown dataset, quota). Runs against the release build in
// dist/ and the stand-in portal of tests/portal/ (never a real portal); expected values come
// from the stand-in's own reading of its fixture files, not from Loupe.
//
//   node --test tests/e2e/portal.test.mjs

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { openBrowser } from './browser.mjs';
import { LoupePage, LOAD_TIMEOUT } from './loupe_page.mjs';
import { startPortal } from '../portal/standin.mjs';
import { BUDGET, DATASETS } from '../portal/fixtures.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = resolve(process.env.LOUPE_DIST ?? join(HERE, '..', '..', 'dist'));

let server;
let portal;
let browser;
let loupe;
let expectedConsoleErrors = [];

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST}/index.html is missing: build first`);
  server = await startServer(DIST);
  portal = await startPortal({ datasets: DATASETS });
});

after(async () => {
  await server?.close();
  await portal?.close();
});

beforeEach(async () => {
  expectedConsoleErrors = [];
  portal.setQuotaExceeded(null);
  portal.requests.length = 0;
  browser = await openBrowser({ width: 1280, height: 900 });
  loupe = new LoupePage(browser.page, server.url);
});

afterEach(async () => {
  const { problems } = browser;
  await browser.close();
  const consoleErrors = problems.consoleErrors.filter(
    (text) => !expectedConsoleErrors.some((re) => re.test(text)),
  );
  assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions in the page');
  assert.deepEqual(consoleErrors, [], 'console errors');
});

/** Rows of a stand-in dataset, as the stand-in counted them from its CSV. */
const rowsOf = (id) => portal.datasets.find((d) => d.id === id).rows;
const pageUrl = (id) => `${portal.url}/explore/dataset/${id}/`;

async function openWith(params) {
  const url = new URL(server.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  await browser.page.goto(url.href, { waitUntil: 'domcontentloaded' });
  return loupe.waitSettled();
}

describe('a portal dataset in the browser engine', () => {
  test('?src=<dataset page> opens it with the portal title, licence, row count and field documentation', async () => {
    const state = await openWith({ src: pageUrl(BUDGET.id), persona: 'power' });
    assert.equal(state, 'ready');
    assert.equal((await loupe.title.textContent()).trim(), BUDGET.metas.title);
    assert.equal(await loupe.rows(), rowsOf(BUDGET.id));
    assert.equal(rowsOf(BUDGET.id), 1500);
    const page = await browser.page.textContent('main');
    assert.ok(page.includes(BUDGET.metas.license), 'licence shown');
    assert.ok(page.includes(BUDGET.metas.publisher), 'publisher shown');
    // The description's HTML is shown as text: no <strong> element comes from the portal.
    assert.ok(page.includes('Montants des budgets votés par commune'), 'description as text');
    const docs = await loupe.byTestId('doc-fields').textContent();
    for (const f of BUDGET.fields) {
      assert.ok(docs.includes(f.name), `field ${f.name} documented`);
      assert.ok(docs.includes(f.label), `label ${f.label} documented`);
    }
    assert.ok(docs.includes('Code INSEE du département'), 'field description');
    // Labels head the table; the names used in queries stay beside them.
    const head = await loupe.table.locator('thead').textContent();
    assert.ok(head.includes('Code département') && head.includes('code_departement'), head);
    // A text field keeps its codes: the first département codes as the portal wrote them.
    const schema = await browser.page.evaluate(async (url) => {
      const ds = await window.loupe.open(url);
      return { schema: ds.schema(), report: ds.report() };
    }, pageUrl(BUDGET.id));
    const dep = schema.schema.find((c) => c.name === 'code_departement');
    assert.equal(dep.type, 'text');
    assert.equal(schema.report.engine, 'browser');
    assert.deepEqual(
      {
        dataset_id: schema.report.source.dataset_id,
        title: schema.report.source.title,
        portal: schema.report.source.portal,
      },
      { dataset_id: BUDGET.id, title: BUDGET.metas.title, portal: portal.url },
    );
    // Metadata once and the CSV export once for the page; again for loupe.open: never a
    // records call, never more than two requests per opening.
    const paths = portal.requests.map((r) => r.path);
    assert.deepEqual(paths, [
      `/api/explore/v2.1/catalog/datasets/${BUDGET.id}`,
      `/api/explore/v2.1/catalog/datasets/${BUDGET.id}/exports/csv`,
      `/api/explore/v2.1/catalog/datasets/${BUDGET.id}`,
      `/api/explore/v2.1/catalog/datasets/${BUDGET.id}/exports/csv`,
    ]);
  });

  test('the Portail source searches the catalogue and opens a result', async () => {
    await openWith({ portal: portal.url });
    const source = loupe.byTestId('portal-source');
    await source.locator('summary').click();
    assert.match(await source.locator('summary').textContent(), /Portail : 127\.0\.0\.1:\d+/);
    await loupe.byTestId('portal-search').fill('budget');
    const before = portal.requests.length;
    await loupe.byTestId('portal-search').press('Enter');
    const first = loupe.byTestId('portal-result').first();
    await first.waitFor({ timeout: LOAD_TIMEOUT });
    assert.equal(portal.requests.length - before, 1, 'one request per search');
    const text = await loupe.byTestId('portal-results').textContent();
    assert.ok(text.includes(BUDGET.metas.title), text);
    assert.ok(text.includes(BUDGET.metas.publisher), text);
    await loupe.byTestId('portal-result').filter({ hasText: BUDGET.metas.title }).locator('button').click();
    await browser.page.waitForFunction(
      (title) => document.querySelector('[data-testid="dataset-title"]')?.textContent.trim() === title,
      BUDGET.metas.title,
      { timeout: LOAD_TIMEOUT },
    );
    await loupe.waitReady();
    assert.equal(await loupe.rows(), rowsOf(BUDGET.id));
    // The page's link now carries the portal dataset, so the view can be shared.
    assert.ok(decodeURIComponent(browser.page.url()).includes(`/explore/dataset/${BUDGET.id}/`));
  });

  test('loupe.search_portal lists datasets with their record counts', async () => {
    await openWith({});
    const hits = await browser.page.evaluate(
      (origin) => window.loupe.search_portal('budget', { portal: origin }),
      portal.url,
    );
    const hit = hits.find((h) => h.id === BUDGET.id);
    assert.ok(hit, JSON.stringify(hits));
    assert.equal(hit.title, BUDGET.metas.title);
    assert.equal(hit.records_count, rowsOf(BUDGET.id));
  });
});

describe('portal failures are clear', () => {
  test('an unknown dataset: error state and an alert naming the portal and the id', async () => {
    expectedConsoleErrors = [/404|Failed to load resource/i];
    const state = await openWith({ src: pageUrl('budget-comunes') });
    assert.equal(state, 'error');
    assert.match(
      await loupe.alert.first().textContent(),
      /Le portail 127\.0\.0\.1:\d+ ne connaît pas le jeu de données « budget-comunes »/,
    );
  });

  test('a quota hours away: says until when, and stops', async () => {
    expectedConsoleErrors = [/429|Failed to load resource/i];
    portal.setQuotaExceeded('2099-01-01T00:00:00+00:00');
    const state = await openWith({ src: pageUrl(BUDGET.id) });
    assert.equal(state, 'error');
    assert.match(
      await loupe.alert.first().textContent(),
      /quota dépassé jusqu'au 2099-01-01 00:00 UTC/,
    );
    assert.equal(portal.requests.length, 1, 'no retry for a reset hours away');
  });
});
