//! The answer of a plan: the bodies of its calls combined into the very [`Answer`] the browser
//! engine gives (see the parent module; the calls are planned there).

use serde_json::Value as Json;

use super::decode::{dataset_of, json_value, minus, records, table};
use super::{bad, profile_of, totals, Finish, LocalRequest, Plan, MAX_FALLBACK_ROWS};
use crate::core::column::ColumnType;
use crate::core::ingest::{self, IngestOptions};
use crate::core::query::{
    self, AggOp, Aggregate, QueryError, QueryResult, ResultColumn, Selection,
};
use crate::core::{Dataset, Value};
use crate::state::service::Answer;

impl Plan {
    /// Combines the bodies of [`Plan::calls`] (same order) into the answer.
    pub fn finish(&self, bodies: &[Vec<u8>]) -> Result<Answer, QueryError> {
        let body = |i: usize| {
            bodies
                .get(i)
                .map(Vec::as_slice)
                .ok_or_else(|| bad("réponse manquante / missing answer"))
        };
        let endpoint = |i: usize| self.calls.get(i).map(|c| c.endpoint);
        match &self.finish {
            Finish::Count => {
                let rows = records(body(0)?)?;
                let n = rows
                    .first()
                    .and_then(|r| r.get("n"))
                    .and_then(Json::as_u64)
                    .ok_or_else(|| bad("no count"))?;
                Ok(Answer::Count(n as usize))
            }
            Finish::Table { columns, max_rows } => {
                let t = table(endpoint(0), body(0)?, columns)?;
                if let Some(most) = max_rows {
                    query::budget::check(
                        query::budget::Budget::PortalDownload,
                        t.rows.len(),
                        *most,
                    )?;
                }
                Ok(Answer::Table(t))
            }
            Finish::Distinct { columns } => {
                let t = table(endpoint(0), body(0)?, columns)?;
                query::budget::check(
                    query::budget::Budget::Distinct,
                    t.rows.len(),
                    query::budget::MAX_DISTINCT_VALUES,
                )?;
                Ok(Answer::Distinct(
                    t.rows
                        .into_iter()
                        .map(|mut r| {
                            let n = r.pop().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
                            (r.pop().unwrap_or(Value::Null), n)
                        })
                        .collect(),
                ))
            }
            Finish::Profile { columns, key } => {
                let t = table(endpoint(0), body(0)?, columns)?;
                query::budget::check(
                    query::budget::Budget::Distinct,
                    t.rows.len(),
                    query::budget::MAX_DISTINCT_VALUES,
                )?;
                Ok(Answer::Profile(Box::new(profile_of(
                    &columns[0].column,
                    *key,
                    t.rows,
                ))))
            }
            Finish::Others {
                columns,
                limit,
                keys,
                outputs,
                counted,
            } => {
                let mut t = table(endpoint(0), body(0)?, columns)?;
                if t.rows.len() > *limit {
                    t.rows.truncate(*limit);
                    let totals = totals(body(1)?)?;
                    let aggs = outputs - keys;
                    let mut row = vec![Value::Text(query::OTHERS_LABEL.into())];
                    row.resize(*keys, Value::Null);
                    for (i, c) in columns[*keys..*outputs].iter().enumerate() {
                        let whole =
                            json_value(totals.get(i).unwrap_or(&Json::Null), c.column.ty, c.scale);
                        let shown = t.rows.iter().map(|r| &r[keys + i]);
                        let mut v = minus(whole, shown);
                        if let Some(j) = counted.iter().position(|&a| a == i) {
                            let all = totals.get(aggs + j).and_then(Json::as_f64).unwrap_or(0.0);
                            let seen: f64 =
                                t.rows.iter().filter_map(|r| r[outputs + j].as_f64()).sum();
                            if all - seen < 0.5 {
                                v = Value::Null;
                            }
                        }
                        row.push(v);
                    }
                    query::textify_column(&mut t.columns, &mut t.rows, 0);
                    t.rows.push(row);
                }
                for r in &mut t.rows {
                    r.truncate(*outputs);
                }
                t.columns.truncate(*outputs);
                Ok(Answer::Table(t))
            }
            Finish::Share {
                columns,
                units_scale,
                shares,
                sorted_by_share,
            } => {
                let mut t = table(endpoint(0), body(0)?, columns)?;
                let totals = totals(body(1)?)?;
                for (j, &i) in shares.iter().enumerate() {
                    // Integer and decimal sums are divided in units, as the engine does.
                    let unit = 10f64.powi(i32::from(
                        units_scale.get(j).copied().flatten().unwrap_or(0),
                    ));
                    let exact = |x: f64| match units_scale.get(j).copied().flatten() {
                        Some(_) => (x * unit).round(),
                        None => x,
                    };
                    let total = exact(totals.get(j).and_then(Json::as_f64).unwrap_or(0.0));
                    if total < 0.0 && *sorted_by_share {
                        return Err(QueryError::BadAggregate(
                            "le total est négatif : triez par la somme plutôt que par la part / the total is negative: sort by the sum rather than the share".into(),
                        ));
                    }
                    for r in &mut t.rows {
                        let part = exact(r[i].as_f64().unwrap_or(0.0));
                        r[i] = if total == 0.0 {
                            Value::Null
                        } else {
                            Value::Float(part / total)
                        };
                    }
                }
                Ok(Answer::Table(t))
            }
            Finish::Pivot { query: q, cells } => {
                let long = table(endpoint(0), body(0)?, cells)?;
                let ds = dataset_of(&long);
                let Some(p) = &q.pivot else {
                    return Err(bad("no pivot"));
                };
                let count = p.value.op == AggOp::Count;
                let value_name = cells[2].column.name.clone();
                let pivot = query::Pivot {
                    rows: p.rows.clone(),
                    columns: p.columns.clone(),
                    value: Aggregate {
                        // Counts add up; sums, minimums and maximums re-aggregate as themselves.
                        op: if count { AggOp::Sum } else { p.value.op },
                        column: Some(value_name),
                        alias: p.value.alias.clone(),
                    },
                };
                let mut t = query::pivot::pivot(&ds, &Selection::all(ds.rows), &pivot)?;
                if count {
                    // An empty cell counts 0 rows (a sum of nothing is null).
                    for (i, c) in t.columns.iter_mut().enumerate().skip(1) {
                        c.ty = ColumnType::Integer;
                        for r in &mut t.rows {
                            r[i] = match &r[i] {
                                Value::Null => Value::Int(0),
                                v => Value::Int(v.as_f64().unwrap_or(0.0) as i64),
                            };
                        }
                    }
                }
                Ok(Answer::Table(t))
            }
            Finish::Local { request, types } => {
                let ds = if body(0)?.iter().all(u8::is_ascii_whitespace) {
                    Dataset::from_columns(Vec::new())
                } else {
                    ingest::read(
                        body(0)?,
                        &IngestOptions {
                            types: types.clone(),
                            ..IngestOptions::default()
                        },
                    )
                    .map_err(|e| bad(&e.to_string()))?
                };
                if ds.rows > MAX_FALLBACK_ROWS {
                    return Err(QueryError::TooBig {
                        what: query::budget::Budget::PortalDownload,
                        count: ds.rows,
                        limit: MAX_FALLBACK_ROWS,
                    });
                }
                match request {
                    LocalRequest::Count(filters) => {
                        let sel = query::select(&ds, filters)?;
                        Ok(Answer::Count(sel.len()))
                    }
                    LocalRequest::Query(q) => Ok(Answer::Table(query::run(&ds, q)?)),
                    LocalRequest::Page(filters, sort, offset, limit) => {
                        let sel = query::select(&ds, filters)?;
                        let order = match sort {
                            Some(k) => query::sort_rows(&ds, &sel, std::slice::from_ref(k))?,
                            None => sel,
                        };
                        let rows = order
                            .as_slice()
                            .iter()
                            .skip(*offset)
                            .take(*limit)
                            .map(|&i| ds.columns.iter().map(|c| c.value(i as usize)).collect())
                            .collect();
                        Ok(Answer::Table(QueryResult {
                            columns: ds
                                .columns
                                .iter()
                                .map(|c| ResultColumn {
                                    name: c.name.clone(),
                                    ty: c.column_type(),
                                })
                                .collect(),
                            rows,
                        }))
                    }
                    LocalRequest::Chart(view) => {
                        let sel = query::select(&ds, &view.filters)?;
                        Ok(Answer::Table(crate::state::view::chart_rows(
                            &ds, &sel, view,
                        )?))
                    }
                }
            }
        }
    }
}
