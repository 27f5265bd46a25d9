// A small ODSQL (Opendatasoft Query Language) engine for the stand-in portal:
// tokenizer + recursive-descent parser + evaluator over plain JS rows.
// Semantics follow the Explore API v2.1 manual (info.description of the official spec);
// see README.md for the supported subset.

export class OdsqlError extends Error {
  constructor(message, clause) {
    super(message);
    this.clause = clause;
  }
}

// ---------------------------------------------------------------- text helpers ---------

/** Case- and accent-insensitive normal form. */
export function norm(s) {
  return String(s).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words of a value, normalised (the search engine's tokens). */
export function words(v) {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(words);
  if (typeof v === 'object') return [];
  return norm(stripHtml(String(v))).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export function stripHtml(s) {
  return s.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
}

function levenshtein(a, b, max) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

// ---------------------------------------------------------------- tokenizer ------------

const OPS = ['..', '!=', '<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '*', '+', '-', '/', ':', '[', ']'];

export function tokenize(src, clause) {
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) { v += src[i + 1]; i += 2; } else { v += src[i++]; }
      }
      if (i >= src.length) throw new OdsqlError(`unterminated string starting at position ${start}`, clause);
      i++;
      toks.push({ t: 'str', v, start, end: i });
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      if (j < 0) throw new OdsqlError(`unterminated back-quoted name at position ${start}`, clause);
      toks.push({ t: 'id', v: src.slice(i + 1, j), quoted: true, start, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i;
      while (/[0-9]/.test(src[j] ?? '')) j++;
      if (src[j] === '.' && /[0-9]/.test(src[j + 1] ?? '')) { j++; while (/[0-9]/.test(src[j] ?? '')) j++; }
      if (/[eE]/.test(src[j] ?? '') && /[-+0-9]/.test(src[j + 1] ?? '')) {
        j += 2; while (/[0-9]/.test(src[j] ?? '')) j++;
      }
      toks.push({ t: 'num', v: Number(src.slice(i, j)), start, end: j });
      i = j;
      continue;
    }
    if (/[\p{L}_]/u.test(c)) {
      let j = i;
      // dotted names (catalogue fields such as default.title) are one identifier
      while (j < src.length && (/[\p{L}\p{N}_]/u.test(src[j]) || (src[j] === '.' && /[\p{L}_]/u.test(src[j + 1] ?? '')))) j++;
      toks.push({ t: 'id', v: src.slice(i, j), quoted: false, start, end: j });
      i = j;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new OdsqlError(`unexpected character '${c}' at position ${i}`, clause);
    toks.push({ t: 'op', v: op, start, end: i + op.length });
    i += op.length;
  }
  toks.push({ t: 'eof', start: src.length, end: src.length });
  return toks;
}

// ---------------------------------------------------------------- parser ---------------

export const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'percentile', 'median']);
const SCALARS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second', 'lower', 'upper', 'length', 'ifnull', 'now']);
const PREDICATES = new Set(['search', 'suggest', 'startswith']);
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'like', 'as', 'asc', 'desc', 'null', 'true', 'false', 'distinct']);

class Parser {
  constructor(src, clause) {
    this.src = src;
    this.clause = clause;
    this.toks = tokenize(src, clause);
    this.i = 0;
  }
  peek(k = 0) { return this.toks[this.i + k]; }
  next() { return this.toks[this.i++]; }
  fail(msg) {
    const tok = this.peek();
    throw new OdsqlError(`${msg} at position ${tok.start}${tok.t === 'eof' ? ' (end of clause)' : ` near '${this.src.slice(tok.start, tok.end)}'`}`, this.clause);
  }
  isKw(word, k = 0) {
    const tok = this.peek(k);
    return tok.t === 'id' && !tok.quoted && tok.v.toLowerCase() === word;
  }
  isOp(op, k = 0) { const tok = this.peek(k); return tok.t === 'op' && tok.v === op; }
  eatKw(word) { if (this.isKw(word)) { this.i++; return true; } return false; }
  eatOp(op) { if (this.isOp(op)) { this.i++; return true; } return false; }
  expectOp(op) { if (!this.eatOp(op)) this.fail(`expected '${op}'`); }
  atEnd() { return this.peek().t === 'eof'; }

