// Opendatasoft portals (issue 10, browser engine): a portal dataset opened by its page address,
// documented by the portal's metadata, found through the "Portail" search, through the JS
// API, and the portal's failures (unknown dataset, quota). Runs against the release build in
// dist/ and the stand-in portal of tests/portal/ (never a real portal); expected values come
// from the stand-in's own reading of its fixture files, not from Loupe.
//
//   node --test tests/e2e/portal.test.mjs

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { useLoupe, LOAD_TIMEOUT } from './harness.mjs';
import { startPortal } from '../portal/standin.mjs';
import { BUDGET, DATASETS } from '../portal/fixtures.mjs';

const t = useLoupe({ viewport: { width: 1280, height: 900 } });
let portal;

before(async () => {
  portal = await startPortal({ datasets: DATASETS });
});

after(async () => {
  await portal?.close();
});

beforeEach(() => {
  portal.setQuotaExceeded(null);
  portal.requests.length = 0;
});

/** Rows of a stand-in dataset, as the stand-in counted them from its CSV. */
const rowsOf = (id) => portal.datasets.find((d) => d.id === id).rows;
const pageUrl = (id) => `${portal.url}/explore/dataset/${id}/`;

async function openWith(params) {
  await t.page.goto(t.url(params), { waitUntil: 'domcontentloaded' });
  return t.loupe.waitSettled();
}

