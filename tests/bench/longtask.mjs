// How long does Loupe block the page, and how long does the page take to show a result, on a
// 1M-row file? A benchmark, not a test: it prints figures and asserts no speed (it only warns
// when the page shows a wrong answer). Serves a release build (dist/) on 127.0.0.1 and drives
// Debian's Chromium (playwright-core). Two parts:
//
// - `api`: hands the CSV to `window.loupe.load` (--reps times) and prints the load time, the
//   long tasks seen meanwhile (PerformanceObserver 'longtask': main-thread tasks over 50 ms)
//   and the largest gap between two ticks of a 0 ms timer (what a user feels as a frozen page).
// - `ui`: does what a user does, through the page (persona=power): picks the file in the file
//   input (1M-row load), applies a one-value filter (filter panel), removes it (its chip),
//   sorts the table by clicking the `montant` header (ascending, descending, unsorted), builds
//   a pivot (pivot panel: rows, columns, measure), then sorts again and filters again with the
//   pivot on the page (every panel recomputed). For each action it prints the wall
//   time from the action to the page showing its result (measured in the page: the action's
//   click or change event, then the first animation frame after the DOM shows the new result,
//   i.e. the frame that paints it), the longest main-thread task and the number of tasks over
//   50 ms from the action until the page has been quiet for --settle ms.
//   "filter -> redrawn page" waits for the live count, the chart summary and the table's first
//   row to change; "sort -> redrawn table" for the header's aria-sort and the first row. The
//   expected count, first row and pivot cells are computed from the file by
//   scripts/gen_big_csv.mjs's own reader (budgetStats), not by Loupe.
//
//   node tests/bench/longtask.mjs [--part api|ui|all] [--dist dist] [--csv FILE] [--rows 1000000] [--worker 0]
//                                 [--reps 3] [--settle 400]
//
// Without --csv, it reuses $LOUPE_CSV or generates the budget-like file of
// scripts/gen_big_csv.mjs (`budgetCsv`: 10 columns, ~165 bytes a row, `,` separator) in the
// system temp folder and keeps it for the next run. With --csv, the ui part needs a file with
// the same columns (ministere, exercice, montant).

import { resolve } from 'node:path';
import { openBrowser } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';
import { budgetCsv, budgetStats } from '../../scripts/gen_big_csv.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dist = resolve(args.dist ?? 'dist');
const rows = Number(args.rows ?? 1_000_000);
const reps = Number(args.reps ?? 3);
const part = args.part ?? 'all';
const settle = Number(args.settle ?? 400);

let csv = args.csv ?? process.env.LOUPE_CSV;
if (!csv) {
  process.stdout.write(`budget-like file of ${rows} rows ... `);
  csv = await budgetCsv(rows);
  console.log(csv);
}
csv = resolve(csv);

const server = await startServer(dist, { mounts: { '/__bench__/': resolve(csv, '..') } });
try {
  if (part === 'api' || part === 'all') await apiPart();
  if (part === 'ui' || part === 'all') await uiPart();
} finally {
  await server.close();
}

