// Stories (issue #12): each bundled story renders every step with the numbers computed here,
// independently, from the CSV files (plain JS over the files, not Loupe's engine); each step's
// "Explorer ces données" opens the same view; datasets load once per story; hostile and
// unreadable stories; the editor flow (add three views, write, reorder, share, reopen from the
// link, the draft survives a reload); a story embedded across origins; axe-core; screenshots
// at 1280 and 390 px.
//
//   LOUPE_DIST=dist node --test --test-concurrency=1 tests/e2e/story.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { axeViolations } from './axe.mjs';
import { parseCsv } from './csv.mjs';
import { useLoupe, openReady, WWW, SCREENSHOTS, NARROW, DIST } from './harness.mjs';
import { startServer } from './server.mjs';

const t = useLoupe();
const byId = (id) => t.page.locator(`[data-testid="${id}"]`);

const STORY_IDS = ['budget-etat-2026', 'marches-travaux-2024', 'taxe-habitation-departements'];
const story = (id) => JSON.parse(readFileSync(join(WWW, 'stories', `${id}.json`), 'utf8'));

// ---- The data, read here -------------------------------------------------------------------

const tables = new Map();
/** The rows of a bundled CSV as objects (header → value). */
function csv(file) {
  if (!tables.has(file)) {
    const { header, rows } = parseCsv(readFileSync(join(WWW, 'data', file), 'utf8').replace(/^\uFEFF/, ''));
    tables.set(file, rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))));
  }
  return tables.get(file);
}

/** [label, value] pairs: `agg` of `value(row)` by `key(row)`, largest first, empty keys out. */
function grouped(rows, key, value, agg) {
  const acc = new Map();
  for (const r of rows) {
    const k = key(r);
    if (k === '' || k === undefined) continue;
    const a = acc.get(k) ?? { sum: 0, n: 0 };
    a.sum += value(r);
    a.n += 1;
    acc.set(k, a);
  }
  return [...acc.entries()]
    .map(([k, a]) => [k, agg === 'mean' ? a.sum / a.n : a.sum])
    .sort((x, y) => y[1] - x[1]);
}
const count = () => 1;
const num = (col) => (r) => Number(r[col]);

/** The inner join of the tax rates with the communes (the stories' `join`). */
function ratesWithCommunes() {
  const communes = new Map(csv('communes_population.csv').map((c) => [c.code_commune, c]));
  return csv('taux_th_communes_2022.csv')
    .filter((r) => communes.has(r.code_insee_commune))
    .map((r) => ({ ...r, ...communes.get(r.code_insee_commune) }));
}

/** What each step's chart table must start with, from the files. */
const EXPECTED = {
  'budget-etat-2026': () => {
    const b = csv('lfi_2026_etat_b_cp.csv');
    const a = csv('lfi_2026_etat_a_recettes.csv');
    return [
      grouped(b, (r) => r.mission_label, num('cp_eur_jo')).slice(0, 10),
      grouped(b.filter((r) => r.mission_code !== 'RD'), (r) => r.mission_label, num('cp_eur_jo')).slice(0, 8),
      grouped(a.filter((r) => r.section === 'fiscal'), (r) => r.label, num('amount_eur')).slice(0, 8),
    ];
  },
  'marches-travaux-2024': () => {
    const d = csv('decp_2024h2_travaux.csv');
    return [
      grouped(d, (r) => r.procedure, count).slice(0, 3),
      grouped(d, (r) => r.offresRecues, count).slice(0, 3),
      grouped(d, (r) => r.titulaire_nom, count).slice(0, 3),
    ];
  },
  'taxe-habitation-departements': () => {
    const j = ratesWithCommunes();
    return [
      null, // A histogram: checked by its sentence below.
      grouped(j, (r) => r.departement, num('taux_com'), 'mean').slice(0, 10),
      grouped(j.filter((r) => r.departement === '35'), (r) => r.nom, num('taux_com'), 'mean').slice(0, 10),
    ];
  },
};

