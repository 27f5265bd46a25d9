// How long does `loupe.load` block the page? Serves a release build (dist/) on 127.0.0.1,
// opens it in Debian's Chromium, hands a large CSV (1M rows by default) to `window.loupe.load`
// and prints the load time and the long tasks seen meanwhile (PerformanceObserver 'longtask':
// every main-thread task over 50 ms), plus the largest gap between two ticks of a 0 ms timer
// running during the load (what a user would feel as a frozen page).
//
//   node tests/bench/longtask.mjs [--dist dist] [--csv FILE] [--rows 1000000] [--reps 3]
//
// Without --csv, it reuses $LOUPE_CSV or generates a budget-like file (10 columns, ~165 bytes
// a row, `,` separator) in the system temp folder and keeps it for the next run.

import { existsSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openBrowser } from '../e2e/browser.mjs';
import { startServer } from '../e2e/server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const dist = resolve(args.dist ?? 'dist');
const rows = Number(args.rows ?? 1_000_000);
const reps = Number(args.reps ?? 3);

/** Writes a deterministic budget-like CSV (quoted commas, accents, decimals, dates). */
async function generate(path, n) {
  const out = createWriteStream(path);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const regions = ['Bretagne', 'Île-de-France', 'Occitanie', 'Grand Est', 'Normandie', 'Corse'];
  const ministeres = ['"Travail, Plein emploi et Insertion"', 'Armées', 'Intérieur', 'Justice', 'Culture'];
  const natures = ['Titre 2 - Personnel', 'Titre 3 - Fonctionnement', 'Titre 5 - Investissement'];
  out.write('exercice,ministere,programme,action,nature_depense,region,date_paiement,montant,quantite,libelle\n');
  for (let i = 0; i < n; i++) {
    const y = 2015 + Math.floor(rnd() * 10);
    const p = 100 + Math.floor(rnd() * 200);
    const m = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
    const d = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
    const montant = (rnd() * 100000 - 3000).toFixed(2);
    const q = rnd() < 0.01 ? '' : String(Math.floor(rnd() * 500));
    const line = `${y},${pick(ministeres)},P${p} Programme ${p},0${p}-0${Math.floor(rnd() * 9)},${pick(natures)},${pick(regions)},${y}-${m}-${d},${montant},${q},"Facture ${Math.floor(rnd() * 1e7)} SAS Martin & Fils, location véhicules"\n`;
    if (!out.write(line)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

let csv = args.csv ?? process.env.LOUPE_CSV;
if (!csv) {
  csv = join(tmpdir(), `loupe-longtask-${rows}.csv`);
  if (!existsSync(csv)) {
    process.stdout.write(`generating ${rows} rows into ${csv} ... `);
    await generate(csv, rows);
    console.log('done');
  }
}
csv = resolve(csv);

const server = await startServer(dist, { mounts: { '/__bench__/': resolve(csv, '..') } });
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
  console.log(`file ${name}: ${result.mb.toFixed(1)} MB; wasm memory after: ${(result.memory / 2 ** 20).toFixed(0)} MiB`);
  console.log('run | rows | load ms | long tasks | longest task ms | largest timer gap ms | tasks (ms@start)');
  result.runs.forEach((r, i) =>
    console.log(`${i + 1} | ${r.rows} | ${r.ms.toFixed(0)} | ${r.longTasks} | ${r.longest.toFixed(0)} | ${r.maxGap.toFixed(0)} | ${r.at}`),
  );
} finally {
  await browser.close();
  await server.close();
}