  // boolean level
  expr() {
    let l = this.andExpr();
    while (this.eatKw('or')) l = { k: 'or', l, r: this.andExpr() };
    return l;
  }
  andExpr() {
    let l = this.notExpr();
    while (this.eatKw('and')) l = { k: 'and', l, r: this.notExpr() };
    return l;
  }
  notExpr() {
    if (this.eatKw('not')) return { k: 'not', e: this.notExpr() };
    return this.predicate();
  }
  predicate() {
    const l = this.additive();
    const tok = this.peek();
    if (tok.t === 'op' && ['=', '!=', '<>', '<', '<=', '>', '>=', ':'].includes(tok.v)) {
      this.i++;
      const op = tok.v === ':' ? '=' : tok.v === '<>' ? '!=' : tok.v;
      return { k: 'cmp', op, l, r: this.additive() };
    }
    let negate = false;
    if (this.isKw('not') && (this.isKw('in', 1) || this.isKw('like', 1))) { this.i++; negate = true; }
    const wrap = (n) => (negate ? { k: 'not', e: n } : n);
    if (this.eatKw('in')) {
      if (this.eatOp('(')) {
        const list = [this.additive()];
        while (this.eatOp(',')) list.push(this.additive());
        this.expectOp(')');
        return wrap({ k: 'in', e: l, list });
      }
      if (this.isOp('[') || this.isOp(']')) {
        const loInc = this.next().v === '[';
        const lo = this.additive();
        if (!this.eatOp('..') && !this.eatKw('to')) this.fail("expected '..' or 'TO' in range");
        const hi = this.additive();
        if (!this.isOp(']') && !this.isOp('[')) this.fail("expected ']' or '[' closing the range");
        const hiInc = this.next().v === ']';
        return wrap({ k: 'range', e: l, lo, hi, loInc, hiInc });
      }
      const field = this.additive();
      return wrap({ k: 'inmulti', lit: l, field });
    }
    if (this.eatKw('like')) {
      const p = this.next();
      if (p.t !== 'str') { this.i--; this.fail('expected a string after LIKE'); }
      return wrap({ k: 'like', e: l, pattern: p.v });
    }
    if (this.eatKw('is')) {
      const neg = this.eatKw('not');
      if (this.eatKw('null')) return { k: 'isnull', e: l, neg };
      if (this.eatKw('true')) return { k: 'istrue', e: l, v: !neg };
      if (this.eatKw('false')) return { k: 'istrue', e: l, v: neg };
      this.fail('expected NULL, TRUE or FALSE after IS');
    }
    return l;
  }
  additive() {
    let l = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().v;
      l = { k: 'bin', op, l, r: this.mul() };
    }
    return l;
  }
  mul() {
    let l = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().v;
      l = { k: 'bin', op, l, r: this.unary() };
    }
    return l;
  }
  unary() {
    if (this.eatOp('-')) return { k: 'neg', e: this.unary() };
    return this.primary();
  }
  primary() {
    const tok = this.peek();
    if (tok.t === 'num') { this.i++; return { k: 'num', v: tok.v }; }
    if (tok.t === 'str') { this.i++; return { k: 'str', v: tok.v }; }
    if (tok.t === 'op' && tok.v === '(') {
      this.i++;
      const e = this.expr();
      this.expectOp(')');
      return e;
    }
    if (tok.t === 'op' && tok.v === '*') { this.i++; return { k: 'star' }; }
    if (tok.t !== 'id') this.fail('unexpected token');
    if (tok.quoted) { this.i++; return { k: 'field', name: tok.v }; }
    const low = tok.v.toLowerCase();
    if ((low === 'date' || low === 'geom') && this.peek(1).t === 'str') {
      this.i += 2;
      const raw = this.toks[this.i - 1].v;
      if (low === 'geom') this.fail('geometry literals are not supported by the stand-in portal');
      const ms = parseDateLiteral(raw);
      if (ms === null) { this.i--; this.fail(`invalid date literal '${raw}'`); }
      return { k: 'date', v: ms, raw };
    }
    if (low === 'true' || low === 'false') { this.i++; return { k: 'bool', v: low === 'true' }; }
    if (low === 'null') { this.i++; return { k: 'null' }; }
    if (this.isOp('(', 1)) return this.call();
    if (RESERVED.has(low)) this.fail(`unexpected keyword '${tok.v}'`);
    this.i++;
    return { k: 'field', name: tok.v };
  }
  call() {
    const nameTok = this.next();
    const name = nameTok.v.toLowerCase();
    this.expectOp('(');
    if (!AGGREGATES.has(name) && !SCALARS.has(name) && !PREDICATES.has(name)
      && !['include', 'exclude'].includes(name)) {
      this.i -= 2;
      this.fail(`unknown function '${nameTok.v}()'`);
    }
    if (name === 'include' || name === 'exclude') {
      // pseudo-functions of select: a field name pattern, possibly ending with '*'
      const open = this.toks[this.i - 1].end;
      let depth = 0;
      while (!this.atEnd() && !(depth === 0 && this.isOp(')'))) {
        if (this.isOp('(')) depth++;
        if (this.isOp(')')) depth--;
        this.i++;
      }
      const pattern = this.src.slice(open, this.peek().start).trim().replace(/^`|`$/g, '');
      this.expectOp(')');
      return { k: name, pattern };
    }
    let distinct = false;
    const args = [];
    if (!this.isOp(')')) {
      if (name === 'count' && this.eatKw('distinct')) distinct = true;
      args.push(this.expr());
      while (this.eatOp(',')) args.push(this.expr());
    }
    this.expectOp(')');
    return { k: 'call', name, args, distinct };
  }
  // "expr [AS alias]" lists (select, group_by)
  aliasedList() {
    const items = [];
    do {
      const start = this.peek().start;
      const expr = this.expr();
      const text = this.src.slice(start, this.toks[this.i - 1].end).trim();
      let alias = null;
      if (this.eatKw('as')) {
        const a = this.next();
        if (a.t !== 'id' && a.t !== 'str') { this.i--; this.fail('expected a label after AS'); }
        alias = a.v;
      }
      items.push({ expr, alias, text });
    } while (this.eatOp(','));
    if (!this.atEnd()) this.fail('unexpected token');
    return items;
  }
}

