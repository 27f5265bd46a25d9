// A stand-in Opendatasoft portal (Explore API v2.1) for Loupe's tests: plain Node.js, no
// dependencies. It serves local CSV files as datasets, computes every answer itself (ODSQL
// subset in odsql.mjs) and never talks to a real portal.
//
//   import { startPortal } from './standin.mjs';
//   const portal = await startPortal({ datasets: DATASETS });   // portal.url, portal.requests
//   ...; await portal.close();
//
//   node tests/portal/standin.mjs [--port N]   serves the default fixtures and prints the URL.
//
// Built against the official spec (../shared/reference/opendatasoft/explore-v2.1-openapi.json, outside the repository).
// See README.md for what is and is not implemented.

import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  OdsqlError, parseWhere, parseSelect, parseGroupBy, parseOrderBy, evalBool, evalValue,
  evalAggregate, hasAggregate, checkFields, orderCompare, staticType, keyOf, stripHtml,
} from './odsql.mjs';

export const API_PREFIX = '/api/explore/v2.1';
const MAX_RECORDS_LIMIT = 100;
const MAX_RECORDS_WINDOW = 10000;
const MAX_GROUPS = 20000;

// ---------------------------------------------------------------- CSV ------------------

/** Parses CSV text (RFC 4180 quoting); the delimiter (';' or ',') is sniffed on the header. */
export function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delim = (firstLine.match(/;/g) ?? []).length >= (firstLine.match(/,/g) ?? []).length ? ';' : ',';
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false, any = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; any = true; i++; continue; }
    if (c === delim) { row.push(cell); cell = ''; any = true; i++; continue; }
    if (c === '\r' || c === '\n') {
      if (any || cell !== '') { row.push(cell); rows.push(row); }
      row = []; cell = ''; any = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += c; any = true; i++;
  }
  if (any || cell !== '') { row.push(cell); rows.push(row); }
  return { delimiter: delim, header: rows[0] ?? [], rows: rows.slice(1) };
}

function castCell(raw, type) {
  if (raw === undefined || raw === null) return null;
  const s = raw.trim();
  if (s === '') return null;
  switch (type) {
    case 'int': {
      const n = Number(s.replace(/\s/g, ''));
      return Number.isFinite(n) ? Math.trunc(n) : null;
    }
    case 'double': case 'decimal': {
      let t = s.replace(/\s/g, '');
      if (/^-?\d+,\d+$/.test(t)) t = t.replace(',', '.');
      const n = Number(t);
      return Number.isFinite(n) ? n : null;
    }
    case 'boolean': return /^(true|1|oui|yes)$/i.test(s);
    case 'geo_point_2d': {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
      return m ? { lat: Number(m[1]), lon: Number(m[2]) } : null;
    }
    default: return raw;
  }
}

// ---------------------------------------------------------------- datasets -------------

