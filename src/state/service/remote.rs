//! The portal engine's arithmetic: how a [`Request`] becomes calls of the Explore API v2.1, and
//! how their answers become the very [`Answer`] the browser engine gives. Pure Rust, no network:
//! the web layer (`web/remote.rs`) sends the [`Plan`]'s calls and hands their bodies back to
//! [`Plan::finish`].
//!
//! What must stay true: an answer built here equals what `core::query` computes on the whole
//! dataset, for every request. Where ODSQL says a query exactly (`state::odsql::translate`), one
//! call computes it on the portal. Where it cannot, the answer is still exact, computed another
//! way:
//! - the "Autres" row of a top N (counts and sums only, as the charts make it) is the filtered
//!   total (a second call) minus the top N's, and the top call asks for N + 1 groups to learn
//!   whether anything was cut at all;
//! - a pivot of a count, sum, minimum or maximum is one grouped call in long form, reshaped
//!   here by the engine's own pivot (its totals re-aggregate the cells, which is exact for
//!   those operations);
//! - a share is its group's sum (or count) over the filtered total (a second call);
//! - anything else (a substring search, a median, a count of distinct values, which the
//!   portal only approximates, a mean pivot, …) downloads only the columns it needs,
//!   only the rows the exact part of its filters keeps, through the exports endpoint, and runs
//!   `core::query` on them; past [`MAX_FALLBACK_ROWS`] rows it fails with a message that says
//!   why and what to do, rather than give a figure that is not the data's.
//!
//! Result columns (names and types) come from running the same query on the sample the
//! dataset was opened with (its first records): the portal gives the values, the sample the
//! schema, so a portal answer formats exactly like a local one.

use serde_json::Value as Json;

use super::{Answer, Request};
use crate::core::column::{ColumnType, KeyKind};
use crate::core::ingest::{self, cell, IngestOptions};
use crate::core::query::aggregate::output_name;
use crate::core::query::{
    self, AggOp, Aggregate, Filter, Query, QueryError, QueryResult, ResultColumn, Selection,
};
use crate::core::value::days_from_civil;
use crate::core::{Column, ColumnData, Dataset, Value};
use crate::state::odsql::{self, ApiCall, Endpoint, Field, Inexact};
use crate::state::view::{ViewSpec, MAX_CHART_POINTS, MAX_HISTOGRAM_VALUES};

/// Most rows a query that ODSQL cannot say exactly may download to be computed in the browser:
/// the records up to which the automatic choice would have downloaded the whole dataset.
pub const MAX_FALLBACK_ROWS: usize = 200_000;
/// Rows of one table page on the portal (the records endpoint's largest `limit`).
pub const PAGE_ROWS: usize = odsql::RECORDS_MAX_LIMIT;

/// What the portal engine knows of the dataset: its fields and the sample it was opened with.
pub struct Remote<'a> {
    pub sample: &'a Dataset,
    pub fields: &'a [Field],
}

/// The calls that answer one request, and how to combine their bodies.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub calls: Vec<ApiCall>,
    finish: Finish,
}

#[derive(Debug, Clone, PartialEq)]
enum Finish {
    /// `select=count(*) as n`.
    Count,
    /// One table: rows of `columns`, from a records body or an exports CSV (at most
    /// `max_rows` rows when the call could send more).
    Table {
        columns: Vec<Out>,
        max_rows: Option<usize>,
    },
    /// Top N + 1 groups (call 0) and the filtered total (call 1).
    Others {
        /// The keys, the aggregates, then a count of values per counted sum.
        columns: Vec<Out>,
        limit: usize,
        keys: usize,
        /// Columns of the answer (keys and aggregates): the counts after them are dropped.
        outputs: usize,
        /// The aggregates (by position) that are sums with a count of their values.
        counted: Vec<usize>,
    },
    /// Groups with each share as its sum (call 0), divided by the filtered totals (call 1).
    Share {
        columns: Vec<Out>,
        /// Per share, in the order of the totals: the decimal scale of its column when it
        /// holds integers (0) or decimals, `None` for floats and counts' shares of floats.
        units_scale: Vec<Option<u8>>,
        /// Output positions of the shares, in the order of the totals `t0`, `t1`, ….
        shares: Vec<usize>,
        /// The rows are sorted (and cut) by a share: a negative total would reverse that order.
        sorted_by_share: bool,
    },
    /// Long-form groups (call 0) reshaped by the engine's pivot.
    Pivot { query: Query, cells: Vec<Out> },
    /// The needed columns (read with the sample's `types`) of the rows the exact filters keep
    /// (call 0), then `core::query`.
    Local {
        request: LocalRequest,
        types: Vec<(String, ColumnType)>,
    },
    /// A column's values with their counts, most frequent first.
    Distinct { columns: Vec<Out> },
    /// A column's profile from all its values with their counts (one exact call).
    Profile {
        columns: Vec<Out>,
        key: Option<KeyKind>,
    },
}

