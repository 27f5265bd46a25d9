// Personas x bundled datasets: every `?src=<id>&persona=<p>` reaches data-loupe="ready" with a
// drawn chart; screenshots of the LFI dataset per persona; the citizen's guided questions,
// glossary links and "find my commune" (by name, and by INSEE code through the bundled
// population table).
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/personas.test.mjs

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsv } from './csv.mjs';

import {
  useLoupe, openReady, testIdText, waitTextChange, rowTexts,
  DATASET_IDS, PERSONAS, PRESETS, SCREENSHOTS, WIDE, NARROW, WWW,
} from './harness.mjs';

const t = useLoupe();
const LFI = 'lfi-2026-credits';

describe('every persona opens every bundled dataset', () => {
  for (const persona of PERSONAS) {
    for (const id of DATASET_IDS) {
      test(`${persona} x ${id}`, async () => {
        await openReady(t.loupe, t.url({ src: id, persona }));
        assert.ok((await t.loupe.waitForChartInk()) > 0, 'chart is blank');
        assert.ok((await t.loupe.title.textContent())?.trim(), 'dataset title is empty');
        const pressed = await t.page
          .locator(`[data-testid="persona-${persona}"]`)
          .getAttribute('aria-pressed');
        assert.equal(pressed, 'true', `persona-${persona} button is not pressed`);
        assert.ok(await testIdText(t.page, 'chart-summary'), 'chart summary is empty');
        if (id === LFI) {
          for (const size of [WIDE, NARROW]) {
            await t.loupe.screenshot(join(SCREENSHOTS, `persona-${persona}-${size.width}.png`), size);
            // A resize redraws the chart: it must still have ink at this width.
            assert.ok((await t.loupe.waitForChartInk()) > 0, `chart is blank at ${size.width} px`);
          }
        }
      });
    }
  }
});

/** Glossary links (a.term) of the page whose target id does not exist. */
function brokenTermLinks(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a.term')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((href) => !href.startsWith('#') || !document.getElementById(decodeURIComponent(href.slice(1)))),
  );
}

describe('citizen: guided questions', () => {
  const withQuestions = Object.entries(PRESETS.citizen.views).filter(([, v]) => v.length >= 2);
  for (const [id, questions] of withQuestions) {
    test(`${id}: each question changes the chart and is pressed`, async () => {
      await openReady(t.loupe, t.url({ src: id, persona: 'citizen' }));
      await t.loupe.waitForChartInk();
      const buttons = t.page.locator('[data-testid="question"]');
      assert.equal(await buttons.count(), questions.length, 'one button per guided question');
      // The first question is open by default: visit the others, then come back to it.
      const order = [...questions.keys()].slice(1).concat([0]);
      for (const i of order) {
        const before = await testIdText(t.page, 'chart-summary');
        const label = await buttons.nth(i).textContent();
        await buttons.nth(i).click();
        const after = await waitTextChange(t.page, 'chart-summary', before).catch(() => before);
        assert.notEqual(after, before, `question «${label}» did not change the chart summary («${before}»)`);
        const pressed = await buttons.evaluateAll((els) => els.map((b) => b.getAttribute('aria-pressed')));
        assert.deepEqual(
          pressed,
          questions.map((_, j) => String(j === i)),
          `aria-pressed after clicking «${label}»`,
        );
        assert.ok((await t.loupe.waitForChartInk()) > 0, `chart blank after «${label}»`);
        assert.deepEqual(await brokenTermLinks(t.page), [], `glossary links without a target after «${label}»`);
      }
    });
  }

  test(`${LFI}: glossary links of the explanations point to existing anchors`, async () => {
    await openReady(t.loupe, t.url({ src: LFI, persona: 'citizen' }));
    const buttons = t.page.locator('[data-testid="question"]');
    let seen = 0;
    for (let i = 0; i < (await buttons.count()); i += 1) {
      await buttons.nth(i).click();
      await t.page.locator('[data-testid="question"][aria-pressed="true"]').nth(0).waitFor();
      seen += await t.page.locator('[data-testid="explanation"] a.term').count();
      assert.deepEqual(await brokenTermLinks(t.page), [], 'glossary links without a target');
    }
    assert.ok(seen > 0, 'no glossary link (a.term) in any explanation of the LFI questions');
    // Following one lands on its definition.
    const link = t.page.locator('[data-testid="explanation"] a.term').first();
    const href = await link.getAttribute('href');
    await link.click();
    await t.page.waitForFunction((h) => location.hash === h, href);
    // On screen, though the panels between were skipped by the browser until then
    // (`content-visibility: auto`: their height was a placeholder).
    await t.page.waitForTimeout(300);
    const at = await t.page.locator(href).evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight, visible: e.checkVisibility() };
    });
    assert.ok(at.visible && at.top >= 0 && at.bottom <= at.height, `${href} is not on screen after following its link: ${JSON.stringify(at)}`);
  });
});