function loadDataset(desc, index) {
  const csv = parseCsv(readFileSync(desc.file, 'utf8'));
  const fields = (desc.fields ?? csv.header.map((name) => ({ name, label: name, type: 'text' })))
    .map((f) => ({ name: f.name, label: f.label ?? f.name, type: f.type ?? 'text', description: f.description ?? null }));
  const col = new Map(csv.header.map((h, i) => [h.trim(), i]));
  const rows = csv.rows.map((cells) => {
    const r = {};
    for (const f of fields) r[f.name] = castCell(cells[col.get(f.name)], f.type);
    return r;
  });
  const m = desc.metas ?? {};
  const types = new Set(fields.map((f) => f.type));
  const features = ['analyze'];
  if (types.has('date') || types.has('datetime')) features.push('timeserie');
  if (types.has('geo_point_2d') || types.has('geo_shape')) features.push('geo');
  const meta = {
    dataset_id: desc.id,
    dataset_uid: `da_${(index + 1).toString(36).padStart(6, '0')}`,
    attachments: [],
    has_records: rows.length > 0,
    data_visible: true,
    fields: fields.map((f) => ({ annotations: {}, description: f.description, type: f.type, name: f.name, label: f.label })),
    metas: {
      default: {
        records_count: rows.length,
        modified: m.modified ?? null,
        source_domain_address: null,
        references: m.references ?? null,
        keyword: m.keyword ?? null,
        source_domain_title: null,
        geographic_reference: m.geographic_reference ?? null,
        timezone: null,
        title: m.title ?? desc.id,
        parent_domain: null,
        theme: m.theme ?? null,
        modified_updates_on_data_change: false,
        metadata_processed: m.modified ?? null,
        data_processed: m.modified ?? null,
        territory: m.territory ?? null,
        description: m.description ?? null,
        modified_updates_on_metadata_change: false,
        shared_catalog: null,
        source_domain: null,
        attributions: null,
        geographic_area_mode: null,
        geographic_reference_auto: false,
        geographic_area: null,
        publisher: m.publisher ?? null,
        language: m.language ?? 'fr',
        license: m.license ?? null,
        source_dataset: null,
        metadata_languages: [m.language ?? 'fr'],
        oauth_scope: null,
        federated: false,
        license_url: m.license_url ?? null,
      },
    },
    features,
  };
  // the dataset as a row of the catalogue (for where/order_by on /catalog/datasets)
  const catalogRow = {
    dataset_id: desc.id,
    title: meta.metas.default.title,
    description: meta.metas.default.description,
    publisher: meta.metas.default.publisher,
    license: meta.metas.default.license,
    modified: meta.metas.default.modified,
    keyword: meta.metas.default.keyword,
    theme: meta.metas.default.theme,
    records_count: rows.length,
    language: meta.metas.default.language,
    features,
  };
  for (const k of Object.keys(catalogRow)) if (k !== 'dataset_id' && k !== 'features') catalogRow[`default.${k}`] = catalogRow[k];
  return {
    id: desc.id, fields, rows, meta, catalogRow,
    types: new Map(fields.map((f) => [f.name, f.type])),
  };
}

const CATALOG_TYPES = new Map([
  ['dataset_id', 'text'], ['title', 'text'], ['description', 'text'], ['publisher', 'text'],
  ['license', 'text'], ['modified', 'datetime'], ['keyword', 'text'], ['theme', 'text'],
  ['records_count', 'int'], ['language', 'text'], ['features', 'text'],
]);
for (const [name, type] of [...CATALOG_TYPES]) if (name !== 'dataset_id' && name !== 'features') CATALOG_TYPES.set(`default.${name}`, type);
const CATALOG_SEARCH = ['dataset_id', 'title', 'description', 'publisher', 'keyword', 'theme'];

// ---------------------------------------------------------------- errors ---------------

class HttpError extends Error {
  constructor(status, body) { super(body.message); this.status = status; this.body = body; }
}
const badParam = (message) => new HttpError(400, { message, error_code: 'InvalidRESTParameterError' });
const odsqlFail = (e) => new HttpError(400, {
  message: `ODSQL query is malformed: ${e.message} Clause(s) containing the error(s): ${e.clause ?? 'where'}.`,
  error_code: 'ODSQLError',
});
const notFound = (message) => new HttpError(404, { message, error_code: 'NotFound' });

function intParam(params, name, dflt) {
  const raw = params.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^-?\d+$/.test(raw.trim())) throw badParam(`Invalid value for ${name} API parameter: '${raw}' is not an integer.`);
  return Number(raw);
}

function boolParam(params, name, dflt) {
  const raw = params.get(name);
  if (raw === null || raw === '') return dflt;
  if (/^(true|1)$/i.test(raw)) return true;
  if (/^(false|0)$/i.test(raw)) return false;
  throw badParam(`Invalid value for ${name} API parameter: '${raw}' is not a boolean.`);
}

// ---------------------------------------------------------------- query engine ---------

function withOdsql(fn) {
  try { return fn(); } catch (e) {
    if (e instanceof OdsqlError) throw odsqlFail(e);
    throw e;
  }
}