/// What runs in the browser over downloaded rows.
#[derive(Debug, Clone, PartialEq)]
enum LocalRequest {
    Count(Vec<Filter>),
    /// A table page: filters, sort, offset, limit.
    Page(Vec<Filter>, Option<query::SortKey>, usize, usize),
    Query(Query),
    Chart(ViewSpec),
}

/// One output column: its name and type as the engine gives them, and the scale of a decimal.
#[derive(Debug, Clone, PartialEq)]
struct Out {
    column: ResultColumn,
    scale: u8,
}

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

/// Plans the calls that answer `req` on the portal.
pub fn plan(req: &Request, r: &Remote) -> Result<Plan, QueryError> {
    match req {
        Request::Count { filters } => match odsql::where_clause(filters, r.fields) {
            Ok(w) => Ok(Plan {
                calls: vec![call(
                    Endpoint::Records,
                    [
                        ("select", Some("count(*) as n".to_string())),
                        ("where", w),
                        ("limit", Some("1".into())),
                    ],
                )],
                finish: Finish::Count,
            }),
            Err(_) => local(filters, &[], LocalRequest::Count(filters.clone()), r),
        },
        Request::Chart {
            filters,
            chart,
            agg,
            top,
        } => {
            let view = ViewSpec {
                filters: filters.clone(),
                chart: chart.clone(),
                agg: *agg,
                top: *top,
                ..ViewSpec::default()
            };
            use crate::chart::ChartKind;
            match chart.kind {
                ChartKind::Histogram | ChartKind::Scatter => {
                    let names: Vec<String> = match chart.kind {
                        ChartKind::Scatter => {
                            chart.x.iter().chain(chart.y.iter()).cloned().collect()
                        }
                        _ => chart.y.iter().cloned().collect(),
                    };
                    raw_values(view, &names, raw_values_limit(&chart.kind), r)
                }
                // A map normalises and rolls up the codes as written (`1`, `01`, `2a`, communes
                // into départements): computed here from the code and measure columns of the
                // rows the filters keep.
                ChartKind::Map => {
                    let cols: Vec<String> = chart.x.iter().chain(chart.y.iter()).cloned().collect();
                    local(filters, &cols, LocalRequest::Chart(view), r)
                }
                _ => plan_query(&view.chart_query(), r, Some(view)),
            }
        }
        Request::Query { query } => plan_query(query, r, None),
        Request::Page {
            filters,
            sort,
            offset,
            limit,
        } => {
            let limit = (*limit).min(PAGE_ROWS);
            if offset + limit > odsql::RECORDS_MAX_WINDOW {
                return Err(QueryError::TooBig {
                    what: query::budget::Budget::PortalWindow,
                    count: offset + limit,
                    limit: odsql::RECORDS_MAX_WINDOW,
                });
            }
            let w = match odsql::where_clause(filters, r.fields) {
                Ok(w) => w,
                // A text search: the rows the exact filters keep, searched, sorted and cut here.
                Err(_) => {
                    let mut cols = vec!["*".to_string()];
                    cols.extend(sort.iter().map(|k| k.column.clone()));
                    return local(
                        filters,
                        &cols,
                        LocalRequest::Page(filters.clone(), sort.clone(), *offset, limit),
                        r,
                    );
                }
            };
            let order = sort.as_ref().map(|k| {
                format!(
                    "{} {}",
                    odsql::quote_field(&k.column),
                    if k.desc { "desc" } else { "asc" }
                )
            });
            let columns = outs(r.sample, &Query::default(), r)?;
            Ok(Plan {
                calls: vec![call(
                    Endpoint::Records,
                    [
                        ("where", w),
                        ("order_by", order),
                        ("limit", Some(limit.to_string())),
                        ("offset", (*offset > 0).then(|| offset.to_string())),
                    ],
                )],
                finish: Finish::Table {
                    columns,
                    max_rows: None,
                },
            })
        }
        Request::Distinct { column } => {
            let (c, columns) = value_counts(column, r)?;
            Ok(Plan {
                calls: vec![c],
                finish: Finish::Distinct { columns },
            })
        }
        Request::Profile { column } => {
            let key = r
                .sample
                .column(column)
                .map_err(|e| QueryError::UnknownColumn(e.0))?
                .key;
            let (c, columns) = value_counts(column, r)?;
            Ok(Plan {
                calls: vec![c],
                finish: Finish::Profile { columns, key },
            })
        }
        Request::TableRows { .. } => Err(bad(
            "les lignes d'un portail se lisent par pages / portal rows are read by pages",
        )),
    }
}

