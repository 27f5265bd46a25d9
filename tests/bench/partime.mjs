// Timings of `loupe.load` of a CSV through the JS API: in one worker, in two workers at once
// (`parts: 2`), in the page alone (`parts: 1`) and in the page with its helper worker (the
// default for a large buffer, `report().parts` 2); then a group-by (its sums must agree across
// modes) and `loupe.memory()`.
//   node tests/bench/partime.mjs --dist DIST --csv FILE [--reps 3]
import { resolve, basename } from 'node:path';
import { openBrowser } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dist = resolve(args.dist ?? 'dist');
const csv = resolve(args.csv);
const reps = Number(args.reps ?? 3);
// `--modes '[["page",1],["page",null]]'`: which loads to time (null: the default).
const modes = JSON.parse(args.modes ?? '[["worker",1],["worker",2],["page",1],["page",null]]');
const server = await startServer(dist, { mounts: { '/__bench__/': resolve(csv, '..') } });
const b = await openBrowser();
try {
  const page = b.page;
  page.on('console', (m) => console.log('  [page]', m.text()));
  await page.goto(`${server.url}index.html`);
  await page.waitForFunction(() => document.documentElement.dataset.loupe === 'ready' && window.loupe?.load);
  const out = await page.evaluate(async ({ name, reps, modes }) => {
    const buf = new Uint8Array(await (await fetch(`/__bench__/${name}`)).arrayBuffer());
    const res = [];
    for (const [engine, parts] of modes) {
      for (let r = 0; r < reps; r++) {
        const t0 = performance.now();
        const ds = await window.loupe.load(buf, parts == null ? { engine } : { engine, parts });
        const t1 = performance.now();
        const rep = await ds.report();
        const q0 = performance.now();
        const q = await ds.query({ group_by: ['ministere'], aggregates: [{ op: 'sum', column: 'montant', as: 's' }] });
        const q1 = performance.now();
        const mem = await window.loupe.memory();
        const sums = q.rows.map((r) => `${r[0]}=${r[1]}`).sort().join('|');
        res.push({ engine, parts: parts ?? 'auto', loaded_parts: rep.parts, load_ms: Math.round(t1 - t0), rows: rep.rows, groups: q.rows.length, sums: sums.length + ':' + [...sums].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7), query_ms: +(q1 - q0).toFixed(1), memory_mb: Math.round(mem / 1e6) });
        ds.free();
      }
    }
    return res;
  }, { name: basename(csv), reps, modes });
  console.table(out);
} finally {
  await b.close();
  await server.close();
}
