#!/usr/bin/env node
// Loupe against the best peer, from a peer-benchmark results file (the harness's
// results/latest.json): for every size and variant, Loupe's figure, the best other peer's and
// the ratio, against issue 13's goals (load <= 0.5x the best peer, every query <= 0.25x,
// live memory <= 0.5x DuckDB-WASM's). Only runs whose answers matched the truth file count.
//
//   node scripts/bench_ratios.mjs [results.json]     (scripts/bench.sh runs it at the end)

import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'results/latest.json';
const { meta, runs } = JSON.parse(readFileSync(file, 'utf8'));

const valid = (r) => !r.errors?.length && Object.values(r.validation ?? {}).every((v) => v.ok);
const metrics = [
  ['load1', (r) => r.load?.cold_ms, 0.5, 'best'],
  ['loadW', (r) => r.load?.median_ms, 0.5, 'best'],
  ['filter', (r) => r.ops?.filter?.median, 0.25, 'best'],
  ['groupBy', (r) => r.ops?.groupBy?.median, 0.25, 'best'],
  ['pivot', (r) => r.ops?.pivot?.median, 0.25, 'best'],
  ['distinct', (r) => r.ops?.distinct?.median, 0.25, 'best'],
  ['liveMB', (r) => (r.memory?.liveDelta == null ? undefined : r.memory.liveDelta / 2 ** 20), 0.5, 'duckdb'],
];
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

console.log(`\n### Loupe / best peer (machine: ${meta?.cpus ?? '?'} cores, ${meta?.cpuModel ?? '?'})`);
const groups = new Map();
for (const r of runs) {
  const k = `${r.rows} ${r.variant}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}
let allMet = true;
for (const [k, rs] of groups) {
  const loupe = rs.find((r) => r.peer === 'loupe' && valid(r));
  const others = rs.filter((r) => r.peer !== 'loupe' && valid(r));
  if (!loupe || !others.length) {
    console.log(`\n${k}: no valid Loupe run or no valid peer to compare with`);
    continue;
  }
  const [rows, variant] = k.split(' ');
  console.log(`\n${Number(rows).toLocaleString('en')} rows, ${variant}`);
  console.log('| metric | Loupe | best peer | ratio | goal | |');
  console.log('|:--|--:|:--|--:|--:|:--|');
  for (const [name, get, goal, against] of metrics) {
    const mine = get(loupe);
    const pool = others
      .filter((r) => against === 'best' || r.peer === against)
      .map((r) => [r.peer, get(r)])
      .filter(([, v]) => typeof v === 'number' && v > 0);
    if (typeof mine !== 'number' || !pool.length) continue;
    const [peer, best] = pool.reduce((a, b) => (b[1] < a[1] ? b : a));
    const ratio = mine / best;
    const met = ratio <= goal;
    allMet &&= met;
    console.log(`| ${name} | ${fmt(mine)} | ${peer} ${fmt(best)} | ${ratio.toFixed(2)}x | <= ${goal}x | ${met ? 'met' : 'NOT met'} |`);
  }
}
console.log(`\nall goals met: ${allMet ? 'yes' : 'no'}`);
