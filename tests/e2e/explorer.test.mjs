// The power user's explorer: filters (values, range, free text) with the live count and
// removable chips, sorting and profiling columns, every chart kind, grouping, pivot, the four
// exports (checked byte by byte), and a generated 1M-row file (load, virtualised scrolling,
// latencies of a filter and a grouping, longest main-thread task).
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/explorer.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsv } from './csv.mjs';
import { bigCsv } from '../../scripts/gen_big_csv.mjs';
import {
  useLoupe, openReady, testIdText, waitTextChange, selectOptions, rowTexts, digits, WWW, SCREENSHOTS, WIDE, NARROW,
} from './harness.mjs';

// Records the longest main-thread task of the page (reset with window.__loupeLongest = 0).
function longTaskObserver() {
  window.__loupeLongest = 0;
  window.__loupeLongTasks = 0;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__loupeLongTasks += 1;
        window.__loupeLongest = Math.max(window.__loupeLongest, e.duration);
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__loupeLongest = -1; // Not supported.
  }
}

const t = useLoupe({ acceptDownloads: true, initScripts: [longTaskObserver] });

const DECP = 'decp-travaux-2024';
const DECP_ROWS = parseCsv(readFileSync(join(WWW, 'data', 'decp_2024h2_travaux.csv'), 'utf8'));
const col = (name) => DECP_ROWS.header.indexOf(name);

const byId = (id) => t.page.locator(`[data-testid="${id}"]`);
const matchCount = async () => digits((await byId('match-count').locator('strong').textContent()) ?? '');

async function openPower(src = DECP, worker = undefined) {
  await openReady(t.loupe, t.url({ src, persona: 'power', worker }));
  await t.loupe.waitForChartInk();
}

/** Waits until the live count shows `n` matching rows. */
async function waitMatchCount(n) {
  await t.page.waitForFunction(
    (want) => {
      const s = document.querySelector('[data-testid="match-count"] strong');
      return s && Number(s.textContent.replace(/\D/g, '')) === want;
    },
    n,
  );
}

describe('filters (persona=power, DECP)', () => {
  test('a text multi-select filter updates the count and shows a removable chip', async () => {
    await openPower();
    const total = DECP_ROWS.rows.length;
    assert.equal(await matchCount(), total, 'count before any filter');
    assert.equal(await byId('match-count').getAttribute('role'), 'status', 'match-count is a live status');

    await byId('filter-column').selectOption('procedure');
    await byId('value-search').fill('adapt');
    const boxes = byId('value-list').locator('input[type="checkbox"]');
    await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1);
    const label = await byId('value-list').locator('label').first().evaluate((l) => l.firstChild.textContent.trim());
    assert.equal(label, 'Procédure adaptée', 'value search keeps the matching value');
    await boxes.first().check();
    // A second value: search again, tick it too.
    await byId('value-search').fill('ouvert');
    await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1);
    await boxes.first().check();
    await byId('apply-filter').click();

    const want = DECP_ROWS.rows.filter((r) => ['Procédure adaptée', "Appel d'offres ouvert"].includes(r[col('procedure')])).length;
    await waitMatchCount(want);
    const chips = byId('filter-chip');
    assert.equal(await chips.count(), 1, 'one chip');
    const chipText = await chips.first().textContent();
    assert.ok(chipText.includes('procedure') && chipText.includes('Procédure adaptée'), `chip text: ${chipText}`);
    assert.ok((await t.loupe.waitForChartInk()) > 0);

    await chips.first().getByRole('button').click();
    await waitMatchCount(total);
    assert.equal(await chips.count(), 0, 'the chip is removed');
  });

  test('a numeric range filter (range-min / range-max)', async () => {
    await openPower();
    await byId('filter-column').selectOption('montant');
    await byId('range-min').fill('100000');
    await byId('range-min').press('Tab');
    await byId('range-max').fill('500000');
    await byId('range-max').press('Tab');
    await byId('apply-filter').click();
    const want = DECP_ROWS.rows.filter((r) => {
      const m = Number(r[col('montant')]);
      return r[col('montant')] !== '' && m >= 100000 && m <= 500000;
    }).length;
    await waitMatchCount(want);
    const chip = await byId('filter-chip').first().textContent();
    assert.match(chip, /montant/, `chip: ${chip}`);
  });

  test('free-text search', async () => {
    await openPower();
    const needle = 'Chambon';
    await byId('text-search').fill(needle);
    await byId('text-search').press('Enter');
    await byId('filter-chip').first().waitFor();
    const n = await matchCount();
    const lower = needle.toLowerCase();
    const anyCell = DECP_ROWS.rows.filter((r) => r.some((c) => c.toLowerCase().includes(lower))).length;
    assert.ok(n > 0 && n < DECP_ROWS.rows.length, `search count ${n}`);
    assert.equal(n, anyCell, 'rows whose text contains the search (any column, any case)');
  });
});