/// A query (a chart's, the grouping panel's, the pivot's, the JS API's).
fn plan_query(q: &Query, r: &Remote, chart: Option<ViewSpec>) -> Result<Plan, QueryError> {
    let fallback = |r: &Remote| {
        let req = match &chart {
            Some(v) => LocalRequest::Chart(v.clone()),
            None => LocalRequest::Query(q.clone()),
        };
        local(&q.filter, &needed(q), req, r)
    };
    // Unknown columns and bad aggregates fail as the engine says, before any call.
    query::run(r.sample, q)?;
    if let Some(p) = &q.pivot {
        let exact_ops = matches!(
            p.value.op,
            AggOp::Count | AggOp::Sum | AggOp::Min | AggOp::Max
        );
        let long = Query {
            filter: q.filter.clone(),
            group_by: vec![p.rows.clone(), p.columns.clone()],
            aggregates: vec![Aggregate {
                op: p.value.op,
                column: p.value.column.clone(),
                alias: Some(fresh_alias("value", r.sample)),
            }],
            ..Query::default()
        };
        return match (exact_ops, odsql::translate(&long, r.fields)) {
            (true, Ok(mut c)) => {
                c.endpoint = Endpoint::ExportsCsv;
                Ok(Plan {
                    finish: Finish::Pivot {
                        query: q.clone(),
                        cells: outs(r.sample, &long, r)?,
                    },
                    calls: vec![c],
                })
            }
            _ => fallback(r),
        };
    }
    let grouped = !q.group_by.is_empty();
    if q.others && grouped {
        if let Some(limit) = q.limit {
            let additive = q
                .aggregates
                .iter()
                .all(|a| matches!(a.op, AggOp::Count | AggOp::Sum));
            // A sum over groups whose values are all missing is null, not 0: the values
            // counted in the top groups and in all tell whether "Autres" sums any.
            let counted: Vec<usize> = q
                .aggregates
                .iter()
                .enumerate()
                .filter(|(_, a)| a.op == AggOp::Sum && a.column.is_some())
                .map(|(i, _)| i)
                .collect();
            let count_of = |i: usize, alias: Option<String>| Aggregate {
                op: AggOp::Count,
                column: q.aggregates[i].column.clone(),
                alias,
            };
            let mut top = Query {
                others: false,
                limit: Some(limit + 1),
                ..q.clone()
            };
            for (j, &i) in counted.iter().enumerate() {
                let taken: Vec<String> = top.aggregates.iter().map(output_name).collect();
                let mut alias = fresh_alias(&format!("n{j}"), r.sample);
                while taken.iter().any(|t| t.eq_ignore_ascii_case(&alias)) {
                    alias.push('_');
                }
                top.aggregates.push(count_of(i, Some(alias)));
            }
            let total = totals_query(
                &q.filter,
                q.aggregates
                    .iter()
                    .cloned()
                    .chain(counted.iter().map(|&i| count_of(i, None))),
            );
            if let (true, Ok(a), Ok(b)) = (
                additive,
                odsql::translate(&top, r.fields),
                odsql::translate(&total, r.fields),
            ) {
                return Ok(Plan {
                    calls: vec![a, b],
                    finish: Finish::Others {
                        columns: outs(r.sample, &top, r)?,
                        limit,
                        keys: q.group_by.len(),
                        outputs: q.group_by.len() + q.aggregates.len(),
                        counted,
                    },
                });
            }
            return fallback(r);
        }
    }
    let shares: Vec<usize> = q
        .aggregates
        .iter()
        .enumerate()
        .filter(|(_, a)| a.op == AggOp::Share)
        .map(|(i, _)| i + q.group_by.len())
        .collect();
    if !shares.is_empty() {
        // A share is its group's sum (or count) over the filtered total: both on the portal.
        let as_sum = |a: &Aggregate| Aggregate {
            op: if a.column.is_some() {
                AggOp::Sum
            } else {
                AggOp::Count
            },
            column: a.column.clone(),
            alias: Some(output_name(a)),
        };
        let parts = Query {
            aggregates: q
                .aggregates
                .iter()
                .map(|a| {
                    if a.op == AggOp::Share {
                        as_sum(a)
                    } else {
                        a.clone()
                    }
                })
                .collect(),
            others: false,
            ..q.clone()
        };
        // With the count of values of each summed column, as the "Autres" total asks it, so
        // that a chart and its key figures share the call.
        let shared = q.aggregates.iter().filter(|a| a.op == AggOp::Share);
        let total = totals_query(
            &q.filter,
            shared
                .clone()
                .map(as_sum)
                .chain(shared.filter(|a| a.column.is_some()).map(|a| Aggregate {
                    op: AggOp::Count,
                    column: a.column.clone(),
                    alias: None,
                })),
        );
        let share_names: Vec<String> = q
            .aggregates
            .iter()
            .filter(|a| a.op == AggOp::Share)
            .map(output_name)
            .collect();
        if let (false, Ok(a), Ok(b)) = (
            q.others,
            odsql::translate(&parts, r.fields),
            odsql::translate(&total, r.fields),
        ) {
            return Ok(Plan {
                calls: vec![a, b],
                finish: Finish::Share {
                    units_scale: q
                        .aggregates
                        .iter()
                        .filter(|a| a.op == AggOp::Share)
                        .map(|a| {
                            let c = a.column.as_deref().and_then(|c| r.sample.column(c).ok());
                            match c.map(|c| &c.data) {
                                None => Some(0),
                                Some(ColumnData::Integer(_)) | Some(ColumnData::Boolean(_)) => {
                                    Some(0)
                                }
                                Some(ColumnData::Decimal { scale, .. }) => Some(*scale),
                                Some(_) => None,
                            }
                        })
                        .collect(),
                    columns: outs(r.sample, q, r)?,
                    shares,
                    sorted_by_share: q.sort.iter().any(|k| share_names.contains(&k.column)),
                },
            });
        }
        return fallback(r);
    }
    match odsql::translate(q, r.fields) {
        Ok(mut c) => {
            // Raw rows past what the page would download whole: at most that many, or a
            // message (an export has no limit by itself).
            let raw = q.group_by.is_empty() && q.aggregates.is_empty();
            let capped = raw && q.limit.is_none_or(|n| n > MAX_FALLBACK_ROWS);
            if capped {
                c.params.retain(|(k, _)| k != "limit");
                c.params
                    .push(("limit".into(), (MAX_FALLBACK_ROWS + 1).to_string()));
            }
            Ok(Plan {
                calls: vec![c],
                finish: Finish::Table {
                    columns: outs(r.sample, q, r)?,
                    max_rows: capped.then_some(MAX_FALLBACK_ROWS),
                },
            })
        }
        Err(_) => fallback(r),
    }
}

