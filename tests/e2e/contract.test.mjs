// End-to-end check of Loupe's automation contract (README, "Automation contract") against the
// release build in dist/ (`trunk build --release --public-url ./`), served on 127.0.0.1 and
// driven in Debian's headless Chromium. Every test also fails on a console error, an uncaught
// exception or a request that leaves 127.0.0.1.
//
//   node --test tests/e2e/        (scripts/test.sh builds dist/ first)
//
// LOUPE_DIST overrides the folder served; LOUPE_WWW the sources (catalog.json, data/) of the
// expected counts.

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';
import { openBrowser } from './browser.mjs';
import { LoupePage } from './loupe_page.mjs';
import { csvShape } from './csv.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const DIST = resolve(process.env.LOUPE_DIST ?? join(ROOT, 'dist'));
const WWW = resolve(process.env.LOUPE_WWW ?? join(ROOT, 'www'));
const FIXTURES = join(HERE, 'fixtures');
const SCREENSHOTS = join(HERE, 'screenshots');
const UPLOAD_FIXTURE = join(FIXTURES, 'mandats_cp1252.csv');

export const WIDE = { width: 1280, height: 800 };
export const NARROW = { width: 390, height: 844 };

/** The bundled catalogue: which dataset opens by default and where each file is. */
function catalog() {
  const path = join(WWW, 'catalog.json');
  if (!existsSync(path)) {
    return { default: null, datasets: [{ id: null, file: 'data/lfi_2026_etat_b_cp.csv' }] };
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

const CATALOG = catalog();
const DEFAULT_ENTRY =
  CATALOG.datasets.find((d) => d.id === CATALOG.default) ?? CATALOG.datasets[0];

let server;
let browser;
let loupe;
/** Console messages a test expects (e.g. the 404 it provoked), as regular expressions. */
let expectedConsoleErrors = [];

before(async () => {
  assert.ok(
    existsSync(join(DIST, 'index.html')),
    `${DIST}/index.html is missing: run \`trunk build --release --public-url ./\` first`,
  );
  mkdirSync(SCREENSHOTS, { recursive: true });
  server = await startServer(DIST, { mounts: { '/__fixtures__/': FIXTURES } });
});

after(async () => {
  await server?.close();
});

beforeEach(async () => {
  expectedConsoleErrors = [];
  browser = await openBrowser(WIDE);
  loupe = new LoupePage(browser.page, server.url);
});

afterEach(async () => {
  const { problems } = browser;
  await browser.close();
  const consoleErrors = problems.consoleErrors.filter(
    (text) => !expectedConsoleErrors.some((re) => re.test(text)),
  );
  assert.deepEqual(problems.externalRequests, [], 'requests left 127.0.0.1');
  assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions in the page');
  assert.deepEqual(consoleErrors, [], 'console errors');
});

describe('default page', () => {
  test(`opens the bundled dataset ${DEFAULT_ENTRY.file}`, async () => {
    const expected = csvShape(join(WWW, DEFAULT_ENTRY.file));
    const state = await loupe.open();
    assert.equal(state, 'ready', `data-loupe after load; page shows ${JSON.stringify(await loupe.snapshot())}`);

    const title = (await loupe.title.textContent())?.trim();
    assert.ok(title, 'dataset title is empty');
    assert.equal(await loupe.rows(), expected.rows, 'row count');
    assert.equal(await loupe.columns(), expected.columns, 'column count');
    assert.ok((await loupe.tableRows()) > 0, 'data table has no rows');
    assert.ok((await loupe.waitForChartInk()) > 0, 'chart is blank');

    await loupe.screenshot(join(SCREENSHOTS, 'default-1280.png'), WIDE);
    await loupe.screenshot(join(SCREENSHOTS, 'default-390.png'), NARROW);
  });
});

describe('?src= picks the dataset', () => {
  const other = CATALOG.datasets.find((d) => d.id && d.id !== CATALOG.default);

  test(`a bundled dataset id (${other?.id})`, { skip: other ? false : 'catalog has one dataset' }, async () => {
    const expected = csvShape(join(WWW, other.file));
    assert.equal(await loupe.open({ src: other.id }), 'ready');
    await loupe.waitForCounts(expected.rows, expected.columns);
    assert.ok((await loupe.title.textContent())?.trim(), 'dataset title is empty');
  });

  test('a URL on the same machine', async () => {
    const expected = csvShape(UPLOAD_FIXTURE);
    const src = `${server.url}__fixtures__/mandats_cp1252.csv`;
    assert.equal(await loupe.open({ src }), 'ready');
    await loupe.waitForCounts(expected.rows, expected.columns);
  });

  test('a source that cannot be loaded shows a visible alert', async () => {
    // The browser itself logs the 404 of the missing file as a console error.
    expectedConsoleErrors = [/Failed to load resource.*404/];
    const state = await loupe.open({ src: `${server.url}__fixtures__/does-not-exist.csv` });
    assert.equal(state, 'error');
    await loupe.alert.first().waitFor({ state: 'visible' });
    assert.ok((await loupe.alert.first().textContent())?.trim(), 'the alert is empty');
  });
});

describe('upload', () => {
  test('a ;-separated Windows-1252 file replaces the dataset', async () => {
    const expected = csvShape(UPLOAD_FIXTURE);
    assert.deepEqual(expected, { rows: 5, columns: 4 }, 'fixture shape');
    assert.equal(await loupe.open(), 'ready');
    assert.equal(
      await loupe.fileInput.evaluate((el) => el instanceof HTMLInputElement && el.type === 'file'),
      true,
      'file-input is an <input type=file>',
    );

    await loupe.upload(UPLOAD_FIXTURE);
    await loupe.waitForCounts(expected.rows, expected.columns);
    assert.equal(await loupe.state(), 'ready');
    assert.ok((await loupe.tableRows()) > 0, 'data table has no rows');

    await loupe.screenshot(join(SCREENSHOTS, 'upload-1280.png'), WIDE);
    await loupe.screenshot(join(SCREENSHOTS, 'upload-390.png'), NARROW);
  });

  test('accents of a Windows-1252 file are decoded', async () => {
    assert.equal(await loupe.open(), 'ready');
    await loupe.upload(UPLOAD_FIXTURE);
    await loupe.waitForCounts(5, 4);
    const text = await loupe.table.textContent();
    for (const word of ['Ariège', 'La Réunion', 'Corse-du-Sud']) {
      assert.ok(text.includes(word), `table should show «${word}»; it shows: ${text.slice(0, 300)}`);
    }
    assert.ok(!text.includes('\uFFFD'), 'table shows U+FFFD replacement characters');
  });
});