describe('citizen: find my commune', () => {
  async function findCommune(id, name, worker = undefined) {
    await openReady(t.loupe, t.url({ src: id, persona: 'citizen', worker }));
    const chipsBefore = await t.page.locator('[data-testid="filter-chip"]').count();
    const input = t.page.locator('[data-testid="commune-search"]');
    await input.fill(name);
    await input.press('Enter');
    const rows = t.page.locator('[data-testid="commune-rows"]');
    await rows.waitFor({ state: 'visible' });
    await t.page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="filter-chip"]').length > n,
      chipsBefore,
    );
    return rows;
  }

  // Communes whose name contains «rennes» (any case), from the population table itself.
  const containing = (needle) => {
    const text = readFileSync(join(WWW, 'data', 'communes_population.csv'), 'utf8');
    const { rows } = parseCsv(text);
    return new Set(rows.filter((r) => r[1].toLowerCase().includes(needle)).map((r) => r[0]));
  };

  test('communes-population: «Rennes» shows matching rows, a chip, and Rennes itself', async () => {
    const rows = await findCommune('communes-population', 'Rennes');
    const body = await rows.locator('tbody tr').allInnerTexts();
    assert.ok(body.length > 0, 'no matching row');
    for (const r of body) assert.match(r, /rennes/i, 'a shown row does not match «Rennes»');
    const chips = await t.page.locator('[data-testid="filter-chip"]').allInnerTexts();
    assert.ok(chips.some((c) => c.includes('Rennes')), `no chip mentions Rennes: ${chips}`);
    // The commune asked for must be among the rows shown (not only Varennes, Marennes…).
    await t.page.locator('section.find-commune').screenshot({ path: join(SCREENSHOTS, 'bug-find-commune-communes-population.png') });
    assert.ok(
      body.some((r) => r.split('\t')[0] === '35238'),
      `Rennes (35238) is not among the ${body.length} rows shown: ${body.map((r) => r.split('\t').slice(0, 2).join(' ')).join(' | ')}`,
    );
  });

  test('communes-population held by the engine\'s worker: «Rennes» is found among every commune, not only the page\'s first rows', async () => {
    // Rennes is 846 KB into the file, far past the rows the page keeps for the schema: its
    // name must come from the worker (every value of the column), its rows from the worker's
    // first page.
    const offset = readFileSync(join(WWW, 'data', 'communes_population.csv')).indexOf('\n35238,Rennes,');
    assert.ok(offset > 256 * 1024, `Rennes at byte ${offset}`);
    // The file by its URL (`worker=1` reads a URL or a picked file in the worker).
    const rows = await findCommune(`${t.server.url}data/communes_population.csv`, 'Rennes', '1');
    assert.equal(await t.page.locator('[data-engine="worker"]').count(), 1, 'the worker holds the dataset');
    const body = await rowTexts(rows.locator('tbody tr'));
    assert.ok(body.length > 0, 'no matching row');
    for (const r of body) assert.match(r, /rennes/i, 'a shown row does not match «Rennes»');
    assert.ok(
      body.some((r) => r.split('\t')[0] === '35238'),
      `Rennes (35238) is not among the ${body.length} rows shown: ${body.join(' | ')}`,
    );
  });

  test('taux-th-2022 (codes only): «Rennes» maps to INSEE codes through the population table', async () => {
    const rows = await findCommune('taux-th-2022', 'Rennes');
    assert.ok(t.server.requests.some((r) => r.includes('communes_population.csv')), 'population table not loaded');
    const body = await rows.locator('tbody tr').allInnerTexts();
    assert.ok(body.length > 0, 'no matching row');
    const expected = containing('rennes');
    for (const r of body) {
      const code = r.split('\t')[0].trim();
      assert.ok(expected.has(code), `row ${code} is not a commune whose name contains «Rennes»`);
    }
    const chips = await t.page.locator('[data-testid="filter-chip"]').allInnerTexts();
    assert.ok(chips.some((c) => c.includes('code_insee_commune')), `no chip on the code column: ${chips}`);
    await t.page.locator('section.find-commune').screenshot({ path: join(SCREENSHOTS, 'bug-find-commune-taux-th-2022.png') });
    assert.ok(
      body.some((r) => r.split('\t')[0].trim() === '35238'),
      `Rennes (35238) is not among the ${body.length} rows shown: ${body.map((r) => r.split('\t')[0]).join(', ')}`,
    );
  });
});