/// Most raw values a histogram or a scatter plot reads from the portal: the first rows that
/// match, as many as the browser engine reads (spread evenly over all rows there) but never
/// more than [`MAX_FALLBACK_ROWS`]. When the answer has exactly this many rows, the page says
/// that the chart shows the first rows only.
pub fn raw_values_limit(kind: &crate::chart::ChartKind) -> usize {
    match kind {
        crate::chart::ChartKind::Histogram => MAX_HISTOGRAM_VALUES.min(MAX_FALLBACK_ROWS),
        _ => MAX_CHART_POINTS,
    }
}

/// Raw values of some columns (histograms, scatter plots): the first `most` matching rows
/// (a text search: the rows the exact filters keep, searched and charted here).
fn raw_values(
    view: ViewSpec,
    names: &[String],
    most: usize,
    r: &Remote,
) -> Result<Plan, QueryError> {
    let filters = &view.filters;
    let w = match odsql::where_clause(filters, r.fields) {
        Ok(w) => w,
        Err(_) => return local(filters, names, LocalRequest::Chart(view.clone()), r),
    };
    let mut columns = Vec::new();
    for n in names {
        let c = r
            .sample
            .column(n)
            .map_err(|e| QueryError::UnknownColumn(e.0))?;
        columns.push(Out {
            column: ResultColumn {
                name: c.name.clone(),
                ty: c.column_type(),
            },
            scale: scale_of(&c.data),
        });
    }
    Ok(Plan {
        calls: vec![columns_export(names, w, most)],
        finish: Finish::Table {
            columns,
            max_rows: None,
        },
    })
}

