#!/usr/bin/env node
// Writes a deterministic, French-budget-like CSV for the end-to-end load test:
//
//   node scripts/gen_big_csv.mjs [rows=1000000] [out=/tmp/loupe-big-<rows>.csv]
//
// Columns: exercice (2015-2024), ministere (30 labels), region (18 labels), montant (2
// decimals). About 60 bytes a row, UTF-8, `,`-separated, LF line ends. The same arguments
// always give the same bytes (a fixed-seed xorshift generator), so the file is cached: an
// existing file of the expected size is reused. As a module, `bigCsv(rows)` returns the path.

import { createWriteStream, existsSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

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
export async function bigCsv(rows = 1_000_000, out = `/tmp/loupe-big-${rows}.csv`) {
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const t0 = Date.now();
  const path = await bigCsv(rows, process.argv[3]);
  const size = statSync(path).size;
  console.log(`${path}: ${rows} rows, ${size} bytes (${(size / rows).toFixed(1)} B/row), ${Date.now() - t0} ms`);
}