export function parseDateLiteral(raw) {
  const m = /^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ](\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(raw.trim());
  if (!m) return null;
  const [, y, mo = '1', d = '1', h = '0', mi = '0', s = '0', frac = '0', tz] = m;
  let ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.round(Number(`0.${frac}`) * 1000));
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return Number.isNaN(ms) ? null : ms;
}

export function parseWhere(src) {
  const p = new Parser(src, 'where');
  if (p.atEnd()) return null;
  const e = p.expr();
  if (!p.atEnd()) p.fail('unexpected token');
  return e;
}
export function parseSelect(src) { return new Parser(src, 'select').aliasedList(); }
export function parseGroupBy(src) { return new Parser(src, 'group_by').aliasedList(); }
export function parseOrderBy(src) {
  const p = new Parser(src, 'order_by');
  const items = [];
  do {
    const start = p.peek().start;
    const expr = p.expr();
    const text = p.src.slice(start, p.toks[p.i - 1].end).trim();
    let desc = false;
    if (p.eatKw('desc')) desc = true; else p.eatKw('asc');
    items.push({ expr, desc, text });
  } while (p.eatOp(','));
  if (!p.atEnd()) p.fail('unexpected token');
  return items;
}

// ---------------------------------------------------------------- evaluation -----------

export function hasAggregate(node) {
  if (!node || typeof node !== 'object') return false;
  if (node.k === 'call' && AGGREGATES.has(node.name)) return true;
  return Object.values(node).some((v) => (Array.isArray(v) ? v.some(hasAggregate) : hasAggregate(v)));
}

/** Checks every field name of an expression against the schema (fields: Map name → type). */
export function checkFields(node, fields, clause, extraNames = new Set()) {
  if (!node || typeof node !== 'object') return;
  if (node.k === 'field' && !fields.has(node.name) && !extraNames.has(node.name)) {
    throw new OdsqlError(`Unknown field: ${node.name}`, clause);
  }
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) v.forEach((x) => checkFields(x, fields, clause, extraNames));
    else if (v && typeof v === 'object') checkFields(v, fields, clause, extraNames);
  }
}