/// A profile from every value of a column with its count, most frequent first: what
/// `core::profile::profile` computes from the rows (means of dates rounded to a day as there).
fn profile_of(
    column: &ResultColumn,
    key: Option<KeyKind>,
    counts: Vec<Vec<Value>>,
) -> crate::core::profile::Profile {
    let ty = column.ty;
    let pairs: Vec<(Value, usize)> = counts
        .into_iter()
        .map(|mut r| {
            let n = r.pop().and_then(|v| v.as_f64()).unwrap_or(0.0) as usize;
            (r.pop().unwrap_or(Value::Null), n)
        })
        .collect();
    let rows = pairs.iter().map(|(_, n)| n).sum();
    let missing = pairs
        .iter()
        .filter(|(v, _)| v.is_null())
        .map(|(_, n)| n)
        .sum();
    let values: Vec<(Value, usize)> = pairs.into_iter().filter(|(v, _)| !v.is_null()).collect();
    let ordered = ty.is_numeric() || matches!(ty, ColumnType::Date | ColumnType::Datetime);
    let (mut min, mut max, mut mean) = (Value::Null, Value::Null, Value::Null);
    if ordered && !values.is_empty() {
        let key_of = |v: &Value| v.as_f64().unwrap_or(0.0);
        min = values
            .iter()
            .map(|(v, _)| v)
            .min_by(|a, b| key_of(a).total_cmp(&key_of(b)))
            .cloned()
            .unwrap_or(Value::Null);
        max = values
            .iter()
            .map(|(v, _)| v)
            .max_by(|a, b| key_of(a).total_cmp(&key_of(b)))
            .cloned()
            .unwrap_or(Value::Null);
        let n: usize = values.iter().map(|(_, n)| n).sum();
        // As the engine does: stored integers (decimal units, days, seconds) summed exactly,
        // then divided; floats summed as floats.
        let units = |v: &Value| match v {
            Value::Int(i) => Some((i128::from(*i), 0u8)),
            Value::Decimal { units, scale } => Some((i128::from(*units), *scale)),
            Value::Date(d) => Some((i128::from(*d), 0)),
            Value::DateTime(t) => Some((i128::from(*t), 0)),
            _ => None,
        };
        let x = if values.iter().all(|(v, _)| units(v).is_some()) {
            let scale = values
                .iter()
                .filter_map(|(v, _)| units(v).map(|u| u.1))
                .max()
                .unwrap_or(0);
            let sum: i128 = values
                .iter()
                .filter_map(|(v, c)| {
                    units(v).map(|(u, s)| u * 10i128.pow(u32::from(scale - s)) * *c as i128)
                })
                .sum();
            sum as f64 / n as f64 / 10f64.powi(i32::from(scale))
        } else {
            values
                .iter()
                .map(|(v, c)| key_of(v) * *c as f64)
                .sum::<f64>()
                / n as f64
        };
        mean = match ty {
            ColumnType::Date => Value::Date(x.round() as i32),
            ColumnType::Datetime => Value::DateTime(x.round() as i64),
            _ => Value::Float(x),
        };
    }
    let distinct = values.len();
    let mut top = values;
    top.truncate(crate::core::profile::TOP_VALUES);
    crate::core::profile::Profile {
        name: column.name.clone(),
        ty,
        key,
        rows,
        missing,
        distinct,
        top,
        min,
        max,
        mean,
        invalid_count: 0,
        invalid: Vec::new(),
    }
}

