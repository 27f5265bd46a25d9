// A gigabyte through the file picker: how long the load takes, how much memory it needs and
// how long the page's main thread is ever blocked. A benchmark, not a test: it prints figures
// and checks only that the page shows the file's full row count (from the generator's truth
// file, not from Loupe).
//
//   node tests/bench/bigfile.mjs [--dist dist] [--csv FILE] [--rows 6000000] [--query 1] [--parts 1]
//
// --parts N reads the file with N workers at once (the page's `?parts=N`).
//
// A file over the memory budget (e.g. --rows 42000000, ~7 GB) gets the choice of columns first;
// the default choice is taken and the figures are those of that projected load.
//
// Without --csv, it generates the peer harness's French-dialect file (`gen/generate.js --rows
// 6000000 --variant fr`, ~1.0 GB, ~40 s) from $LOUPE_PEERS (default ../shared/bench/peers) into
// $TMPDIR/loupe-bigfile and keeps it for the next run. Figures printed:
// - load: from the file given to the input to the page ready with the whole file's row count;
// - longest main-thread task and tasks over 50 ms (PerformanceObserver 'longtask') from the
//   pick until the page is ready (the default chart is a group-by), then during a text search,
//   a second search removed before its answer, a sort, a group-by (groups, then the measure)
//   and a pivot (rows, columns, measure);
// - memory: the worker's WebAssembly memory once loaded (`data-memory` of the engine badge) and
//   the peak resident memory of the browser's renderer processes (page + worker, /proc), both
//   as a ratio of the file size.
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { openBrowser } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const dist = resolve(args.dist ?? join(ROOT, 'dist'));
const rows = Number(args.rows ?? 6_000_000);
const peers = resolve(process.env.LOUPE_PEERS ?? join(ROOT, '..', 'shared', 'bench', 'peers'));
const { browserTree, memOf } = await import(join(peers, 'lib', 'procmem.js'));

let csv = args.csv;
let truthRows = null;
if (!csv) {
  const out = join(tmpdir(), 'loupe-bigfile');
  mkdirSync(out, { recursive: true });
  csv = join(out, `budget_${rows}_fr.csv`);
  if (!existsSync(csv)) {
    console.log(`generating ${csv} …`);
    execFileSync('node', [join(peers, 'gen', 'generate.js'), '--rows', String(rows), '--variant', 'fr', '--out', out], { stdio: 'inherit' });
  }
  const truth = join(out, `budget_${rows}.truth.json`);
  if (existsSync(truth)) truthRows = JSON.parse(readFileSync(truth, 'utf8')).rows ?? rows;
}
const size = statSync(csv).size;
console.log(`file ${csv}: ${(size / 1e6).toFixed(0)} MB`);

const server = await startServer(dist);
const b = await openBrowser({ width: 1280, height: 900 });
const page = b.page;
await page.addInitScript(() => {
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
});
await page.goto(`${server.url}index.html?persona=power${args.parts ? `&parts=${Number(args.parts)}` : ''}`);
await page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 60_000 });

let peak = 0;
const sampler = setInterval(() => {
  const { renderers } = browserTree(b.profile);
  peak = Math.max(peak, memOf(renderers).rss ?? 0);
}, 100);

// Long tasks that started after `from` (a page clock time): the observer reports entries
// late, so they are told apart by their start, not by their arrival.
const longSince = async (from) => page.evaluate((t) => window.__long.filter(([s]) => s >= t).map(([, d]) => d), from);
const mark = () => page.evaluate(() => performance.now());

