// End-to-end: crossing a dataset with a reference table in the page (persona=power) and through
// the JavaScript API. Expected match rates are computed here from the CSV files themselves,
// independently of the engine.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { useLoupe, openReady, testIdText, digits, WWW } from './harness.mjs';

/** Values of a column of a simple CSV (no quoted delimiters in the columns read here). */
function column(file, name) {
  const text = readFileSync(join(WWW, 'data', file), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (l) => {
    const out = [];
    let cur = '';
    let quoted = false;
    for (const ch of l) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  const i = header.indexOf(name);
  assert.ok(i >= 0, `${file} has ${name}`);
  return lines.slice(1).map((l) => split(l)[i]);
}

// DECP buyers are SIRET (14 digits); their first 9 digits are a SIREN of the commune table.
const sirens = new Set(column('siren_communes_2022.csv', 'SIREN'));
const buyers = column('decp_2024h2_travaux.csv', 'acheteur_id');
const EXPECTED_MATCHED = buyers.filter((s) => sirens.has(s.slice(0, 9))).length;
const EXPECTED_RATE = EXPECTED_MATCHED / buyers.length;

describe('join flow in the page', () => {
  const t = useLoupe();

  test('DECP contracts x SIREN of communes: proposal, report, repair, apply, URL, undo', async () => {
    await openReady(t.loupe, t.url({ src: 'decp-travaux-2024', persona: 'power' }));
    const columnsBefore = digits(await testIdText(t.page, 'column-count'));
    await t.page.selectOption('[data-testid="join-reference"]', 'siren-communes-2022');
    await t.page.waitForSelector('[data-testid="join-report"]');

    // The first proposal is the identifier pair with the SIRET -> SIREN repair, not a
    // département code shared by hundreds of communes.
    const first = await t.page.locator('[data-testid="join-proposal"]').first();
    assert.equal(await first.isChecked(), true);
    assert.equal(await t.page.inputValue('[data-testid="join-left"]'), 'acheteur_id');
    assert.equal(await t.page.inputValue('[data-testid="join-right"]'), 'SIREN');

    const shown = await testIdText(t.page, 'join-match-rate');
    const pct = Number(shown.replace(/[^\d,]/g, '').replace(',', '.'));
    assert.ok(Math.abs(pct - EXPECTED_RATE * 100) < 0.06, `match rate ${shown} vs ${(EXPECTED_RATE * 100).toFixed(1)} %`);
    const report = await testIdText(t.page, 'join-report');
    // Counts are written the French way (narrow no-break spaces between thousands).
    assert.ok(report.replace(/[\s\u202f\u00a0]/g, '').includes(`(${EXPECTED_MATCHED}sur${buyers.length})`),
      `report gives ${EXPECTED_MATCHED} of ${buyers.length} rows: ${report}`);

    // Without the repair nothing matches, and the report offers the repair with its effect.
    await t.page.selectOption('[data-testid="join-right"]', 'COG');
    await t.page.selectOption('[data-testid="join-right"]', 'SIREN');
    await t.page.waitForFunction(() => document.querySelector('[data-testid="join-match-rate"]')?.textContent.startsWith('0'));
    const offer = t.page.locator('[data-testid="join-repair"]');
    assert.ok((await offer.count()) >= 1, 'a repair is offered');
    const offers = await offer.evaluateAll((els) => els.map((e) => e.labels[0]?.textContent ?? ''));
    assert.ok(offers.some((o) => o.includes('SIREN') && o.includes('%')), `SIRET -> SIREN offered with its rate: ${offers}`);
    const siret = await offer.evaluateAll((els) => els.findIndex((e) => (e.labels[0]?.textContent ?? '').includes('SIREN')));
    await offer.nth(siret).check();
    await t.page.waitForFunction((want) => {
      const t = document.querySelector('[data-testid="join-match-rate"]')?.textContent ?? '';
      return Math.abs(Number(t.replace(/[^\d,]/g, '').replace(',', '.')) - want) < 0.06;
    }, EXPECTED_RATE * 100);

    await t.page.click('[data-testid="apply-join"]');
    await t.page.waitForSelector('[data-testid="join-applied"]');
    const columnsAfter = digits(await testIdText(t.page, 'column-count'));
    assert.ok(columnsAfter > columnsBefore, `joined columns are added: ${columnsBefore} -> ${columnsAfter}`);
    assert.equal(digits(await testIdText(t.page, 'row-count')), buyers.length, 'a left join keeps every row');

    // Joined columns behave like any other: group by the commune's name from the reference.
    await t.page.selectOption('[data-testid="group-by"]', ['nom']);
    await t.page.waitForSelector('[data-testid="group-table"]');
    const groups = await t.page.locator('[data-testid="group-table"] tbody tr').count();
    assert.ok(groups > 10, `grouped by the joined commune name: ${groups} groups`);

    // The join travels in the URL: a reload restores it.
    const url = new URL(t.page.url());
    assert.ok(url.searchParams.has('join'), 'join in the URL');
    await openReady(t.loupe, url.href);
    await t.page.waitForSelector('[data-testid="join-applied"]');
    assert.equal(digits(await testIdText(t.page, 'column-count')), columnsAfter);
    await t.page.screenshot({ path: join(process.cwd(), 'tests/e2e/screenshots/join-1280.png'), fullPage: false });

    // Undo.
    await t.page.click('[data-testid="remove-join"]');
    await t.page.waitForFunction((n) => {
      const text = document.querySelector('[data-testid="column-count"]')?.textContent ?? '';
      return Number(text.replace(/\D/g, '')) === n;
    }, columnsBefore);
  });
});

describe('join through the JavaScript API', () => {
  const t = useLoupe();

  test('ds.join returns the dataset and a report; 1M rows x 40k reference timed', async () => {
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits' }));
    const result = await t.page.evaluate(async () => {
      const bytes = async (f) => new Uint8Array(await (await fetch(f)).arrayBuffer());
      const decp = await window.loupe.load(await bytes('data/decp_2024h2_travaux.csv'));
      const siren = await window.loupe.load(await bytes('data/siren_communes_2022.csv'));
      const proposals = decp.propose_join(siren);
      const { dataset, report } = decp.join(siren, { left_on: ['acheteur_id'], right_on: ['SIREN'], how: 'inner', repairs: ['siret_to_siren'] });
      const out = { report, rows: dataset.rows, proposal: proposals[0], schema: dataset.schema().map((f) => f.name) };

      // Speed: a generated 1M-row table of commune codes joined with a 40k-row reference.
      const ref = ['code;nom'];
      for (let i = 0; i < 40000; i++) ref.push(`${String(1000 + i).padStart(5, '0')};Commune ${i}`);
      const big = ['code;montant'];
      for (let i = 0; i < 1000000; i++) big.push(`${String(1000 + ((i * 7919) % 42000)).padStart(5, '0')};${i % 1000},${i % 100}`);
      const enc = new TextEncoder();
      const left = await window.loupe.load(enc.encode(big.join('\n')));
      const right = await window.loupe.load(enc.encode(ref.join('\n')));
      const t0 = performance.now();
      const joined = left.join(right, { left_on: ['code'], right_on: ['code'], how: 'left' });
      out.bigMs = performance.now() - t0;
      out.bigRate = joined.report.match_rate;
      out.bigRows = joined.dataset.rows;
      for (const d of [decp, siren, dataset, left, right, joined.dataset]) d.free();
      return out;
    });
    console.log(`join API: DECP x SIREN ${result.report.matched}/${result.report.matched + result.report.unmatched}; 1M x 40k left join in ${result.bigMs.toFixed(0)} ms (match rate ${result.bigRate.toFixed(4)})`);
    assert.equal(result.report.matched, EXPECTED_MATCHED);
    assert.equal(result.report.unmatched, buyers.length - EXPECTED_MATCHED);
    assert.ok(Math.abs(result.report.match_rate - EXPECTED_RATE) < 1e-9);
    assert.equal(result.rows, EXPECTED_MATCHED, 'inner join keeps the matched rows');
    assert.equal(result.report.duplicate_right_keys, 0);
    assert.ok(Array.isArray(result.report.unmatched_examples) && result.report.unmatched_examples.length > 0);
    assert.ok(result.schema.includes('nom'), 'the reference columns are added');
    assert.equal(result.proposal.left, 'acheteur_id');
    assert.equal(result.proposal.right, 'SIREN');
    assert.equal(result.bigRows, 1000000);
    // Codes 01000..42999 drawn against a reference of 01000..40999: 40/42 of them match.
    assert.ok(Math.abs(result.bigRate - 40000 / 42000) < 0.01, `big join rate ${result.bigRate}`);
  });
});