// ---------------------------------------------------------------------------------------------
async function apiPart() {
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await page.goto(`${server.url}index.html`);
    await page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready' && window.loupe?.load, null, { timeout: 60_000 });
    const name = csv.split('/').pop();
    const result = await page.evaluate(async ({ name, reps }) => {
      const bytes = new Uint8Array(await (await fetch(`/__bench__/${name}`)).arrayBuffer());
      const runs = [];
      for (let r = 0; r < reps; r++) {
        const tasks = [];
        const obs = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
        obs.observe({ type: 'longtask' });
        let last = performance.now();
        let maxGap = 0;
        let ticking = true;
        const tick = () => {
          const now = performance.now();
          maxGap = Math.max(maxGap, now - last);
          last = now;
          if (ticking) setTimeout(tick, 0);
        };
        setTimeout(tick, 0);
        await new Promise((r) => setTimeout(r, 20));
        const t0 = performance.now();
        const ds = await loupe.load(bytes);
        const ms = performance.now() - t0;
        ticking = false;
        await new Promise((r) => setTimeout(r, 50));
        tasks.push(...obs.takeRecords());
        obs.disconnect();
        const rows = ds.rows;
        ds.free();
        const at = tasks.map((e) => `${Math.round(e.duration)}@${Math.round(e.startTime - t0)}`).join(' ');
        runs.push({ ms, rows, longest: Math.max(0, ...tasks.map((e) => e.duration)), longTasks: tasks.length, maxGap, at });
      }
      return { mb: bytes.length / 1e6, runs, memory: await loupe.memory() };
    }, { name, reps });
    console.log(`\n## api: window.loupe.load\nfile ${name}: ${result.mb.toFixed(1)} MB; wasm memory after: ${(result.memory / 2 ** 20).toFixed(0)} MiB`);
    console.log('run | rows | load ms | long tasks | longest task ms | largest timer gap ms | tasks (ms@start)');
    result.runs.forEach((r, i) =>
      console.log(`${i + 1} | ${r.rows} | ${r.ms.toFixed(0)} | ${r.longTasks} | ${r.longest.toFixed(0)} | ${r.maxGap.toFixed(0)} | ${r.at}`),
    );
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The in-page half of the ui part, installed before the app starts: a long-task recorder and
// `__benchOp(act, done, settle)`, which runs `act()` (a click, a change event), waits for
// `done()` to hold (checked on every DOM mutation and every frame), then for the next frame,
// then until no long task has been seen for `settle` ms. Returns { ms: action -> frame showing
// the result, longest, over50, tasks } where tasks are the long tasks that ended after the
// action started.
function benchRecorder() {
  window.__benchTasks = [];
  try {
    new PerformanceObserver((list) => window.__benchTasks.push(...list.getEntries())).observe({ type: 'longtask' });
  } catch {
    window.__benchTasks = null;
  }
  window.__benchOp = (act, done, settle, timeout = 180_000) => new Promise((resolve) => {
    const start = performance.now();
    let shownAt = null;
    let finished = false;
    const finish = (timedOut) => {
      if (finished) return;
      finished = true;
      obs.disconnect();
      const tasks = (window.__benchTasks ?? []).filter((e) => e.startTime + e.duration > start);
      resolve({
        ms: shownAt === null ? null : shownAt - start,
        timedOut,
        longest: Math.max(0, ...tasks.map((e) => e.duration)),
        over50: tasks.length,
        tasks: tasks.map((e) => `${Math.round(e.duration)}@${Math.round(e.startTime - start)}`).join(' '),
      });
    };
    const quiet = () => {
      // Quiet: no long task ended in the last `settle` ms.
      const lastEnd = Math.max(start, ...(window.__benchTasks ?? []).map((e) => e.startTime + e.duration));
      if (performance.now() - lastEnd >= settle) finish(false);
      else setTimeout(quiet, 50);
    };
    const check = () => {
      if (shownAt !== null || finished) return;
      let ok = false;
      try { ok = done(); } catch { ok = false; }
      if (ok) {
        shownAt = -1;
        requestAnimationFrame(() => {
          shownAt = performance.now();
          setTimeout(quiet, settle);
        });
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    const poll = () => { if (shownAt === null && !finished) { check(); requestAnimationFrame(poll); } };
    setTimeout(() => finish(true), timeout);
    act();
    check();
    requestAnimationFrame(poll);
  });

  // The actions and their "result shown" conditions, by name (real functions: the page's CSP
  // forbids building them from strings). Each takes the benchmark's argument and returns
  // [act, done].
  const q = (sel) => document.querySelector(sel);
  const text = (sel) => q(sel)?.textContent ?? '';
  const digitsOf = (sel) => Number(text(sel).replace(/\D/g, ''));
  const firstRow = () => q('[data-testid="data-table"] tr.vt-row')?.innerText ?? '';
  const change = (id, value) => {
    const s = q(`[data-testid="${id}"]`);
    s.value = value;
    s.dispatchEvent(new Event('change', { bubbles: true }));
  };
  const montantHeader = () => [...document.querySelectorAll('[data-testid="data-table"] thead th')].find((th) => /^montant/.test(th.textContent.trim()));
  window.__benchFns = {
    // The file is given to the input by Playwright right after this starts.
    load: (rows) => [() => {}, () => document.documentElement.dataset.loupe === 'ready'
      && digitsOf('[data-testid="row-count"]') === rows && !!q('[data-testid="data-table"] tr.vt-row')],
    pickColumn: ({ column, value }) => [() => change('filter-column', column),
      () => [...document.querySelectorAll('[data-testid="value-list"] label')].some((l) => l.textContent.includes(value))],
    // With a pivot on the page (x.pivot0: its text before), the pivot must have changed too.
    applyFilter: (x) => [() => q('[data-testid="apply-filter"]').click(), () => digitsOf('[data-testid="match-count"] strong') === x.want
      && text('[data-testid="chart-summary"]') !== x.summary && firstRow() !== x.row && firstRow().includes(x.value)
      && (x.pivot0 == null || text('[data-testid="pivot-table"]') !== x.pivot0)],
    removeFilter: (x) => [() => q('[data-testid="filter-chip"] button').click(), () => digitsOf('[data-testid="match-count"] strong') === x.rows
      && text('[data-testid="chart-summary"]') !== x.summary && !q('[data-testid="filter-chip"]')
      && (x.pivot0 == null || text('[data-testid="pivot-table"]') !== x.pivot0)],
    sortMontant: (x) => [() => montantHeader().querySelector('button.th-sort').click(),
      () => montantHeader()?.getAttribute('aria-sort') === x.state && firstRow() !== x.row0],
    pivotSelect: (x) => [() => change(x.id, x.value), () => !!q('[data-testid="pivot-table"]') && text('[data-testid="pivot-table"]') !== x.text0],
  };
}

async function uiPart() {
  console.log(`\n## ui: the page (persona=power), file ${csv.split('/').pop()}`);
  process.stdout.write('expected values from the file (budgetStats) ... ');
  const stats = await budgetStats(csv);
  console.log(`${stats.rows} rows`);
  const FILTER_VALUE = 'Justice';
  const wantFiltered = stats.perMinistere[FILTER_VALUE];

  const browser = await openBrowser({ width: 1280, height: 900 });
  const results = [];
  const record = (op, r, note = '') => {
    results.push({ op, ...r, note });
    console.log(`  ${op}: ${r.ms === null ? 'TIMED OUT' : `${Math.round(r.ms)} ms`} to the result; longest task ${Math.round(r.longest)} ms, ${r.over50} tasks > 50 ms${note ? `; ${note}` : ''}${r.tasks ? ` [${r.tasks}]` : ''}`);
  };
  try {
    const { page, context } = browser;
    await context.addInitScript(benchRecorder);
    // worker=0: the page's own engine (a 161 MB file would go to the engine's worker, whose
    // table pages instead of scrolling; tests/bench/bigfile.mjs measures that engine).
    await page.goto(`${server.url}index.html?src=lfi-2026-credits&persona=power&worker=${args.worker ?? '0'}`);
    await page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 60_000 });
    const byId = (id) => page.locator(`[data-testid="${id}"]`);
    // op(fn, x): fn(x) runs in the page and returns [act, done] (no eval: the page's CSP
    // forbids it), then __benchOp measures them.
    const op = (fn, x) => page.evaluate(
      ({ src, x, settle }) => window.__benchOp(...window.__benchFns[src](x), settle),
      { src: fn, x, settle },
    );
    const firstRow = () => page.evaluate(() => document.querySelector('[data-testid="data-table"] tr.vt-row')?.innerText ?? '');
    const num = (text) => Number(String(text).replace(/[\s\u202f\u00a0]/g, '').replace(',', '.').replace('\u2212', '-'));

    // 1. Load: pick the file in the file input.
    const loading = op('load', stats.rows);
    await byId('file-input').setInputFiles(csv);
    record('load 1M rows (file input -> table shown)', await loading);
    await page.waitForFunction(() => !!document.querySelector('[data-testid="chart"]'));

    for (let r = 1; r <= reps; r++) {
      console.log(` rep ${r}/${reps}`);
      // 2. Filter: ministere = Justice, through the filter panel.
      record('filter column picked -> value list shown', await op('pickColumn', { column: 'ministere', value: FILTER_VALUE }));
      await byId('value-search').fill(FILTER_VALUE);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1);
      await byId('value-list').locator('input[type="checkbox"]').first().check();
      const before = await page.evaluate(() => ({
        summary: document.querySelector('[data-testid="chart-summary"]')?.textContent ?? '',
        row: document.querySelector('[data-testid="data-table"] tr.vt-row')?.innerText ?? '',
      }));
      const filtered = await op('applyFilter', { want: wantFiltered, summary: before.summary, row: before.row, value: FILTER_VALUE });
      record('filter -> redrawn page (count, chart, table)', filtered, `${wantFiltered} rows match`);

      // 3. Remove the filter (its chip's button).
      const afterFilter = await page.evaluate(() => document.querySelector('[data-testid="chart-summary"]')?.textContent ?? '');
      record('filter removed -> redrawn page', await op('removeFilter', { rows: stats.rows, summary: afterFilter }));

      // 4. Sort by montant: ascending, descending, back to the file's order.
      const headerIndex = await page.evaluate(() => [...document.querySelectorAll('[data-testid="data-table"] thead th')].findIndex((th) => /^montant/.test(th.textContent.trim())));
      for (const [state, label] of [['ascending', 'sort ascending -> redrawn table'], ['descending', 'sort descending -> redrawn table'], ['none', 'unsort -> redrawn table']]) {
        const row0 = await firstRow();
        const sorted = await op('sortMontant', { state, row0 });
        let note = '';
        if (state !== 'none') {
          const cells = (await firstRow()).split('\t');
          const shown = num(cells[headerIndex]);
          const want = state === 'ascending' ? stats.minMontant : stats.maxMontant;
          note = shown === want ? `first row montant ${shown} = file's ${state === 'ascending' ? 'min' : 'max'}` : `WRONG first row montant ${cells[headerIndex]} (file: ${want})`;
        }
        record(label, sorted, note);
      }
    }

    // 5. Pivot: rows ministere, columns exercice, sum of montant (each select is one action).
    const pivotSteps = [
      ['pivot-rows', 'ministere', 'pivot rows picked -> pivot shown'],
      ['pivot-columns', 'exercice', 'pivot columns picked -> pivot redrawn'],
      ['pivot-measure', 'montant', 'pivot measure (sum) picked -> pivot redrawn'],
    ];
    for (const [id, value, label] of pivotSteps) {
      const text0 = await page.evaluate(() => document.querySelector('[data-testid="pivot-table"]')?.textContent ?? null);
      record(label, await op('pivotSelect', { id, value, text0 }));
    }
    // 6. The whole page at work: table sorted by montant and the pivot shown, then the same
    // filter and its removal (every panel that depends on the filter is recomputed).
    {
      const row0 = await firstRow();
      record('sort ascending (pivot shown) -> redrawn table', await op('sortMontant', { state: 'ascending', row0 }));
      await page.locator('[data-testid="filter-column"]').selectOption('ministere');
      await byId('value-search').fill(FILTER_VALUE);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1);
      await byId('value-list').locator('input[type="checkbox"]').first().check();
      const b = await page.evaluate(() => ({
        summary: document.querySelector('[data-testid="chart-summary"]')?.textContent ?? '',
        row: document.querySelector('[data-testid="data-table"] tr.vt-row')?.innerText ?? '',
        pivot0: document.querySelector('[data-testid="pivot-table"]')?.textContent ?? '',
      }));
      record('filter (sorted table, pivot shown) -> redrawn page', await op('applyFilter', { want: wantFiltered, value: FILTER_VALUE, ...b }), `${wantFiltered} rows match`);
      const a = await page.evaluate(() => ({
        summary: document.querySelector('[data-testid="chart-summary"]')?.textContent ?? '',
        pivot0: document.querySelector('[data-testid="pivot-table"]')?.textContent ?? '',
      }));
      record('filter removed (sorted table, pivot shown) -> redrawn page', await op('removeFilter', { rows: stats.rows, ...a }));
    }

    // Check a few pivot cells against the file: the Justice row, years 2015 and 2024, and its total.
    const check = await page.evaluate(() => {
      const t = document.querySelector('[data-testid="pivot-table"]');
      const head = [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      const row = [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())).find((r) => r[0] === 'Justice');
      return { head, row };
    });
    const cents = (text) => Math.round(num(text) * 100);
    const wantCell = (y) => stats.sumCentsByMinistereYear[`Justice|${y}`];
    const wantTotal = Object.entries(stats.sumCentsByMinistereYear).filter(([k]) => k.startsWith('Justice|')).reduce((a, [, v]) => a + v, 0);
    const got = ['2015', '2024', 'Total'].map((c) => cents(check.row?.[check.head.indexOf(c)] ?? 'NaN'));
    const want = [wantCell(2015), wantCell(2024), wantTotal];
    console.log(`  pivot check (Justice x 2015, 2024, Total, in cents): page ${got.join(', ')}; file ${want.join(', ')} -> ${got.every((g, i) => g === want[i]) ? 'ok' : 'MISMATCH'}`);
    console.log(`  wasm memory at the end: ${((await page.evaluate(() => window.loupe?.memory?.())) / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    await browser.close();
  }

  // Summary: per action, median of the reps.
  const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
  const ops = [...new Set(results.map((r) => r.op))];
  console.log('\naction | runs | ms to result (median; all) | longest task ms (median; max) | tasks > 50 ms (median; max)');
  console.log('--- | --: | --: | --: | --:');
  for (const name of ops) {
    const rs = results.filter((r) => r.op === name);
    const ms = rs.map((r) => (r.ms === null ? Infinity : r.ms));
    const lt = rs.map((r) => r.longest);
    const n = rs.map((r) => r.over50);
    console.log(`${name} | ${rs.length} | ${Math.round(med(ms))}; ${ms.map(Math.round).join(', ')} | ${Math.round(med(lt))}; ${Math.round(Math.max(...lt))} | ${med(n)}; ${Math.max(...n)}`);
  }
}
