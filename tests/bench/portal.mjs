// What does a large portal dataset cost in each engine? A benchmark, not a test: it prints
// figures. Generates a procurement-like dataset (--rows records, default 1,000,000) served by
// the stand-in portal of tests/portal/ (never a real portal), opens it in Loupe's release
// build (dist/) with engine=portal then engine=browser, with a ranking chart (sum by
// département, top 10), and prints for each: time to the first chart (navigation to
// `data-loupe="ready"`), requests to the portal and bytes received (response bodies).
// Then a filter change in the portal engine: time and requests.
//
//   node tests/bench/portal.mjs [--rows 1000000] [--dist dist] [--skip-browser]
//
// The stand-in computes every answer by scanning its in-memory rows in Node (no index), so
// its own time per request grows with the rows; a real portal (Elasticsearch) answers a
// group-by in tens of milliseconds whatever the size.

import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { startServer } from '../e2e/server.mjs';
import { openBrowser } from '../e2e/browser.mjs';
import { startPortal } from '../portal/standin.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const ROWS = Number(opt('rows', 1_000_000));
const DIST = resolve(opt('dist', 'dist'));
const skipBrowser = args.includes('--skip-browser');

const tmp = mkdtempSync(join(tmpdir(), 'loupe-bench-portal-'));
const deps = Array.from({ length: 101 }, (_, i) => (i < 95 ? String(i + 1).padStart(2, '0') : ['2A', '2B', '971', '972', '973', '974'][i - 95]));
const lines = ['id;dep;annee;nature;montant'];
for (let i = 0; i < ROWS; i++) {
  lines.push(`M${i};${deps[(i * 7) % deps.length]};${2019 + (i % 6)};${i % 3 ? 'Travaux' : 'Services'};${((i * 37) % 100000) / 100}`);
}
const file = join(tmp, 'big.csv');
writeFileSync(file, lines.join('\n') + '\n');
const DATASET = {
  id: 'marches-bench',
  file,
  metas: { title: 'Marchés (banc d’essai)', description: '', publisher: 'Bench', license: 'Licence Ouverte', modified: '2026-01-01T00:00:00+00:00', keyword: [], theme: [] },
  fields: [
    { name: 'id', label: 'Identifiant', type: 'text', description: null },
    { name: 'dep', label: 'Département', type: 'text', description: null },
    { name: 'annee', label: 'Année', type: 'int', description: null },
    { name: 'nature', label: 'Nature', type: 'text', description: null },
    { name: 'montant', label: 'Montant', type: 'double', description: null },
  ],
};

const t0 = Date.now();
const portal = await startPortal({ datasets: [DATASET] });
console.log(`stand-in portal: ${ROWS} records loaded in ${Date.now() - t0} ms`);
const server = await startServer(DIST);
const view = Buffer.from(JSON.stringify({ v: 1, chart: { kind: 'ranking', x: 'dep', y: 'montant' }, agg: 'sum', top: 10 })).toString('base64url');
const src = `${portal.url}/explore/dataset/${DATASET.id}/`;

async function run(engine) {
  const br = await openBrowser({ width: 1280, height: 900 });
  let bytes = 0;
  const waits = [];
  br.page.on('requestfinished', async (req) => {
    if (!req.url().startsWith(portal.url)) return;
    try {
      const t = req.timing();
      waits.push(Math.round(t.responseEnd));
    } catch {
      /* aborted */
    }
  });
  portal.requests.length = 0;
  const url = `${server.url}?src=${encodeURIComponent(src)}&engine=${engine}&persona=journalist&view=${view}`;
  const start = Date.now();
  await br.page.goto(url, { waitUntil: 'domcontentloaded' });
  await br.page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.loupe), null, { timeout: 600_000, polling: 50 });
  const ms = Date.now() - start;
  const first = await br.page.textContent('[data-testid="chart-summary"]');
  bytes = portal.requests.reduce((s, r) => s + r.bytes, 0);
  console.log(`${engine.padEnd(7)}: first chart in ${ms} ms, ${portal.requests.length} requests, ${(bytes / 1e3).toFixed(1)} kB received — ${first.trim().slice(0, 90)}`);
  console.log(`         request durations (ms, request start to last byte): ${waits.join(', ')}`);
  waits.length = 0;
  if (engine === 'portal') {
    portal.requests.length = 0;
    bytes = 0;
    const filtered = Buffer.from(JSON.stringify({ v: 1, filters: [{ op: 'in', column: 'nature', values: ['Services'] }], chart: { kind: 'ranking', x: 'dep', y: 'montant' }, agg: 'sum', top: 10 })).toString('base64url');
    const next = `${server.url}?src=${encodeURIComponent(src)}&engine=portal&persona=journalist&view=${filtered}`;
    const s = Date.now();
    await br.page.evaluate((u) => {
      history.pushState({}, '', u);
      dispatchEvent(new PopStateEvent('popstate'));
    }, next);
    await br.page.waitForFunction(() => document.documentElement.dataset.loupe === 'loading', null, { timeout: 2000, polling: 10 }).catch(() => {});
    await br.page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 600_000, polling: 50 });
    bytes = portal.requests.reduce((s, r) => s + r.bytes, 0);
    console.log(`portal : filter change in ${Date.now() - s} ms, ${portal.requests.length} requests, ${(bytes / 1e3).toFixed(1)} kB received`);
    console.log(`         request durations (ms): ${waits.join(', ')}`);
  }
  await br.close();
}

try {
  await run('portal');
  if (!skipBrowser) await run('browser');
} finally {
  await server.close();
  await portal.close();
  rmSync(tmp, { recursive: true, force: true });
}