function isDateType(t) { return t === 'date' || t === 'datetime'; }

/** Static type of an expression: 'date' | 'number' | 'text' | 'bool' | null. */
function staticType(node, ctx) {
  switch (node.k) {
    case 'date': return 'date';
    case 'num': case 'bin': case 'neg': return 'number';
    case 'str': return 'text';
    case 'bool': return 'bool';
    case 'field': {
      const t = ctx.fields.get(node.name);
      if (isDateType(t)) return 'date';
      if (t === 'int' || t === 'double') return 'number';
      if (t === 'boolean') return 'bool';
      return t ? 'text' : null;
    }
    case 'call':
      if (['year', 'month', 'day', 'hour', 'minute', 'second', 'length', 'count', 'sum', 'avg', 'percentile', 'median'].includes(node.name)) return 'number';
      if (node.name === 'now') return 'date';
      if (['min', 'max', 'ifnull'].includes(node.name)) return node.args[0] ? staticType(node.args[0], ctx) : null;
      return 'text';
    default: return null;
  }
}

function toMs(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const ms = parseDateLiteral(String(v));
  return ms;
}

function toNum(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return null;
  const n = Number(String(v).trim());
  return Number.isNaN(n) ? null : n;
}

/** Value of an expression on one row. */
export function evalValue(node, row, ctx) {
  switch (node.k) {
    case 'num': case 'str': case 'bool': return node.v;
    case 'date': return node.v;
    case 'null': return null;
    case 'field': return row[node.name] ?? null;
    case 'neg': { const v = toNum(evalValue(node.e, row, ctx)); return v === null ? null : -v; }
    case 'bin': {
      const a = toNum(evalValue(node.l, row, ctx)), b = toNum(evalValue(node.r, row, ctx));
      if (a === null || b === null) return null;
      if (node.op === '+') return a + b;
      if (node.op === '-') return a - b;
      if (node.op === '*') return a * b;
      return b === 0 ? null : a / b;
    }
    case 'call': return evalCall(node, row, ctx);
    case 'star': throw new OdsqlError("'*' is not a value here", ctx.clause);
    default: return evalBool(node, row, ctx);
  }
}

function dateParts(v) {
  const ms = toMs(v);
  return ms === null ? null : new Date(ms);
}

function evalCall(node, row, ctx) {
  const arg = (i) => evalValue(node.args[i], row, ctx);
  switch (node.name) {
    case 'year': { const d = dateParts(arg(0)); return d && d.getUTCFullYear(); }
    case 'month': { const d = dateParts(arg(0)); return d && d.getUTCMonth() + 1; }
    case 'day': { const d = dateParts(arg(0)); return d && d.getUTCDate(); }
    case 'hour': { const d = dateParts(arg(0)); return d && d.getUTCHours(); }
    case 'minute': { const d = dateParts(arg(0)); return d && d.getUTCMinutes(); }
    case 'second': { const d = dateParts(arg(0)); return d && d.getUTCSeconds(); }
    case 'lower': { const v = arg(0); return v === null ? null : String(v).toLowerCase(); }
    case 'upper': { const v = arg(0); return v === null ? null : String(v).toUpperCase(); }
    case 'length': { const v = arg(0); return v === null ? null : [...String(v)].length; }
    case 'ifnull': { const v = arg(0); return v === null ? arg(1) : v; }
    case 'now': return Date.now();
    default:
      if (AGGREGATES.has(node.name)) {
        if (ctx.groupRows) return evalAggregate(node, ctx.groupRows, ctx);
        throw new OdsqlError(`aggregation function ${node.name}() is not allowed here`, ctx.clause);
      }
      return evalBool(node, row, ctx);
  }
}