describe('table, profile, chart kinds, group, pivot (persona=power, DECP)', () => {
  test('sorting by a header changes the first row; profile shows missing and distinct', async () => {
    await openPower();
    // Cells' text joined by tabs (`innerText` is empty while the panel is away from the
    // viewport and not laid out).
    const rowText = () => {
      const r = document.querySelector('[data-testid="data-table"] tr.vt-row');
      return r ? [...r.cells].map((c) => c.textContent.trim()).join('\t') : null;
    };
    const firstRow = () => t.page.evaluate(rowText);
    const before = await firstRow();
    assert.ok(before, 'a first row');
    const montantHeader = t.page.locator('button.th-sort', { hasText: /^montant/ });
    await montantHeader.click();
    const changedFrom = (b) => {
      const r = document.querySelector('[data-testid="data-table"] tr.vt-row');
      return r !== null && [...r.cells].map((c) => c.textContent.trim()).join('\t') !== b;
    };
    await t.page.waitForFunction(changedFrom, before);
    const asc = await firstRow();
    await montantHeader.click();
    await t.page.waitForFunction(changedFrom, asc);
    const desc = await firstRow();
    const max = Math.max(...DECP_ROWS.rows.map((r) => Number(r[col('montant')])));
    const cells = desc.split('\t');
    assert.equal(Number(cells[col('montant') + 1].replace(/[\s\u202f\u00a0]/g, '').replace(',', '.')), max, `descending first row: ${desc}`);
    assert.equal(await t.page.locator('th[aria-sort="descending"]').count(), 1, 'aria-sort on the sorted header');

    await t.page.locator('button.th-profile[aria-label$=": procedure"]').click();
    const card = byId('profile-card');
    await card.waitFor();
    const stats = await card.locator('dl.stats').evaluate((dl) => {
      const out = {};
      const dts = dl.querySelectorAll('dt');
      for (const dt of dts) out[dt.textContent.trim()] = dt.nextElementSibling.textContent.trim();
      return out;
    });
    const missing = Object.entries(stats).find(([k]) => /manquant|missing/i.test(k));
    const distinct = Object.entries(stats).find(([k]) => /distinct/i.test(k));
    assert.ok(missing && distinct, `profile stats: ${JSON.stringify(stats)}`);
    assert.equal(digits(missing[1]), 14, 'missing procedures');
    assert.equal(digits(distinct[1]), 7, 'distinct procedures');
  });

  test('every chart kind draws', async () => {
    await openPower();
    const kinds = await selectOptions(byId('chart-kind'));
    assert.ok(kinds.length >= 8, `chart kinds: ${kinds.map((k) => k.value)}`);
    const chart = await byId('chart').elementHandle();
    const seen = {};
    const blank = [];
    for (const { value } of kinds) {
      if (value === (await byId('chart-kind').inputValue())) {
        await byId('chart-kind').selectOption(kinds.find((k) => k.value !== value).value);
        await t.loupe.waitForChartInk();
      }
      // Blank the canvas first, so the ink found afterwards is the new drawing.
      await chart.evaluate((c) => c.getContext('2d').clearRect(0, 0, c.width, c.height));
      await byId('chart-kind').selectOption(value);
      seen[value] = await t.loupe.waitForChartInk(5_000).catch(() => 0);
      const summary = await testIdText(t.page, 'chart-summary');
      if (!(seen[value] > 0) || !summary || /inconnue|unknown|erreur|error/i.test(summary)) {
        blank.push(`${value} (summary: ${summary})`);
        await t.page.locator('section.chart-panel').screenshot({ path: join(SCREENSHOTS, `bug-chart-kind-${value}.png`) });
      }
    }
    console.log(`chart ink per kind: ${JSON.stringify(seen)}`);
    assert.deepEqual(blank, [], 'chart kinds that draw nothing or report an error');
  });

  test('the chart is redrawn at its box\'s width when the window narrows and widens', async () => {
    // The width is kept by a ResizeObserver after the first drawing (not read again in every
    // redraw): a resize must still redraw the chart at the new width, and a phone's height.
    await openPower();
    const size = () => byId('chart').evaluate((c) => [c.width, c.height, c.parentElement.clientWidth]);
    const [w0, h0, box0] = await size();
    assert.equal(w0, Math.min(1400, Math.max(280, box0)), 'drawn at its box\'s width');
    assert.equal(h0, 440);
    try {
      await t.page.setViewportSize(NARROW);
      await t.page.waitForFunction(
        (c) => c.width === Math.min(1400, Math.max(280, c.parentElement.clientWidth)) && c.height === 340,
        await byId('chart').elementHandle(),
      );
      const [w1, , box1] = await size();
      assert.ok(box1 < 390 && w1 === Math.max(280, box1), `narrow: canvas ${w1} in a box of ${box1}`);
      // Drawn again, not only resized (a resized canvas is blank).
      assert.ok((await t.loupe.waitForChartInk(5_000)) > 0);
    } finally {
      await t.page.setViewportSize(WIDE);
    }
    await t.page.waitForFunction(
      (c) => c.width === Math.min(1400, Math.max(280, c.parentElement.clientWidth)) && c.height === 440,
      await byId('chart').elementHandle(),
    );
    assert.ok((await t.loupe.waitForChartInk(5_000)) > 0);
    // The box narrowed by the page, the window unchanged (a window listener would miss it).
    await byId('chart').evaluate((c) => { c.parentElement.style.maxWidth = '450px'; });
    try {
      await t.page.waitForFunction(
        (c) => c.parentElement.clientWidth <= 450 && c.width === Math.max(280, c.parentElement.clientWidth) && c.height === 340,
        await byId('chart').elementHandle(),
      );
      assert.ok((await t.loupe.waitForChartInk(5_000)) > 0);
    } finally {
      await byId('chart').evaluate((c) => { c.parentElement.style.maxWidth = ''; });
    }
    await t.page.waitForFunction(
      (c) => c.width === Math.min(1400, Math.max(280, c.parentElement.clientWidth)) && c.height === 440,
      await byId('chart').elementHandle(),
    );
  });

  test('group panel renders the grouped table', async () => {
    await openPower();
    await byId('group-by').selectOption(['procedure']);
    await byId('group-measure').selectOption('montant');
    const table = byId('group-table');
    await table.waitFor();
    await t.page.waitForFunction(() => document.querySelector('[data-testid="group-table"] thead')?.textContent.includes('montant'));
    const head = await table.locator('thead th').allTextContents();
    const body = await rowTexts(table.locator('tbody tr'));
    const sums = {};
    for (const r of DECP_ROWS.rows) sums[r[col('procedure')]] = (sums[r[col('procedure')]] ?? 0) + Number(r[col('montant')]);
    const top = Object.entries(sums).sort((a, b) => b[1] - a[1])[0];
    assert.equal(body.length, Object.keys(sums).length, `one row per procedure: ${body.join(' | ')} (head ${head})`);
    assert.equal(body[0].split('\t')[0], top[0], 'largest group first');
  });

  test('a long grouped table renders only the rows near its viewport, and scrolls through every group', async () => {
    await openPower();
    // Contracts per buyer's département, counted from the file (102 codes; the group of an
    // empty code shows an empty cell).
    const want = new Map();
    for (const r of DECP_ROWS.rows) {
      const k = r[col('acheteur_departement_code')];
      want.set(k, (want.get(k) ?? 0) + 1);
    }
    assert.equal(want.size, 102);
    await byId('group-by').selectOption(['acheteur_departement_code']);
    const table = byId('group-table');
    await table.waitFor();
    assert.equal(await table.getAttribute('aria-rowcount'), '103', 'the header and one row per département');
    const rendered = () => table.evaluate((t) => [...t.querySelectorAll('tbody tr.vt-row')].map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    const first = await rendered();
    assert.ok(first.length >= 10 && first.length <= 40, `${first.length} rows in the DOM of 102`);
    // Scroll through the viewport, a few rows at a time, and collect every row rendered.
    const seen = new Map();
    const viewport = byId('group-table-viewport');
    for (let top = 0, end = false; !end;) {
      for (const r of await rendered()) seen.set(r[0], digits(r[1]));
      end = await viewport.evaluate((el, y) => {
        el.scrollTop = y;
        return el.scrollTop + el.clientHeight >= el.scrollHeight - 1 && y > el.scrollTop;
      }, top += 250);
      await t.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    for (const r of await rendered()) seen.set(r[0], digits(r[1]));
    assert.deepEqual([...seen.entries()].sort(), [...want.entries()].sort(), 'every département once, with its count from the file');
  });

  test('pivot: every cell, row total, column total and the grand total match the file', async () => {
    await openPower();
    // Expected values from the CSV itself (csv.mjs, a hand-written reader), never from Loupe:
    // sums of montant in exact cents per (procedure, acheteur_region_code), per row, per
    // column and overall. An empty key is Loupe's "(vide)"; a pair with no contract is an
    // empty cell for a sum and 0 for a count (src/core/query/pivot.rs documents both).
    const EMPTY = '(vide)';
    const key = (v) => (v === '' ? EMPTY : v);
    const toCents = (s) => {
      const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s);
      assert.ok(m, `montant ${s} has at most two decimals`);
      return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0')));
    };
    const want = { cells: new Map(), rowTot: new Map(), colTot: new Map(), grand: 0, n: new Map(), rowN: new Map(), colN: new Map() };
    const add = (map, k, v) => map.set(k, (map.get(k) ?? 0) + v);
    for (const r of DECP_ROWS.rows) {
      const rk = key(r[col('procedure')]);
      const ck = key(r[col('acheteur_region_code')]);
      const c = toCents(r[col('montant')]);
      add(want.cells, `${rk}|${ck}`, c);
      add(want.rowTot, rk, c);
      add(want.colTot, ck, c);
      want.grand += c;
      add(want.n, `${rk}|${ck}`, 1);
      add(want.rowN, rk, 1);
      add(want.colN, ck, 1);
    }
    // Keys in ascending order, "(vide)" last, then the "Total" row / column.
    const sorted = (keys) => [...keys].filter((k) => k !== EMPTY).sort().concat(keys.has(EMPTY) ? [EMPTY] : []);
    const rowKeys = sorted(new Set(want.rowTot.keys()));
    const colKeys = sorted(new Set(want.colTot.keys()));
    // Sanity of the expectation itself (python3 on the CSV gives the same):
    // 8 procedures incl. (vide), 21 region codes incl. (vide), 12 931 447 719,15 EUR.
    assert.equal(rowKeys.length, 8);
    assert.equal(colKeys.length, 21);
    assert.equal(want.grand, 1_293_144_771_915);

    await byId('pivot-rows').selectOption('procedure');
    await byId('pivot-columns').selectOption('acheteur_region_code');
    await byId('pivot-measure').selectOption('montant');
    const table = byId('pivot-table');
    await table.waitFor();

    /** One page of the pivot as shown: header texts and, per row header, the cell texts. */
    const shownPage = () => table.evaluate((t) => ({
      head: [...t.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
      rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim())),
    }));
    /**
     * The whole pivot: its 22 value columns (21 regions and the total) are shown by pages of
     * 12 beside the row labels, so every page is read, from the first, and put side by side.
     */
    const status = byId('pivot-table-columns');
    const shown = async () => {
      assert.equal((await status.textContent()).replace(/\s/g, ' '), 'Colonnes 1 à 12 sur 22');
      const all = await shownPage();
      assert.equal(all.head.length, 13, 'the row labels and 12 value columns');
      assert.ok(await byId('pivot-table-columns-previous').isDisabled());
      for (const want of ['Colonnes 13 à 22 sur 22']) {
        await byId('pivot-table-columns-next').click();
        await t.page.waitForFunction((w) => document.querySelector('[data-testid="pivot-table-columns"]')?.textContent.replace(/\s/g, ' ') === w, want);
        const page = await shownPage();
        assert.equal(page.head[0], all.head[0], 'the row labels on every page');
        all.head.push(...page.head.slice(1));
        page.rows.forEach((r, i) => {
          assert.equal(r[0], all.rows[i][0], 'the same rows on every page');
          all.rows[i].push(...r.slice(1));
        });
      }
      assert.ok(await byId('pivot-table-columns-next').isDisabled(), 'no page after the last');
      return all;
    };
    /** A French-formatted amount ("1 234 567,89", narrow no-break spaces) in cents; null if empty. */
    const shownCents = (text) => {
      const s = text.replace(/[\s\u202f\u00a0]/g, '');
      if (s === '') return null;
      assert.match(s, /^-?\d+(,\d+)?$/, `cell text ${text}`);
      return Math.round(Number(s.replace(',', '.')) * 100);
    };
    /**
     * Waits until the total row's first value cell (the first region's total, on the first page
     * of columns) shows `value`: the table is re-rendered on each select.
     */
    const waitTotal = (value, parse) => t.page.waitForFunction(
      ([v, isCount]) => {
        const rows = document.querySelectorAll('[data-testid="pivot-table"] tbody tr');
        const last = rows[rows.length - 1]?.children[1]?.textContent ?? '';
        const s = last.replace(/[\s\u202f\u00a0]/g, '');
        if (s === '') return false;
        return isCount ? Number(s) === v : Math.round(Number(s.replace(',', '.')) * 100) === v;
      },
      [value, parse === 'count'],
    ).catch(() => {}); // On a timeout, the assertions below say what differs.

    /** Compares the whole table with the expectation; returns the list of differences. */
    const compare = (got, expected, parse) => {
      const diffs = [];
      assert.deepEqual(got.head, ['procedure', ...colKeys, 'Total'], 'pivot header: region codes ascending, (vide), Total');
      assert.deepEqual(got.rows.map((r) => r[0]), [...rowKeys, 'Total'], 'pivot row headers: procedures ascending, (vide), Total');
      for (const row of got.rows) {
        const rk = row[0];
        row.slice(1).forEach((text, j) => {
          const ck = got.head[j + 1];
          let want;
          if (rk === 'Total' && ck === 'Total') want = expected.grand;
          else if (rk === 'Total') want = expected.col.get(ck);
          else if (ck === 'Total') want = expected.row.get(rk);
          else want = expected.cell.get(`${rk}|${ck}`) ?? expected.none;
          const value = parse(text);
          if (value !== want) diffs.push(`[${rk}][${ck}]: page ${JSON.stringify(text)}, file ${want}`);
        });
      }
      return diffs;
    };

    await waitTotal(want.colTot.get(colKeys[0]), 'sum');
    const sums = await shown();
    const sumDiffs = compare(sums, { cell: want.cells, row: want.rowTot, col: want.colTot, grand: want.grand, none: null }, shownCents);
    // A few cells named explicitly, so that a reader sees what is checked (all are, above).
    // The row totals and the grand total are also literals, from a separate script:
    // python3 -c "import csv,collections as c;from decimal import Decimal as D;g=c.Counter()
    //   for r in csv.DictReader(open('www/data/decp_2024h2_travaux.csv')): g[r['procedure']]+=D(r['montant'])
    //   print(g, sum(g.values()))"
    const cell = (rk, ck) => shownCents(sums.rows.find((r) => r[0] === rk)[sums.head.indexOf(ck)]);
    assert.equal(cell('Procédure adaptée', '84'), want.cells.get('Procédure adaptée|84'), 'cell Procédure adaptée x 84');
    assert.equal(cell('Procédure adaptée', 'Total'), 391_701_092_644, 'row total Procédure adaptée = 3 917 010 926,44');
    assert.equal(cell('(vide)', 'Total'), 220_363_245, 'row total (vide) = 2 203 632,45');
    assert.equal(cell('Total', 'Total'), 1_293_144_771_915, 'grand total = 12 931 447 719,15');
    assert.deepEqual(sumDiffs, [], `pivot sums that differ from the file (${sumDiffs.length}):\n${sumDiffs.join('\n')}`);

    // The same pivot as a count of rows: every cell of a count is a number (0 when empty).
    await byId('pivot-measure').selectOption('');
    await waitTotal(want.colN.get(colKeys[0]), 'count');
    const counts = await shown();
    const countDiffs = compare(
      counts,
      { cell: want.n, row: want.rowN, col: want.colN, grand: DECP_ROWS.rows.length, none: 0 },
      (text) => digits(text) ?? null,
    );
    assert.deepEqual(countDiffs, [], `pivot counts that differ from the file (${countDiffs.length}):\n${countDiffs.join('\n')}`);
  });
});

