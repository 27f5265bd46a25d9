// Maps (issue #11): a map at each level on bundled data, the number of areas drawn with a value
// and of codes without a territory checked against counts computed here, in plain JS, from the
// CSV files and the shape files (www/geo) — never from the app; the loose département codes of
// a fixture (`1`, `01`, `2A`, `971`) all matched; keyboard access; screenshots at 1280 and
// 390 px; time to the first map (cold, then warm) and to a redraw after a filter.
//
//   node --test tests/e2e/map.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { useLoupe, openReady, WWW, FIXTURES, SCREENSHOTS, WIDE, NARROW, LOAD_TIMEOUT } from './harness.mjs';
import { parseCsv } from './csv.mjs';
import { axeViolations } from './axe.mjs';

const t = useLoupe({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Header + rows of a CSV file (BOM dropped). */
function table(path) {
  const { header, rows } = parseCsv(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  return { col: (n) => header.indexOf(n), rows: rows.filter((r) => r.length === header.length) };
}

/** Codes of a shape file. */
const shapeCodes = (file) => new Set(JSON.parse(readFileSync(join(WWW, 'geo', file), 'utf8')).areas.map((a) => a.c));

/** A commune code's département, as INSEE writes it. */
const depOf = (c) => (c.startsWith('97') ? c.slice(0, 3) : c.slice(0, 2));
const isNumber = (s) => s.trim() !== '' && Number.isFinite(Number(s.replace(',', '.')));

/** Areas with a value and unmatched codes, from (code, value) pairs and the shapes. */
function expected(pairs, shapes) {
  const withValue = new Set();
  const unmatched = new Set();
  for (const [code, value] of pairs) {
    if (shapes.has(code)) { if (value) withValue.add(code); } else unmatched.add(code);
  }
  return { areas: withValue.size, unmatched: unmatched.size };
}

/**
 * Opens a view and waits for the map; returns its contract attributes, the time from
 * navigation to the map (`ms`), from the data being ready to the map (`afterReady`: shapes
 * fetched, table, drawing) and the drawing alone (`drawMs`, measured by the page).
 */
async function openMap(params) {
  const t0 = Date.now();
  await openReady(t.loupe, t.url(params));
  const ready = Date.now();
  const map = await waitMap();
  const drawMs = Number(await t.page.locator('[data-testid="map-canvas"]').getAttribute('data-draw-ms'));
  return { ...map, ms: Date.now() - t0, afterReady: Date.now() - ready, drawMs };
}

async function waitMap(previous) {
  const handle = await t.page.waitForFunction(
    (prev) => {
      const el = document.querySelector('[data-testid="chart"][data-chart-kind="map"]');
      if (!el || el.dataset.mapState !== 'ready') return false;
      const now = [el.dataset.mapLevel, el.dataset.mapAreas, el.dataset.mapUnmatched, document.querySelector('[data-testid="chart-summary"]')?.textContent].join('|');
      if (prev && now === prev) return false;
      return { level: el.dataset.mapLevel, areas: Number(el.dataset.mapAreas), unmatched: Number(el.dataset.mapUnmatched), key: now };
    },
    previous ?? null,
    { timeout: LOAD_TIMEOUT, polling: 20 },
  );
  return handle.jsonValue();
}

const TH = table(join(WWW, 'data', 'taux_th_communes_2022.csv'));
const thPairs = TH.rows.map((r) => [r[TH.col('code_insee_commune')], isNumber(r[TH.col('taux_com')])]);

describe('maps on bundled data', () => {
  test('taux d’habitation: mean rate by département (communes rolled up), cold then warm', async () => {
    const view = { v: 1, chart: { kind: 'map', x: 'code_insee_commune', y: 'taux_com', level: 'departement' }, agg: 'mean' };
    const cold = await openMap({ src: 'taux-th-2022', persona: 'power', view: b64(view) });
    const want = expected(thPairs.map(([c, v]) => [depOf(c), v]), shapeCodes('departements.json'));
    assert.equal(cold.level, 'departement');
    assert.equal(cold.areas, want.areas);
    assert.equal(cold.unmatched, want.unmatched);
    const summary = await t.page.locator('[data-testid="chart-summary"]').textContent();
    assert.match(summary, /arrive en tête avec [\d,]+\u00a0%/);
    assert.match(summary, new RegExp(`${want.areas} départements sur 101`));
    // Every area with a value is a row of the map's table (no top-N).
    assert.equal(await t.page.locator('[data-testid="chart-data-table"] tbody tr').count(), want.areas);
    // Attribution in the page; legend and attribution are drawn on the canvas (checked in SVG
    // natively, see tests/map.rs).
    assert.match(await t.page.textContent('body'), /IGN – ADMIN EXPRESS COG 2018 ; INSEE/);
    await t.loupe.screenshot(join(SCREENSHOTS, 'map-departements-1280.png'), WIDE);
    await t.loupe.screenshot(join(SCREENSHOTS, 'map-departements-390.png'), NARROW);
    await t.page.setViewportSize(WIDE);

    // Warm: the same shapes again (régions then départements), from the cache.
    await t.page.selectOption('[data-testid="map-level"]', 'region');
    const reg = await waitMap(cold.key);
    assert.equal(reg.level, 'region');
    const wantReg = expected(
      thPairs.map(([c, v]) => [REGION_OF[depOf(c)] ?? depOf(c), v]),
      shapeCodes('regions.json'),
    );
    assert.equal(reg.areas, wantReg.areas);
    const t0 = Date.now();
    await t.page.selectOption('[data-testid="map-level"]', 'departement');
    const warm = await waitMap(reg.key);
    const warmMs = Date.now() - t0;
    assert.equal(warm.areas, want.areas);
    console.log(`# first map (départements, taux TH, 34 960 rows), cold: ${cold.ms} ms from navigation, ${cold.afterReady} ms after the data was ready (shapes fetched), drawing ${cold.drawMs} ms; warm (régions -> départements, cached shapes): ${warmMs} ms`);
    // No serious accessibility violation on the map page, folded parts open.
    await t.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const grave = (await axeViolations(t.page, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }))
      .filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(grave.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).join(' | ')}`), []);
  });

  test('taux d’habitation: the communes of a chosen département (Nord), keyboard and zoom', async () => {
    // From the département map: the Nord's row takes the keyboard focus, then "Voir les
    // communes" zooms in.
    const view = { v: 1, chart: { kind: 'map', x: 'code_insee_commune', y: 'taux_com', level: 'departement' }, agg: 'mean' };
    const deps = await openMap({ src: 'taux-th-2022', persona: 'power', view: b64(view) });
    await t.page.locator('details.chart-data summary').click();
    await t.page.locator('[data-testid="chart-data-table"] tbody tr[data-code="59"]').focus();
    const zoom = t.page.locator('[data-testid="map-zoom"]');
    assert.match(await zoom.textContent(), /Voir les communes : Nord \(59\)/);
    await zoom.click();
    const z0 = Date.now();
    const map = await waitMap(deps.key);
    console.log(`# commune map of the Nord after a zoom (648 communes, shapes fetched cold): ${Date.now() - z0} ms`);
    const shown = await t.page.evaluate(() => new URL(location.href).searchParams.get('view'));
    assert.equal(JSON.parse(Buffer.from(shown, 'base64url').toString()).chart.zone, '59', 'the zone is in the URL');
    const shapes = shapeCodes('communes/59.json');
    // In the zone: the Nord's codes; values that are no 5-character INSEE code at all (`9777`)
    // belong to no zone and are reported too.
    const notCode = (c) => !/^(\d{5}|2[AB]\d{3})$/.test(c);
    const want = expected(thPairs.filter(([c]) => depOf(c) === '59' || notCode(c)), shapes);
    assert.equal(map.level, 'commune');
    assert.equal(map.areas, want.areas);
    assert.equal(map.unmatched, want.unmatched);
    // Keyboard: the table's rows take the focus; the focused row is marked (and its area
    // outlined on the map).
    if (!(await t.page.locator('details.chart-data').evaluate((d) => d.open))) {
      await t.page.locator('details.chart-data summary').click();
    }
    const first = t.page.locator('[data-testid="chart-data-table"] tbody tr').first();
    await first.focus();
    assert.equal(await first.evaluate((el) => el === document.activeElement), true);
    assert.match(await first.getAttribute('class'), /selected/);
    await t.loupe.screenshot(join(SCREENSHOTS, 'map-communes-59-1280.png'), WIDE);
    await t.loupe.screenshot(join(SCREENSHOTS, 'map-communes-59-390.png'), NARROW);
  });

  test('OFGL Guadeloupe: a commune map of one overseas département', async () => {
    const OF = table(join(WWW, 'data', 'ofgl_communes_guadeloupe_2024.csv'));
    const view = { v: 1, chart: { kind: 'map', x: 'Code Insee 2024 Commune', y: 'Montant', unit: '€' }, agg: 'sum' };
    const map = await openMap({ src: 'ofgl-communes-2024', persona: 'power', view: b64(view) });
    const pairs = OF.rows.map((r) => [r[OF.col('Code Insee 2024 Commune')], isNumber(r[OF.col('Montant')])]);
    const want = expected(pairs, shapeCodes('communes/971.json'));
    assert.equal(map.level, 'commune');
    assert.equal(map.areas, want.areas);
    assert.equal(map.unmatched, want.unmatched);
    await t.loupe.screenshot(join(SCREENSHOTS, 'map-guadeloupe-1280.png'), WIDE);
    console.log(`# first map (communes of Guadeloupe): ${map.ms} ms from navigation, ${map.afterReady} ms after the data, drawing ${map.drawMs} ms`);
  });

  test('exports: SVG and PNG carry the map and its attribution, CSV its table', async () => {
    const view = { v: 1, chart: { kind: 'map', x: 'Code Insee 2024 Commune', y: 'Montant', unit: '€' }, agg: 'sum' };
    const map = await openMap({ src: 'ofgl-communes-2024', persona: 'power', view: b64(view) });
    const download = async (id) => {
      const [dl] = await Promise.all([t.page.waitForEvent('download'), t.page.locator(`[data-testid="${id}"]`).click()]);
      assert.equal(await dl.failure(), null, `${id}: download failed`);
      return { name: dl.suggestedFilename(), bytes: readFileSync(await dl.path()) };
    };
    const svg = await download('export-svg');
    assert.equal(svg.name, 'loupe-carte.svg');
    const text = svg.bytes.toString('utf8');
    assert.match(text, /IGN – ADMIN EXPRESS COG 2018 ; INSEE/);
    assert.ok((text.match(/<polygon/g) ?? []).length >= map.areas, 'one polygon per area at least');
    const png = await download('export-png');
    assert.deepEqual([...png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG file');
    const csv = await download('export-csv');
    // Header + one line per code of the data (areas and codes without a territory).
    assert.equal(csv.bytes.toString('utf8').trim().split('\n').length, 1 + map.areas + map.unmatched);
  });

  test('embed mode shows the map of the link', async () => {
    const view = { v: 1, chart: { kind: 'map', x: 'Code Insee 2024 Commune', y: 'Montant', unit: '€' }, agg: 'sum' };
    const map = await openMap({ src: 'ofgl-communes-2024', embed: '1', view: b64(view) });
    assert.equal(map.level, 'commune');
    assert.ok(map.areas > 0);
    await t.page.locator('[data-testid="embed-view"]').waitFor();
  });

  test('DECP: contracts counted by région of the buyer', async () => {
    const DE = table(join(WWW, 'data', 'decp_2024h2_travaux.csv'));
    const view = { v: 1, chart: { kind: 'map', x: 'acheteur_region_code', level: 'region' } };
    const map = await openMap({ src: 'decp-travaux-2024', persona: 'power', view: b64(view) });
    const pairs = DE.rows
      .map((r) => r[DE.col('acheteur_region_code')].trim())
      .filter((c) => c !== '')
      .map((c) => [/^\d+$/.test(c) ? c.padStart(2, '0') : c, true]);
    const want = expected(pairs, shapeCodes('regions.json'));
    assert.equal(map.level, 'region');
    assert.equal(map.areas, want.areas);
    assert.equal(map.unmatched, want.unmatched);
  });
});

describe('shapes on demand', () => {
  test('no shape is fetched until a map is shown; then relative to the page', async () => {
    const geo = [];
    t.page.on('request', (r) => { if (r.url().includes('/geo/')) geo.push(new URL(r.url()).pathname); });
    await openReady(t.loupe, t.url({ src: 'decp-travaux-2024', persona: 'power' }));
    await t.loupe.waitForChartInk();
    assert.deepEqual(geo, [], 'a page without a map fetches no shape');
    await t.page.selectOption('[data-testid="chart-kind"]', 'map');
    await waitMap();
    assert.ok(geo.length >= 1 && geo.every((p) => /^\/geo\/(regions|departements|communes\/\w+)\.json$/.test(p)), geo.join(', '));
  });
});

describe('codes as people write them', () => {
  test('1, 01, 2A, 2b, 971: all 101 départements; 99 and ZZ reported; redraw after a filter', async () => {
    const src = `${t.server.url}__fixtures__/map_departements_loose.csv`;
    const view = { v: 1, chart: { kind: 'map', x: 'dep', y: 'montant', level: 'departement' } };
    const map = await openMap({ src, persona: 'power', view: b64(view) });
    const FX = table(join(FIXTURES, 'map_departements_loose.csv'));
    const norm = (c) => (/^\d{1,2}$/.test(c) ? c.padStart(2, '0') : c.toUpperCase());
    const want = expected(FX.rows.map((r) => [norm(r[0]), true]), shapeCodes('departements.json'));
    assert.equal(want.areas, 101);
    assert.equal(map.areas, 101);
    assert.equal(map.unmatched, want.unmatched);
    assert.equal(map.unmatched, 2);
    const note = await t.page.locator('[data-testid="map-unmatched"]').textContent();
    assert.match(note, /2 codes sans territoire\u00a0: 99, ZZ\./);

    // Redraw after a filter: keep montant ≥ 500 (départements 50 and above).
    await t.page.locator('[data-testid="filter-column"]').selectOption('montant');
    await t.page.locator('[data-testid="range-min"]').fill('500');
    const t0 = Date.now();
    await t.page.locator('[data-testid="apply-filter"]').click();
    const after = await waitMap(map.key);
    const ms = Date.now() - t0;
    const kept = FX.rows.filter((r) => Number(r[1]) >= 500).map((r) => [norm(r[0]), true]);
    assert.equal(after.areas, expected(kept, shapeCodes('departements.json')).areas);
    console.log(`# redraw after a filter (département map): ${ms} ms`);
  });
});

/** Département -> région (INSEE), read from the bundled commune list, not from the app. */
const REGION_OF = (() => {
  const c = table(join(WWW, 'data', 'communes_population.csv'));
  const out = {};
  for (const r of c.rows) out[r[c.col('departement')]] = r[c.col('region')];
  return out;
})();