/** Rows of `rows` that pass all `where` params and `refine`/`exclude` facet filters. */
function filterRows(rows, params, ctx) {
  const wheres = params.getAll('where').filter((w) => w.trim() !== '')
    .map((w) => withOdsql(() => parseWhere(w))).filter(Boolean);
  for (const w of wheres) withOdsql(() => checkFields(w, ctx.fields, 'where'));
  const facet = (spec, what) => {
    const i = spec.indexOf(':');
    if (i < 0) throw badParam(`Invalid value for ${what} API parameter: '${spec}' (expected <facet>:<value>).`);
    const name = spec.slice(0, i), value = spec.slice(i + 1);
    if (!ctx.fields.has(name)) throw badParam(`Invalid value for ${what} API parameter: unknown facet '${name}'.`);
    const t = ctx.fields.get(name);
    return (r) => {
      const v = r[name];
      const vals = Array.isArray(v) ? v : [v];
      return vals.some((x) => {
        if (x === null || x === undefined) return false;
        if (t === 'date' || t === 'datetime') return String(x).replace(/-/g, '/').startsWith(value.replace(/-/g, '/'));
        return String(x) === value;
      });
    };
  };
  const refines = params.getAll('refine').map((s) => facet(s, 'refine'));
  const excludes = params.getAll('exclude').map((s) => facet(s, 'exclude'));
  return withOdsql(() => rows.filter((r) => wheres.every((w) => evalBool(w, r, ctx))
    && refines.every((f) => f(r)) && !excludes.some((f) => f(r))));
}

