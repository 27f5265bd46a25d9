//! Export of query results and rows as CSV: standard (`,`, UTF-8) and "Excel FR" (`;`, BOM,
//! decimal comma).
//!
//! Invariants: the output always parses back to the same cells with an RFC 4180 reader; a
//! field is quoted exactly when it holds the delimiter, a double quote, CR or LF (quotes are
//! doubled); nulls are empty fields; dates are ISO (`2024-03-01`) in both flavours; numbers
//! never carry a thousands separator. Standard ends lines with `\n`, Excel FR with `\r\n`.

use super::dataset::Dataset;
use super::query::{QueryResult, Selection};
use super::value::Value;

/// The dialect of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvFlavor {
    /// `,` delimiter, UTF-8 without BOM, `.` decimals, ISO dates, `\n` line ends.
    #[default]
    Standard,
    /// What a French Excel opens by double-click: `;`, UTF-8 BOM, decimal comma, ISO dates,
    /// `\r\n` line ends.
    ExcelFr,
}

impl CsvFlavor {
    fn delimiter(self) -> u8 {
        match self {
            CsvFlavor::Standard => b',',
            CsvFlavor::ExcelFr => b';',
        }
    }

    fn line_end(self) -> &'static [u8] {
        match self {
            CsvFlavor::Standard => b"\n",
            CsvFlavor::ExcelFr => b"\r\n",
        }
    }

    fn start(self) -> Vec<u8> {
        match self {
            CsvFlavor::Standard => Vec::new(),
            CsvFlavor::ExcelFr => b"\xEF\xBB\xBF".to_vec(),
        }
    }
}

/// A query result as CSV bytes, header first.
///
/// ```
/// use loupe::core::export::{result_to_csv, CsvFlavor};
/// use loupe::core::query::{QueryResult, ResultColumn};
/// use loupe::core::{ColumnType, Value};
/// let r = QueryResult {
///     columns: vec![ResultColumn { name: "total".into(), ty: ColumnType::Decimal }],
///     rows: vec![vec![Value::Decimal { units: 1050, scale: 2 }]],
/// };
/// assert_eq!(result_to_csv(&r, CsvFlavor::ExcelFr), b"\xEF\xBB\xBFtotal\r\n10,50\r\n".to_vec());
/// ```
pub fn result_to_csv(r: &QueryResult, flavor: CsvFlavor) -> Vec<u8> {
    let mut out = flavor.start();
    write_record(&mut out, r.columns.iter().map(|c| c.name.clone()), flavor);
    for row in &r.rows {
        write_record(&mut out, row.iter().map(|v| cell(v, flavor)), flavor);
    }
    out
}

/// The selected rows of a dataset (every column, in selection order) as CSV bytes.
pub fn rows_to_csv(ds: &Dataset, sel: &Selection, flavor: CsvFlavor) -> Vec<u8> {
    let mut out = flavor.start();
    write_record(&mut out, ds.columns.iter().map(|c| c.name.clone()), flavor);
    for r in sel.iter() {
        write_record(
            &mut out,
            ds.columns.iter().map(|c| cell(&c.value(r), flavor)),
            flavor,
        );
    }
    out
}

/// One cell's text in the flavour: decimal comma for Excel FR, ISO dates everywhere.
fn cell(v: &Value, flavor: CsvFlavor) -> String {
    let s = v.to_plain_string();
    match (flavor, v) {
        (CsvFlavor::ExcelFr, Value::Decimal { .. } | Value::Float(_)) => s.replace('.', ","),
        _ => s,
    }
}

fn write_record(out: &mut Vec<u8>, fields: impl Iterator<Item = String>, flavor: CsvFlavor) {
    let delim = flavor.delimiter();
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(delim);
        }
        let needs_quotes = f
            .bytes()
            .any(|b| b == delim || b == b'"' || b == b'\n' || b == b'\r');
        if needs_quotes {
            out.push(b'"');
            out.extend_from_slice(f.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(f.as_bytes());
        }
    }
    out.extend_from_slice(flavor.line_end());
}
