// Big files: the engine in a Web Worker (web/worker.rs), files read by slices, the choice
// offered when a file exceeds the memory budget, honest progress and Cancel.
//
// Expected figures come from the CSV files themselves, read by this test's own reader
// (csv.mjs) or counted line by line, never from Loupe; the in-page engine is a second witness
// for the chart summary (same view, same file, the other engine).
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/bigfile.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

import { bigCsv, budgetCsv, budgetStats } from '../../scripts/gen_big_csv.mjs';
import { parseCsv } from './csv.mjs';
import { axeViolations } from './axe.mjs';
import { useLoupe, openReady, digits, FIXTURES, SCREENSHOTS, WWW } from './harness.mjs';

// Generated files are served from the system temp folder for the JS API's fetch.
const t = useLoupe({ mounts: { '/__parts__/': tmpdir() } });
const byId = (id) => t.page.locator(`[data-testid="${id}"]`);
const DECP_FILE = join(WWW, 'data', 'decp_2024h2_travaux.csv');
const DECP = parseCsv(readFileSync(DECP_FILE, 'utf8'));
const col = (name) => DECP.header.indexOf(name);

const matchCount = async () => digits((await byId('match-count').locator('strong').textContent()) ?? '');
async function waitMatchCount(n, timeout = 60_000) {
  await t.page.waitForFunction((want) => {
    const s = document.querySelector('[data-testid="match-count"] strong');
    return s && Number(s.textContent.replace(/\D/g, '')) === want;
  }, n, { timeout });
}
const summary = () => byId('chart-summary').first().textContent();
async function until(ok, timeout = 30_000) {
  for (const t0 = Date.now(); !(await ok());) {
    if (Date.now() - t0 > timeout) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the explorer (persona=power) with `query`, then picks `path` in the file input
 * (`focus`: after focusing it first, as a user reaching it does, which starts the workers). */
async function pick(path, query, until = 'ready', focus = false) {
  await openReady(t.loupe, t.url({ src: 'lfi-2026-credits', persona: 'power', ...query }));
  if (focus) {
    await t.page.locator('input[type=file]').first().focus();
    await new Promise((r) => setTimeout(r, 1000));
  }
  await t.loupe.upload(path);
  if (until === 'ready') {
    await t.page.waitForFunction(() => document.querySelector('[data-testid="dataset-title"]')?.textContent.includes('.csv')
      && document.documentElement.dataset.loupe === 'ready', null, { timeout: 600_000 });
  }
}

/** Filters through the filter panel: column, a search in its values, the one value shown. */
async function filterOn(column, search) {
  await byId('filter-column').selectOption(column);
  await byId('value-search').fill(search);
  await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1, null, { timeout: 60_000 });
  await byId('value-list').locator('input[type="checkbox"]').first().check();
  await byId('apply-filter').click();
}

describe('the engine in a Web Worker', () => {
  test('a French file read by the worker shows what the page engine shows, and the file\'s figures', async () => {
    await pick(DECP_FILE, { worker: '1' });
    const badge = byId('engine');
    assert.equal(await badge.getAttribute('data-engine'), 'worker', 'the worker holds the data');
    assert.equal(await t.loupe.rows(), DECP.rows.length, 'row count = the file\'s records');
    assert.equal(await t.loupe.columns(), DECP.header.length);
    await t.loupe.waitForChartInk();
    const inWorker = await summary();

    // The table pages through the worker: 100 rows, then the next 100; of a page, only the
    // rows in and near the viewport are in the DOM (the rest are spacers), as in the local table.
    const rowNumbers = () => t.page.evaluate(() => [...document.querySelectorAll('[data-testid="data-table"] tbody tr.vt-row td.row-num')].map((td) => Number(td.textContent)));
    const firstRowIs = (n) => t.page.waitForFunction((n) => document.querySelector('[data-testid="data-table"] tbody tr.vt-row td.row-num')?.textContent === String(n), n);
    await firstRowIs(1);
    assert.match(await byId('portal-page').textContent(), /1 à 100 sur 8\s?957/);
    const top = await rowNumbers();
    assert.ok(top.length >= 10 && top.length < 50, `${top.length} rows rendered of the page's 100`);
    assert.deepEqual(top, top.map((_, i) => i + 1), 'the first rows, in order');
    await byId('table-viewport').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await t.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="data-table"] tbody tr.vt-row td.row-num')].at(-1)?.textContent === '100');
    const bottom = await rowNumbers();
    assert.ok(bottom.length < 50 && bottom[0] > 50, `scrolled to the end: rows ${bottom[0]}-${bottom.at(-1)}`);
    await byId('page-next').click();
    await firstRowIs(101);
    assert.equal(await byId('table-viewport').evaluate((el) => el.scrollTop), 0, 'the next page starts at its top');

    // Sorted by montant, descending (two clicks on its header): the file's largest amount first.
    const montants = DECP.rows.map((r) => Number(r[col('montant')])).filter((x) => !Number.isNaN(x));
    const max = Math.max(...montants);
    const header = t.page.locator('[data-testid="data-table"] thead th', { hasText: 'montant' }).locator('button.th-sort');
    await header.click();
    await t.page.waitForFunction(() => document.querySelector('[data-testid="data-table"] thead th[aria-sort="ascending"]'));
    await header.click();
    await t.page.waitForFunction(() => document.querySelector('[data-testid="data-table"] thead th[aria-sort="descending"]'));
    const montantAt = DECP.header.indexOf('montant') + 1; // after the row-number cell
    await t.page.waitForFunction(([i, want]) => {
      const cell = document.querySelector(`[data-testid="data-table"] tbody tr td:nth-child(${i + 1})`);
      return cell && Number(cell.textContent.replace(/\s/g, '').replace(',', '.')) === want;
    }, [montantAt, max], { timeout: 30_000 });

    // A filter through the filter panel: the count is the file's.
    await filterOn('procedure', 'adapt');
    const adapted = DECP.rows.filter((r) => r[col('procedure')] === 'Procédure adaptée').length;
    await waitMatchCount(adapted);
    assert.equal(await matchCount(), adapted);

    // A request the page drops while the worker runs it (a newer view superseded it) stops
    // there: the test holds the worker's selections before their first slice (a test hook:
    // the worker's `loupeHold`), searches, removes the search while its selection is held,
    // and the worker counts a stopped request, then answers the view on screen.
    const inWorkers = (fn) => Promise.all(t.page.workers().map((w) => w.evaluate(fn)));
    await inWorkers(() => { self.loupeHold = true; });
    await byId('text-search').fill('lyon');
    await byId('text-search').press('Enter');
    await until(async () => (await inWorkers(() => self.loupeHeld === true)).some(Boolean));
    await byId('filter-chip').nth(1).locator('button').first().click();
    await until(async () => (await inWorkers(() => self.loupeStopped ?? 0)).reduce((a, b) => a + b, 0) >= 1);
    await inWorkers(() => { self.loupeHold = false; });
    await waitMatchCount(adapted);
    // The same search, not dropped, answers with the file's count (text cells, case aside).
    await byId('text-search').fill('lyon');
    await byId('text-search').press('Enter');
    const lyon = DECP.rows.filter((r) => r[col('procedure')] === 'Procédure adaptée'
      && r.some((c) => c.toLowerCase().includes('lyon'))).length;
    assert.ok(lyon > 0 && lyon < adapted, `${lyon}`);
    await waitMatchCount(lyon);

    // "Stop": a view the worker takes long to compute (its selections held) offers to go
    // back; going back stops the worker's request and shows the previous view's count.
    const stopped = async () => (await inWorkers(() => self.loupeStopped ?? 0)).reduce((a, b) => a + b, 0);
    // A grouped table, answered by the worker before the held view.
    await byId('group-by').selectOption(['procedure']);
    await byId('group-table').waitFor({ timeout: 30_000 });
    const stoppedBefore = await stopped();
    const chips = await byId('filter-chip').count();
    await inWorkers(() => { self.loupeHold = true; });
    await byId('text-search').fill('marseille');
    await byId('text-search').press('Enter');
    await byId('stop-query').waitFor({ timeout: 10_000 });
    await t.page.screenshot({ path: join(SCREENSHOTS, 'worker-stop-query.png') });
    // Meanwhile the table keeps the previous view's rows, dimmed and marked busy, instead of
    // emptying (and moving every panel below it) until the new page arrives.
    assert.ok(await t.page.locator('[data-testid="data-table"] tbody tr.vt-row').count() > 0, 'the previous rows stay');
    assert.equal(await byId('table-viewport').getAttribute('aria-busy'), 'true');
    assert.match(await byId('data-table').getAttribute('class'), /\bvt-stale\b/);
    // So does the grouped table, under its status line and under another name: nothing takes
    // it for the held view's answer.
    await byId('group-table-stale').waitFor();
    assert.equal(await byId('group-table').count(), 0);
    assert.ok(await byId('pending').count() > 0, 'says it is computing');
    await byId('stop-query').click();
    await until(async () => (await stopped()) > stoppedBefore);
    await inWorkers(() => { self.loupeHold = false; });
    await waitMatchCount(lyon);
    assert.equal(await byId('filter-chip').count(), chips, 'the previous view\'s filters');
    assert.equal(await byId('query-busy').count(), 0, 'nothing left to stop');
    await t.page.waitForFunction(() => document.querySelector('[data-testid="table-viewport"]')?.getAttribute('aria-busy') === 'false');
    await byId('group-table').waitFor();
    assert.equal(await byId('group-table-stale').count(), 0);
    assert.doesNotMatch(await byId('data-table').getAttribute('class'), /\bvt-stale\b/);
    await t.page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 30_000 });

    // The same file in the page's own engine: the same chart summary.
    await pick(DECP_FILE, { worker: '0' });
    assert.equal(await t.page.locator('[data-engine="worker"]').count(), 0, 'the page holds the data');
    await t.loupe.waitForChartInk();
    assert.equal(await summary(), inWorker, 'same summary in both engines');
  });

  test('opening the file picker starts the worker for the file to come: the file is read in it', async () => {
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits', persona: 'power', worker: '1' }));
    const before = t.page.workers().length;
    await byId('file-input').focus();
    // One worker, and on two cores a second for the second part of a mid-sized file.
    await until(async () => t.page.workers().length >= before + 1);
    const spare = t.page.workers()[before];
    // Marked once its engine has started (its scope answers then).
    await until(async () => spare.evaluate(() => { self.loupeMark = 'spare'; return true; }).catch(() => false));
    await t.loupe.upload(DECP_FILE);
    await t.page.waitForFunction(() => document.querySelector('[data-testid="dataset-title"]')?.textContent.includes('.csv')
      && document.documentElement.dataset.loupe === 'ready', null, { timeout: 60_000 });
    assert.equal(await t.loupe.rows(), DECP.rows.length, 'row count = the file\'s records');
    const scopes = await Promise.all(t.page.workers().map((w) => w.evaluate(() => [self.loupeMark ?? null, Boolean(self.loupeRead), self.loupeModule]).catch(() => null)));
    assert.ok(scopes.some((m) => m && m[0] === 'spare' && m[1]), `the spare worker read the file: ${JSON.stringify(scopes)}`);
    // Every worker was handed the module the page compiled once (web/spawn.rs), none compiled its own.
    const live = scopes.filter(Boolean);
    assert.ok(live.length >= 1 && live.every((m) => m[2] === 'shared'), `workers started with the page's module: ${JSON.stringify(scopes)}`);
  });

  test('a URL is gathered into a Blob and read by the worker (a Windows-1252 file, transcoded window by window)', async () => {
    const rows = parseCsv(readFileSync(join(FIXTURES, 'mandats_cp1252.csv'), 'latin1')).rows.length;
    const src = `${t.server.url}__fixtures__/mandats_cp1252.csv`;
    await openReady(t.loupe, t.url({ src, persona: 'power', worker: '1' }));
    assert.equal(await byId('engine').getAttribute('data-engine'), 'worker');
    assert.equal(await t.loupe.rows(), rows);
    await t.loupe.waitForChartInk();
    const inWorker = await summary();
    assert.match(inWorker, /Ariège/, 'accents transcoded');
    await openReady(t.loupe, t.url({ src, persona: 'power', worker: '0' }));
    assert.equal(await t.page.locator('[data-engine="worker"]').count(), 0);
    await t.loupe.waitForChartInk();
    assert.equal(await summary(), inWorker, 'same summary in both engines');
  });

  test('a download with no announced length, or a compressed one, is gathered for the worker too', async () => {
    // A second origin (CORS allowed) that sends the file in chunks with no Content-Length, or
    // gzip-compressed (its Content-Length is the compressed size): neither says the file's size.
    const body = readFileSync(DECP_FILE);
    const other = createServer((req, res) => {
      const headers = { 'Content-Type': 'text/csv', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
      if (req.url.startsWith('/gzip')) {
        const z = gzipSync(body);
        res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': z.length }).end(z);
        return;
      }
      res.writeHead(200, headers);
      for (let i = 0; i < body.length; i += 65_536) res.write(body.subarray(i, i + 65_536));
      res.end();
    });
    await new Promise((ok) => other.listen(0, '127.0.0.1', ok));
    try {
      const base = `http://127.0.0.1:${other.address().port}`;
      for (const path of ['/chunked.csv', '/gzip.csv']) {
        // The worker asked for: from the first byte, the body goes into a Blob for it.
        await openReady(t.loupe, t.url({ src: base + path, persona: 'power', worker: '1' }));
        assert.equal(await byId('engine').getAttribute('data-engine'), 'worker', `${path}: in the worker`);
        assert.equal(await t.loupe.rows(), DECP.rows.length, `${path}: every row`);
        // Automatic choice: this small file stays under the worker's threshold, in the page.
        await openReady(t.loupe, t.url({ src: base + path, persona: 'power' }));
        assert.equal(await t.page.locator('[data-engine="worker"]').count(), 0, `${path}: small, in the page`);
        assert.equal(await t.loupe.rows(), DECP.rows.length, `${path}: every row, in the page`);
      }
    } finally {
      await new Promise((ok) => other.close(ok));
    }
  });

  test('a file over the memory budget offers columns, a filtered subset or a sample', async () => {
    // 3 MB for a 1.7 MB file that needs ~4 MB: nothing is loaded until the user chooses.
    await pick(DECP_FILE, { worker: '1', budget: '3' }, 'choice');
    const dialog = byId('big-file-choice');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.textContent(), /decp_2024h2_travaux\.csv/);
    assert.equal(await byId('choice-column').count(), DECP.header.length, 'every column offered with its size');
    // The columns kept by default fit the budget.
    const total = Number(await byId('choice-total').getAttribute('data-bytes'));
    assert.ok(total > 0 && total <= 3e6, `default choice ${total} bytes`);
    assert.ok(await byId('choice-load').isEnabled());
    await t.page.screenshot({ path: join(SCREENSHOTS, 'bigfile-choice-1280.png'), fullPage: true });
    // Accessible: no serious or critical axe-core violation with the offer on the page.
    const v = await axeViolations(t.page, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    const grave = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
    assert.deepEqual(grave.map((x) => `${x.id}: ${x.nodes.slice(0, 3).join(' | ')}`), [], 'axe');
    await t.page.setViewportSize({ width: 390, height: 844 });
    await t.page.screenshot({ path: join(SCREENSHOTS, 'bigfile-choice-390.png'), fullPage: true });
    await t.page.setViewportSize({ width: 1280, height: 800 });
    // Keep exactly three columns.
    const keep = ['acheteur_departement_code', 'procedure', 'montant'];
    for (const box of await byId('choice-column').all()) {
      const want = keep.includes(await box.getAttribute('value'));
      if ((await box.isChecked()) !== want) await box.click();
    }
    assert.ok(Number(await byId('choice-total').getAttribute('data-bytes')) < total);
    await byId('choice-load').click();
    await t.page.waitForFunction(() => document.querySelector('[data-engine="worker"]') && document.documentElement.dataset.loupe === 'ready', null, { timeout: 60_000 });
    assert.equal(await t.loupe.rows(), DECP.rows.length, 'every row');
    assert.equal(await t.loupe.columns(), 3, 'three columns');
    assert.equal((await byId('partial-load').textContent()).trim(), `3 colonnes sur ${DECP.header.length}`);
    const shown = await t.page.locator('[data-testid="data-table"] thead th[scope="col"]:not(.row-num)').allTextContents();
    for (const name of keep) assert.ok(shown.some((h) => h.includes(name)), `${name} in ${shown}`);

    // A sample: one row in 4.
    await t.loupe.upload(DECP_FILE);
    await dialog.waitFor({ timeout: 60_000 });
    await byId('choice-mode-sample').check();
    await byId('choice-sample-k').fill('4');
    await byId('choice-sample-k').dispatchEvent('change');
    await byId('choice-load').click();
    await t.page.waitForFunction((n) => document.documentElement.dataset.loupe === 'ready'
      && Number(document.querySelector('[data-testid="row-count"]')?.textContent.replace(/\D/g, '')) === n,
    Math.ceil(DECP.rows.length / 4), { timeout: 60_000 });

    // A filtered subset: the rows of département 83, applied while reading.
    await t.loupe.upload(DECP_FILE);
    await dialog.waitFor({ timeout: 60_000 });
    await byId('choice-mode-filter').check();
    await byId('choice-filter-column').selectOption('acheteur_departement_code');
    await byId('choice-filter-value').fill('83');
    await byId('choice-load').click();
    const var83 = DECP.rows.filter((r) => r[col('acheteur_departement_code')].trim() === '83').length;
    assert.ok(var83 > 0);
    await t.page.waitForFunction((n) => document.documentElement.dataset.loupe === 'ready'
      && Number(document.querySelector('[data-testid="row-count"]')?.textContent.replace(/\D/g, '')) === n,
    var83, { timeout: 60_000 });
    assert.match(await byId('partial-load').textContent(), /lignes/);
  });

  test('two workers read a mid-sized file at once by default (loupe.load {parts: 2}): the file\'s own count and sums', { timeout: 300_000 }, async () => {
    const rows = 600_000; // ~27 MB: above the 16 MiB from which a load is cut into parts
    const path = await bigCsv(rows, join(tmpdir(), `loupe-parts-${rows}.csv`));
    // The file's own figures, line by line: rows of Corse and their amounts in cents.
    let corse = 0;
    let cents = 0;
    let bretagne = 0;
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) {
      const f = line.split(',');
      if (f[2] === 'Bretagne') bretagne += 1;
      if (f[2] !== 'Corse') continue;
      corse += 1;
      const [int, frac] = f[3].split('.');
      cents += Number(int) * 100 + Number(frac);
    }
    assert.ok(corse > 0);

    // No `parts=`: a file of 16-512 MB is read in two parts on two cores or more, the second
    // by a worker started and warmed with the first when the file picker was focused.
    await pick(path, { worker: '1' }, 'ready', true);
    assert.equal(await byId('engine').getAttribute('data-engine'), 'worker');
    assert.equal(await t.loupe.rows(), rows, 'the full row count');
    // Both parts were appended (a part that does not meet the first one's end is read again
    // by the first worker: correct, but not parallel). One core: one part.
    const cores = await t.page.evaluate(() => navigator.hardwareConcurrency);
    assert.equal(await byId('engine').getAttribute('data-parts'), String(Math.min(2, cores)));
    await filterOn('region', 'Corse');
    await waitMatchCount(corse);

    const api = await t.page.evaluate(async (name) => {
      const buf = new Uint8Array(await (await fetch(name)).arrayBuffer());
      const spec = { filter: [{ column: 'region', op: 'in', values: ['Corse'] }],
        aggregates: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'montant', as: 's' }] };
      const out = {};
      for (const engine of ['worker', 'page']) {
        const ds = await window.loupe.load(buf, { engine, parts: 2 });
        const rep = await ds.report();
        const q = await ds.query(spec);
        // Two queries at once that differ only by their filters: both resolve (an API query
        // never supersedes another one, unlike a panel's newer view).
        const bretagne = { ...spec, filter: [{ column: 'region', op: 'in', values: ['Bretagne'] }] };
        const both = await Promise.race([
          Promise.all([ds.query(spec), ds.query(bretagne), ds.query(spec)]).then((r) => r.map((x) => x.rows[0][0])),
          new Promise((r) => setTimeout(() => r('timed out'), 60_000)),
        ]);
        out[engine] = { rows: rep.rows, n: q.rows[0][0], s: q.rows[0][1], both, schema: (await ds.schema()).map((f) => `${f.name}:${f.type}`) };
        ds.free();
      }
      out.cores = navigator.hardwareConcurrency;
      return out;
    }, `/__parts__/${basename(path)}`).catch((e) => ({ error: String(e) }));
    assert.ok(!api.error, api.error);
    console.log(`parts: ${rows} rows, ${api.cores} cores`);
    for (const engine of ['worker', 'page']) {
      assert.equal(api[engine].rows, rows, `${engine}: rows`);
      assert.equal(api[engine].n, corse, `${engine}: Corse rows`);
      assert.equal(Math.round(api[engine].s * 100), cents, `${engine}: Corse amounts`);
      assert.deepEqual(api[engine].both, [corse, bretagne, corse], `${engine}: queries at once`);
    }
    assert.deepEqual(api.worker.schema, api.page.schema);

    // One worker (`?parts=1`): the file past its first window comes from the file's stream,
    // read ahead of the parse, not from one synchronous read per window.
    await pick(path, { worker: '1', parts: '1' });
    assert.equal(await t.loupe.rows(), rows, 'the full row count, one worker');
    await filterOn('region', 'Corse');
    await waitMatchCount(corse);
    const reads = (await Promise.all(t.page.workers().map((w) => w.evaluate(() => self.loupeRead ?? null)))).filter(Boolean);
    assert.equal(reads.length, 1, 'one worker read the file');
    const size = statSync(path).size;
    const window = 4 << 20;
    assert.ok(reads[0].streamed >= size - window && reads[0].streamed <= size, `streamed ${reads[0].streamed} of ${size}`);
    console.log(`read: ${reads[0].streamed} bytes streamed, ${reads[0].synced} read synchronously, of ${size}`);
  });

  test('loupe.load of a large buffer reads it on two cores (the page and a helper worker): the file\'s own figures', { timeout: 300_000 }, async () => {
    // ~33 MB, above the 24 MiB from which an in-page load takes a helper; a label unique
    // almost per row (kept row by row, without a dictionary) and repeated labels.
    const rows = 200_000;
    const path = await budgetCsv(rows, join(tmpdir(), `loupe-split-${rows}.csv`));
    const stats = await budgetStats(path); // the generator's own reader, not Loupe
    const sums = {};
    for (const [k, cents] of Object.entries(stats.sumCentsByMinistereYear)) {
      const m = k.slice(0, k.lastIndexOf('|'));
      sums[m] = (sums[m] ?? 0) + cents;
    }
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits' }));
    const api = await t.page.evaluate(async (name) => {
      const buf = new Uint8Array(await (await fetch(name)).arrayBuffer());
      const out = { cores: navigator.hardwareConcurrency };
      for (const [mode, options] of [['one', { parts: 1 }], ['auto', {}]]) {
        const ds = await window.loupe.load(buf, options);
        const rep = await ds.report();
        const groups = await ds.query({ group_by: ['ministere'], aggregates: [{ op: 'count', as: 'n' }, { op: 'sum', column: 'montant', as: 's' }] });
        const distinct = await ds.query({ aggregates: [{ op: 'count_distinct', column: 'libelle', as: 'd' }] });
        const found = await ds.query({ filter: [{ op: 'contains', column: 'libelle', value: 'FACTURE 7' }], aggregates: [{ op: 'count', as: 'n' }] });
        out[mode] = { rows: rep.rows, parts: rep.parts, groups: groups.rows, distinct: distinct.rows[0][0], found: found.rows[0][0] };
        ds.free();
      }
      return out;
    }, `/__parts__/${basename(path)}`).catch((e) => ({ error: String(e) }));
    assert.ok(!api.error, api.error);
    assert.equal(api.one.parts, 1);
    assert.equal(api.auto.parts, Math.min(2, api.cores), 'the helper\'s half was appended');
    for (const mode of ['one', 'auto']) {
      const r = api[mode];
      assert.equal(r.rows, stats.rows, `${mode}: rows`);
      assert.equal(r.distinct, stats.libelleDistinct, `${mode}: distinct labels`);
      assert.equal(r.found, stats.libelleFacture7, `${mode}: labels containing "facture 7"`);
      assert.equal(r.groups.length, Object.keys(stats.perMinistere).length, `${mode}: ministères`);
      for (const [m, n, s] of r.groups) {
        assert.equal(n, stats.perMinistere[m], `${mode}: rows of ${m}`);
        assert.equal(Math.round(s * 100), sums[m], `${mode}: amounts of ${m}`);
      }
    }
  });

  test('a ~1 GB file through the file picker opens whole, with progress, a filter, and Cancel', { timeout: 900_000 }, async () => {
    const rows = 17_500_000;
    const path = await bigCsv(rows);
    // The file's own count of Corse rows, line by line.
    let corse = 0;
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) if (line.split(',')[2] === 'Corse') corse += 1;
    assert.ok(corse > 0);

    await pick(path, {}, 'progress');
    // Honest progress: bytes, rows, then the rate and the time left.
    await t.page.waitForFunction(() => /\/s · /.test(document.querySelector('[data-testid="load-progress-text"]')?.textContent ?? ''), null, { timeout: 120_000 });
    const progress = await byId('load-progress-text').textContent();
    assert.match(progress, /Go · [\d\s]+ lignes · [\d,]+\sMo\/s · encore \d/, progress);
    await t.page.waitForFunction(() => document.querySelector('[data-engine="worker"]') && document.documentElement.dataset.loupe === 'ready', null, { timeout: 600_000 });
    assert.equal(await t.loupe.rows(), rows, 'the full row count');
    const memory = Number(await byId('engine').getAttribute('data-memory'));
    console.log(`1 GB: ${rows} rows in ${await byId('engine').getAttribute('data-load-ms')} ms (worker), wasm memory ${(memory / 1e6).toFixed(0)} MB`);

    await filterOn('region', 'Corse');
    await waitMatchCount(corse, 300_000);

    // Cancel a second load of the same file: the data on screen stays, and still answers.
    await t.loupe.upload(path);
    await byId('cancel-load').waitFor({ timeout: 60_000 });
    await t.page.waitForFunction(() => /lignes/.test(document.querySelector('[data-testid="load-progress-text"]')?.textContent ?? ''));
    await byId('cancel-load').click();
    await t.page.locator('[role="status"]', { hasText: 'Chargement annulé' }).first().waitFor({ timeout: 30_000 });
    await t.loupe.waitReady(60_000);
    assert.equal(await t.loupe.rows(), rows);
    await byId('filter-chip').locator('button').first().click();
    await waitMatchCount(rows, 300_000);
  });
});
