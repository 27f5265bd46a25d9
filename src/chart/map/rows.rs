//! The chart table of a map: the measure aggregated per territory of the map's level, read from
//! the selected rows. Codes are normalised ([`super::codes::normalise`]) and rolled up before
//! grouping, so a commune file can be drawn by département with an exact mean or median (not a
//! mean of means). Values that are not codes are kept as written, to be matched by name or
//! reported as codes without a territory.
//!
//! What must stay true: every selected row with a code lands in exactly one group; rows
//! outside the spec's zone are left out; the result lists every group (no top-N).

use std::collections::HashMap;

use crate::core::column::ColumnType;
use crate::core::query::{AggOp, QueryError, QueryResult, ResultColumn, Selection};
use crate::core::{Dataset, Value};

use super::{codes, in_zone, Level};
use crate::chart::ChartSpec;

/// The level of the codes in column `x` of `ds`: its key kind, else guessed from its values.
pub fn data_level(ds: &Dataset, x: usize) -> Level {
    let c = &ds.columns[x];
    if let Some(l) = c.key.and_then(Level::of_key) {
        return l;
    }
    let sample: Vec<String> = (0..ds.rows.min(500))
        .map(|r| c.value(r).to_plain_string())
        .collect();
    codes::guess_level(sample.iter().map(String::as_str))
}

/// The map's table: column 0 the code of each territory (named after the `x` column), column 1
/// `agg` of the measure `spec.y` (or the row count `n`), sorted by value, largest first.
pub fn map_rows(
    ds: &Dataset,
    sel: &Selection,
    spec: &ChartSpec,
    agg: AggOp,
) -> Result<QueryResult, QueryError> {
    let x_name = spec
        .x
        .clone()
        .ok_or_else(|| QueryError::UnknownColumn(String::new()))?;
    let x = ds
        .column_index(&x_name)
        .map_err(|e| QueryError::UnknownColumn(e.0))?;
    let y = spec
        .y
        .as_deref()
        .map(|n| {
            ds.column_index(n)
                .map_err(|e| QueryError::UnknownColumn(e.0))
        })
        .transpose()?;
    let from = data_level(ds, x);
    let to = spec.map.level.map_or(from, |l| l.max(from));
    let zone = spec.map.zone.as_deref();
    let op = if y.is_none() { AggOp::Count } else { agg };
    let mut memo: HashMap<String, Option<String>> = HashMap::new();
    let mut groups: Vec<(String, Vec<f64>, usize)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut distinct: Vec<std::collections::HashSet<String>> = Vec::new();
    for &r in sel.as_slice() {
        let r = r as usize;
        let raw = ds.columns[x].value(r);
        if raw.is_null() {
            continue;
        }
        let raw = raw.to_plain_string();
        let key = memo
            .entry(raw.clone())
            .or_insert_with(|| {
                let code = match codes::normalise(&raw, from) {
                    Some(c) => codes::roll_up(&c, from, to).or(Some(c)),
                    None => Some(raw.trim().to_string()).filter(|s| !s.is_empty()),
                };
                code.filter(|c| {
                    zone.is_none_or(|z| {
                        // A value that is not a code stays: it is reported, not dropped.
                        codes::normalise(&raw, from).is_none() || in_zone(c, to, z)
                    })
                })
            })
            .clone();
        let Some(key) = key else { continue };
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new(), 0));
            distinct.push(Default::default());
            groups.len() - 1
        });
        groups[g].2 += 1;
        if let Some(y) = y {
            let v = ds.columns[y].value(r);
            if op == AggOp::CountDistinct && !v.is_null() {
                distinct[g].insert(v.to_plain_string());
            }
            if let Some(f) = v.as_f64().filter(|f| f.is_finite()) {
                groups[g].1.push(f);
            }
        }
    }
    let total: f64 = groups.iter().map(|g| g.1.iter().sum::<f64>()).sum();
    let mut rows: Vec<(String, Option<f64>)> = groups
        .into_iter()
        .zip(distinct)
        .map(|((code, mut vals, count), d)| {
            let v = match op {
                AggOp::Count => Some(count as f64),
                AggOp::CountDistinct => Some(d.len() as f64),
                _ if vals.is_empty() => None,
                AggOp::Sum => Some(vals.iter().sum()),
                AggOp::Share => Some(vals.iter().sum::<f64>() / total),
                AggOp::Mean => Some(vals.iter().sum::<f64>() / vals.len() as f64),
                AggOp::Min => vals.iter().copied().reduce(f64::min),
                AggOp::Max => vals.iter().copied().reduce(f64::max),
                AggOp::Median => {
                    vals.sort_by(f64::total_cmp);
                    let m = vals.len() / 2;
                    Some(if vals.len().is_multiple_of(2) {
                        (vals[m - 1] + vals[m]) / 2.0
                    } else {
                        vals[m]
                    })
                }
            };
            (code, v)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.1.unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.1.unwrap_or(f64::NEG_INFINITY))
            .then_with(|| a.0.cmp(&b.0))
    });
    let counts = matches!(op, AggOp::Count | AggOp::CountDistinct);
    let y_name = spec.y.clone().unwrap_or_else(|| "n".into());
    Ok(QueryResult {
        columns: vec![
            ResultColumn {
                name: x_name,
                ty: ColumnType::Text,
            },
            ResultColumn {
                name: y_name,
                ty: if counts {
                    ColumnType::Integer
                } else {
                    ColumnType::Float
                },
            },
        ],
        rows: rows
            .into_iter()
            .map(|(c, v)| {
                let v = match v {
                    None => Value::Null,
                    Some(v) if counts => Value::Int(v as i64),
                    Some(v) => Value::Float(v),
                };
                vec![Value::Text(c), v]
            })
            .collect(),
    })
}