describe('a portal dataset in the browser engine', () => {
  test('?src=<dataset page> opens it with the portal title, licence, row count and field documentation', async () => {
    const state = await openWith({ src: pageUrl(BUDGET.id), persona: 'power' });
    assert.equal(state, 'ready');
    assert.equal((await t.loupe.title.textContent()).trim(), BUDGET.metas.title);
    assert.equal(await t.loupe.rows(), rowsOf(BUDGET.id));
    assert.equal(rowsOf(BUDGET.id), 1500);
    const page = await t.page.textContent('main');
    assert.ok(page.includes(BUDGET.metas.license), 'licence shown');
    assert.ok(page.includes(BUDGET.metas.publisher), 'publisher shown');
    // The description's HTML is shown as text: no <strong> element comes from the portal.
    assert.ok(page.includes('Montants des budgets votés par commune'), 'description as text');
    const docs = await t.loupe.byTestId('doc-fields').textContent();
    for (const f of BUDGET.fields) {
      assert.ok(docs.includes(f.name), `field ${f.name} documented`);
      assert.ok(docs.includes(f.label), `label ${f.label} documented`);
    }
    assert.ok(docs.includes('Code INSEE du département'), 'field description');
    // Labels head the table; the names used in queries stay beside them.
    const head = await t.loupe.table.locator('thead').textContent();
    assert.ok(head.includes('Code département') && head.includes('code_departement'), head);
    // A text field keeps its codes: the first département codes as the portal wrote them.
    const schema = await t.page.evaluate(async (url) => {
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
    // Metadata once and the CSV export once for the page; again for t.loupe.open: never a
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
    const source = t.loupe.byTestId('portal-source');
    await source.locator('summary').click();
    assert.match(await source.locator('summary').textContent(), /Portail : 127\.0\.0\.1:\d+/);
    await t.loupe.byTestId('portal-search').fill('budget');
    const before = portal.requests.length;
    await t.loupe.byTestId('portal-search').press('Enter');
    const first = t.loupe.byTestId('portal-result').first();
    await first.waitFor({ timeout: LOAD_TIMEOUT });
    assert.equal(portal.requests.length - before, 1, 'one request per search');
    const text = await t.loupe.byTestId('portal-results').textContent();
    assert.ok(text.includes(BUDGET.metas.title), text);
    assert.ok(text.includes(BUDGET.metas.publisher), text);
    await t.loupe.byTestId('portal-result').filter({ hasText: BUDGET.metas.title }).locator('button').click();
    await t.page.waitForFunction(
      (title) => document.querySelector('[data-testid="dataset-title"]')?.textContent.trim() === title,
      BUDGET.metas.title,
      { timeout: LOAD_TIMEOUT },
    );
    await t.loupe.waitReady();
    assert.equal(await t.loupe.rows(), rowsOf(BUDGET.id));
    // The page's link now carries the portal dataset, so the view can be shared.
    assert.ok(decodeURIComponent(t.page.url()).includes(`/explore/dataset/${BUDGET.id}/`));
  });

  test('t.loupe.search_portal lists datasets with their record counts', async () => {
    await openWith({});
    const hits = await t.page.evaluate(
      (origin) => window.loupe.search_portal('budget', { portal: origin }),
      portal.url,
    );
    const hit = hits.find((h) => h.id === BUDGET.id);
    assert.ok(hit, JSON.stringify(hits));
    assert.equal(hit.title, BUDGET.metas.title);
    assert.equal(hit.records_count, rowsOf(BUDGET.id));
  });
});

describe('the official API URL of a view', () => {
  /** Rows of a records answer as arrays in the order of `names`. */
  const recordRows = (answer, names) => answer.results.map((r) => names.map((n) => r[n] ?? null));
  /** Same figures: texts equal, numbers within a millionth (float sums vs exact decimals). */
  function assertSameRows(got, want, what) {
    assert.equal(got.length, want.length, `${what}: row count`);
    got.forEach((row, i) =>
      row.forEach((v, j) => {
        const w = want[i][j];
        if (typeof v === 'number' && typeof w === 'number') {
          assert.ok(Math.abs(v - w) <= 1e-6 * Math.max(1, Math.abs(w)), `${what} [${i}][${j}]: ${v} vs ${w}`);
        } else {
          assert.equal(v, w, `${what} [${i}][${j}]`);
        }
      }),
    );
  }

  test('ds.api_url(spec) fetched directly returns the numbers of ds.query(spec)', async () => {
    await openWith({});
    const specs = [
      {
        group_by: ['code_departement'],
        aggregates: [{ op: 'sum', column: 'montant', as: 'total' }, { op: 'count', as: 'n' }],
        sort: [{ column: 'total', desc: true }],
        limit: 10,
      },
      {
        // SQL semantics the portal does not have by itself: not_in never keeps a missing nature.
        filter: [
          { op: 'between', column: 'annee', min: 2020, max: 2022 },
          { op: 'not_in', column: 'nature', values: ['Investissement'] },
        ],
        group_by: ['departement'],
        aggregates: [{ op: 'mean', column: 'montant', as: 'moyenne' }, { op: 'max', column: 'date_vote', as: 'dernier' }],
        sort: [{ column: 'departement' }],
        limit: 500,
      },
    ];
    const out = await t.page.evaluate(async ({ url, specs }) => {
      const ds = await window.loupe.open(url);
      const results = [];
      for (const spec of specs) {
        const local = ds.query(spec);
        const api = ds.api_url(spec);
        const answer = await (await fetch(api)).json();
        results.push({ local, api, answer });
      }
      return results;
    }, { url: pageUrl(BUDGET.id), specs });
    for (const [i, { local, api, answer }] of out.entries()) {
      assert.match(api, new RegExp(`^${portal.url}/api/explore/v2\\.1/catalog/datasets/${BUDGET.id}/records\\?`));
      const names = local.columns.map((c) => c.name);
      assert.ok(local.rows.length > 1, `spec ${i}: a real answer`);
      assertSameRows(recordRows(answer, names), local.rows, `spec ${i} (${api})`);
    }
  });

  test('the share panel links the chart to its API call and the filtered rows to their export', async () => {
    const view = Buffer.from(JSON.stringify({
      v: 1,
      filters: [{ op: 'in', column: 'code_departement', values: ['2A', '01'] }],
      chart: { kind: 'ranking', x: 'commune', y: 'montant' },
      top: 5,
    })).toString('base64url');
    await openWith({ src: pageUrl(BUDGET.id), persona: 'journalist', view });
    const link = t.loupe.byTestId('api-url');
    await link.waitFor({ timeout: LOAD_TIMEOUT });
    const href = await link.getAttribute('href');
    const exportHref = await t.loupe.byTestId('api-export-url').getAttribute('href');
    const answer = await (await fetch(href)).json();
    const csv = await (await fetch(exportHref)).text();
    // The chart's own table (its data table in the page) lists the same communes in order.
    const shown = await t.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="chart-data-table"] tbody tr')].map((tr) => tr.cells[0]?.textContent.trim() ?? tr.querySelector('th')?.textContent.trim()),
    );
    const fromApi = answer.results.map((r) => r.commune ?? '(vide)');
    assert.deepEqual(shown.slice(0, fromApi.length), fromApi, `chart table vs ${href}`);
    // The export holds exactly the filtered rows: as many data lines as the page's match count.
    const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
    const count = Number((await t.loupe.byTestId('match-count').textContent()).split('/')[0].replace(/\D/g, ''));
    assert.equal(lines.length - 1, count, 'export rows = rows matching the filters');
  });
});

