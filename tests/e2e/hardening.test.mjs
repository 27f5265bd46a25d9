// What a user, a link or a file must not be able to do to Loupe (issue 14): an oversized pivot
// through the panel, a link and the JS API answers with a clear message and the page keeps
// working; a mistyped id, a web page, a refused scheme, a CORS refusal, a network failure and a
// failing join link each say their true cause. Runs against the release build in dist/.
//
//   node --test tests/e2e/hardening.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { useLoupe, LOAD_TIMEOUT } from './harness.mjs';

/** The oversized pivot of the issue: every commune code against every commune name. */
const HUGE_PIVOT = { rows: 'COM', columns: 'LIBELLE', value: { op: 'count' } };
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

const t = useLoupe({ viewport: { width: 1280, height: 900 } });
/** A second origin that serves a CSV without CORS headers. */
let otherOrigin;

before(async () => {
  otherOrigin = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/csv' }).end('a;b\n1;2\n');
  });
  await new Promise((ok) => otherOrigin.listen(0, '127.0.0.1', ok));
});

after(async () => {
  await new Promise((ok) => otherOrigin?.close(ok) ?? ok());
});

/** Opens the page with these query parameters and waits until it settles. */
async function openWith(params) {
  const t0 = Date.now();
  await t.page.goto(t.url(params), { waitUntil: 'domcontentloaded' });
  const state = await t.loupe.waitSettled();
  return { state, ms: Date.now() - t0 };
}

/** The page still works: a filter through the API-free path (a chip) changes the count. */
async function pageStillWorks() {
  assert.equal(await t.loupe.state(), 'ready');
  await t.loupe.waitForChartInk();
  assert.ok((await t.loupe.rows()) > 0, 'row count shown');
}

describe('an oversized pivot never takes the page down', () => {
  test('through a shared link: dropped on load, with a URL notice naming the figure', async () => {
    const { state, ms } = await openWith({
      src: 'insee-communes-2022',
      persona: 'power',
      view: b64({ v: 1, pivot: HUGE_PIVOT }),
    });
    assert.equal(state, 'ready');
    const notice = t.page.locator('[role="status"]', { hasText: 'tableau croisé' });
    await notice.first().waitFor({ timeout: LOAD_TIMEOUT });
    const text = await notice.first().textContent();
    assert.match(text, /Lien partiellement lu : [\d\u202f]+ colonnes dans le tableau croisé \(au plus 1\u202f000\)/);
    assert.match(text, /choisissez une colonne avec moins de valeurs, ou filtrez/);
    assert.equal(await t.loupe.byTestId('pivot-table').count(), 0, 'no pivot drawn');
    await pageStillWorks();
    console.log(`  link with the COM x LIBELLE pivot: page ready with its notice in ${ms} ms`);
  });

  test('through the pivot panel: the panel says why, the rest of the page works', async () => {
    const { state } = await openWith({ src: 'insee-communes-2022', persona: 'power' });
    assert.equal(state, 'ready');
    await t.loupe.byTestId('pivot-rows').selectOption('COM');
    const t0 = Date.now();
    await t.loupe.byTestId('pivot-columns').selectOption('LIBELLE');
    const error = t.loupe.byTestId('query-error');
    await error.waitFor({ timeout: LOAD_TIMEOUT });
    const ms = Date.now() - t0;
    assert.match(await error.textContent(), /colonnes dans le tableau croisé \(au plus 1\u202f000\) : choisissez une colonne avec moins de valeurs, ou filtrez/);
    await pageStillWorks();
    // A sensible pivot afterwards works: région x département type.
    await t.loupe.byTestId('pivot-rows').selectOption('REG');
    await t.loupe.byTestId('pivot-columns').selectOption('TYPECOM');
    await t.loupe.byTestId('pivot-table').waitFor({ timeout: LOAD_TIMEOUT });
    console.log(`  pivot panel COM x LIBELLE refused in ${ms} ms`);
  });

  test('through the JS API: ds.query rejects with the message, the dataset stays usable', async () => {
    await openWith({ src: 'lfi-2026-credits' });
    const out = await t.page.evaluate(async (pivot) => {
      const bytes = new Uint8Array(await (await fetch('data/insee_communes_2022.csv')).arrayBuffer());
      const ds = await window.loupe.load(bytes);
      let message = null;
      const t0 = performance.now();
      try {
        await ds.query({ pivot });
      } catch (e) {
        message = String(e.message ?? e);
      }
      const ms = performance.now() - t0;
      const count = await ds.query({ aggregates: [{ op: 'count', as: 'n' }] });
      return { message, ms, count };
    }, HUGE_PIVOT);
    assert.match(out.message, /colonnes dans le tableau croisé/);
    assert.match(out.message, /columns in the pivot table \(at most 1,000\)/);
    // 37 600 rows: the INSEE 2022 file has 37 600 data lines (wc -l minus the header).
    assert.deepEqual(out.count.rows, [[37600]]);
    console.log(`  ds.query COM x LIBELLE refused in ${out.ms.toFixed(0)} ms`);
  });
});

