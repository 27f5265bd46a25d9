//! The view spec: one serializable value describing what the user looks at (filters, grouping,
//! aggregates, chart, table sort). The same value is the URL state, the persona preset and the
//! embed message. Versioned; every field has a default so that old links keep working.

use serde::{Deserialize, Serialize};

use crate::chart::{ChartKind, ChartSpec};
use crate::core::query::{AggOp, Aggregate, Filter, Query, SortKey};
use crate::core::{ColumnType, Dataset};

/// The current version of the view format.
pub const VIEW_VERSION: u32 = 1;

/// Everything about the view except the data source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSpec {
    pub v: u32,
    pub filters: Vec<Filter>,
    /// Chart and grouping: `chart.x` is the category, `chart.y` the measure (summed), or rows
    /// are counted when there is no measure.
    pub chart: ChartSpec,
    /// How the measure is aggregated for the chart.
    pub agg: AggOp,
    /// Bars shown before the rest is folded into "Autres".
    pub top: usize,
    /// Sort of the raw table, by a column.
    pub table_sort: Option<SortKey>,
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
                q.sort = chart
                    .x
                    .iter()
                    .map(|x| SortKey {
                        column: x.clone(),
                        desc: false,
                    })
                    .collect();
            }
            ChartKind::Bar | ChartKind::Ranking | ChartKind::Treemap => {
                q.group_by = chart.x.iter().cloned().collect();
                q.aggregates = vec![measure];
                q.sort = vec![SortKey {
                    column: measure_name,
                    desc: true,
                }];
                q.limit = Some(self.top.max(1));
                q.others = true;
            }
        }
        q
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

/// A first chart that fits the data: a year or date column and an amount give a line; a
/// category with few values and an amount give a ranking; otherwise a count by category.
pub fn suggest_chart(ds: &Dataset) -> ChartSpec {
    let numeric: Vec<&str> = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric() && c.key.is_none() && !looks_like_year(&c.name))
        .map(|c| c.name.as_str())
        .collect();
    // Prefer amounts: a name that says money, else the first numeric column.
    let measure = numeric
        .iter()
        .find(|n| is_amount_name(n))
        .or(numeric.first())
        .map(|s| s.to_string());
    let time = ds.columns.iter().find(|c| {
        matches!(c.column_type(), ColumnType::Date)
            || (looks_like_year(&c.name) && c.column_type() == ColumnType::Integer)
    });
    let category = ds
        .columns
        .iter()
        .filter_map(|c| category_score(c, ds.rows).map(|score| (score, c.name.clone())))
        .max_by_key(|(score, _)| *score)
        .map(|(_, name)| name);
    let unit = measure
        .as_deref()
        .filter(|m| is_amount_name(m))
        .map(|_| "€".to_string());
    if let (Some(t), Some(_)) = (time, &measure) {
        let distinct_years = match &t.data {
            crate::core::ColumnData::Integer(v) => {
                let mut v = v.clone();
                v.sort_unstable();
                v.dedup();
                v.len()
            }
            _ => 3,
        };
        if distinct_years > 2 {
            return ChartSpec {
                kind: ChartKind::Line,
                x: Some(t.name.clone()),
                y: measure,
                unit,
                ..ChartSpec::default()
            };
        }
    }
    match (category, measure) {
        (Some(x), y) => ChartSpec {
            kind: ChartKind::Ranking,
            x: Some(x),
            y,
            unit,
            ..ChartSpec::default()
        },
        (None, Some(y)) => ChartSpec {
            kind: ChartKind::Histogram,
            y: Some(y),
            ..ChartSpec::default()
        },
        (None, None) => ChartSpec {
            kind: ChartKind::BigNumber,
            ..ChartSpec::default()
        },
    }
}

/// How good a text column is as a chart's categories: labels beat codes and URLs, a
/// moderate number of distinct values beats a unique identifier. `None` when unusable.
fn category_score(c: &crate::core::Column, rows: usize) -> Option<(bool, bool, bool, bool, usize)> {
    let crate::core::ColumnData::Text { dict, .. } = &c.data else {
        return None;
    };
    if dict.len() < 2 {
        return None;
    }
    let sample = &dict[..dict.len().min(200)];
    let urls = sample
        .iter()
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
        .count();
    let not_url = urls * 2 < sample.len();
    let n = c.name.to_lowercase();
    let label_name = [
        "label",
        "libelle",
        "libellé",
        "nom",
        "name",
        "intitule",
        "intitulé",
        "titre",
        "mission",
        "ministere",
        "ministère",
    ]
    .iter()
    .any(|k| n.contains(k));
    let moderate = dict.len() <= 60 || (dict.len() <= 5_000 && dict.len() * 2 <= rows.max(2));
    let avg = sample.iter().map(|s| s.chars().count()).sum::<usize>() / sample.len();
    Some((
        not_url,
        moderate || label_name,
        c.key.is_none(),
        label_name,
        avg.min(40),
    ))
}

fn looks_like_year(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "exercice",
        "annee",
        "année",
        "year",
        "millesime",
        "millésime",
    ]
    .iter()
    .any(|k| n.contains(k))
}

fn is_amount_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "montant", "amount", "eur", "cp_", "ae_", "credit", "crédit", "valeur", "value", "recette",
        "depense", "dépense",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Most points a histogram or scatter plot reads; beyond it rows are sampled evenly.
pub const MAX_CHART_POINTS: usize = 20_000;

/// The table a chart draws: the grouped chart query, or for histograms and scatter plots the
/// raw values of the chart's columns (sampled evenly beyond [`MAX_CHART_POINTS`]).
pub fn chart_table(
    ds: &Dataset,
    view: &ViewSpec,
) -> Result<crate::core::query::QueryResult, crate::core::query::QueryError> {
    use crate::core::query::{self, QueryResult, ResultColumn};
    match view.chart.kind {
        ChartKind::Histogram | ChartKind::Scatter => {
            let sel = query::select(ds, &view.filters)?;
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
            let step = n.div_ceil(MAX_CHART_POINTS).max(1);
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
        _ => query::run(ds, &view.chart_query()),
    }
}