function sortBy(items, keyFns) {
  if (keyFns.length === 0) return items;
  const decorated = items.map((it, i) => ({ it, i, keys: keyFns.map((k) => k.get(it)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keyFns.length; j++) {
      const c = orderCompare(a.keys[j], b.keys[j], keyFns[j].desc, keyFns[j].type);
      if (c !== 0) return c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.it);
}

/** A computed instant (now(), date literal) is output as an ISO string; data values as stored. */
function outputValue(v, type) {
  if (v === undefined) return null;
  if (type === 'date' && typeof v === 'number') return new Date(v).toISOString().replace('.000Z', '+00:00');
  return v;
}

/**
 * Runs select/where/group_by/order_by on a dataset (or the catalogue). Returns
 * { grouped, total, rows (output objects), columns (output keys, in order) }.
 * `window` is { offset, limit } (limit -1 = all) applied after sorting.
 */
function runQuery(rows, params, ctx, window) {
  const filtered = filterRows(rows, params, ctx);
  const selectSrc = params.get('select');
  const groupSrc = params.get('group_by');
  const orderSrc = params.get('order_by');
  const select = selectSrc && selectSrc.trim() ? withOdsql(() => parseSelect(selectSrc)) : [{ expr: { k: 'star' }, alias: null, text: '*' }];
  const groups = groupSrc && groupSrc.trim() ? withOdsql(() => parseGroupBy(groupSrc)) : [];
  const order = orderSrc && orderSrc.trim() ? withOdsql(() => parseOrderBy(orderSrc)) : [];
  const groupLabels = new Set(groups.filter((g) => g.alias).map((g) => g.alias));
  for (const s of select) if (s.expr.k !== 'star' && s.expr.k !== 'include' && s.expr.k !== 'exclude') withOdsql(() => checkFields(s.expr, ctx.fields, 'select', groupLabels));
  for (const g of groups) {
    withOdsql(() => checkFields(g.expr, ctx.fields, 'group_by'));
    if (hasAggregate(g.expr)) throw odsqlFail(new OdsqlError('aggregation functions are not allowed in group_by', 'group_by'));
  }
  const grouped = groups.length > 0 || select.some((s) => hasAggregate(s.expr));
  const nameOf = (item) => item.alias ?? (item.expr.k === 'field' ? item.expr.name : item.text);
  const slice = (list) => (window.limit < 0 ? list.slice(window.offset) : list.slice(window.offset, window.offset + window.limit));

  if (!grouped) {
    // plain records: projection
    const cols = [];
    const push = (name, get, type) => { const at = cols.findIndex((c) => c.name === name); if (at >= 0) cols.splice(at, 1); cols.push({ name, get, type }); };
    const onlyExcludes = select.every((s) => s.expr.k === 'exclude');
    if (onlyExcludes) for (const f of ctx.fieldList) push(f.name, (r) => r[f.name], f.type);
    for (const s of select) {
      const e = s.expr;
      if (e.k === 'star') for (const f of ctx.fieldList) push(f.name, (r) => r[f.name], f.type);
      else if (e.k === 'include' || e.k === 'exclude') {
        const p = e.pattern;
        const match = (n) => (p.endsWith('*') ? n.startsWith(p.slice(0, -1)) : n === p);
        if (e.k === 'include') for (const f of ctx.fieldList) { if (match(f.name)) push(f.name, (r) => r[f.name], f.type); }
        else for (let i = cols.length - 1; i >= 0; i--) if (match(cols[i].name)) cols.splice(i, 1);
      } else {
        push(nameOf(s), (r) => evalValue(e, r, ctx), staticType(e, ctx));
      }
    }
    const aliases = new Map(cols.map((c) => [c.name, c]));
    const keyFns = order.map((o) => {
      withOdsql(() => checkFields(o.expr, ctx.fields, 'order_by', new Set(aliases.keys())));
      if (hasAggregate(o.expr)) throw odsqlFail(new OdsqlError('aggregation in order_by needs a group_by or an aggregated select', 'order_by'));
      if (o.expr.k === 'field' && !ctx.fields.has(o.expr.name)) {
        const c = aliases.get(o.expr.name);
        return { get: (r) => c.get(r), desc: o.desc, type: null };
      }
      return { get: (r) => evalValue(o.expr, r, ctx), desc: o.desc, type: staticType(o.expr, ctx) };
    });
    const sorted = withOdsql(() => sortBy(filtered, keyFns));
    const page = slice(sorted);
    const out = withOdsql(() => page.map((r) => {
      const o = {};
      for (const c of cols) o[c.name] = outputValue(c.get(r), c.type);
      return o;
    }));
    return { grouped: false, total: filtered.length, rows: out, columns: cols.map((c) => c.name) };
  }

  // aggregation: group rows by the group_by keys (a null group exists in v2.1)
  const buckets = new Map();
  if (groups.length === 0) buckets.set('', { keys: [], rows: filtered });
  else {
    withOdsql(() => {
      for (const r of filtered) {
        const keys = groups.map((g) => evalValue(g.expr, r, ctx));
        const k = JSON.stringify(keys.map(keyOf));
        let b = buckets.get(k);
        if (!b) buckets.set(k, (b = { keys, rows: [] }));
        b.rows.push(r);
      }
    });
  }
  const groupTypes = groups.map((g) => staticType(g.expr, ctx));
  let list = sortBy([...buckets.values()], groups.map((g, i) => ({ get: (b) => b.keys[i], desc: false, type: groupTypes[i] })));
  // output columns
  const cols = [];
  const groupIndex = (item) => groups.findIndex((g) => g.text === item.text || nameOf(g) === item.text
    || (item.expr.k === 'field' && g.expr.k === 'field' && g.expr.name === item.expr.name));
  const explicit = select.filter((s) => s.expr.k !== 'star');
  if (select.some((s) => s.expr.k === 'star') || explicit.length === 0) {
    groups.forEach((g, i) => cols.push({ name: nameOf(g), get: (b) => b.keys[i], type: groupTypes[i] }));
  }
  for (const s of explicit) {
    if (s.expr.k === 'include' || s.expr.k === 'exclude') throw odsqlFail(new OdsqlError(`${s.expr.k}() cannot be used with an aggregation`, 'select'));
    if (hasAggregate(s.expr)) {
      cols.push({ name: nameOf(s), get: (b) => evalAggregate(s.expr, b.rows, ctx), type: staticType(s.expr, ctx) });
      continue;
    }
    const gi = groupIndex(s);
    if (gi < 0) throw odsqlFail(new OdsqlError(`'${s.text}' must be in the group_by clause or used in an aggregation function`, 'select'));
    cols.push({ name: nameOf(s), get: (b) => b.keys[gi], type: groupTypes[gi] });
  }
  const byName = new Map(cols.map((c) => [c.name, c]));
  // manual, "Order by clause": aggregations must head the list when mixed with fields
  const isAggOrder = (o) => hasAggregate(o.expr)
    || explicit.some((s) => hasAggregate(s.expr) && (nameOf(s) === o.text || s.text === o.text));
  const firstField = order.findIndex((o) => !isAggOrder(o));
  if (firstField >= 0 && order.slice(firstField).some(isAggOrder)) {
    throw odsqlFail(new OdsqlError('when ordering by both aggregations and fields, the aggregations must be at the head of the list', 'order_by'));
  }
  const keyFns = order.map((o) => {
    const c = byName.get(o.text) ?? (o.expr.k === 'field' ? byName.get(o.expr.name) : null);
    if (c) return { get: c.get, desc: o.desc, type: c.type };
    const gi = groups.findIndex((g) => g.text === o.text || nameOf(g) === o.text);
    if (gi >= 0) return { get: (b) => b.keys[gi], desc: o.desc, type: groupTypes[gi] };
    if (hasAggregate(o.expr)) {
      withOdsql(() => checkFields(o.expr, ctx.fields, 'order_by'));
      return { get: (b) => evalAggregate(o.expr, b.rows, ctx), desc: o.desc, type: staticType(o.expr, ctx) };
    }
    throw odsqlFail(new OdsqlError(`cannot order by '${o.text}': not a group key, a label or an aggregation`, 'order_by'));
  });
  list = withOdsql(() => sortBy(list, keyFns));
  const out = withOdsql(() => slice(list).map((b) => {
    const o = {};
    for (const c of cols) o[c.name] = outputValue(c.get(b), c.type);
    return o;
  }));
  return { grouped: true, total: list.length, rows: out, columns: cols.map((c) => c.name) };
}

function datasetCtx(ds) {
  return {
    fields: ds.types, fieldList: ds.fields, clause: 'where',
    searchFields: ds.fields.filter((f) => !f.type.startsWith('geo')).map((f) => f.name),
  };
}

// ---------------------------------------------------------------- endpoints ------------

function catalog(datasets, params) {
  if (params.get('group_by')) throw badParam('group_by on the catalogue is not supported by the stand-in portal.');
  const limit = intParam(params, 'limit', 10);
  const offset = intParam(params, 'offset', 0);
  if (limit < -1 || limit > MAX_RECORDS_LIMIT) throw badParam(`Invalid value for limit API parameter: ${limit} was found but -1 <= limit <= ${MAX_RECORDS_LIMIT} is expected.`);
  if (offset < 0) throw badParam(`Invalid value for offset API parameter: ${offset} was found but offset >= 0 is expected.`);
  const ctx = {
    fields: CATALOG_TYPES, clause: 'where', searchFields: CATALOG_SEARCH,
    fieldList: [...CATALOG_TYPES].map(([name, type]) => ({ name, type })),
  };
  const byRow = new Map(datasets.map((d) => [d.catalogRow, d]));
  const p = new URLSearchParams(params);
  p.delete('select');
  const filtered = filterRows([...byRow.keys()], p, ctx);
  let order = [];
  const orderSrc = params.get('order_by');
  if (orderSrc && orderSrc.trim()) {
    order = withOdsql(() => parseOrderBy(orderSrc));
    for (const o of order) withOdsql(() => checkFields(o.expr, ctx.fields, 'order_by'));
  }
  const sorted = withOdsql(() => sortBy(filtered, order.map((o) => ({
    get: (r) => evalValue(o.expr, r, ctx), desc: o.desc, type: staticType(o.expr, ctx),
  }))));
  const page = limit < 0 ? sorted.slice(offset, offset + MAX_RECORDS_LIMIT) : sorted.slice(offset, offset + limit);
  return { total_count: filtered.length, results: page.map((r) => byRow.get(r).meta) };
}

function recordsWindow(params, grouped) {
  const limit = intParam(params, 'limit', 10);
  const offset = intParam(params, 'offset', 0);
  if (offset < 0) throw badParam(`Invalid value for offset API parameter: ${offset} was found but offset >= 0 is expected.`);
  const max = grouped ? MAX_GROUPS : MAX_RECORDS_LIMIT;
  const windowMax = grouped ? MAX_GROUPS : MAX_RECORDS_WINDOW;
  if (limit < -1 || limit > max) {
    throw badParam(`Invalid value for limit API parameter: ${limit} was found but -1 <= limit <= ${max} is expected.`);
  }
  const effective = limit === -1 ? Math.min(max, windowMax - offset) : limit;
  if (offset + effective > windowMax) {
    throw badParam(`Invalid value for offset/limit API parameters: offset (${offset}) + limit (${effective}) should be lower than ${windowMax}. Use the exports endpoints to get more results.`);
  }
  return { offset, limit: Math.max(effective, 0) };
}

function records(ds, params) {
  const ctx = datasetCtx(ds);
  const groupSrc = params.get('group_by');
  const hasGroupBy = Boolean(groupSrc && groupSrc.trim());
  const window = recordsWindow(params, hasGroupBy);
  const q = runQuery(ds.rows, params, ctx, window);
  // the spec's group_by example (group_by_country-v2.1) has no total_count
  if (hasGroupBy) return { results: q.rows };
  return { total_count: q.total, results: q.rows };
}

function csvCell(v, delim, listSep, quoteAll) {
  if (v === null || v === undefined) return '';
  let s;
  if (Array.isArray(v)) s = v.join(listSep);
  else if (typeof v === 'object' && 'lat' in v) s = `${v.lat}, ${v.lon}`;
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  const needs = quoteAll ? typeof v === 'string' : (s.includes(delim) || s.includes('"') || s.includes('\n') || s.includes('\r'));
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

function exportQuery(ds, params) {
  const limit = intParam(params, 'limit', -1);
  const offset = intParam(params, 'offset', 0);
  if (limit < -1) throw badParam(`Invalid value for limit API parameter: ${limit} was found but limit >= -1 is expected.`);
  return runQuery(ds.rows, params, datasetCtx(ds), { offset: Math.max(offset, 0), limit });
}

async function streamCsv(res, ds, params) {
  const delimiter = params.get('delimiter') ?? ';';
  if (![';', ',', '\t', '|'].includes(delimiter)) throw badParam(`Invalid value for delimiter API parameter: '${delimiter}' is not one of ';', ',', '\\t', '|'.`);
  const withBom = boolParam(params, 'with_bom', true);
  const quoteAll = boolParam(params, 'quote_all', false);
  const useLabels = boolParam(params, 'use_labels', false);
  const listSep = params.get('list_separator') ?? ',';
  const q = exportQuery(ds, params);
  const labels = new Map(ds.fields.map((f) => [f.name, f.label]));
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${ds.id}.csv"`,
  });
  const header = q.columns.map((c) => csvCell(useLabels ? (labels.get(c) ?? c) : c, delimiter, listSep, quoteAll)).join(delimiter);
  let buf = (withBom ? '\ufeff' : '') + header + '\r\n';
  const CHUNK = 200;
  for (let i = 0; i < q.rows.length; i++) {
    const r = q.rows[i];
    buf += q.columns.map((c) => csvCell(r[c], delimiter, listSep, quoteAll)).join(delimiter) + '\r\n';
    if ((i + 1) % CHUNK === 0) {
      if (!res.write(buf)) await new Promise((resolve) => res.once('drain', resolve));
      buf = '';
    }
  }
  res.end(buf);
}

// ---------------------------------------------------------------- server ---------------

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Retry-After, Content-Disposition',
};

/**
 * Starts the stand-in portal.
 * @param {{ datasets: Array<{id: string, file: string, metas?: object, fields?: object[]}>,
 *           port?: number,
 *           quota?: { call_limit?: number, limit_time_unit?: string, max_calls?: number, reset_time?: string } }} options
 * @returns {Promise<{ url: string, requests: Array<{method: string, path: string, query: object}>,
 *                     close: () => Promise<void>, setQuotaExceeded: (resetTimeIsoOrNull: string|null) => void }>}
 */
export async function startPortal({ datasets, port = 0, quota } = {}) {
  if (!Array.isArray(datasets)) throw new TypeError('startPortal: `datasets` must be an array of dataset descriptors');
  const loaded = datasets.map(loadDataset);
  const byId = new Map(loaded.map((d) => [d.id, d]));
  const requests = [];
  const quotaConf = { call_limit: 10000, limit_time_unit: 'day', ...(quota ?? {}) };
  let quotaReset = null;
  let apiCalls = 0;

  const nextMidnight = () => {
    const d = new Date();
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).toISOString().replace('.000Z', 'Z');
  };

  function sendJson(res, status, body, extra = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', ...extra });
    res.end(text);
  }

  async function handle(req, res) {
    for (const [k, v] of Object.entries(CORS)) res.setHeader(k, v);
    const url = new URL(req.url, 'http://localhost');
    const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), bytes: 0 };
    requests.push(record);
    // Body bytes sent, for benchmarks (`bytes` of each request record).
    const [write, end] = [res.write.bind(res), res.end.bind(res)];
    const count = (chunk) => {
      if (chunk && typeof chunk !== 'function') record.bytes += Buffer.byteLength(chunk);
    };
    res.write = (chunk, ...rest) => (count(chunk), write(chunk, ...rest));
    res.end = (chunk, ...rest) => (count(chunk), end(chunk, ...rest));
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': '*', 'Access-Control-Max-Age': '600' });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { message: `Method ${req.method} not allowed: only GET is supported.`, error_code: 'MethodNotAllowed' }, { Allow: 'GET, HEAD, OPTIONS' });
      return;
    }
    // quota
    apiCalls++;
    if (quotaReset === null && typeof quotaConf.max_calls === 'number' && apiCalls > quotaConf.max_calls) {
      quotaReset = quotaConf.reset_time ?? nextMidnight();
    }
    if (quotaReset !== null) {
      const seconds = Math.max(0, Math.ceil((Date.parse(quotaReset) - Date.now()) / 1000));
      sendJson(res, 429, {
        errorcode: 10002,
        reset_time: quotaReset,
        limit_time_unit: quotaConf.limit_time_unit,
        call_limit: quotaConf.call_limit,
        error: 'Too many requests on the domain. Please contact the domain administrator.',
      }, { 'Retry-After': String(seconds) });
      return;
    }
    const path = url.pathname.replace(/\/+$/, '');
    const params = url.searchParams;
    if (!path.startsWith(API_PREFIX)) throw notFound(`Unknown path: ${url.pathname}`);
    const rest = path.slice(API_PREFIX.length);
    if (rest === '/catalog/datasets') { sendJson(res, 200, catalog(loaded, params)); return; }
    const m = /^\/catalog\/datasets\/([^/]+)(\/.*)?$/.exec(rest);
    if (!m) throw notFound(`Unknown path: ${url.pathname}`);
    let id;
    try { id = decodeURIComponent(m[1]); } catch { throw notFound(`Unknown dataset: ${m[1]}`); }
    const ds = byId.get(id);
    if (!ds) throw notFound(`Unknown dataset: ${id}`);
    const sub = m[2] ?? '';
    if (sub === '') { sendJson(res, 200, ds.meta); return; }
    if (sub === '/records') { sendJson(res, 200, records(ds, params)); return; }
    if (sub === '/exports/csv') { await streamCsv(res, ds, params); return; }
    if (sub === '/exports/json') { sendJson(res, 200, exportQuery(ds, params).rows); return; }
    const fm = /^\/exports\/([^/]+)$/.exec(sub);
    if (fm) throw badParam(`Export format '${fm[1]}' is not supported by the stand-in portal (csv, json only).`);
    throw notFound(`Unknown path: ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (res.headersSent) { res.destroy(e); return; }
      if (e instanceof HttpError) sendJson(res, e.status, e.body);
      else sendJson(res, 500, { message: `Internal error in the stand-in portal: ${e.message}`, error_code: 'InternalError' });
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    requests,
    datasets: loaded.map((d) => ({ id: d.id, rows: d.rows.length })),
    setQuotaExceeded(resetTime) {
      if (resetTime === null || resetTime === undefined) { quotaReset = null; apiCalls = 0; return; }
      if (Number.isNaN(Date.parse(resetTime))) throw new TypeError(`setQuotaExceeded: not an ISO date: ${resetTime}`);
      quotaReset = resetTime;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

// ---------------------------------------------------------------- CLI ------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { DATASETS } = await import('./fixtures.mjs');
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.PORT ?? 0);
  const portal = await startPortal({ datasets: DATASETS, port });
  console.log(portal.url);
  console.log(`API: ${portal.url}${API_PREFIX} (datasets: ${portal.datasets.map((d) => d.id).join(', ')})`);
  const stop = () => portal.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