describe('citizen: amounts per inhabitant are not shared out (G14.1)', () => {
  const OFGL = 'ofgl-communes-2024';
  // From the bundled CSV itself: the 2024 « Dépenses totales » of the main budgets, one row per
  // commune, ranked by « Montant en € par habitant ».
  const { header, rows } = parseCsv(readFileSync(join(WWW, 'data', 'ofgl_communes_guadeloupe_2024.csv'), 'utf8').replace(/^\uFEFF/, ''));
  const col = (name) => header.indexOf(name);
  const perHead = rows
    .filter((r) => r[col('Agrégat')] === 'Dépenses totales' && r[col('Type de budget')] === 'Budget principal')
    .map((r) => [r[col('Nom 2024 Commune')], Number(r[col('Montant en € par habitant')])])
    .sort((a, b) => b[1] - a[1]);
  const top = perHead.slice(0, 12);
  // French amounts of a few thousand euros as the page writes them: whole euros, a narrow
  // no-break space between thousands, a no-break space before €.
  const euros = (v) => `${String(Math.round(v)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202F')}\u00A0€`;
  const sorted = top.map(([, v]) => v).sort((a, b) => a - b);
  const median = (sorted[5] + sorted[6]) / 2;

  test(`${OFGL}: « Et par habitant ? » ranks each commune's amount, with no total, share or Autres`, async () => {
    assert.equal(perHead.length, 32, 'one row per commune of Guadeloupe');
    await openReady(t.loupe, t.url({ src: OFGL, persona: 'citizen' }));
    await t.loupe.waitForChartInk();
    const before = await testIdText(t.page, 'chart-summary');
    await t.page.locator('[data-testid="question"]', { hasText: 'Et par habitant' }).click();
    const summary = await waitTextChange(t.page, 'chart-summary', before);
    assert.doesNotMatch(summary, /total|Autres|soit/, summary);
    assert.equal(
      summary,
      `${top[0][0]} arrive en tête avec ${euros(top[0][1])} (moyenne de «\u00A0Montant en € par habitant\u00A0»)\u202F; `
        + `12 valeurs de «\u00A0Nom 2024 Commune\u00A0», de ${euros(sorted[0])} à ${euros(sorted[11])}\u202F; médiane\u00A0: ${euros(median)}.`,
    );
    const names = await t.page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="chart-data-table"] tbody tr')].map((tr) => tr.cells[0]?.textContent.trim()),
    );
    assert.deepEqual(names, top.map(([n]) => n), 'the 12 communes in order, and no « Autres » row');
  });
});
