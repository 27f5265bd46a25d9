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
    write_record(
        &mut out,
        r.columns.iter().map(|c| header(&c.name, flavor)),
        flavor,
    );
    for row in &r.rows {
        write_record(&mut out, row.iter().map(|v| cell(v, flavor)), flavor);
    }
    out
}

/// The selected rows of a dataset (every column, in selection order) as CSV bytes.
pub fn rows_to_csv(ds: &Dataset, sel: &Selection, flavor: CsvFlavor) -> Vec<u8> {
    let mut out = flavor.start();
    write_record(
        &mut out,
        ds.columns.iter().map(|c| header(&c.name, flavor)),
        flavor,
    );
    for r in sel.iter() {
        write_record(
            &mut out,
            ds.columns.iter().map(|c| cell(&c.value(r), flavor)),
            flavor,
        );
    }
    out
}

/// One cell's text in the flavour: decimal comma for Excel FR, ISO dates everywhere. In the
/// Excel flavour a text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
/// tab or carriage return first: OWASP's "CSV injection") gets a leading apostrophe, which
/// Excel shows as plain text; the standard flavour keeps the data byte for byte.
fn cell(v: &Value, flavor: CsvFlavor) -> String {
    let s = v.to_plain_string();
    match (flavor, v) {
        (CsvFlavor::ExcelFr, Value::Decimal { .. } | Value::Float(_)) => s.replace('.', ","),
        (CsvFlavor::ExcelFr, Value::Text(_)) => defuse(s),
        _ => s,
    }
}

/// A header cell: column names come from the file, and a pivot's column names are data values,
/// so the Excel flavour defuses them exactly like text cells.
fn header(name: &str, flavor: CsvFlavor) -> String {
    match flavor {
        CsvFlavor::ExcelFr => defuse(name.to_string()),
        CsvFlavor::Standard => name.to_string(),
    }
}

/// Text a spreadsheet would run as a formula gets a leading apostrophe.
fn defuse(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::column::ColumnType;
    use crate::core::query::{QueryResult, ResultColumn};
    use crate::core::testing::{dec, text};

    fn result() -> QueryResult {
        let col = |name: &str, ty| ResultColumn {
            name: name.into(),
            ty,
        };
        QueryResult {
            columns: vec![
                col("libellé", ColumnType::Text),
                col("montant", ColumnType::Decimal),
                col("date", ColumnType::Date),
            ],
            rows: vec![
                vec![
                    Value::Text("a;b, \"c\"".into()),
                    Value::Decimal {
                        units: -123_456,
                        scale: 2,
                    },
                    Value::Date(19_783),
                ],
                vec![
                    Value::Text("ligne\nnouvelle".into()),
                    Value::Float(0.5),
                    Value::Null,
                ],
            ],
        }
    }

    #[test]
    fn standard_csv_quotes_only_what_needs_it() {
        let want = "libellé,montant,date\n\"a;b, \"\"c\"\"\",-1234.56,2024-03-01\n\"ligne\nnouvelle\",0.5,\n";
        assert_eq!(
            String::from_utf8_lossy(&result_to_csv(&result(), CsvFlavor::Standard)),
            want
        );
    }

    #[test]
    fn excel_fr_has_bom_semicolons_and_decimal_commas() {
        let mut want = b"\xEF\xBB\xBF".to_vec();
        want.extend_from_slice("libellé;montant;date\r\n\"a;b, \"\"c\"\"\";-1234,56;2024-03-01\r\n\"ligne\nnouvelle\";0,5;\r\n".as_bytes());
        assert_eq!(result_to_csv(&result(), CsvFlavor::ExcelFr), want);
    }

    #[test]
    fn excel_fr_defuses_formulas_in_headers_and_pivot_column_names() {
        // A pivot's columns are named after data values: "=1+1" and "-5" here.
        let col = |name: &str| ResultColumn {
            name: name.into(),
            ty: ColumnType::Integer,
        };
        let r = QueryResult {
            columns: vec![col("@region"), col("=1+1"), col("-5"), col("Total")],
            rows: vec![vec![
                Value::Text("Corse".into()),
                Value::Int(1),
                Value::Int(-2),
                Value::Int(-1),
            ]],
        };
        let fr = String::from_utf8(result_to_csv(&r, CsvFlavor::ExcelFr)).unwrap_or_default();
        assert_eq!(fr, "\u{feff}'@region;'=1+1;'-5;Total\r\nCorse;1;-2;-1\r\n");
        let std = String::from_utf8(result_to_csv(&r, CsvFlavor::Standard)).unwrap_or_default();
        assert_eq!(std, "@region,=1+1,-5,Total\nCorse,1,-2,-1\n");
        let ds = Dataset::from_columns(vec![text("+cmd", &[Some("x")])]);
        let rows = rows_to_csv(&ds, &Selection::all(1), CsvFlavor::ExcelFr);
        assert_eq!(
            String::from_utf8(rows).unwrap_or_default(),
            "\u{feff}'+cmd\r\nx\r\n"
        );
    }

    #[test]
    fn excel_fr_defuses_formulas_in_text_but_keeps_numbers() {
        let r = QueryResult {
            columns: vec![
                ResultColumn {
                    name: "t".into(),
                    ty: ColumnType::Text,
                },
                ResultColumn {
                    name: "n".into(),
                    ty: ColumnType::Float,
                },
            ],
            rows: vec![
                vec![
                    Value::Text("=HYPERLINK(\"http://x\")".into()),
                    Value::Float(-1.5),
                ],
                vec![Value::Text("@SUM(A1)".into()), Value::Float(2.0)],
                vec![Value::Text("Défense".into()), Value::Null],
            ],
        };
        let fr = String::from_utf8(result_to_csv(&r, CsvFlavor::ExcelFr)).unwrap_or_default();
        assert!(
            fr.contains("\"'=HYPERLINK(\"\"http://x\"\")\";-1,5"),
            "{fr}"
        );
        assert!(fr.contains("'@SUM(A1);2"), "{fr}");
        assert!(fr.contains("\r\nDéfense;"), "{fr}");
        let std = String::from_utf8(result_to_csv(&r, CsvFlavor::Standard)).unwrap_or_default();
        assert!(
            std.contains("\"=HYPERLINK(\"\"http://x\"\")\",-1.5"),
            "standard keeps the data: {std}"
        );
    }

    #[test]
    fn rows_export_follows_the_selection_order() {
        let ds = Dataset::from_columns(vec![
            text("r", &[Some("x"), None, Some("y,z")]),
            dec("m", &[Some(150), Some(2), None], 2),
        ]);
        let sel = Selection::from_rows(vec![2, 0, 1]);
        assert_eq!(
            String::from_utf8_lossy(&rows_to_csv(&ds, &sel, CsvFlavor::Standard)),
            "r,m\n\"y,z\",\nx,1.50\n,0.02\n"
        );
        assert_eq!(
            String::from_utf8_lossy(&rows_to_csv(&ds, &sel, CsvFlavor::ExcelFr)),
            "\u{feff}r;m\r\ny,z;\r\nx;1,50\r\n;0,02\r\n"
        );
    }
}
