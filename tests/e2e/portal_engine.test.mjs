// Portal engine (issue 10): a portal dataset computed by its portal. The same views are opened
// in both engines and must show the same numbers; the expected figures also come from plain
// loops over the stand-in's CSV file here (never from Loupe); no request downloads the
// dataset; a user action costs a few requests; the JS API answers as the browser engine does.
//
//   node --test tests/e2e/portal_engine.test.mjs

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { useLoupe, LOAD_TIMEOUT } from './harness.mjs';
import { startPortal, parseCsv } from '../portal/standin.mjs';
import { BUDGET, DATASETS } from '../portal/fixtures.mjs';

const t = useLoupe({ viewport: { width: 1280, height: 900 } });
let portal;
let big;
let tmp;

/** A generated dataset just above the automatic threshold (200 000 records). */
const BIG = {
  id: 'marches-big',
  metas: {
    title: 'Marchés (jeu volumineux)',
    description: '<p>Jeu généré pour les tests.</p>',
    publisher: 'Tests',
    license: 'Licence Ouverte v2.0 (Etalab)',
    modified: '2026-01-01T00:00:00+00:00',
    keyword: [],
    theme: [],
  },
  fields: [
    { name: 'dep', label: 'Département', type: 'text', description: null },
    { name: 'annee', label: 'Année', type: 'int', description: null },
    { name: 'montant', label: 'Montant', type: 'double', description: null },
  ],
};
const BIG_ROWS = 210_000;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'loupe-portal-engine-'));
  const deps = ['01', '2A', '13', '59', '75', '974'];
  const lines = ['dep;annee;montant'];
  for (let i = 0; i < BIG_ROWS; i++) {
    lines.push(`${deps[i % deps.length]};${2020 + (i % 5)};${(i % 1000) + 0.5}`);
  }
  BIG.file = join(tmp, 'marches-big.csv');
  writeFileSync(BIG.file, lines.join('\n') + '\n');
  portal = await startPortal({ datasets: [...DATASETS, BIG] });
  big = { deps };
});

after(async () => {
  await portal?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  portal.setQuotaExceeded(null);
  portal.requests.length = 0;
});

const pageUrl = (id) => `${portal.url}/explore/dataset/${id}/`;
const viewParam = (view) => Buffer.from(JSON.stringify({ v: 1, ...view })).toString('base64url');