/** A French figure as a number: `145 600 362 742` → 145600362742, `25,7528 %` → 0.257528. */
function frNumber(text) {
  const t0 = text.replace(/[\s\u00a0\u202f]/g, '');
  const pct = t0.endsWith('%');
  const n = Number(t0.replace(/[%€]/g, '').replace(',', '.'));
  return pct ? n / 100 : n;
}

/** The rows of each step's chart table, as the page shows them. */
function stepTables(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="story-step"]')].map((s) =>
    [...s.querySelectorAll('[data-testid="chart-data-table"] tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent.trim()))));
}

/** Waits until every step's canvas has ink (drawn pixels that are not white). */
async function waitForAllInk(page) {
  await page.waitForFunction(() => {
    const canvases = [...document.querySelectorAll('[data-testid="story-step"] canvas[data-testid="chart"]')];
    return canvases.length > 0 && canvases.every((c) => {
      if (!c.width || !c.height) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 16) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) return true;
      return false;
    });
  }, null, { timeout: 30_000 });
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- Reading the bundled stories -----------------------------------------------------------

describe('bundled stories', () => {
  for (const id of STORY_IDS) {
    test(`${id}: every step draws its chart with the numbers of the files`, async () => {
      const s = story(id);
      await openReady(t.loupe, t.url({ story_src: id }));
      await waitForAllInk(t.page);
      assert.equal(await byId('story').count(), 1);
      assert.equal(await byId('story-title').textContent(), s.title);
      const steps = byId('story-step');
      assert.equal(await steps.count(), s.steps.length, 'one block per step');
      for (let i = 0; i < s.steps.length; i += 1) {
        const step = steps.nth(i);
        assert.equal(await step.locator('[data-testid="chart"]').count(), 1, `step ${i + 1} has its chart`);
        assert.ok((await step.locator('h2').textContent()).includes(s.steps[i].title));
        const summary = (await step.locator('[data-testid="chart-summary"]').textContent()).trim();
        assert.ok(summary.length > 20, `step ${i + 1} has its sentence: ${summary}`);
        assert.equal(await step.locator('canvas[data-testid="chart"]').getAttribute('aria-label'), summary, 'the canvas is labelled by its sentence');
        assert.ok((await step.locator('[data-testid="story-source"]').textContent()).includes('Licence'), 'source and licence');
      }
      const shown = await stepTables(t.page);
      const expected = EXPECTED[id]();
      let checked = 0;
      expected.forEach((rows, i) => {
        if (!rows) return;
        rows.forEach(([label, value], k) => {
          const row = shown[i][k];
          assert.ok(row, `step ${i + 1}, row ${k + 1} is shown`);
          assert.equal(row[0], label, `step ${i + 1}, row ${k + 1}: label`);
          const got = frNumber(row[1]);
          assert.ok(Math.abs(got - value) <= Math.abs(value) * 1e-4 + 1e-9, `step ${i + 1}, ${label}: ${row[1]} vs ${value}`);
          checked += 1;
        });
      });
      if (id === 'taxe-habitation-departements') {
        const rates = csv('taux_th_communes_2022.csv').map((r) => Number(r.taux_com));
        const sentence = await steps.nth(0).locator('[data-testid="chart-summary"]').textContent();
        const med = `${(Math.round(median(rates) * 1000) / 10).toFixed(1).replace('.', ',')}`;
        assert.ok(sentence.replace(/\s/g, '').includes(String(rates.length)), `${rates.length} values: ${sentence}`);
        assert.ok(sentence.includes(`médiane : ${med}`) || sentence.includes(`médiane\u00a0: ${med}`), `median ${med}: ${sentence}`);
        checked += 2;
      }
      console.log(`story ${id}: ${s.steps.length} steps drawn, ${checked} figures equal to the files'`);
    });
  }

  test('each step\'s "Explorer ces données" opens the explorer at the same view', async () => {
    for (const id of ['budget-etat-2026', 'taxe-habitation-departements']) {
      const s = story(id);
      await openReady(t.loupe, t.url({ story_src: id }));
      const links = await byId('story-explore').evaluateAll((as) => as.map((a) => a.href));
      const summaries = await byId('chart-summary').evaluateAll((ps) => ps.map((p) => p.textContent.trim()));
      assert.equal(links.length, s.steps.length);
      for (let i = 0; i < links.length; i += 1) {
        const u = new URL(links[i]);
        assert.equal(u.searchParams.get('src'), s.steps[i].src);
        const view = JSON.parse(Buffer.from(u.searchParams.get('view'), 'base64url').toString('utf8'));
        assert.deepEqual(view.chart, s.steps[i].view.chart, `step ${i + 1}: the link carries the step's chart`);
        assert.deepEqual(view.filters ?? [], s.steps[i].view.filters ?? []);
        if (s.steps[i].join) {
          const join = JSON.parse(Buffer.from(u.searchParams.get('join'), 'base64url').toString('utf8'));
          assert.equal(join.src, s.steps[i].join.src);
        }
        await openReady(t.loupe, links[i]);
        // A join adds its columns after the load: wait for the step's own sentence.
        await t.page.waitForFunction((want) => document.querySelector('[data-testid="chart-summary"]')?.textContent.trim() === want, summaries[i], { timeout: 30_000 })
          .catch(() => {});
        assert.equal((await byId('chart-summary').first().textContent()).trim(), summaries[i], `${id} step ${i + 1}: the explorer draws the same chart`);
      }
    }
  });

  test('a dataset shared by steps is read once', async () => {
    // The server's log is shared by the suite: count from here.
    let from = t.server.requests.length;
    await openReady(t.loupe, t.url({ story_src: 'marches-travaux-2024' }));
    const decp = t.server.requests.slice(from).filter((r) => r.endsWith('/data/decp_2024h2_travaux.csv'));
    assert.equal(decp.length, 1, `${decp}`);
    from = t.server.requests.length;
    await openReady(t.loupe, t.url({ story_src: 'taxe-habitation-departements' }));
    const rates = t.server.requests.slice(from).filter((r) => r.endsWith('/data/taux_th_communes_2022.csv'));
    const communes = t.server.requests.slice(from).filter((r) => r.endsWith('/data/communes_population.csv'));
    assert.equal(rates.length, 1, 'three steps, one read of the rates');
    assert.equal(communes.length, 1, 'two joins, one read of the communes');
  });

  test('the stories are on the citizen\'s home and in the catalogue', async () => {
    const catalog = JSON.parse(readFileSync(join(WWW, 'catalog.json'), 'utf8'));
    assert.deepEqual(catalog.stories.map((s) => s.id), STORY_IDS);
    await openReady(t.loupe, t.url({ persona: 'citizen' }));
    const links = byId('bundled-story');
    assert.equal(await links.count(), 3);
    await links.nth(1).click();
    await t.loupe.waitReady();
    assert.equal(await byId('story-title').textContent(), story('marches-travaux-2024').title);
  });

  test('lang=en: the interface in English, the story keeps its language', async () => {
    await openReady(t.loupe, t.url({ story_src: 'budget-etat-2026', lang: 'en' }));
    assert.equal(await t.page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await byId('story-explore').first().textContent(), 'Explore this data');
    assert.equal(await byId('story-title').getAttribute('lang'), 'fr');
    const href = await byId('story-explore').first().getAttribute('href');
    assert.equal(new URL(href).searchParams.get('lang'), 'en', 'the explorer opens in English too');
  });

  test('a story file on the same origin opens with story_src', async () => {
    await openReady(t.loupe, t.url({ story_src: 'stories/budget-etat-2026.json' }));
    assert.equal(await byId('story-step').count(), 3);
  });
});

