//! The view spec: one serializable value describing what the user looks at (filters, grouping,
//! aggregates, chart, table sort). The same value is the URL state, the persona preset and the
//! embed message. Versioned; every field has a default so that old links keep working.

use serde::{Deserialize, Serialize};

use crate::chart::{ChartKind, ChartSpec};
use crate::core::query::{AggOp, Aggregate, Filter, Pivot, Query, SortKey};
use crate::core::{ColumnType, Dataset};

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
            sort: vec![SortKey {
                column: first,
                desc: true,
            }],
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

impl ViewSpec {
    /// Switches the chart kind and makes its columns fit it: histograms and big numbers have
    /// no category; a scatter plot needs two numbers; category charts need a category (and a
    /// line prefers a year or a date). Columns that do not fit are replaced by sensible ones.
    pub fn set_chart_kind(&mut self, kind: ChartKind, ds: &Dataset) {
        let is_numeric = |n: &Option<String>| {
            n.as_deref()
                .and_then(|n| ds.column(n).ok())
                .is_some_and(|c| c.column_type().is_numeric() && c.key.is_none())
        };
        let numerics: Vec<String> = ds
            .columns
            .iter()
            .filter(|c| c.column_type().is_numeric() && c.key.is_none())
            .map(|c| c.name.clone())
            .collect();
        let suggested = suggest_chart(ds);
        let chart = &mut self.chart;
        match kind {
            ChartKind::Histogram | ChartKind::BigNumber => {
                chart.x = None;
                chart.series = None;
                if !is_numeric(&chart.y) {
                    chart.y = numerics.first().cloned().or(suggested.y);
                }
            }
            ChartKind::Scatter => {
                chart.series = None;
                if !is_numeric(&chart.y) {
                    chart.y = numerics.first().cloned();
                }
                if !is_numeric(&chart.x) || chart.x == chart.y {
                    chart.x = numerics
                        .iter()
                        .find(|n| Some(*n) != chart.y.as_ref())
                        .cloned();
                }
            }
            ChartKind::Line => {
                let time = ds.columns.iter().find(|c| {
                    c.column_type() == ColumnType::Date
                        || (looks_like_year(&c.name) && c.column_type() == ColumnType::Integer)
                });
                let x_ok = chart
                    .x
                    .as_deref()
                    .and_then(|x| ds.column(x).ok())
                    .is_some_and(|c| {
                        matches!(c.column_type(), ColumnType::Date | ColumnType::Datetime)
                            || looks_like_year(&c.name)
                    });
                if !x_ok {
                    chart.x = time.map(|c| c.name.clone()).or(suggested.x.clone());
                }
            }
            ChartKind::Bar | ChartKind::Ranking | ChartKind::Treemap | ChartKind::StackedBar => {
                let x_ok = chart
                    .x
                    .as_deref()
                    .and_then(|x| ds.column(x).ok())
                    .is_some_and(|c| c.column_type() != ColumnType::Float);
                if !x_ok || chart.x == chart.y {
                    chart.x = suggested.x.clone();
                }
                if kind == ChartKind::StackedBar
                    && (chart.series.is_none() || chart.series == chart.x)
                {
                    chart.series = ds
                        .columns
                        .iter()
                        .filter(|c| Some(&c.name) != chart.x.as_ref())
                        .find(|c| matches!(&c.data, crate::core::ColumnData::Text { dict, .. } if (2..=12).contains(&dict.len())))
                        .map(|c| c.name.clone());
                }
            }
        }
        if matches!(kind, ChartKind::Histogram | ChartKind::Scatter) {
            chart.unit = None;
        }
        // Only stacked bars query a series; a series left over from them would name a column
        // the other kinds' queries do not return.
        if kind != ChartKind::StackedBar {
            chart.series = None;
        }
        chart.kind = kind;
    }
}

/// Names matching what a user typed to find a commune, best first: exact matches (ignoring
/// case and accents), else names starting with it (shortest first), else names containing it.
pub fn best_name_matches<'a>(
    names: impl IntoIterator<Item = &'a str>,
    typed: &str,
    max: usize,
) -> Vec<String> {
    let fold = crate::core::query::filter::fold_text;
    let want = fold(typed.trim());
    if want.is_empty() {
        return Vec::new();
    }
    let mut exact = Vec::new();
    let mut prefix = Vec::new();
    let mut contains = Vec::new();
    for n in names {
        let f = fold(n);
        if f == want {
            exact.push(n.to_string());
        } else if f.starts_with(&want) {
            prefix.push(n.to_string());
        } else if f.contains(&want) {
            contains.push(n.to_string());
        }
    }
    let mut pick = if !exact.is_empty() {
        exact
    } else if !prefix.is_empty() {
        prefix
    } else {
        contains
    };
    pick.sort_by_key(|n| (n.chars().count(), n.clone()));
    pick.dedup();
    pick.truncate(max);
    pick
}

/// The chart kinds that can draw this dataset: a scatter plot needs two numeric columns, a
/// histogram one; category charts need a category or a number to count by.
pub fn applicable_kinds(ds: &Dataset) -> Vec<ChartKind> {
    let numerics = ds
        .columns
        .iter()
        .filter(|c| c.column_type().is_numeric() && c.key.is_none())
        .count();
    let mut kinds = vec![
        ChartKind::Ranking,
        ChartKind::Bar,
        ChartKind::Line,
        ChartKind::StackedBar,
        ChartKind::Treemap,
    ];
    if numerics >= 1 {
        kinds.push(ChartKind::Histogram);
    }
    if numerics >= 2 {
        kinds.push(ChartKind::Scatter);
    }
    kinds.push(ChartKind::BigNumber);
    kinds
}

/// Whether a column's name says it holds codes or identifiers (`codeCPV`, `line_code`,
/// `exercice`, `id`), whose numbers must be shown as written, without thousands separators.
pub fn is_code_name(name: &str) -> bool {
    let n = name.to_lowercase();
    let tokens: Vec<&str> = n
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    n.starts_with("code")
        || n.contains("cpv")
        || looks_like_year(&n)
        || matches!(n.as_str(), "com" | "dep" | "reg" | "arr" | "can")
        || tokens.iter().any(|t| {
            matches!(
                *t,
                "code" | "id" | "uid" | "siren" | "siret" | "cog" | "insee" | "nic"
            )
        })
}

#[cfg(test)]
mod code_name_tests {
    use super::is_code_name;

    #[test]
    fn codes_are_recognised_by_name() {
        for n in [
            "codeCPV",
            "line_code",
            "acheteur_id",
            "Code Insee 2024 Commune",
            "exercice",
            "SIREN",
            "COM",
            "uid",
        ] {
            assert!(is_code_name(n), "{n}");
        }
        for n in [
            "montant",
            "population",
            "cp_eur_jo",
            "dureeMois",
            "offresRecues",
            "taux_com",
        ] {
            assert!(!is_code_name(n), "{n}");
        }
    }
}