/** The budget fixture's rows, read here from its CSV. */
const budgetRows = () => {
  const { header, rows } = parseCsv(readFileSync(BUDGET.file, 'utf8'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
};
const num = (s) => (s === '' || s == null ? null : Number(String(s).replace(',', '.')));

async function open(params) {
  await t.page.goto(t.url(params), { waitUntil: 'domcontentloaded' });
  const state = await t.loupe.waitSettled();
  assert.equal(state, 'ready');
}

/** Text of every cell of a table, by rows. */
const tableText = (testid) =>
  t.page.evaluate((id) => {
    for (const d of document.querySelectorAll('details')) d.open = true;
    const table = document.querySelector(`[data-testid="${id}"]`);
    if (!table) return null;
    // Spacer rows stand for the rows a virtualised table does not render.
    return [...table.querySelectorAll('tbody tr:not(.vt-spacer)')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()));
  }, testid);

/** Every request Loupe sent to the portal that returns data rows (not metadata). */
const dataRequests = () => portal.requests.filter((r) => /\/(records|exports\/csv)$/.test(r.path));

/** An export that would send every record: no limit, no select, no group_by. */
const isFullDownload = (r) =>
  r.path.endsWith('/exports/csv') && !r.query.limit && !r.query.select && !r.query.group_by;

describe('the portal engine', () => {
  const view = {
    filters: [{ op: 'in', column: 'nature', values: ['Investissement'] }],
    chart: { kind: 'ranking', x: 'departement', y: 'montant' },
    agg: 'sum',
    top: 5,
    group: { by: ['annee'], aggregates: [{ op: 'count', as: 'n' }, { op: 'mean', column: 'montant', as: 'moyenne' }] },
    pivot: { rows: 'annee', columns: 'nature', value: { op: 'sum', column: 'montant' } },
  };

  test('opens with the portal record count, computes every panel on the portal, never downloads the dataset', async () => {
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'power', view: viewParam(view) });
    assert.equal(await t.loupe.byTestId('engine').getAttribute('data-engine'), 'portal');
    assert.equal(await t.loupe.rows(), 1500);
    assert.equal(portal.requests.filter(isFullDownload).length, 0, JSON.stringify(portal.requests));
    // The first records only, for the schema.
    const sample = portal.requests.filter((r) => r.path.endsWith('/exports/csv') && r.query.limit === '100');
    assert.equal(sample.length, 1);

    // Filtered count, from the CSV.
    const rows = budgetRows();
    const inv = rows.filter((r) => r.nature === 'Investissement');
    const match = await t.loupe.byTestId('match-count').textContent();
    assert.equal(Number(match.replace(/\D/g, '').slice(0, String(inv.length).length)), inv.length, match);

    // The chart's top 5 départements by sum, then "Autres" = the rest, from the CSV.
    const sums = new Map();
    for (const r of inv) {
      const k = r.departement === '' ? null : r.departement;
      sums.set(k, (sums.get(k) ?? 0) + (num(r.montant) ?? 0));
    }
    const ranked = [...sums.entries()].sort((a, b) => b[1] - a[1]);
    const chart = await tableText('chart-data-table');
    assert.ok(chart, 'chart data table');
    const names = chart.map((r) => r[0]);
    assert.deepEqual(names.slice(0, 5), ranked.slice(0, 5).map(([k]) => k));
    assert.equal(names[5], 'Autres');
    const autres = ranked.slice(5).reduce((s, [, v]) => s + v, 0);
    const shown = num(chart[5][1].replace(/[^\d,-]/g, ''));
    assert.ok(Math.abs(shown - Math.round(autres)) <= 1, `Autres ${shown} vs ${autres}`);

    // Group by year: counts from the CSV.
    const group = await tableText('group-table');
    for (const row of group) {
      const year = row[0];
      const n = inv.filter((r) => r.annee === year).length;
      assert.equal(Number(row[1].replace(/\D/g, '')), n, `year ${year}`);
    }
  });

  test('every panel shows the same numbers in both engines', async () => {
    const panels = ['chart-data-table', 'group-table', 'pivot-table'];
    const shown = {};
    for (const engine of ['browser', 'portal']) {
      await open({ src: pageUrl(BUDGET.id), engine, persona: 'power', view: viewParam(view) });
      shown[engine] = {};
      for (const p of panels) shown[engine][p] = await tableText(p);
      shown[engine].count = await t.loupe.byTestId('match-count').textContent();
      shown[engine].summary = await t.loupe.byTestId('chart-summary').textContent();
    }
    for (const p of panels) {
      assert.ok(shown.portal[p]?.length > 0, `${p} shown`);
      assert.deepEqual(shown.portal[p], shown.browser[p], p);
    }
    assert.equal(shown.portal.count, shown.browser.count);
    assert.equal(shown.portal.summary, shown.browser.summary);
  });

  test('a text search is counted exactly (the portal only has full-text search)', async () => {
    const search = { filters: [{ op: 'contains', column: 'commune', value: 'saint' }] };
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'power', view: viewParam(search) });
    const strip = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const n = budgetRows().filter((r) => strip(r.commune).includes('saint')).length;
    assert.ok(n > 0);
    const match = await t.loupe.byTestId('match-count').textContent();
    assert.ok(match.replace(/\s/g, '').startsWith(String(n)), `${match} vs ${n}`);
    // Computed from the one column it needs, never the whole dataset.
    assert.equal(portal.requests.filter(isFullDownload).length, 0);
    assert.ok(dataRequests().some((r) => r.query.select === 'commune'), JSON.stringify(dataRequests()));
  });

  test('the table pages through the records in the order asked', async () => {
    const sorted = { table_sort: { column: 'montant', desc: true } };
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'power', view: viewParam(sorted) });
    await t.page.waitForFunction(() => /1 à 100/.test(document.querySelector('[data-testid="portal-page"]')?.textContent ?? ''));
    const amounts = budgetRows().map((r) => num(r.montant)).filter((v) => v !== null).sort((a, b) => b - a);
    const firstCell = async () => {
      const rows = await tableText('data-table');
      const i = 1 + BUDGET.fields.findIndex((f) => f.name === 'montant');
      return num(rows[0][i].replace(/[^\d,-]/g, ''));
    };
    assert.ok(Math.abs((await firstCell()) - amounts[0]) < 0.01);
    const before = dataRequests().length;
    await t.loupe.byTestId('page-next').click();
    await t.page.waitForFunction(() => /101 à 200/.test(document.querySelector('[data-testid="portal-page"]')?.textContent ?? ''), null, { timeout: LOAD_TIMEOUT });
    assert.ok(Math.abs((await firstCell()) - amounts[100]) < 0.01);
    assert.equal(dataRequests().length - before, 1, 'one request per page');
  });

  test('a column profile is computed by the portal from every value', async () => {
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'power' });
    const i = BUDGET.fields.findIndex((f) => f.name === 'chapitre');
    await t.loupe.table.locator('thead th').nth(i + 1).locator('.th-profile').click();
    const card = t.loupe.byTestId('profile-card');
    await t.page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="profile-card"] dl')?.textContent ?? ''), null, { timeout: LOAD_TIMEOUT });
    const rows = budgetRows();
    const missing = rows.filter((r) => r.chapitre === '').length;
    const distinct = new Set(rows.map((r) => r.chapitre).filter((v) => v !== '')).size;
    const stats = await card.locator('dd').allTextContents();
    // Type, missing, distinct, … in the card's order.
    assert.equal(Number(stats[1].replace(/\D/g, '')), missing, stats.join(' | '));
    assert.equal(Number(stats[2].replace(/\D/g, '')), distinct, stats.join(' | '));
    assert.ok(missing > 0 && distinct > 1);
  });

  test('opening costs a few requests, and a filter change one per panel', async () => {
    const chartOnly = { chart: view.chart, agg: 'sum', top: 5 };
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'journalist', view: viewParam(chartOnly) });
    const opening = dataRequests().length;
    // The first records, the count, the chart (top N + 1 and the total, shared with the big
    // number's share of the leader), the big numbers (totals, leader) and the table page.
    assert.ok(opening <= 7, `${opening} requests: ${JSON.stringify(dataRequests())}`);
    // A filter added (as back/forward or an embedding page would set the view).
    const before = dataRequests().length;
    const next = t.url({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'journalist', view: viewParam({ ...chartOnly, filters: view.filters }) });
    await t.page.evaluate((u) => {
      history.pushState({}, '', u);
      dispatchEvent(new PopStateEvent('popstate'));
    }, next);
    await t.page.waitForFunction(() => document.documentElement.dataset.loupe === 'loading', null, { timeout: 2000 }).catch(() => {});
    await t.loupe.waitSettled();
    const change = dataRequests().length - before;
    assert.ok(change >= 1 && change <= 6, `${change} requests: ${JSON.stringify(dataRequests().slice(before))}`);
    console.log(`# requests: opening ${opening}, filter change ${change}`);
  });

  test('loupe.open(url, {engine: "portal"}) answers ds.query as the browser engine, and ds.api_url as both', async () => {
    await open({});
    const specs = [
      { group_by: ['code_departement'], aggregates: [{ op: 'sum', column: 'montant', as: 'total' }], sort: [{ column: 'total', desc: true }], limit: 5 },
      { filter: [{ op: 'not_in', column: 'nature', values: ['Investissement'] }], aggregates: [{ op: 'count', as: 'n' }, { op: 'median', column: 'montant', as: 'mediane' }] },
      { pivot: { rows: 'annee', columns: 'nature', value: { op: 'count' } } },
    ];
    const out = await t.page.evaluate(async ({ url, specs }) => {
      const remote = await window.loupe.open(url, { engine: 'portal' });
      const local = await window.loupe.open(url, { engine: 'browser' });
      const results = [];
      for (const spec of specs) {
        results.push({ remote: await remote.query(spec), local: await local.query(spec) });
      }
      return { report: remote.report(), rows: remote.rows, results, urls: [remote.api_url(specs[0]), local.api_url(specs[0])] };
    }, { url: pageUrl(BUDGET.id), specs });
    assert.equal(out.report.engine, 'portal');
    assert.equal(out.report.rows, 1500);
    assert.equal(out.rows, 1500);
    assert.equal(out.urls[0], out.urls[1], 'the same API call in both engines');
    for (const [i, { remote, local }] of out.results.entries()) {
      assert.deepEqual(remote.columns, local.columns, `spec ${i} columns`);
      assert.equal(remote.rows.length, local.rows.length, `spec ${i} rows`);
      remote.rows.forEach((row, r) =>
        row.forEach((v, c) => {
          const w = local.rows[r][c];
          if (typeof v === 'number') assert.ok(Math.abs(v - w) <= 1e-6 * Math.max(1, Math.abs(w)), `spec ${i} [${r}][${c}] ${v} vs ${w}`);
          else assert.equal(v, w, `spec ${i} [${r}][${c}]`);
        }),
      );
    }
    // The pivot of counts, from the CSV: 2019 Investissement.
    const rows = budgetRows();
    const pivot = out.results[2].remote;
    const col = pivot.columns.findIndex((c) => c.name === 'Investissement');
    const r2019 = pivot.rows.find((r) => r[0] === 2019 || r[0] === '2019');
    assert.equal(r2019[col], rows.filter((r) => r.annee === '2019' && r.nature === 'Investissement').length);
  });

  test('a dataset above 200 000 records opens in the portal engine by itself, with no download', async () => {
    const started = Date.now();
    await open({ src: pageUrl(BIG.id), persona: 'journalist', view: viewParam({ chart: { kind: 'ranking', x: 'dep', y: 'montant' }, agg: 'sum', top: 10 }) });
    const elapsed = Date.now() - started;
    assert.equal(await t.loupe.byTestId('engine').getAttribute('data-engine'), 'portal');
    assert.equal(await t.loupe.rows(), BIG_ROWS);
    assert.equal(portal.requests.filter(isFullDownload).length, 0);
    // Sums per département, from the generator's formula.
    const sums = new Map();
    for (let i = 0; i < BIG_ROWS; i++) {
      const d = big.deps[i % big.deps.length];
      sums.set(d, (sums.get(d) ?? 0) + (i % 1000) + 0.5);
    }
    const chart = await tableText('chart-data-table');
    const want = [...sums.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
    assert.deepEqual(chart.map((r) => r[0]), want);
    const bytes = dataRequests().length;
    console.log(`# ${BIG_ROWS} records, portal engine: ready in ${elapsed} ms, ${portal.requests.length} requests (${bytes} for data)`);
  });

  test('a refused call (quota) is said in the panels, and the page keeps working', async () => {
    const chartOnly = { chart: view.chart, agg: 'sum', top: 5 };
    t.expectConsole(/status of 429|Failed to load resource/);
    await open({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'journalist', view: viewParam(chartOnly) });
    const first = t.page.url();
    portal.setQuotaExceeded('2030-01-01T00:00:00Z');
    const next = t.url({ src: pageUrl(BUDGET.id), engine: 'portal', persona: 'journalist', view: viewParam({ ...chartOnly, filters: view.filters }) });
    await t.page.evaluate((u) => {
      history.pushState({}, '', u);
      dispatchEvent(new PopStateEvent('popstate'));
    }, next);
    await t.page.waitForFunction(
      () => /quota dépassé/.test(document.querySelector('[data-testid="chart-summary"]')?.textContent ?? ''),
      null,
      { timeout: LOAD_TIMEOUT },
    );
    const summary = await t.loupe.byTestId('chart-summary').textContent();
    assert.ok(summary.includes('2030-01-01 00:00 UTC'), summary);
    assert.equal(await t.loupe.waitSettled(), 'ready');
    assert.equal((await t.loupe.title.textContent()).trim(), BUDGET.metas.title);
    const match = await t.loupe.byTestId('match-count').textContent();
    assert.ok(match.includes('quota'), match);
    // The controls still answer: back to the first view, whose answers are kept.
    portal.setQuotaExceeded(null);
    await t.page.evaluate((u) => {
      history.pushState({}, '', u);
      dispatchEvent(new PopStateEvent('popstate'));
    }, first);
    await t.page.waitForFunction(
      () => !/quota/.test(document.querySelector('[data-testid="chart-summary"]')?.textContent ?? ''),
      null,
      { timeout: LOAD_TIMEOUT },
    );
  });

  test('?engine=browser forces the download, and the switch goes back to the portal', async () => {
    await open({ src: pageUrl(BUDGET.id), engine: 'browser', persona: 'power' });
    assert.equal(await t.loupe.byTestId('engine').getAttribute('data-engine'), 'browser');
    await t.loupe.byTestId('engine-switch').click();
    await t.page.waitForFunction(() => document.querySelector('[data-testid="engine"]')?.dataset.engine === 'portal', null, { timeout: LOAD_TIMEOUT });
    await t.loupe.waitSettled();
    assert.equal(await t.loupe.rows(), 1500);
    assert.ok(decodeURIComponent(t.page.url()).includes('engine=portal'), t.page.url());
  });
});