// ---- Hostile and unreadable stories ----------------------------------------------------------

describe('hostile stories', () => {
  test('bad parts get a notice, the rest shows, markup stays text', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const s = {
      v: 1,
      title: `Titre ${evil}`,
      lede: `Chapeau [clic](javascript:alert(3)) **gras**`,
      steps: [
        { title: 'bonne', text: `Texte ${evil} et [un lien](https://www.data.gouv.fr/)`, src: 'lfi-2026-credits', view: { v: 1, chart: { kind: 'ranking', x: 'mission_label', y: 'cp_eur_jo' } } },
        { title: 'mauvaise source', text: '', src: 'javascript:alert(4)', view: { v: 1 } },
        { title: 'vue cassée', text: '', src: 'lfi-2026-credits', view: 'x' },
      ],
    };
    const b64 = Buffer.from(JSON.stringify(s)).toString('base64url');
    await openReady(t.loupe, t.url({ story: b64 }));
    assert.equal(await byId('story-step').count(), 1, 'the good step shows');
    const notice = await byId('story-notice').textContent();
    for (const bit of ['étape 2', 'étape 3', 'javascript:alert(3)']) assert.ok(notice.includes(bit), `notice names ${bit}: ${notice}`);
    assert.ok((await byId('story-title').textContent()).includes('<img src=x'), 'the title shows the markup as text');
    assert.equal(await t.page.locator('img[src="x"], script:not([src])').count(), 0, 'nothing injected');
    assert.equal(await t.page.locator('a[href^="javascript"]').count(), 0);
    assert.equal(await t.page.locator('.story-text a[href="https://www.data.gouv.fr/"]').count(), 1, 'the https link is a link');
    assert.equal(await t.page.locator('.story-lede strong').textContent(), 'gras');
    assert.ok(!t.server.requests.some((r) => /javascript|alert/.test(r)));
  });

  test('a step whose data cannot be loaded says why; the other steps draw and the page is ready', async () => {
    t.expectConsole(/404|Not Found/i);
    const s = {
      v: 1,
      title: 'Une étape sans données',
      steps: [
        { title: 'absente', text: 'x', src: 'data/absent.csv', view: { v: 1 } },
        { title: 'présente', text: 'y', src: 'lfi-2026-credits', view: { v: 1, chart: { kind: 'ranking', x: 'mission_label', y: 'cp_eur_jo' } } },
      ],
    };
    await openReady(t.loupe, t.url({ story: Buffer.from(JSON.stringify(s)).toString('base64url') }));
    assert.equal(await byId('story-step').count(), 2);
    const why = await byId('story-step').nth(0).locator('[data-testid="story-step-error"]').textContent();
    assert.ok(why.includes('404'), why);
    assert.equal(await byId('story-step').nth(1).locator('[data-testid="chart"]').count(), 1);
  });

  for (const [label, query] of [
    ['not base64url', '?story=%%%'],
    ['not JSON', `?story=${Buffer.from('{pas du json').toString('base64url')}`],
    ['a newer format', `?story=${Buffer.from('{"v":9,"title":"x","steps":[]}').toString('base64url')}`],
    ['an unknown bundled story', '?story_src=budget-etat-1999'],
    ['a javascript: source', '?story_src=javascript:alert(1)'],
  ]) {
    test(`an unreadable story (${label}) says so: data-loupe="error" and role="alert"`, async () => {
      await t.page.goto(t.url(query), { waitUntil: 'domcontentloaded' });
      assert.equal(await t.loupe.waitSettled(), 'error');
      const alert = t.page.locator('[role="alert"]');
      await alert.waitFor();
      assert.ok((await alert.textContent()).length > 20);
    });
  }
});

