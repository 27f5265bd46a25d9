// Counts the records and fields of a CSV file independently of the app, so that the
// end-to-end tests compare what the page shows with the file itself, not with numbers copied
// into the test. RFC 4180 quoting; the separator is whichever of , ; tab | is most frequent
// (outside quotes) in the header line.

import { readFileSync } from 'node:fs';

export function parseCsv(text) {
  const firstLine = text.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, '');
  const separator = [',', ';', '\t', '|']
    .map((s) => [s, firstLine.split(s).length])
    .sort((a, b) => b[1] - a[1])[0][0];
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { record.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  const nonEmpty = records.filter((r) => !(r.length === 1 && r[0] === ''));
  const [header = [], ...rows] = nonEmpty;
  return { separator, header, rows };
}

/** { rows, columns } of a CSV file (header excluded from rows). Latin-1 reading is enough to count. */
export function csvShape(path) {
  const { header, rows } = parseCsv(readFileSync(path, 'latin1'));
  return { rows: rows.length, columns: header.length };
}
