//! The view spec: one serializable value describing what the user looks at (filters, grouping,
//! aggregates, chart, table sort). The same value is the URL state, the persona preset and the
//! embed message. Versioned; every field has a default so that old links keep working.

use serde::{Deserialize, Serialize};

mod fit;
mod map_fit;
pub mod table_window;
pub use fit::{
    applicable_kinds, best_name_matches, chart_meaning, column_figures, is_code_name,
    suggest_chart, ColumnNotes,
};

use crate::chart::{ChartKind, ChartSpec};
use crate::core::query::{AggOp, Aggregate, Filter, Pivot, Query, SortKey};
use crate::core::Dataset;

/// The current version of the view format.
pub const VIEW_VERSION: u32 = 1;

/// Everything about the view except the data source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSpec {
    pub v: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// Chart and grouping: `chart.x` is the category, `chart.y` the measure (summed), or rows
    /// are counted when there is no measure.
    pub chart: ChartSpec,
    /// How the measure is aggregated for the chart.
    pub agg: AggOp,
    /// Bars shown before the rest is folded into "Autres".
    pub top: usize,
    /// Sort of the raw table, by a column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table_sort: Option<SortKey>,
    /// The grouping table (power users): keys, measures, top-N.
    #[serde(skip_serializing_if = "GroupSpec::is_empty")]
    pub group: GroupSpec,
    /// The two-dimensional pivot, when one is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pivot: Option<Pivot>,
}

/// A grouped table: `aggregates` of the filtered rows by `by`, sorted by the first measure,
/// optionally cut to `limit` groups plus an "Autres" row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GroupSpec {
    pub by: Vec<String>,
    pub aggregates: Vec<Aggregate>,
    pub limit: Option<usize>,
    pub others: bool,
}

impl GroupSpec {
    pub fn is_empty(&self) -> bool {
        *self == GroupSpec::default()
    }
}

impl Default for ViewSpec {
    fn default() -> Self {
        ViewSpec {
            v: VIEW_VERSION,
            filters: Vec::new(),
            chart: ChartSpec::default(),
            agg: AggOp::Sum,
            top: 15,
            table_sort: None,
            group: GroupSpec::default(),
            pivot: None,
        }
    }
}

impl ViewSpec {
    /// The query that feeds the chart: `agg(y)` grouped by `x`, sorted for rankings, top-N
    /// with an "others" row where it makes sense.
    pub fn chart_query(&self) -> Query {
        let chart = &self.chart;
        let measure = match (&chart.y, chart.kind.clone()) {
            (Some(y), _) => Aggregate {
                op: self.agg,
                column: Some(y.clone()),
                alias: Some(y.clone()),
            },
            (None, _) => Aggregate {
                op: AggOp::Count,
                column: None,
                alias: Some("n".into()),
            },
        };
        let measure_name = measure.alias.clone().unwrap_or_default();
        let mut q = Query {
            filter: self.filters.clone(),
            ..Query::default()
        };
        match chart.kind {
            ChartKind::Histogram | ChartKind::Scatter => {
                // Raw values: the chart bins or plots them itself.
                q.limit = Some(50_000);
            }
            ChartKind::BigNumber => q.aggregates = vec![measure],
            ChartKind::Line => {
                q.group_by = chart.x.iter().cloned().collect();
                q.aggregates = vec![measure];
                q.sort = chart
                    .x
                    .iter()
                    .map(|x| SortKey {
                        column: x.clone(),
                        desc: false,
                    })
                    .collect();
            }
            ChartKind::StackedBar => {
                q.group_by = chart.x.iter().chain(chart.series.iter()).cloned().collect();
                q.aggregates = vec![measure];
                // Series in the order of their values within each bar, in every engine.
                q.sort = chart
                    .x
                    .iter()
                    .chain(chart.series.iter())
                    .map(|x| SortKey {
                        column: x.clone(),
                        desc: false,
                    })
                    .collect();
            }
            // A map lists every area (no top-N); its table is built by `chart_rows`.
            ChartKind::Map => {
                q.group_by = chart.x.iter().cloned().collect();
                q.aggregates = vec![measure];
            }
            ChartKind::Bar | ChartKind::Ranking | ChartKind::Treemap => {
                q.group_by = chart.x.iter().cloned().collect();
                q.aggregates = vec![measure];
                // Ties broken by the category, so that every engine ranks (and cuts) alike.
                q.sort = std::iter::once(SortKey {
                    column: measure_name,
                    desc: true,
                })
                .chain(chart.x.iter().map(|x| SortKey {
                    column: x.clone(),
                    desc: false,
                }))
                .collect();
                q.limit = Some(self.top.max(1));
                // "Autres" folds the rest into one sum: only counts and sums add up that way (an
                // "Autres" maximum or mean would be a bar that means nothing).
                q.others = chart.y.is_none() || self.agg == AggOp::Sum;
            }
        }
        q
    }

