// Tests of the stand-in Opendatasoft portal: answers are checked against values computed
// here independently (a plain loop over the CSV split by hand), plus the limits, the 404,
// the 429 and the CSV export.
//
//   node --test tests/portal/

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { startPortal, API_PREFIX } from './standin.mjs';
import { DATASETS, BUDGET, SUBVENTIONS } from './fixtures.mjs';
import { parseWhere, tokenize } from './odsql.mjs';

let portal;
let api;

before(async () => {
  portal = await startPortal({ datasets: DATASETS });
  api = portal.url + API_PREFIX;
});
after(async () => { await portal.close(); });

async function get(path, params = {}) {
  const u = new URL(api + path);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  const res = await fetch(u);
  // keep a BOM if any (Response.text() would strip it)
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
  let body = text;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: res.status, headers: res.headers, body, text };
}
const records = (id, params) => get(`/catalog/datasets/${id}/records`, params);

// --- an independent reading of the budget CSV (no quoting in that file: split on ';') ---
const budgetLines = readFileSync(BUDGET.file, 'utf8').trim().split('\n');
const budgetHeader = budgetLines[0].split(';');
const budget = budgetLines.slice(1).map((line) => {
  const cells = line.split(';');
  return Object.fromEntries(budgetHeader.map((h, i) => [h, cells[i] === '' ? null : cells[i]]));
});
const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