/// Every value of a column with its count, most frequent first (ties by value), as one export
/// call of at most [`query::budget::MAX_DISTINCT_VALUES`] + 1 groups, and its two columns.
fn value_counts(column: &str, r: &Remote) -> Result<(ApiCall, Vec<Out>), QueryError> {
    let c = r
        .sample
        .column(column)
        .map_err(|e| QueryError::UnknownColumn(e.0))?;
    let f = odsql::quote_field(&c.name);
    let n = fresh_alias("n", r.sample);
    let q = Query {
        group_by: vec![c.name.clone()],
        aggregates: vec![Aggregate {
            op: AggOp::Count,
            column: None,
            alias: Some(n.clone()),
        }],
        ..Query::default()
    };
    let nq = odsql::quote_field(&n);
    let call = call(
        Endpoint::ExportsCsv,
        [
            ("select", Some(format!("{f}, count(*) as {nq}"))),
            ("group_by", Some(f.clone())),
            ("order_by", Some(format!("{nq} desc, {f} asc"))),
            (
                "limit",
                Some((query::budget::MAX_DISTINCT_VALUES + 1).to_string()),
            ),
        ],
    );
    Ok((call, outs(r.sample, &q, r)?))
}

/// `base`, or `base_`, `base__`… : a name no column of the dataset has (ASCII case aside), for
/// the aggregates Loupe adds to a call (a column named `n` or `value` must not collide).
fn fresh_alias(base: &str, sample: &Dataset) -> String {
    let mut a = base.to_string();
    while sample
        .columns
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(&a))
    {
        a.push('_');
    }
    a
}

/// The filtered totals of some aggregates in one row, named `t0`, `t1`, … (so that the same
/// total asked by two panels is the same call).
fn totals_query(filter: &[Filter], aggregates: impl Iterator<Item = Aggregate>) -> Query {
    Query {
        filter: filter.to_vec(),
        aggregates: aggregates
            .enumerate()
            .map(|(i, a)| Aggregate {
                alias: Some(format!("t{i}")),
                ..a
            })
            .collect(),
        ..Query::default()
    }
}

/// The values `t0`, `t1`, … of a totals answer.
fn totals(body: &[u8]) -> Result<Vec<Json>, QueryError> {
    let rows = records(body)?;
    let first = rows.into_iter().next().unwrap_or_default();
    Ok((0..first.len())
        .map(|i| first.get(&format!("t{i}")).cloned().unwrap_or(Json::Null))
        .collect())
}