    /// The query of the grouping table, or `None` when no grouping is set.
    pub fn group_query(&self) -> Option<Query> {
        if self.group.by.is_empty() {
            return None;
        }
        let aggregates = if self.group.aggregates.is_empty() {
            vec![Aggregate {
                op: AggOp::Count,
                column: None,
                alias: Some("n".into()),
            }]
        } else {
            self.group.aggregates.clone()
        };
        let first = aggregates
            .first()
            .map(crate::core::query::aggregate::output_name)
            .unwrap_or_default();
        Some(Query {
            filter: self.filters.clone(),
            group_by: self.group.by.clone(),
            // Ties broken by the keys, so that every engine orders (and cuts) alike.
            sort: std::iter::once(SortKey {
                column: first,
                desc: true,
            })
            .chain(self.group.by.iter().map(|k| SortKey {
                column: k.clone(),
                desc: false,
            }))
            .collect(),
            limit: self.group.limit,
            others: self.group.others && self.group.limit.is_some(),
            aggregates,
            ..Query::default()
        })
    }

    /// The pivot query, or `None` when no pivot is set.
    pub fn pivot_query(&self) -> Option<Query> {
        self.pivot.as_ref().map(|p| Query {
            filter: self.filters.clone(),
            pivot: Some(p.clone()),
            ..Query::default()
        })
    }

    /// Drops the parts of the view that name columns the dataset does not have, so that a
    /// preset or a link made for another file never breaks the page.
    pub fn fit_to(&mut self, ds: &Dataset) {
        let has = |c: &Option<String>| c.as_ref().is_none_or(|n| ds.column_index(n).is_ok());
        if !has(&self.chart.x) || !has(&self.chart.y) || !has(&self.chart.series) {
            self.chart = suggest_chart(ds);
        }
        self.filters
            .retain(|f| filter_column(f).is_none_or(|c| ds.column_index(c).is_ok()));
        if let Some(s) = &self.table_sort {
            if ds.column_index(&s.column).is_err() {
                self.table_sort = None;
            }
        }
        let known = |c: &str| ds.column_index(c).is_ok();
        if !self.group.by.iter().all(|c| known(c))
            || !self
                .group
                .aggregates
                .iter()
                .all(|a| a.column.as_deref().is_none_or(known))
        {
            self.group = GroupSpec::default();
        }
        if let Some(p) = &self.pivot {
            if !known(&p.rows) || !known(&p.columns) || !p.value.column.as_deref().is_none_or(known)
            {
                self.pivot = None;
            }
        }
    }
}

impl ViewSpec {
    /// Removes the pivot and the grouping when their result would exceed a query budget on
    /// `ds` (a hostile or outdated link), returning the refusals. Only the budgets are checked
    /// ([`crate::core::query::check_budgets`]: one pass over the rows, no result computed).
    pub fn drop_oversized(&mut self, ds: &Dataset) -> Vec<crate::core::query::QueryError> {
        use crate::core::query::{check_budgets, QueryError};
        let mut refused = Vec::new();
        let too_big = |q: Option<Query>| match q.map(|q| check_budgets(ds, &q)) {
            Some(Err(e @ QueryError::TooBig { .. })) => Some(e),
            _ => None,
        };
        if let Some(e) = too_big(self.pivot_query()) {
            self.pivot = None;
            refused.push(e);
        }
        if let Some(e) = too_big(self.group_query()) {
            self.group = GroupSpec::default();
            refused.push(e);
        }
        refused
    }
}

/// The column a filter is about (`None` for a search across all text columns).
pub fn filter_column(f: &Filter) -> Option<&str> {
    match f {
        Filter::In { column, .. }
        | Filter::NotIn { column, .. }
        | Filter::Between { column, .. }
        | Filter::IsNull { column }
        | Filter::NotNull { column } => Some(column),
        Filter::Contains { column, .. } => column.as_deref().filter(|c| *c != "*"),
    }
}