/** Compares a and b with the types of their expressions; null when not comparable. */
function compareTyped(a, b, ta, tb) {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  if (ta === 'date' || tb === 'date') {
    const x = toMs(a), y = toMs(b);
    if (x === null || y === null) return null;
    return x - y;
  }
  if (ta === 'number' || tb === 'number') {
    const x = toNum(a), y = toNum(b);
    if (x === null || y === null) return null;
    return x - y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : null;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function anyOf(v, f) { return Array.isArray(v) ? v.some(f) : f(v); }

function cmpHolds(op, c) {
  if (c === null) return false;
  switch (op) {
    case '=': return c === 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
    default: return false;
  }
}

function likeMatch(value, pattern) {
  const vw = words(value);
  if (vw.length === 0) return false;
  const terms = norm(pattern).split(/[^\p{L}\p{N}*%]+/u).filter(Boolean);
  if (terms.length === 0) return true;
  return terms.every((term) => {
    if (/[*%]/.test(term)) {
      const re = new RegExp(`^${term.split(/[*%]+/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'u');
      return vw.some((w) => re.test(w));
    }
    return vw.includes(term);
  });
}

function fuzz(term) { return term.length > 5 ? 2 : term.length > 2 ? 1 : 0; }

/** search(): terms are fuzzy-matched, the last one is also a prefix (spec: "search()"). */
function searchMatch(valueWords, text, mode) {
  const terms = words(text);
  if (terms.length === 0) return true;
  return terms.every((term, i) => valueWords.some((w) => {
    if (mode === 'suggest') return w.startsWith(term);
    if (w === term) return true;
    if (i === terms.length - 1 && w.startsWith(term)) return true;
    const f = fuzz(term);
    return f > 0 && levenshtein(term, w, f) <= f;
  }));
}

function fieldsFor(node, ctx) {
  // search(f1, f2, "text") / search(*, "text") / search("text")
  const fieldArgs = node.args.slice(0, -1);
  if (fieldArgs.length === 0 || fieldArgs.some((a) => a.k === 'star')) return ctx.searchFields;
  return fieldArgs.map((a) => {
    if (a.k !== 'field') throw new OdsqlError(`${node.name}() expects field names before the text`, ctx.clause);
    return a.name;
  });
}

/** Truth of a where expression on one row (search-engine semantics: NOT is a plain negation). */
export function evalBool(node, row, ctx) {
  switch (node.k) {
    case 'and': return evalBool(node.l, row, ctx) && evalBool(node.r, row, ctx);
    case 'or': return evalBool(node.l, row, ctx) || evalBool(node.r, row, ctx);
    case 'not': return !evalBool(node.e, row, ctx);
    case 'str': {
      // a bare string: full-text search on all visible fields, AND on each word
      const terms = words(node.v);
      const all = ctx.searchFields.flatMap((f) => words(row[f]));
      return terms.every((t) => all.includes(t));
    }
    case 'bool': return node.v;
    case 'field': return row[node.name] === true;
    case 'istrue': return evalValue(node.e, row, ctx) === node.v;
    case 'isnull': {
      const v = evalValue(node.e, row, ctx);
      const isNull = v === null || v === undefined || (Array.isArray(v) && v.length === 0);
      return node.neg ? !isNull : isNull;
    }
    case 'cmp': {
      if (node.op === '!=') return !evalBool({ ...node, op: '=' }, row, ctx);
      const a = evalValue(node.l, row, ctx), b = evalValue(node.r, row, ctx);
      const ta = staticType(node.l, ctx), tb = staticType(node.r, ctx);
      return anyOf(a, (x) => anyOf(b, (y) => cmpHolds(node.op, compareTyped(x, y, ta, tb))));
    }
    case 'in': {
      const a = evalValue(node.e, row, ctx);
      const ta = staticType(node.e, ctx);
      return node.list.some((item) => {
        const b = evalValue(item, row, ctx);
        return anyOf(a, (x) => compareTyped(x, b, ta, staticType(item, ctx)) === 0);
      });
    }
    case 'range': {
      const a = evalValue(node.e, row, ctx);
      const ta = staticType(node.e, ctx);
      const lo = evalValue(node.lo, row, ctx), hi = evalValue(node.hi, row, ctx);
      return anyOf(a, (x) => {
        const c1 = compareTyped(x, lo, ta, staticType(node.lo, ctx));
        const c2 = compareTyped(x, hi, ta, staticType(node.hi, ctx));
        if (c1 === null || c2 === null) return false;
        return (node.loInc ? c1 >= 0 : c1 > 0) && (node.hiInc ? c2 <= 0 : c2 < 0);
      });
    }
    case 'inmulti': {
      const lit = evalValue(node.lit, row, ctx);
      const v = evalValue(node.field, row, ctx);
      const tf = staticType(node.field, ctx);
      return anyOf(v, (x) => compareTyped(x, lit, tf, staticType(node.lit, ctx)) === 0);
    }
    case 'like': return likeMatch(evalValue(node.e, row, ctx), node.pattern);
    case 'call': {
      if (PREDICATES.has(node.name)) {
        const last = node.args[node.args.length - 1];
        if (!last || last.k !== 'str') throw new OdsqlError(`${node.name}() expects a text literal as last argument`, ctx.clause);
        const fields = fieldsFor(node, ctx);
        if (node.name === 'startswith') return fields.some((f) => anyOf(row[f], (v) => v !== null && typeof v !== 'object' && String(v).startsWith(last.v)));
        const all = fields.flatMap((f) => words(row[f]));
        return searchMatch(all, last.v, node.name);
      }
      const v = evalValue(node, row, ctx);
      return v === true;
    }
    default:
      throw new OdsqlError('expression is not a boolean condition', ctx.clause);
  }
}

function keyOf(v) { return v !== null && typeof v === 'object' ? JSON.stringify(v) : v; }

/** An aggregation function over the rows of a group. */
export function evalAggregate(node, rows, ctx) {
  if (node.k !== 'call' || !AGGREGATES.has(node.name)) {
    // expressions mixing aggregates: evaluate with the group's rows available
    return evalValue(node, rows[0] ?? {}, { ...ctx, groupRows: rows });
  }
  const inner = { ...ctx, groupRows: null };
  const arg = node.args[0];
  if (!arg) throw new OdsqlError(`${node.name}() expects an argument`, ctx.clause);
  if (node.name === 'count') {
    if (arg.k === 'star') return rows.length;
    const vals = rows.map((r) => evalValue(arg, r, inner)).filter((v) => v !== null && v !== undefined);
    if (node.distinct) return new Set(vals.map(keyOf)).size;
    return vals.length;
  }
  const t = staticType(arg, ctx);
  const raw = rows.map((r) => evalValue(arg, r, inner)).filter((v) => v !== null && v !== undefined);
  if ((node.name === 'min' || node.name === 'max') && t !== 'number') {
    if (raw.length === 0) return null;
    const cmp = (a, b) => compareTyped(a, b, t, t) ?? 0;
    return raw.reduce((best, v) => ((node.name === 'min' ? cmp(v, best) < 0 : cmp(v, best) > 0) ? v : best));
  }
  const nums = raw.map(toNum).filter((v) => v !== null);
  switch (node.name) {
    case 'sum': return nums.reduce((a, b) => a + b, 0);
    case 'avg': return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
    case 'min': return nums.length ? nums.reduce((a, b) => (b < a ? b : a)) : null;
    case 'max': return nums.length ? nums.reduce((a, b) => (b > a ? b : a)) : null;
    case 'median': case 'percentile': {
      const p = node.name === 'median' ? 50 : toNum(evalValue(node.args[1] ?? { k: 'null' }, {}, inner));
      if (p === null || p < 0 || p > 100) throw new OdsqlError('percentile must be between 0 and 100', ctx.clause);
      if (nums.length === 0) return null;
      const s = [...nums].sort((a, b) => a - b);
      const rank = (p / 100) * (s.length - 1);
      const lo = Math.floor(rank), hi = Math.ceil(rank);
      return s[lo] + (s[hi] - s[lo]) * (rank - lo);
    }
    default: throw new OdsqlError(`unknown aggregation ${node.name}()`, ctx.clause);
  }
}

/** Sort comparator value: nulls always last whatever the direction (manual, "Handling null values"). */
export function orderCompare(a, b, desc, t) {
  const an = a === null || a === undefined, bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;
  let c;
  if (typeof a === 'number' && typeof b === 'number') c = a - b;
  else c = compareTyped(a, b, t, t) ?? 0;
  return desc ? -c : c;
}

export { staticType, keyOf };