/// The fallback: download the columns a query needs, of the rows its exact filters keep.
fn local(
    filters: &[Filter],
    columns: &[String],
    request: LocalRequest,
    r: &Remote,
) -> Result<Plan, QueryError> {
    let exact: Vec<Filter> = filters
        .iter()
        .filter(|f| odsql::where_clause(std::slice::from_ref(f), r.fields).is_ok())
        .cloned()
        .collect();
    let w = odsql::where_clause(&exact, r.fields).map_err(inexact)?;
    let mut names: Vec<String> = Vec::new();
    let mut add = |n: &str| {
        if let Ok(c) = r.sample.column(n) {
            if !names.contains(&c.name) {
                names.push(c.name.clone());
            }
        }
    };
    for c in columns {
        if c == "*" {
            for col in &r.sample.columns {
                add(&col.name);
            }
        } else {
            add(c);
        }
    }
    for f in filters {
        match f {
            Filter::Contains { column, .. } => match column.as_deref() {
                Some(c) if c != "*" => add(c),
                _ => {
                    for c in &r.sample.columns {
                        if c.column_type() == ColumnType::Text {
                            add(&c.name);
                        }
                    }
                }
            },
            Filter::In { column, .. }
            | Filter::NotIn { column, .. }
            | Filter::Between { column, .. }
            | Filter::IsNull { column }
            | Filter::NotNull { column } => add(column),
        }
    }
    if names.is_empty() {
        // A count of all rows needs one column to count lines of.
        if let Some(c) = r.sample.columns.first() {
            names.push(c.name.clone());
        }
    }
    let types = names
        .iter()
        .filter_map(|n| r.sample.column(n).ok())
        .map(|c| (c.name.clone(), c.column_type()))
        .collect();
    Ok(Plan {
        calls: vec![columns_export(&names, w, MAX_FALLBACK_ROWS + 1)],
        finish: Finish::Local { request, types },
    })
}

/// The export of some columns of the rows `where` keeps, at most `limit` of them.
fn columns_export(names: &[String], w: Option<String>, limit: usize) -> ApiCall {
    let select = names
        .iter()
        .map(|n| odsql::quote_field(n))
        .collect::<Vec<_>>()
        .join(", ");
    call(
        Endpoint::ExportsCsv,
        [
            ("select", Some(select)),
            ("where", w),
            ("limit", Some(limit.to_string())),
        ],
    )
}

/// The columns a query reads.
fn needed(q: &Query) -> Vec<String> {
    let mut out: Vec<String> = q.group_by.clone();
    out.extend(q.aggregates.iter().filter_map(|a| a.column.clone()));
    if let Some(p) = &q.pivot {
        out.push(p.rows.clone());
        out.push(p.columns.clone());
        out.extend(p.value.column.clone());
    }
    if q.group_by.is_empty() && q.aggregates.is_empty() && q.pivot.is_none() {
        // Raw rows: every column (the sort keys among them).
        out.push("*".into());
    }
    out
}

fn call<const N: usize>(endpoint: Endpoint, params: [(&str, Option<String>); N]) -> ApiCall {
    ApiCall {
        endpoint,
        params: params
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
            .collect(),
    }
}

/// The output columns of `q`, from its run on the sample, with the scale of each decimal.
fn outs(sample: &Dataset, q: &Query, _r: &Remote) -> Result<Vec<Out>, QueryError> {
    let t = query::run(sample, q)?;
    let scale_of_name = |n: &str| -> Option<u8> {
        let from_agg = q
            .aggregates
            .iter()
            .find(|a| output_name(a) == n)
            .and_then(|a| a.column.as_deref());
        let col = sample.column(from_agg.unwrap_or(n)).ok()?;
        Some(scale_of(&col.data))
    };
    Ok(t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let seen = t.rows.iter().find_map(|r| match r.get(i) {
                Some(Value::Decimal { scale, .. }) => Some(*scale),
                _ => None,
            });
            Out {
                column: c.clone(),
                scale: seen.or_else(|| scale_of_name(&c.name)).unwrap_or(2),
            }
        })
        .collect())
}

fn scale_of(d: &ColumnData) -> u8 {
    match d {
        ColumnData::Decimal { scale, .. } => *scale,
        _ => 2,
    }
}

/// The `results` of a records body.
fn records(body: &[u8]) -> Result<Vec<serde_json::Map<String, Json>>, QueryError> {
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
fn table(
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
fn json_value(j: &Json, ty: ColumnType, scale: u8) -> Value {
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
fn minus<'a>(whole: Value, shown: impl Iterator<Item = &'a Value>) -> Value {
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
fn dataset_of(t: &QueryResult) -> Dataset {
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

/// The portal's answer could not be read: a failure of the call (asked again later), not of
/// the query.
fn bad(what: &str) -> QueryError {
    QueryError::Remote(format!("portail / portal: {what}"))
}

fn inexact(e: Inexact) -> QueryError {
    QueryError::BadFilter(e.what)
}