/// Most points a scatter plot reads; beyond it rows are sampled evenly (a plot of more points
/// is ink, and its sentence describes the shape, not a count).
pub const MAX_CHART_POINTS: usize = 20_000;

/// Most values a histogram reads. A histogram's bins and its sentence (count, range, median)
/// are exact up to here: sampling would miss extremes and count the sample, not the rows
/// (« 17 480 valeurs » for 34 960 communes). A million values is ~56 MB of answer, within the
/// query service's cache budget.
pub const MAX_HISTOGRAM_VALUES: usize = 1_000_000;

/// The table a chart draws: the grouped chart query, or for histograms and scatter plots the
/// raw values of the chart's columns (sampled evenly beyond [`MAX_CHART_POINTS`] for scatter
/// plots and [`MAX_HISTOGRAM_VALUES`] for histograms).
pub fn chart_table(
    ds: &Dataset,
    view: &ViewSpec,
) -> Result<crate::core::query::QueryResult, crate::core::query::QueryError> {
    let sel = crate::core::query::select(ds, &view.filters)?;
    chart_rows(ds, &sel, view)
}

/// [`chart_table`] over rows already selected by the view's filters.
pub fn chart_rows(
    ds: &Dataset,
    sel: &crate::core::query::Selection,
    view: &ViewSpec,
) -> Result<crate::core::query::QueryResult, crate::core::query::QueryError> {
    use crate::core::query::{self, QueryResult, ResultColumn};
    match view.chart.kind {
        ChartKind::Histogram | ChartKind::Scatter => {
            let names: Vec<String> = match view.chart.kind {
                ChartKind::Scatter => view
                    .chart
                    .x
                    .iter()
                    .chain(view.chart.y.iter())
                    .cloned()
                    .collect(),
                _ => view.chart.y.iter().cloned().collect(),
            };
            let cols = names
                .iter()
                .map(|n| {
                    ds.column_index(n)
                        .map_err(|e| query::QueryError::UnknownColumn(e.0))
                })
                .collect::<Result<Vec<usize>, _>>()?;
            let n = sel.len();
            let most = match view.chart.kind {
                ChartKind::Histogram => MAX_HISTOGRAM_VALUES,
                _ => MAX_CHART_POINTS,
            };
            let step = n.div_ceil(most).max(1);
            let rows = sel
                .as_slice()
                .iter()
                .step_by(step)
                .map(|&r| {
                    cols.iter()
                        .map(|&c| ds.columns[c].value(r as usize))
                        .collect()
                })
                .collect();
            Ok(QueryResult {
                columns: cols
                    .iter()
                    .map(|&c| ResultColumn {
                        name: ds.columns[c].name.clone(),
                        ty: ds.columns[c].column_type(),
                    })
                    .collect(),
                rows,
            })
        }
        // Codes normalised and rolled up to the map's level before grouping.
        ChartKind::Map => crate::chart::map::map_rows(ds, sel, &view.chart, view.agg),
        _ => query::run_selected(ds, sel, &view.chart_query()),
    }
}

#[cfg(test)]
mod histogram_tests {
    use super::*;
    use crate::core::testing::int;

    #[test]
    fn a_histogram_reads_every_value_so_its_sentence_counts_the_rows() {
        // 34 960 values as in the taux d'habitation file; the last one is the only maximum.
        let n = 34_960i64;
        let vals: Vec<Option<i64>> = (0..n)
            .map(|i| Some(if i == n - 1 { 999 } else { i % 100 }))
            .collect();
        let ds = Dataset::from_columns(vec![int("taux", &vals)]);
        let view: ViewSpec =
            serde_json::from_str(r#"{"v":1,"chart":{"kind":"histogram","y":"taux"}}"#)
                .unwrap_or_default();
        let t = chart_table(&ds, &view).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.rows.len(), 34_960);
        assert!(t.rows.iter().any(|r| r[0] == crate::core::Value::Int(999)));
        // A scatter plot of the same rows is still sampled for drawing.
        let scatter: ViewSpec =
            serde_json::from_str(r#"{"v":1,"chart":{"kind":"scatter","x":"taux","y":"taux"}}"#)
                .unwrap_or_default();
        let s = chart_table(&ds, &scatter).unwrap_or_else(|e| panic!("{e}"));
        assert!(s.rows.len() <= MAX_CHART_POINTS);
    }
}