/** The chart data table (opened), as header + rows of cell texts. */
async function chartDataTable() {
  await t.page.locator('details.chart-data').evaluate((d) => { d.open = true; });
  return byId('chart-data-table').evaluate((table) => ({
    header: [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim()),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent.trim())),
  }));
}

/** A French-formatted or plain number as a JS number, or null for text. */
function num(text) {
  const s = String(text).replace(/[\s\u202f\u00a0]/g, '');
  if (!/^-?\d+([.,]\d+)?(e-?\d+)?$/i.test(s)) return null;
  return Number(s.replace(',', '.'));
}

async function download(testid) {
  const [dl] = await Promise.all([t.page.waitForEvent('download'), byId(testid).click()]);
  const failure = await dl.failure();
  assert.equal(failure, null, `${testid}: download failed`);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

describe('exports (persona=power)', () => {
  test('CSV, Excel FR, PNG and SVG of the chart', async () => {
    await openPower();
    // Mean amount by procedure: short labels (one with an apostrophe) and decimal values.
    await byId('chart-kind').selectOption('ranking');
    await byId('chart-x').selectOption('procedure');
    await byId('chart-y').selectOption('montant');
    await byId('chart-agg').selectOption('Mean');
    await t.page.waitForFunction(() => document.querySelector('[data-testid="chart-data-table"] thead')?.textContent.includes('procedure'));
    await t.loupe.waitForChartInk();
    const shown = await chartDataTable();
    assert.ok(shown.rows.length > 1, 'chart data table is empty');

    const csv = await download('export-csv');
    assert.match(csv.name, /\.csv$/);
    const text = csv.bytes.toString('utf8');
    const parsed = parseCsv(text.replace(/^\uFEFF/, ''));
    assert.equal(parsed.separator, ',', 'standard CSV is comma-separated');
    assert.deepEqual(parsed.header, shown.header, 'CSV header = chart data table header');
    assert.equal(parsed.rows.length, shown.rows.length, 'CSV rows = chart data table rows');
    parsed.rows.forEach((row, i) => {
      row.forEach((cell, j) => {
        const a = num(cell);
        const b = num(shown.rows[i][j]);
        if (a !== null && b !== null) {
          assert.ok(Math.abs(a - b) <= Math.max(1, Math.abs(b) * 1e-4), `row ${i} col ${j}: CSV ${cell} vs table ${shown.rows[i][j]}`);
        } else {
          assert.equal(cell === '' ? '∅' : cell, shown.rows[i][j] === '' ? '∅' : shown.rows[i][j], `row ${i} col ${j}`);
        }
      });
    });

    const fr = await download('export-csv-fr');
    assert.deepEqual([...fr.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'Excel FR starts with a UTF-8 BOM');
    const frText = fr.bytes.subarray(3).toString('utf8');
    const frParsed = parseCsv(frText);
    assert.equal(frParsed.separator, ';', 'Excel FR uses ;');
    assert.deepEqual(frParsed.header, shown.header, 'Excel FR header');
    const measures = frParsed.rows.map((r) => r[1]);
    assert.ok(measures.some((m) => /^\d+,\d+$/.test(m.replace(/[\s\u202f\u00a0]/g, ''))), `decimal commas: ${measures.join(' | ')}`);
    assert.ok(!measures.some((m) => /\d\.\d/.test(m)), `no decimal points: ${measures.join(' | ')}`);
    assert.equal(frParsed.rows.length, shown.rows.length, 'Excel FR rows');

    const png = await download('export-png');
    assert.deepEqual([...png.bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.ok(png.bytes.length > 2000, `PNG is ${png.bytes.length} bytes`);

    const svg = await download('export-svg');
    const svgText = svg.bytes.toString('utf8');
    const parsedSvg = await t.page.evaluate((s) => {
      const doc = new DOMParser().parseFromString(s, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        text: [...doc.querySelectorAll('text')].map((n) => n.textContent).join('\n'),
      };
    }, svgText);
    assert.equal(parsedSvg.error, null, 'SVG parses');
    assert.equal(parsedSvg.root, 'svg');
    for (const label of shown.rows.map((r) => r[0]).filter((l) => l && l !== '∅')) {
      const short = label.slice(0, 12);
      assert.ok(parsedSvg.text.includes(short), `SVG lacks the label «${label}»`);
    }
  });
});

describe('a generated 1M-row file', () => {
  test('loads, scrolls virtualised, filters and groups', { timeout: 300_000 }, async () => {
    const path = await bigCsv(1_000_000);
    // The page's own engine (worker=0): a 60 MB file would go to the worker, whose table pages
    // instead of scrolling (tests/e2e/bigfile.test.mjs covers that engine).
    await openPower('lfi-2026-credits', '0');
    await t.page.evaluate(() => { window.__loupeLongest = 0; window.__loupeLongTasks = 0; });

    const t0 = Date.now();
    await t.loupe.upload(path);
    await t.loupe.waitForCounts(1_000_000, 4, 120_000);
    const loadMs = Date.now() - t0;
    await t.loupe.waitForChartInk(120_000);
    const drawnMs = Date.now() - t0;
    const longest = await t.page.evaluate(() => [window.__loupeLongest, window.__loupeLongTasks]);
    console.log(`1M rows: ready after ${loadMs} ms, chart drawn after ${drawnMs} ms; longest main-thread task ${Math.round(longest[0])} ms (${longest[1]} long tasks)`);
    assert.equal(await t.loupe.rows(), 1_000_000);

    // Virtualised table: a handful of rows in the DOM wherever we scroll.
    const viewport = byId('table-viewport');
    const rowNumbers = () => t.page.evaluate(() => [...document.querySelectorAll('[data-testid="data-table"] tr.vt-row td.row-num')].map((td) => Number(td.textContent.replace(/\D/g, ''))));
    const scrollTo = async (fraction, near) => {
      await viewport.evaluate((el, f) => { el.scrollTop = (el.scrollHeight - el.clientHeight) * f; }, fraction);
      await t.page.waitForFunction((n) => {
        const nums = [...document.querySelectorAll('[data-testid="data-table"] tr.vt-row td.row-num')].map((td) => Number(td.textContent.replace(/\D/g, '')));
        return nums.some((x) => Math.abs(x - n) <= 50);
      }, near);
      const nums = await rowNumbers();
      assert.ok(nums.length > 0 && nums.length < 100, `${nums.length} rows rendered at ${fraction}`);
      return nums;
    };
    const mid = await scrollTo(0.5, 500_000);
    const end = await scrollTo(1, 1_000_000);
    assert.ok(end.includes(1_000_000), `last row shown at the end: ${end.slice(-3)}`);
    console.log(`1M rows: rendered rows mid ${mid.length} (${mid[0]}…${mid.at(-1)}), end ${end.length} (${end[0]}…${end.at(-1)})`);
    await t.page.screenshot({ path: join(SCREENSHOTS, 'explorer-1m-1280.png') });

    // Filter latency: apply a one-value filter, until the chart summary and the count change.
    await byId('filter-column').selectOption('ministere');
    await byId('value-search').fill('Armées');
    await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="value-list"] input[type="checkbox"]').length === 1);
    await byId('value-list').locator('input[type="checkbox"]').first().check();
    const filterMs = await t.page.evaluate(() => new Promise((resolve) => {
      const summary = document.querySelector('[data-testid="chart-summary"]');
      const count = document.querySelector('[data-testid="match-count"]');
      const s0 = summary.textContent;
      const c0 = count.textContent;
      const t0 = performance.now();
      const check = () => {
        if (summary.isConnected && summary.textContent !== s0 && count.textContent !== c0) {
          requestAnimationFrame(() => resolve(performance.now() - t0));
          return true;
        }
        return false;
      };
      const obs = new MutationObserver(() => { if (check()) obs.disconnect(); });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      document.querySelector('[data-testid="apply-filter"]').click();
      if (check()) obs.disconnect();
    }));
    const filtered = await matchCount();
    assert.ok(filtered > 0 && filtered < 1_000_000, `filtered count ${filtered}`);
    console.log(`1M rows: filter -> redrawn chart ${Math.round(filterMs)} ms (${filtered} rows match)`);

    // Grouping latency: group by region with the sum of montant, until the group table shows.
    const groupMs = await t.page.evaluate(() => new Promise((resolve) => {
      const t0 = performance.now();
      const done = () => document.querySelector('[data-testid="group-table"]');
      const obs = new MutationObserver(() => {
        if (done()) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
      });
      obs.observe(document.body, { subtree: true, childList: true });
      const sel = document.querySelector('[data-testid="group-by"]');
      for (const o of sel.options) o.selected = o.value === 'region';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }));
    console.log(`1M rows: group-by region -> group table ${Math.round(groupMs)} ms`);
    // Chart category change (the chart regroups by region), until its summary changes.
    const chartGroupMs = await t.page.evaluate(() => new Promise((resolve) => {
      const summary = document.querySelector('[data-testid="chart-summary"]');
      const s0 = summary.textContent;
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if (summary.textContent !== s0) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
      });
      obs.observe(summary, { subtree: true, childList: true, characterData: true });
      const sel = document.querySelector('[data-testid="chart-x"]');
      sel.value = 'region';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
    }));
    console.log(`1M rows: chart grouped by region -> redrawn chart ${Math.round(chartGroupMs)} ms`);
    assert.ok((await t.loupe.waitForChartInk()) > 0);
    const groupRows = await byId('group-table').locator('tbody tr').count();
    assert.equal(groupRows, 18, 'one group per region');
    const longestAfter = await t.page.evaluate(() => window.__loupeLongest);
    console.log(`1M rows: longest main-thread task over the whole test ${Math.round(longestAfter)} ms`);
  });
});