let from = await mark();
const t0 = Date.now();
await page.locator('input[type=file]').first().setInputFiles(csv);
// A file over the memory budget (a 7 GB file: see --budget in the README) gets the choice
// first: the default choice (the columns that fit, largest left out) is taken.
const choice = await page.waitForFunction(() => (document.querySelector('[data-testid="big-file-choice"]') && 'choice')
  || (document.querySelector('[data-engine="worker"]') && document.documentElement.dataset.loupe === 'ready' && 'ready'),
null, { timeout: 1_800_000 }).then((h) => h.jsonValue());
if (choice === 'choice') {
  console.log(`choice: ${await page.locator('[data-testid="big-file-choice"] > p').first().textContent()}`);
  const kept = await page.locator('[data-testid="choice-column"]:checked').evaluateAll((l) => l.map((b) => b.value));
  console.log(`  default: ${kept.length} columns (${kept.join(', ')}); ${await page.locator('[data-testid="choice-total"]').textContent()}`);
  console.log(`  estimate and choice in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.locator('[data-testid="choice-load"]').click();
  await page.waitForFunction(() => document.querySelector('[data-engine="worker"]') && document.documentElement.dataset.loupe === 'ready', null, { timeout: 3_600_000 });
  console.log(`  loaded: ${await page.locator('[data-testid="partial-load"]').textContent()}`);
}
const loadMs = Date.now() - t0;
// Let the observer deliver what happened just before ready.
await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
const loadLong = await longSince(from);
// When each task over 50 ms started, in ms after the pick (the load ends at loadMs).
const loadLongAt = await page.evaluate((t) => window.__long.filter(([s, d]) => s >= t && d > 50).map(([s, d]) => `${Math.round(s - t)}+${Math.round(d)}`), from);
const shown = Number((await page.locator('[data-testid="row-count"]').textContent()).replace(/\D/g, ''));
const badge = page.locator('[data-engine="worker"]');
const workerMs = Number(await badge.getAttribute('data-load-ms'));
const wasm = Number(await badge.getAttribute('data-memory'));
clearInterval(sampler);

const fmt = (l) => `longest task ${l.length ? Math.round(Math.max(...l)) : 0} ms, ${l.filter((d) => d > 50).length} over 50 ms`;
console.log(`load: ${(loadMs / 1000).toFixed(1)} s in the page (${(workerMs / 1000).toFixed(1)} s in the worker), ${(size / 1e6 / (loadMs / 1000)).toFixed(0)} MB/s; ${fmt(loadLong)}`);
// Where the first worker's time went (its `self.loupeRead`): parse steps, turns of its event
// loop (the stream's chunks arrive then), waits for a window not read yet.
const reads = (await Promise.all(page.workers().map((w) => w.evaluate(() => self.loupeRead ?? null).catch(() => null)))).filter(Boolean);
for (const r of reads) console.log(`  worker: parse steps ${r.stepMs} ms, event-loop turns ${r.yieldMs} ms, waiting for the stream ${r.waitMs} ms (${r.waits} waits, ${r.chunks} chunks); ${(r.streamed / 1e6).toFixed(0)} MB streamed, ${(r.synced / 1e6).toFixed(0)} MB read synchronously`);
if (loadLongAt.length) console.log(`  tasks over 50 ms (start after the pick + duration, ms): ${loadLongAt.join(', ')}`);
console.log(`rows: ${shown}${truthRows ? ` (truth ${truthRows}: ${shown === truthRows ? 'ok' : 'WRONG'})` : ''}`);
console.log(`memory: worker wasm ${(wasm / 1e6).toFixed(0)} MB = ${(wasm / size).toFixed(2)}x the file; renderer processes peak RSS ${(peak / 1e6).toFixed(0)} MB = ${(peak / size).toFixed(2)}x`);

// A filter, a group-by and a sort, as a user does them: time to the page ready again.
async function timed(label, act) {
  const f = await mark();
  const t = Date.now();
  await act();
  await page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 600_000 });
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  console.log(`${label}: ${Date.now() - t} ms; ${fmt(await longSince(f))}`);
}
if (args.query !== '0') {
  const summary = () => page.locator('[data-testid="chart-summary"]').first().textContent();
  const before = await summary();
  await timed('search "Bretagne" (filter)', async () => {
    await page.locator('[data-testid="text-search"]').first().fill('Bretagne');
    await page.locator('[data-testid="text-search"]').first().press('Enter');
    await page.waitForFunction((s) => document.querySelector('[data-testid="chart-summary"]')?.textContent !== s, before, { timeout: 600_000 });
  });
  // A second search (it replaces the first), removed 150 ms later, before its answer: the
  // worker stops the running selection, so the unfiltered view is back without waiting for the
  // scan of every row.
  await timed('a second search removed after 150 ms: the view back', async () => {
    await page.locator('[data-testid="text-search"]').first().fill('zzz');
    await page.locator('[data-testid="text-search"]').first().press('Enter');
    await page.waitForTimeout(150);
    await page.locator('[data-testid="filter-chip"]').first().locator('button').first().click();
    await page.waitForFunction((s) => document.querySelector('[data-testid="chart-summary"]')?.textContent === s, before, { timeout: 600_000 });
  });
  const stopped = await Promise.all(page.workers().map((w) => w.evaluate(() => self.loupeStopped ?? 0)));
  console.log(`  requests stopped while running in the worker: ${stopped.reduce((a, x) => a + x, 0)}`);
  await timed('sort the table by a header', async () => {
    await page.locator('[data-testid="data-table"] thead th button').nth(1).click();
  });
  // A group-by through its panel: the groups, then the measure summed.
  if (await page.locator('[data-testid="group-by"] option[value="region"]').count()) {
    await timed('group-by: region (count)', async () => {
      await page.locator('[data-testid="group-by"]').selectOption(['region']);
      await page.waitForSelector('[data-testid="group-table"]', { timeout: 600_000 });
    });
    if (await page.locator('[data-testid="group-measure"] option[value="montant"]').count()) {
      await timed('group-by: measure = montant', async () => {
        await page.locator('[data-testid="group-measure"]').selectOption('montant');
        await page.waitForFunction(() => document.querySelector('[data-testid="group-table"] thead')?.textContent.includes('montant'), null, { timeout: 600_000 });
      });
    }
  }
  // A pivot through the pivot panel: rows, columns, then the measure.
  for (const [id, value] of [['pivot-rows', 'ministere'], ['pivot-columns', 'exercice'], ['pivot-measure', 'montant']]) {
    // A projected load may lack the column.
    if (!(await page.locator(`[data-testid="${id}"] option[value="${value}"]`).count())) continue;
    const text0 = await page.evaluate(() => document.querySelector('[data-testid="pivot-table"]')?.textContent ?? null);
    await timed(`pivot: ${id} = ${value}`, async () => {
      await page.locator(`[data-testid="${id}"]`).selectOption(value);
      await page.waitForFunction((t0) => {
        const p = document.querySelector('[data-testid="pivot-table"]');
        return p && p.textContent !== t0;
      }, text0, { timeout: 600_000 }).catch(() => {});
    });
  }
}
await b.close();
await server.close();
if (truthRows && shown !== truthRows) process.exit(1);
