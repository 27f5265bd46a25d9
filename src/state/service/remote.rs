//! The portal engine's arithmetic: how a [`Request`] becomes calls of the Explore API v2.1, and
//! how their answers become the very [`Answer`](super::Answer) the browser engine gives. Pure
//! Rust, no network: the web layer (`web/remote.rs`) sends the [`Plan`]'s calls and hands their
//! bodies back to [`Plan::finish`] (`remote/finish.rs`; the bodies are read in
//! `remote/decode.rs`, the answers about one column planned in `remote/columns.rs`).
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

mod columns;
mod decode;
mod finish;
pub use columns::raw_values_limit;
use columns::{profile_of, raw_values, value_counts};
use decode::records;

use super::Request;
use crate::core::column::{ColumnType, KeyKind};
use crate::core::query::aggregate::output_name;
use crate::core::query::{self, AggOp, Aggregate, Filter, Query, QueryError, ResultColumn};
use crate::core::{ColumnData, Dataset, Value};
use crate::state::odsql::{self, ApiCall, Endpoint, Field, Inexact};
use crate::state::view::ViewSpec;

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

/// The portal's answer could not be read: a failure of the call (asked again later), not of
/// the query.
fn bad(what: &str) -> QueryError {
    QueryError::Remote(format!("portail / portal: {what}"))
}

fn inexact(e: Inexact) -> QueryError {
    QueryError::BadFilter(e.what)
}