describe('errors say the true cause', () => {
  test('a mistyped dataset id is an unknown dataset, with the closest ids', async () => {
    const { state } = await openWith({ src: 'decp-2024h2-travaux' });
    assert.equal(state, 'error');
    const alert = await t.loupe.alert.first().textContent();
    assert.match(alert, /jeu de données inconnu « decp-2024h2-travaux »/);
    assert.match(alert, /vouliez-vous dire : decp-travaux-2024/);
    assert.equal(await t.loupe.byTestId('data-table').count(), 0, 'no table of HTML lines');
  });

  test('an address that answers a web page is named a web page, not read as CSV', async () => {
    const { state } = await openWith({ src: 'index.html' });
    assert.equal(state, 'error');
    assert.match(await t.loupe.alert.first().textContent(), /contient une page web \(HTML\), pas un fichier CSV/);
  });

  test('plain http to another host is refused with a notice; the default dataset opens', async () => {
    const { state } = await openWith({ src: 'http://example.org/x.csv' });
    assert.equal(state, 'ready');
    const notice = await t.loupe.byTestId('url-notice').textContent();
    assert.match(notice, /seules les adresses https:\/\/ sont ouvertes/);
  });

  test('a server without CORS headers is a CORS refusal', async () => {
    t.expectConsole(/CORS|Access-Control-Allow-Origin|Failed to load resource|ERR_FAILED/i);
    const port = otherOrigin.address().port;
    const { state } = await openWith({ src: `http://127.0.0.1:${port}/x.csv` });
    assert.equal(state, 'error');
    assert.match(await t.loupe.alert.first().textContent(), /n'autorise pas une autre page à lire ce fichier \(CORS\)/);
  });

  test('nothing listening is a network failure', async () => {
    t.expectConsole(/ERR_CONNECTION_REFUSED|Failed to load resource|Failed to fetch/i);
    // A port that was just free: bind, read it, release it.
    const probe = createServer();
    await new Promise((ok) => probe.listen(0, '127.0.0.1', ok));
    const port = probe.address().port;
    await new Promise((ok) => probe.close(ok));
    const { state } = await openWith({ src: `http://127.0.0.1:${port}/x.csv` });
    assert.equal(state, 'error');
    assert.match(await t.loupe.alert.first().textContent(), /Le réseau n'a pas permis d'atteindre 127\.0\.0\.1:\d+/);
  });

  test('a join link that cannot be applied says so, and the data opens without it', async () => {
    const join = { src: 'siren-communes-2O22', spec: { left_on: ['acheteur_id'], right_on: ['SIREN'], how: 'left' } };
    const { state } = await openWith({ src: 'decp-travaux-2024', persona: 'power', join: b64(join) });
    assert.equal(state, 'ready');
    const notice = t.page.locator('[role="status"]', { hasText: 'jointure' });
    await notice.first().waitFor({ timeout: LOAD_TIMEOUT });
    assert.match(
      await notice.first().textContent(),
      /La jointure du lien avec « siren-communes-2O22 » n'a pas pu être faite : jeu de données inconnu « siren-communes-2O22 » ; vouliez-vous dire : siren-communes-2022/,
    );
    await pageStillWorks();
  });
});