// ---- Writing a story -------------------------------------------------------------------------

describe('the story editor', () => {
  test('add three views, write, reorder, share, reopen from the link; the draft survives a reload', async () => {
    const views = [
      { src: 'lfi-2026-credits', persona: 'journalist' },
      { src: 'decp-travaux-2024', persona: 'journalist' },
      { src: 'taux-th-2022', persona: 'power' },
    ];
    const summaries = [];
    for (const [i, v] of views.entries()) {
      await openReady(t.loupe, t.url(v));
      await t.loupe.waitForChartInk();
      summaries.push((await byId('chart-summary').first().textContent()).trim());
      await byId('add-to-story').click();
      await t.page.waitForFunction((n) => document.querySelectorAll('[data-testid="story-draft-step"]').length === n, i + 1);
    }
    // The draft is in local storage: a reload keeps it.
    await t.page.reload();
    await t.loupe.waitReady();
    await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="story-draft-step"]').length === 3);

    await byId('story-draft-title').fill('Trois regards sur les finances publiques');
    await byId('story-draft-lede').fill('Un **chapeau** avec un [lien](https://www.economie.gouv.fr/).');
    const texts = ['Le budget par mission.', 'Les marchés de travaux.', 'Les taux de *taxe d\'habitation*.'];
    for (const [i, text] of texts.entries()) await byId('story-draft-step-text').nth(i).fill(text);
    // Reorder: the third step goes first (twice up), then the (new) second is deleted… and
    // put back by re-adding nothing: the story keeps taux, budget, marchés minus one? No:
    // keep all three, only reorder.
    await byId('story-step-up').nth(2).click();
    await byId('story-step-up').nth(1).click();
    const order = await byId('story-draft-step-text').evaluateAll((ts) => ts.map((x) => x.value));
    assert.deepEqual(order, [texts[2], texts[0], texts[1]], 'the third step moved to the top');

    const link = await byId('story-link').inputValue();
    const embed = await byId('story-embed-code').inputValue();
    assert.ok(link.includes('?story='), link);
    assert.ok(embed.startsWith('<iframe') && embed.includes('embed=1') && embed.includes('title="'), embed);
    await t.page.screenshot({ path: join(SCREENSHOTS, 'story-editor-1280.png'), fullPage: true });

    // Reopen from the link.
    await openReady(t.loupe, link);
    await waitForAllInk(t.page);
    assert.equal(await byId('story-title').textContent(), 'Trois regards sur les finances publiques');
    assert.equal(await t.page.locator('.story-lede a[href="https://www.economie.gouv.fr/"]').count(), 1);
    const stepTexts = await byId('story-text').evaluateAll((ds) => ds.map((d) => d.textContent.trim()));
    assert.deepEqual(stepTexts, [texts[2].replace(/\*/g, ''), texts[0], texts[1]]);
    const shown = await byId('chart-summary').evaluateAll((ps) => ps.map((p) => p.textContent.trim()));
    assert.deepEqual(shown, [summaries[2], summaries[0], summaries[1]], 'each step draws the view that was added');

    // Delete one step and share again: the link follows.
    await openReady(t.loupe, t.url(views[0]));
    await byId('story-step-delete').nth(1).click();
    await t.page.waitForFunction(() => document.querySelectorAll('[data-testid="story-draft-step"]').length === 2);
    const link2 = await byId('story-link').inputValue();
    await openReady(t.loupe, link2);
    assert.equal(await byId('story-step').count(), 2);
  });

  test('an uploaded story JSON replaces the draft', async () => {
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits', persona: 'journalist' }));
    await byId('add-to-story').click();
    await byId('story-draft-title').fill('Récit exporté');
    const json = story('budget-etat-2026');
    await byId('story-upload').setInputFiles({ name: 'recit.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
    await t.page.waitForFunction((title) => document.querySelector('[data-testid="story-draft-title"]')?.value === title, json.title);
    assert.equal(await byId('story-draft-step').count(), 3);
  });

  test('the citizen sees no editor', async () => {
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits', persona: 'citizen' }));
    assert.equal(await byId('add-to-story').count(), 0);
  });
});

// ---- Embedding, accessibility, screenshots ------------------------------------------------------

describe('a story embedded in another site', () => {
  let loupeServer;
  before(async () => { loupeServer = await startServer(DIST); });
  after(async () => loupeServer?.close());

  test('renders every step in a cross-origin iframe and reports its height', async () => {
    await t.page.goto(`${t.server.url}api.html`, { waitUntil: 'domcontentloaded' });
    const src = `${loupeServer.url}?story_src=budget-etat-2026&embed=1`;
    await t.page.evaluate((s) => {
      window.__heights = [];
      window.addEventListener('message', (e) => {
        if (e.data?.type === 'loupe:height') {
          window.__heights.push(e.data.height);
          document.querySelector('iframe').setAttribute('height', String(e.data.height));
        }
      });
      document.body.innerHTML = `<iframe src="${s}" title="Récit" width="600" height="400" style="border:0"></iframe>`;
    }, src);
    const frame = await (await t.page.locator('iframe').elementHandle()).contentFrame();
    await frame.waitForFunction(() => document.documentElement.dataset.loupe === 'ready', null, { timeout: 30_000 });
    assert.notEqual(new URL(frame.url()).origin, new URL(t.page.url()).origin, 'another origin');
    assert.equal(await frame.locator('[data-testid="story-step"] [data-testid="chart"]').count(), 3);
    assert.equal(await frame.locator('.site-header').count(), 0, 'no site header in embed mode');
    await t.page.waitForFunction(() => window.__heights.some((h) => h > 1000), null, { timeout: 10_000 });
    const heights = await t.page.evaluate(() => window.__heights);
    const target = await frame.locator('[data-testid="story-explore"]').first().getAttribute('target');
    assert.equal(target, '_blank', 'the explorer opens outside the frame');
    console.log(`story embed: ${heights.length} height messages, last ${heights.at(-1)} px`);
  });
});

describe('accessibility and looks', () => {
  test('axe-core: the story page and the editor have no serious or critical violation', async () => {
    const scan = async (label) => {
      await t.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      const v = await axeViolations(t.page, { tags: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
      for (const x of v) console.log(`axe ${label}: [${x.impact}] ${x.id} — ${x.nodes.slice(0, 4).join(' | ')}`);
      if (v.length === 0) console.log(`axe ${label}: no violation`);
      const grave = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      assert.deepEqual(grave.map((x) => `${x.id}: ${x.nodes.slice(0, 3).join(' | ')}`), [], label);
    };
    await openReady(t.loupe, t.url({ story_src: 'taxe-habitation-departements' }));
    await waitForAllInk(t.page);
    await scan('story');
    await openReady(t.loupe, t.url({ src: 'lfi-2026-credits', persona: 'journalist' }));
    await byId('add-to-story').click();
    await byId('story-draft-step').first().waitFor();
    await scan('editor');
  });

  test('the keyboard reaches the steps\' links and the table toggles', async () => {
    await openReady(t.loupe, t.url({ story_src: 'budget-etat-2026' }));
    const seen = new Set();
    for (let i = 0; i < 40; i += 1) {
      await t.page.keyboard.press('Tab');
      const id = await t.page.evaluate(() => document.activeElement?.dataset?.testid ?? document.activeElement?.tagName);
      seen.add(id);
    }
    assert.ok(seen.has('story-explore'), [...seen].join(','));
    assert.ok(seen.has('SUMMARY'), 'the chart data tables open from the keyboard');
  });

  for (const [label, viewport] of [['1280', null], ['390', NARROW]]) {
    test(`screenshot at ${label} px`, async () => {
      if (viewport) await t.page.setViewportSize(viewport);
      for (const id of STORY_IDS) {
        await openReady(t.loupe, t.url({ story_src: id }));
        await waitForAllInk(t.page);
        const overflow = await t.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `${id} at ${label} px: no horizontal scroll (${overflow} px)`);
        await t.page.screenshot({ path: join(SCREENSHOTS, `story-${id}-${label}.png`), fullPage: true });
      }
    });
  }
});
