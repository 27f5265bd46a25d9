#!/usr/bin/env node
// Writes a deterministic, French-budget-like CSV for the end-to-end load test:
//
//   node scripts/gen_big_csv.mjs [rows=1000000] [out=<OS temp dir>/loupe-big-<rows>.csv]
//   node scripts/gen_big_csv.mjs --budget [rows=1000000] [out=<tmp>/loupe-longtask-<rows>.csv]
//
// Columns: exercice (2015-2024), ministere (30 labels), region (18 labels), montant (2
// decimals). About 60 bytes a row, UTF-8, `,`-separated, LF line ends. The same arguments
// always give the same bytes (a fixed-seed xorshift generator), so the file is cached: an
// existing file of the expected size is reused. As a module, `bigCsv(rows)` returns the path.
//
// `--budget` / `budgetCsv(rows)`: the wider file of the browser benchmark
// (tests/bench/longtask.mjs): 10 columns, ~165 bytes a row, quoted commas, accents, dates,
// 1% empty `quantite` and ~1M distinct `libelle` labels. `budgetStats(path)` reads such a file
// back (a small CSV reader of its own, not Loupe) and returns the figures the benchmark checks
// the page against.

import { createWriteStream, existsSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MINISTERES = [
  'Ministère des Armées', "Ministère de l'Économie", "Ministère de l'Intérieur",
  'Ministère de la Justice', 'Ministère de la Culture', 'Ministère de la Santé',
  'Ministère du Travail', "Ministère de l'Agriculture", "Ministère de l'Éducation nationale",
  "Ministère de l'Enseignement supérieur", 'Ministère des Outre-mer', 'Ministère des Sports',
  'Ministère des Transports', 'Ministère du Logement', "Ministère de l'Écologie",
  'Ministère des Affaires étrangères', 'Ministère des Comptes publics',
  'Ministère des Solidarités', 'Ministère de la Fonction publique', 'Ministère du Numérique',
  "Ministère de l'Industrie", 'Ministère du Commerce', 'Ministère du Tourisme',
  'Ministère de la Jeunesse', 'Ministère de la Mer', 'Ministère de la Ruralité',
  'Ministère des Anciens combattants', 'Ministère de la Recherche', 'Ministère de la Cohésion',
  "Ministère de l'Énergie",
];

export const REGIONS = [
  'Auvergne-Rhône-Alpes', 'Bourgogne-Franche-Comté', 'Bretagne', 'Centre-Val de Loire',
  'Corse', 'Grand Est', 'Hauts-de-France', 'Île-de-France', 'Normandie',
  'Nouvelle-Aquitaine', 'Occitanie', 'Pays de la Loire', "Provence-Alpes-Côte d'Azur",
  'Guadeloupe', 'Martinique', 'Guyane', 'La Réunion', 'Mayotte',
];

export const HEADER = 'exercice,ministere,region,montant';

/** Row i of the file (0-based), deterministic. `next` is a seeded generator. */
function* rowsOf(count) {
  let s = 0x9e3779b9 >>> 0;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
  for (let i = 0; i < count; i += 1) {
    const exercice = 2015 + (i % 10);
    const ministere = MINISTERES[next() % MINISTERES.length];
    const region = REGIONS[next() % REGIONS.length];
    const cents = next() % 1_000_000_000; // up to 9 999 999,99
    const montant = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    yield `${exercice},${ministere},${region},${montant}\n`;
  }
}

/** Writes the file unless a complete copy (same rows, same size) is already there. */
export async function bigCsv(rows = 1_000_000, out = join(tmpdir(), `loupe-big-${rows}.csv`)) {
  const stamp = `${out}.done`;
  if (existsSync(out) && existsSync(stamp)) {
    const want = readFileSync(stamp, 'utf8').trim();
    if (String(statSync(out).size) === want) return out;
  }
  const stream = createWriteStream(out);
  let chunk = `${HEADER}\n`;
  for (const line of rowsOf(rows)) {
    chunk += line;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.write(chunk);
  stream.end();
  await once(stream, 'finish');
  writeFileSync(stamp, String(statSync(out).size));
  return out;
}

export const BUDGET_HEADER =
  'exercice,ministere,programme,action,nature_depense,region,date_paiement,montant,quantite,libelle';
export const BUDGET_MINISTERES = ['Travail, Plein emploi et Insertion', 'Armées', 'Intérieur', 'Justice', 'Culture'];

/**
 * Writes the budget-like file (same bytes as tests/bench/longtask.mjs always wrote, so a cached
 * copy stays valid) unless a complete copy is there; returns its path.
 */
export async function budgetCsv(rows = 1_000_000, out = join(tmpdir(), `loupe-longtask-${rows}.csv`)) {
  const stamp = `${out}.done`;
  if (existsSync(out) && existsSync(stamp) && String(statSync(out).size) === readFileSync(stamp, 'utf8').trim()) return out;
  const stream = createWriteStream(out);
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const regions = ['Bretagne', 'Île-de-France', 'Occitanie', 'Grand Est', 'Normandie', 'Corse'];
  const ministeres = BUDGET_MINISTERES.map((m) => (m.includes(',') ? `"${m}"` : m));
  const natures = ['Titre 2 - Personnel', 'Titre 3 - Fonctionnement', 'Titre 5 - Investissement'];
  let chunk = `${BUDGET_HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    const y = 2015 + Math.floor(rnd() * 10);
    const p = 100 + Math.floor(rnd() * 200);
    const m = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
    const d = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
    const montant = (rnd() * 100000 - 3000).toFixed(2);
    const q = rnd() < 0.01 ? '' : String(Math.floor(rnd() * 500));
    chunk += `${y},${pick(ministeres)},P${p} Programme ${p},0${p}-0${Math.floor(rnd() * 9)},${pick(natures)},${pick(regions)},${y}-${m}-${d},${montant},${q},"Facture ${Math.floor(rnd() * 1e7)} SAS Martin & Fils, location véhicules"\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.write(chunk);
  stream.end();
  await once(stream, 'finish');
  writeFileSync(stamp, String(statSync(out).size));
  return out;
}

/** Splits one CSV line (RFC 4180 quotes, no newline inside quotes in these files). */
function splitLine(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
}

/**
 * Reads a budget-like file line by line and returns { rows, perMinistere: {label: rows},
 * minMontant, maxMontant, sumCentsByMinistereYear: {"label|year": cents}, libelleDistinct,
 * libelleFacture7: rows whose label contains "facture 7" } (cached next to the file as
 * <file>.stats2.json).
 */
export async function budgetStats(path) {
  const cache = `${path}.stats2.json`;
  if (existsSync(cache) && statSync(cache).mtimeMs >= statSync(path).mtimeMs) return JSON.parse(readFileSync(cache, 'utf8'));
  const { createInterface } = await import('node:readline');
  const { createReadStream } = await import('node:fs');
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  const stats = { rows: 0, perMinistere: {}, minMontant: Infinity, maxMontant: -Infinity, sumCentsByMinistereYear: {}, libelleDistinct: 0, libelleFacture7: 0 };
  const libelles = new Set();
  let header = null;
  for await (const line of lines) {
    if (line === '') continue;
    const f = splitLine(line);
    if (!header) { header = f; continue; }
    const [y, min, , , , , , montant, , libelle] = f;
    stats.rows++;
    libelles.add(libelle);
    if (libelle.toLowerCase().includes('facture 7')) stats.libelleFacture7++;
    stats.perMinistere[min] = (stats.perMinistere[min] ?? 0) + 1;
    const v = Number(montant);
    if (v < stats.minMontant) stats.minMontant = v;
    if (v > stats.maxMontant) stats.maxMontant = v;
    const neg = montant.startsWith('-');
    const [int, frac = ''] = montant.replace('-', '').split('.');
    const cents = (neg ? -1 : 1) * (Number(int) * 100 + Number(frac.padEnd(2, '0')));
    const k = `${min}|${y}`;
    stats.sumCentsByMinistereYear[k] = (stats.sumCentsByMinistereYear[k] ?? 0) + cents;
  }
  stats.libelleDistinct = libelles.size;
  writeFileSync(cache, JSON.stringify(stats));
  return stats;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const budget = process.argv[2] === '--budget';
  const argv = budget ? process.argv.slice(1) : process.argv;
  const rows = Number(argv[2] ?? 1_000_000);
  const t0 = Date.now();
  const path = budget ? await budgetCsv(rows, argv[3]) : await bigCsv(rows, argv[3]);
  const size = statSync(path).size;
  console.log(`${path}: ${rows} rows, ${size} bytes (${(size / rows).toFixed(1)} B/row), ${Date.now() - t0} ms`);
}
