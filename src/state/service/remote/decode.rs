//! Reading the portal's answers: records and exports bodies into the engine's values, typed as
//! the sample's columns (see the parent module), and the small arithmetic on them (the "Autres"
//! row of a top N, the long form of a pivot as a dataset).

use serde_json::Value as Json;

use super::{bad, Out};
use crate::core::column::ColumnType;
use crate::core::ingest::{self, cell, IngestOptions};
use crate::core::query::{QueryError, QueryResult};
use crate::core::value::days_from_civil;
use crate::core::{Column, Dataset, Value};
use crate::state::odsql::Endpoint;

/// The `results` of a records body.
pub(super) fn records(body: &[u8]) -> Result<Vec<serde_json::Map<String, Json>>, QueryError> {
    #[derive(serde::Deserialize)]
    struct Records {
        #[serde(default)]
        results: Vec<serde_json::Map<String, Json>>,
    }
    serde_json::from_slice::<Records>(body)
        .map(|r| r.results)
        .map_err(|e| bad(&format!("réponse illisible / unreadable answer: {e}")))
}

/// The rows of one call's body as the columns `columns`.
pub(super) fn table(
    endpoint: Option<Endpoint>,
    body: &[u8],
    columns: &[Out],
) -> Result<QueryResult, QueryError> {
    let rows = match endpoint {
        Some(Endpoint::ExportsCsv) => csv_rows(body, columns)?,
        _ => records(body)?
            .iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|c| {
                        json_value(
                            r.get(&c.column.name).unwrap_or(&Json::Null),
                            c.column.ty,
                            c.scale,
                        )
                    })
                    .collect()
            })
            .collect(),
    };
    Ok(QueryResult {
        columns: columns.iter().map(|c| c.column.clone()).collect(),
        rows,
    })
}

/// The rows of an exports CSV, read by Loupe's ingest with the columns' types.
fn csv_rows(body: &[u8], columns: &[Out]) -> Result<Vec<Vec<Value>>, QueryError> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Vec::new());
    }
    let types = columns
        .iter()
        .map(|c| (c.column.name.clone(), c.column.ty))
        .collect();
    let ds = ingest::read(
        body,
        &IngestOptions {
            types,
            ..IngestOptions::default()
        },
    )
    .map_err(|e| bad(&e.to_string()))?;
    let idx = columns
        .iter()
        .map(|c| {
            ds.column_index(&c.column.name).map_err(|_| {
                bad(&format!(
                    "colonne absente / missing column {}",
                    c.column.name
                ))
            })
        })
        .collect::<Result<Vec<usize>, _>>()?;
    Ok((0..ds.rows)
        .map(|r| {
            idx.iter()
                .zip(columns)
                .map(|(&i, c)| coerce(ds.columns[i].value(r), c.column.ty, c.scale))
                .collect()
        })
        .collect())
}

/// A value read from CSV, in the output column's type and decimal scale.
fn coerce(v: Value, ty: ColumnType, scale: u8) -> Value {
    match (ty, &v) {
        (ColumnType::Decimal, Value::Decimal { .. } | Value::Int(_) | Value::Float(_)) => {
            decimal(v.as_f64().unwrap_or(0.0), scale)
        }
        (ColumnType::Integer, Value::Decimal { .. } | Value::Float(_)) => {
            Value::Int(v.as_f64().unwrap_or(0.0).round() as i64)
        }
        (ColumnType::Float, Value::Int(_) | Value::Decimal { .. }) => {
            Value::Float(v.as_f64().unwrap_or(0.0))
        }
        (ColumnType::Text, v) if !v.is_null() && !matches!(v, Value::Text(_)) => {
            Value::Text(v.to_plain_string())
        }
        _ => v,
    }
}

fn decimal(x: f64, scale: u8) -> Value {
    Value::Decimal {
        units: (x * 10f64.powi(i32::from(scale))).round() as i64,
        scale,
    }
}

/// A JSON value of a records answer, in the output column's type.
pub(super) fn json_value(j: &Json, ty: ColumnType, scale: u8) -> Value {
    let num = || match j {
        Json::Number(n) => n.as_f64(),
        Json::String(s) => cell::parse_f64(s.trim().as_bytes(), b'.'),
        _ => None,
    };
    match (ty, j) {
        (_, Json::Null) => Value::Null,
        (ColumnType::Integer, _) => match j.as_i64() {
            Some(i) => Value::Int(i),
            None => num().map_or(Value::Null, |x| Value::Int(x.round() as i64)),
        },
        (ColumnType::Decimal, _) => num().map_or(Value::Null, |x| decimal(x, scale)),
        (ColumnType::Float, _) => num().map_or(Value::Null, Value::Float),
        (ColumnType::Boolean, Json::Bool(b)) => Value::Bool(*b),
        (ColumnType::Boolean, Json::String(s)) => {
            cell::parse_bool(s.as_bytes()).map_or(Value::Null, Value::Bool)
        }
        (ColumnType::Date, Json::String(s)) => iso_date(s).map_or(Value::Null, Value::Date),
        (ColumnType::Datetime, Json::String(s)) => cell::parse_datetime(s.trim().as_bytes())
            .map_or(Value::Null, |(secs, _)| Value::DateTime(secs)),
        (ColumnType::Text, Json::String(s)) => Value::Text(s.clone()),
        (ColumnType::Text, Json::Number(n)) => Value::Text(n.to_string()),
        (ColumnType::Text, Json::Bool(b)) => Value::Text(b.to_string()),
        // As the CSV export writes them: a geo point `lat, lon`, a multivalued field `a,b`.
        (ColumnType::Text, Json::Object(o)) => match (o.get("lat"), o.get("lon")) {
            (Some(lat), Some(lon)) => Value::Text(format!("{lat}, {lon}")),
            _ => Value::Text(j.to_string()),
        },
        (ColumnType::Text, Json::Array(a)) => Value::Text(
            a.iter()
                .map(|v| match v {
                    Json::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => Value::Null,
    }
}

/// `2024-03-01` (or the date part of a datetime) as days since 1970.
fn iso_date(s: &str) -> Option<i32> {
    let d = s.trim().get(..10)?;
    let mut it = d.split('-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let day = it.next()?.parse().ok()?;
    days_from_civil(y, m, day)
}

/// `whole` minus the values shown, in the column's type (exact for integers and decimals).
pub(super) fn minus<'a>(whole: Value, shown: impl Iterator<Item = &'a Value>) -> Value {
    match whole {
        Value::Int(t) => Value::Int(
            t - shown
                .map(|v| match v {
                    Value::Int(i) => *i,
                    _ => 0,
                })
                .sum::<i64>(),
        ),
        Value::Decimal { units, scale: s } => {
            let sum: i64 = shown
                .map(|v| match v {
                    Value::Decimal { units, .. } => *units,
                    _ => 0,
                })
                .sum();
            Value::Decimal {
                units: units - sum,
                scale: s,
            }
        }
        Value::Float(t) => Value::Float(t - shown.filter_map(Value::as_f64).sum::<f64>()),
        other => other,
    }
}

/// A small dataset of a result table (the long form of a pivot).
pub(super) fn dataset_of(t: &QueryResult) -> Dataset {
    Dataset::from_columns(
        t.columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let values: Vec<Value> = t.rows.iter().map(|r| r[i].clone()).collect();
                Column::from_values(c.name.clone(), c.ty, &values)
            })
            .collect(),
    )
}