describe('catalogue', () => {
  test('lists the datasets with the spec shape, limit and offset', async () => {
    const r = await get('/catalog/datasets');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.equal(r.body.total_count, 3);
    const ds = r.body.results[0];
    for (const k of ['dataset_id', 'dataset_uid', 'attachments', 'has_records', 'data_visible', 'fields', 'metas', 'features']) assert.ok(k in ds, k);
    const m = ds.metas.default;
    assert.equal(m.title, BUDGET.metas.title);
    assert.equal(m.records_count, 1500);
    assert.deepEqual(m.keyword, BUDGET.metas.keyword);
    assert.equal(m.description, BUDGET.metas.description);
    assert.deepEqual(Object.keys(ds.fields[0]).sort(), ['annotations', 'description', 'label', 'name', 'type']);
    const page = await get('/catalog/datasets', { limit: 1, offset: 2 });
    assert.equal(page.body.total_count, 3);
    assert.deepEqual(page.body.results.map((d) => d.dataset_id), ['subventions-associations']);
  });

  test('where "text" is a word match, case- and accent-insensitive', async () => {
    const r = await get('/catalog/datasets', { where: '"BUDGET"', order_by: 'modified desc' });
    assert.deepEqual(r.body.results.map((d) => d.dataset_id), ['subventions-associations', 'budget-communes']);
    const meteo = await get('/catalog/datasets', { where: '"meteo"' });
    assert.deepEqual(meteo.body.results.map((d) => d.dataset_id), ['stations-meteo']);
    const none = await get('/catalog/datasets', { where: '"budg"' });
    assert.equal(none.body.total_count, 0, 'a word match, not a substring match');
    const byTitle = await get('/catalog/datasets', { order_by: 'title desc' });
    assert.deepEqual(byTitle.body.results.map((d) => d.dataset_id), ['subventions-associations', 'stations-meteo', 'budget-communes']);
    const dotted = await get('/catalog/datasets', { where: 'default.records_count > 1000 or records_count < 250' });
    assert.deepEqual(dotted.body.results.map((d) => d.dataset_id), ['budget-communes', 'subventions-associations']);
    const search = await get('/catalog/datasets', { where: 'search(publisher, "meteo") or publisher = "Ville de Laval"' });
    assert.equal(search.body.total_count, 2);
    assert.equal((await get('/catalog/datasets', { limit: 101 })).status, 400);
  });

  test('one dataset, and 404 JSON for an unknown dataset or path', async () => {
    const r = await get('/catalog/datasets/stations-meteo');
    assert.equal(r.status, 200);
    assert.equal(r.body.dataset_id, 'stations-meteo');
    assert.deepEqual(r.body.features, ['analyze', 'timeserie', 'geo']);
    const missing = await get('/catalog/datasets/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    assert.equal(typeof missing.body.message, 'string');
    assert.equal(typeof missing.body.error_code, 'string');
    assert.equal((await get('/catalog/datasets/nope/records')).status, 404);
    const res = await fetch(portal.url + '/api/explore/v2.0/whatever');
    assert.equal(res.status, 404);
    assert.equal(typeof (await res.json()).error_code, 'string');
  });
});

describe('records', () => {
  test('default page: 10 rows, typed values, text codes keep their zeros, empty is null', async () => {
    const r = await records('budget-communes');
    assert.equal(r.body.total_count, 1500);
    assert.equal(r.body.results.length, 10);
    const first = r.body.results[0];
    assert.deepEqual(Object.keys(first), BUDGET.fields.map((f) => f.name));
    assert.equal(first.annee, Number(budget[0].annee));
    assert.equal(first.montant, Number(budget[0].montant));
    assert.equal(first.code_departement, budget[0].code_departement);
    const zero = await records('budget-communes', { where: 'code_departement = "01"', limit: 1 });
    assert.strictEqual(zero.body.results[0].code_departement, '01');
    const corse = await records('budget-communes', { where: "code_departement = '2A'", limit: 1 });
    assert.equal(corse.body.total_count, budget.filter((b) => b.code_departement === '2A').length);
    const empty = await records('budget-communes', { where: 'montant is null', limit: 100 });
    assert.equal(empty.body.total_count, budget.filter((b) => b.montant === null).length);
    assert.ok(empty.body.total_count > 0);
    assert.ok(empty.body.results.every((x) => x.montant === null && 'montant' in x));
  });

  test('group_by with sum and count matches a plain loop over the CSV', async () => {
    const r = await records('budget-communes', {
      select: 'code_departement, sum(montant) as total, count(*) as n, count(montant) as nm',
      group_by: 'code_departement', limit: 100,
    });
    assert.equal(r.status, 200);
    assert.ok(!('total_count' in r.body), 'the spec group_by example has no total_count');
    const expected = new Map();
    for (const b of budget) {
      const e = expected.get(b.code_departement) ?? { total: 0, n: 0, nm: 0 };
      e.n += 1;
      if (b.montant !== null) { e.total += Number(b.montant); e.nm += 1; }
      expected.set(b.code_departement, e);
    }
    assert.equal(r.body.results.length, expected.size);
    for (const row of r.body.results) {
      const e = expected.get(row.code_departement);
      assert.ok(e, row.code_departement);
      assert.equal(row.n, e.n);
      assert.equal(row.nm, e.nm);
      assert.ok(close(row.total, e.total), `${row.code_departement}: ${row.total} vs ${e.total}`);
    }
    // ordered by the group key by default; "01" sorts as text
    assert.equal(r.body.results[0].code_departement, '01');
  });

  test('order_by an alias desc, several group keys, year()', async () => {
    const r = await records('budget-communes', {
      select: 'nature, annee, sum(montant) as total', group_by: 'nature, annee', order_by: 'total desc', limit: 3,
    });
    const sums = new Map();
    for (const b of budget) {
      const k = `${b.nature}|${b.annee}`;
      sums.set(k, (sums.get(k) ?? 0) + (b.montant === null ? 0 : Number(b.montant)));
    }
    const top = [...sums].sort((a, b) => b[1] - a[1]).slice(0, 3);
    assert.deepEqual(r.body.results.map((x) => `${x.nature}|${x.annee}`), top.map(([k]) => k));
    assert.equal(typeof r.body.results[0].annee, 'number');
    const years = await records('budget-communes', { select: 'y, count(*) as n', group_by: 'year(date_vote) as y', order_by: 'y desc', limit: 10 });
    const byYear = new Map();
    for (const b of budget) { const y = b.date_vote === null ? null : Number(b.date_vote.slice(0, 4)); byYear.set(y, (byYear.get(y) ?? 0) + 1); }
    assert.equal(years.body.results.at(-1).y, null, 'null group last whatever the direction');
    assert.deepEqual(years.body.results.map((x) => [x.y, x.n]), [...byYear].sort((a, b) => (a[0] === null ? 1 : b[0] === null ? -1 : b[0] - a[0])));
  });

  test('where: comparisons, date literals, and/or/not, in ranges, is null', async () => {
    const where = "date_vote >= date'2021-01-01' and (code_departement = '2B' or population < 10000) and not nature = 'Investissement'";
    const r = await records('budget-communes', { where, select: 'count(*) as n' });
    const n = budget.filter((b) => b.date_vote !== null && b.date_vote >= '2021-01-01'
      && (b.code_departement === '2B' || (b.population !== null && Number(b.population) < 10000))
      && !(b.nature === 'Investissement')).length;
    assert.equal(r.body.results[0].n, n);
    const range = await records('budget-communes', { where: 'montant in [100000..200000[ and `annee` != 2020', select: 'count(*) as n' });
    assert.equal(range.body.results[0].n, budget.filter((b) => b.montant !== null && Number(b.montant) >= 100000
      && Number(b.montant) < 200000 && b.annee !== '2020').length);
    const paging = await records('budget-communes', { where: 'population >= 150000', order_by: 'population desc, montant', limit: 5, offset: 5 });
    const sorted = budget.filter((b) => b.population !== null && Number(b.population) >= 150000)
      .map((b) => Number(b.population)).sort((a, b) => b - a);
    assert.equal(paging.body.total_count, sorted.length);
    assert.deepEqual(paging.body.results.map((x) => x.population), sorted.slice(5, 10));
  });

  test('not (x in (...)) also matches rows where x is missing (search-engine semantics)', async () => {
    const inList = budget.filter((b) => b.chapitre === 'Aides sociales' || b.chapitre === 'Achats et services').length;
    const missing = budget.filter((b) => b.chapitre === null).length;
    assert.ok(missing > 0);
    const neg = await records('budget-communes', { where: "not (chapitre in ('Aides sociales', 'Achats et services'))", select: 'count(*) as n' });
    assert.equal(neg.body.results[0].n, budget.length - inList, 'rows without chapitre are included');
    const sqlLike = await records('budget-communes', { where: "not chapitre in ('Aides sociales', 'Achats et services') and chapitre is not null", select: 'count(*) as n' });
    assert.equal(sqlLike.body.results[0].n, budget.length - inList - missing);
    const ne = await records('budget-communes', { where: "chapitre != 'Aides sociales'", select: 'count(*) as n' });
    assert.equal(ne.body.results[0].n, budget.length - budget.filter((b) => b.chapitre === 'Aides sociales').length);
  });

  test('like and search() are word matches, case- and accent-insensitive', async () => {
    const like = await records('budget-communes', { where: 'departement like "ARIEGE"', select: 'count(*) as n' });
    assert.equal(like.body.results[0].n, budget.filter((b) => b.departement === 'Ariège').length);
    const word = await records('budget-communes', { where: 'departement like "corse"', select: 'count(*) as n' });
    assert.equal(word.body.results[0].n, budget.filter((b) => /Corse/.test(b.departement)).length, 'Corse-du-Sud and Haute-Corse');
    const part = await records('budget-communes', { where: 'departement like "ors"', select: 'count(*) as n' });
    assert.equal(part.body.results[0].n, 0, 'not a substring match');
    const search = await records('budget-communes', { where: 'search(commune, "saint etienne")', select: 'count(*) as n' });
    assert.equal(search.body.results[0].n, budget.filter((b) => b.commune === 'Saint-Étienne').length);
    const bare = await records('subventions-associations', { where: '"foot"', select: 'count(*) as n' });
    const subv = readFileSync(SUBVENTIONS.file, 'utf8').trim().split('\n').slice(1);
    assert.equal(bare.body.results[0].n, subv.filter((l) => l.includes('""foot""')).length);
  });

  test('aggregates: avg, min, max, percentile, count(distinct) without group_by', async () => {
    const r = await records('budget-communes', {
      select: 'avg(population) as a, min(montant) as lo, max(date_vote) as last, percentile(montant, 50) as med, count(distinct commune) as communes',
    });
    const pops = budget.filter((b) => b.population !== null).map((b) => Number(b.population));
    const ms = budget.filter((b) => b.montant !== null).map((b) => Number(b.montant)).sort((a, b) => a - b);
    const row = r.body.results[0];
    assert.ok(close(row.a, pops.reduce((x, y) => x + y, 0) / pops.length));
    assert.equal(row.lo, ms[0]);
    assert.equal(row.last, budget.map((b) => b.date_vote).filter(Boolean).sort().at(-1));
    const mid = (ms.length - 1) / 2;
    assert.ok(close(row.med, (ms[Math.floor(mid)] + ms[Math.ceil(mid)]) / 2));
    assert.equal(row.communes, new Set(budget.map((b) => b.commune)).size);
  });

  test('select include()/exclude(), arithmetic with a label, refine/exclude facets', async () => {
    const inc = await records('budget-communes', { select: 'include(co*), montant / 100 as centaines', limit: 1 });
    assert.deepEqual(Object.keys(inc.body.results[0]), ['code_departement', 'commune', 'centaines']);
    assert.ok(close(inc.body.results[0].centaines, Number(budget[0].montant) / 100));
    const exc = await records('budget-communes', { select: 'exclude(montant), exclude(date*)', limit: 1 });
    assert.deepEqual(Object.keys(exc.body.results[0]), budgetHeader.filter((h) => h !== 'montant' && h !== 'date_vote'));
    const facets = await records('budget-communes', { refine: 'code_departement:01', exclude: 'nature:Fonctionnement', select: 'count(*) as n' });
    assert.equal(facets.body.results[0].n, budget.filter((b) => b.code_departement === '01' && b.nature !== 'Fonctionnement').length);
    const ratio = await records('budget-communes', { where: 'montant / population > 100', select: 'count(*) as n' });
    assert.equal(ratio.body.results[0].n, budget.filter((b) => b.montant !== null && b.population !== null
      && Number(b.montant) / Number(b.population) > 100).length);
  });

  test('geo points, datetimes and quoted CSV cells', async () => {
    const r = await records('stations-meteo', { limit: 1 });
    const p = r.body.results[0];
    assert.deepEqual(Object.keys(p.position).sort(), ['lat', 'lon']);
    assert.equal(typeof p.position.lat, 'number');
    assert.match(p.mesure, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.equal(p.nom, 'Station du Port 0, annexe');
    const s = await records('subventions-associations', { where: 'objet like "soutien"', limit: 1 });
    assert.equal(s.body.results[0].objet, 'Aide aux devoirs; soutien scolaire');
  });
});

describe('limits and errors', () => {
  test('limit and offset bounds answer the spec 400 body', async () => {
    for (const params of [{ limit: 101 }, { limit: 100, offset: 9901 }, { limit: 'abc' },
      { group_by: 'commune', limit: 20001 }, { group_by: 'commune', limit: 10, offset: 19995 }]) {
      const r = await records('budget-communes', params);
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.deepEqual(Object.keys(r.body).sort(), ['error_code', 'message']);
    }
    assert.equal((await records('budget-communes', { limit: 100, offset: 9900 })).status, 200);
    assert.equal((await records('budget-communes', { group_by: 'commune', limit: 20000 })).status, 200);
  });

  test('malformed or unknown ODSQL answers 400 ODSQLError', async () => {
    for (const params of [{ where: 'montant >' }, { where: 'nope = 1' }, { select: 'invalid_function(montant)' },
      { select: 'commune, count(*)', group_by: 'nature' }, { where: "'unterminated" },
      { select: 'nature, count(*) as n', group_by: 'nature', order_by: 'nature, n desc' }]) {
      const r = await records('budget-communes', params);
      assert.equal(r.status, 400, JSON.stringify(params));
      assert.equal(r.body.error_code, 'ODSQLError');
      assert.match(r.body.message, /^ODSQL query is malformed: .* Clause\(s\) containing the error\(s\): \w+\.$/);
    }
  });

  test('quota: 429 with the spec body and Retry-After, then cleared', async () => {
    const reset = new Date(Date.now() + 120_000).toISOString();
    portal.setQuotaExceeded(reset);
    try {
      for (const path of ['/catalog/datasets', '/catalog/datasets/budget-communes/records', '/catalog/datasets/budget-communes/exports/csv']) {
        const r = await get(path);
        assert.equal(r.status, 429);
        assert.equal(r.headers.get('access-control-allow-origin'), '*');
        const after = Number(r.headers.get('retry-after'));
        assert.ok(after > 100 && after <= 120, String(after));
        assert.deepEqual(Object.keys(r.body).sort(), ['call_limit', 'error', 'errorcode', 'limit_time_unit', 'reset_time']);
        assert.equal(r.body.reset_time, reset);
      }
    } finally {
      portal.setQuotaExceeded(null);
    }
    assert.equal((await get('/catalog/datasets')).status, 200);
  });

  test('quota option: max_calls trips the 429 after N calls', async () => {
    const small = await startPortal({ datasets: [BUDGET], quota: { max_calls: 2, call_limit: 2, limit_time_unit: 'hour' } });
    try {
      const call = () => fetch(`${small.url}${API_PREFIX}/catalog/datasets`);
      assert.equal((await call()).status, 200);
      assert.equal((await call()).status, 200);
      const r = await call();
      assert.equal(r.status, 429);
      const body = await r.json();
      assert.equal(body.call_limit, 2);
      assert.equal(body.limit_time_unit, 'hour');
      assert.ok(Number(r.headers.get('retry-after')) > 0);
    } finally {
      await small.close();
    }
  });
});

describe('CSV export', () => {
  test('BOM, ";" delimiter, every (filtered) row, text codes intact', async () => {
    const res = await fetch(`${api}/catalog/datasets/budget-communes/exports/csv?where=${encodeURIComponent('code_departement in ("01", "2A")')}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.trimEnd().split(/\r\n/);
    assert.equal(lines[0], budgetHeader.join(';'));
    assert.equal(lines.length - 1, budget.filter((b) => b.code_departement === '01' || b.code_departement === '2A').length);
    assert.ok(lines.slice(1).every((l) => /^\d{4};(01|2A);/.test(l)));
  });

  test('whole dataset beyond the records limits, group_by, with_bom=false, delimiter=","', async () => {
    const all = await get('/catalog/datasets/budget-communes/exports/csv');
    assert.ok(all.text.startsWith('\ufeffannee;'));
    assert.equal(all.text.trimEnd().split(/\r\n/).length, 1501);
    const g = await get('/catalog/datasets/budget-communes/exports/csv', { select: 'nature, count(*) as n', group_by: 'nature', with_bom: false, delimiter: ',' });
    assert.ok(!g.text.startsWith('\ufeff'));
    const counts = budget.reduce((m, b) => m.set(b.nature, (m.get(b.nature) ?? 0) + 1), new Map());
    assert.deepEqual(g.text.trimEnd().split(/\r\n/), ['nature,n', ...[...counts].sort().map(([k, v]) => `${k},${v}`)]);
    const json = await get('/catalog/datasets/budget-communes/exports/json', { where: 'annee = 2024', select: 'code_departement' });
    assert.ok(Array.isArray(json.body));
    assert.equal(json.body.length, budget.filter((b) => b.annee === '2024').length);
    assert.ok(json.body.every((x) => typeof x.code_departement === 'string'));
    const quoted = await get('/catalog/datasets/subventions-associations/exports/csv', { where: 'objet like "foot"', select: 'objet', limit: 1 });
    assert.equal(quoted.text, '\ufeffobjet\r\n"Club de ""foot"" junior"\r\n');
  });
});

test('requests are logged with method, path and query', async () => {
  const before = portal.requests.length;
  await records('budget-communes', { limit: 3, where: 'annee = 2020' });
  const seen = portal.requests.slice(before);
  assert.deepEqual(seen.map(({ bytes, ...r }) => r), [{
    method: 'GET', path: `${API_PREFIX}/catalog/datasets/budget-communes/records`, query: { limit: '3', where: 'annee = 2020' },
  }]);
  // The body's bytes are counted too (for benchmarks): a JSON answer of three records.
  assert.ok(seen[0].bytes > 100, `${seen[0].bytes} bytes`);
});

test('ODSQL parser: back-quoted names, escaped strings, keywords case-insensitive', () => {
  assert.deepEqual(tokenize("'Don\\'t'").slice(0, 1).map((t) => t.v), ["Don't"]);
  const e = parseWhere('`and` = "x" AND NOT b IS NOT NULL or c in (1, 2.5)');
  assert.equal(e.k, 'or');
  assert.deepEqual(e.l.l, { k: 'cmp', op: '=', l: { k: 'field', name: 'and' }, r: { k: 'str', v: 'x' } });
  assert.equal(e.l.r.k, 'not');
  assert.deepEqual(e.r.list, [{ k: 'num', v: 1 }, { k: 'num', v: 2.5 }]);
  assert.equal(parseWhere("d > date'2024/01/02'").r.v, Date.UTC(2024, 0, 2));
  assert.throws(() => parseWhere('a = '), /position/);
});