describe('charts drawn in the page have no single API call (G10.1)', () => {
  const cases = [
    ['map', { kind: 'map', x: 'code_departement', y: 'montant', level: 'departement' }, /la carte rapproche les codes de leurs territoires/],
    ['histogram', { kind: 'histogram', y: 'montant' }, /l'histogramme répartit en classes/],
    ['scatter', { kind: 'scatter', x: 'population', y: 'montant' }, /le nuage de points place les lignes filtrées/],
  ];
  for (const [kind, chart, why] of cases) {
    test(`a ${kind}: the share panel says why, and still links the filtered rows`, async () => {
      const view = Buffer.from(JSON.stringify({
        v: 1,
        filters: [{ op: 'in', column: 'code_departement', values: ['2A', '01'] }],
        chart,
      })).toString('base64url');
      await openWith({ src: pageUrl(BUDGET.id), persona: 'journalist', view });
      const inexact = t.loupe.byTestId('api-url-inexact');
      await inexact.waitFor({ timeout: LOAD_TIMEOUT });
      const text = await inexact.textContent();
      assert.match(text, /^Aucun appel unique de l'API ne calcule exactement ces chiffres/, text);
      assert.match(text, why, text);
      assert.equal(await t.loupe.byTestId('api-url').count(), 0, 'no call presented as the chart\'s');
      // The export still holds exactly the filtered rows the chart is drawn from.
      const exportHref = await t.loupe.byTestId('api-export-url').getAttribute('href');
      const csv = await (await fetch(exportHref)).text();
      const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length > 0);
      const count = Number((await t.loupe.byTestId('match-count').textContent()).split('/')[0].replace(/\D/g, ''));
      assert.equal(lines.length - 1, count, 'export rows = rows matching the filters');
    });
  }
});

describe('portal failures are clear', () => {
  test('an unknown dataset: error state and an alert naming the portal and the id', async () => {
    t.expectConsole(/404|Failed to load resource/i);
    const state = await openWith({ src: pageUrl('budget-comunes') });
    assert.equal(state, 'error');
    assert.match(
      await t.loupe.alert.first().textContent(),
      /Le portail 127\.0\.0\.1:\d+ ne connaît pas le jeu de données « budget-comunes »/,
    );
  });

  test('a quota hours away: says until when, and stops', async () => {
    t.expectConsole(/429|Failed to load resource/i);
    // Written with an offset, as portals may: the page converts it to UTC.
    portal.setQuotaExceeded('2099-01-01T02:00:00+02:00');
    const state = await openWith({ src: pageUrl(BUDGET.id) });
    assert.equal(state, 'error');
    assert.match(
      await t.loupe.alert.first().textContent(),
      /quota dépassé jusqu'au 2099-01-01 00:00 UTC/,
    );
    assert.equal(portal.requests.length, 1, 'no retry for a reset hours away');
  });

  test('a quota seconds away: waits, retries once by itself, and opens', async () => {
    t.expectConsole(/429|Failed to load resource/i);
    portal.setQuotaExceeded(new Date(Date.now() + 2000).toISOString());
    // The portal accepts calls again once it has refused the first one (before the announced
    // reset; lifted on that event, not after a fixed delay, which a busy machine could outrun).
    const lift = setInterval(() => {
      if (portal.requests.length >= 1) {
        portal.setQuotaExceeded(null);
        clearInterval(lift);
      }
    }, 10);
    try {
      const state = await openWith({ src: pageUrl(BUDGET.id) });
      assert.equal(state, 'ready');
      assert.equal(await t.loupe.rows(), rowsOf(BUDGET.id));
      const paths = portal.requests.map((r) => r.path.split('/').pop());
      assert.deepEqual(paths, [BUDGET.id, BUDGET.id, 'csv'], 'refused metadata call, its retry, the export');
    } finally {
      clearInterval(lift);
    }
  });
});
