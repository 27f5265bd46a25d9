//! The wire between the page and the engine's Web Worker: a [`Request`] and its answer as JSON
//! text (a string crosses `postMessage` without a structured clone of nested objects).
//!
//! What must stay true: `decode_answer(encode_answer(a)) == a` for every answer an engine can
//! give across the wire, value for value: a date stays a date (the JS API's [`Value`] JSON is
//! untagged and would read it back as an integer, so the wire tags every value), a decimal
//! keeps its scale, and a float that JSON cannot write (NaN, infinities) survives. A row order
//! ([`Answer::Rows`]) indexes rows the page does not hold: it never crosses (the page asks for
//! [`Request::Page`] instead) and the worker answers it with an error.

use serde::{Deserialize, Serialize};

use super::{Answer, Request};
use crate::core::profile::Profile;
use crate::core::query::{QueryError, QueryResult, ResultColumn};
use crate::core::Value;

/// A value, tagged.
#[derive(Serialize, Deserialize)]
enum W {
    N,
    B(bool),
    I(i64),
    D(i64, u8),
    F(f64),
    /// A float JSON cannot write: `"NaN"`, `"inf"`, `"-inf"`.
    X(String),
    Dt(i32),
    Ts(i64),
    T(String),
}

fn enc(v: &Value) -> W {
    match v {
        Value::Null => W::N,
        Value::Bool(b) => W::B(*b),
        Value::Int(i) => W::I(*i),
        Value::Decimal { units, scale } => W::D(*units, *scale),
        Value::Float(f) if f.is_finite() => W::F(*f),
        Value::Float(f) => W::X(f.to_string()),
        Value::Date(d) => W::Dt(*d),
        Value::DateTime(t) => W::Ts(*t),
        Value::Text(t) => W::T(t.clone()),
    }
}

fn dec(w: W) -> Value {
    match w {
        W::N => Value::Null,
        W::B(b) => Value::Bool(b),
        W::I(i) => Value::Int(i),
        W::D(units, scale) => Value::Decimal { units, scale },
        W::F(f) => Value::Float(f),
        W::X(x) => Value::Float(x.parse().unwrap_or(f64::NAN)),
        W::Dt(d) => Value::Date(d),
        W::Ts(t) => Value::DateTime(t),
        W::T(t) => Value::Text(t),
    }
}

#[derive(Serialize, Deserialize)]
struct WireProfile {
    name: String,
    ty: crate::core::ColumnType,
    key: Option<crate::core::KeyKind>,
    rows: usize,
    missing: usize,
    distinct: usize,
    top: Vec<(W, usize)>,
    min: W,
    max: W,
    mean: W,
    invalid_count: usize,
    invalid: Vec<crate::core::column::InvalidValue>,
}

#[derive(Serialize, Deserialize)]
enum Wire {
    Count(usize),
    Table {
        columns: Vec<ResultColumn>,
        rows: Vec<Vec<W>>,
    },
    Distinct(Vec<(W, usize)>),
    Profile(Box<WireProfile>),
    Error(QueryError),
}

/// A request as the worker receives it.
pub fn encode_request(req: &Request) -> String {
    serde_json::to_string(req).unwrap_or_default()
}

/// The request the page sent (an error: the text was not a request of this version).
pub fn decode_request(text: &str) -> Result<Request, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

/// An answer (or the query's error) as the page receives it.
pub fn encode_answer(answer: &Result<Answer, QueryError>) -> String {
    let wire = match answer {
        Err(e) => Wire::Error(e.clone()),
        Ok(Answer::Count(n)) => Wire::Count(*n),
        Ok(Answer::Table(t)) => Wire::Table {
            columns: t.columns.clone(),
            rows: t.rows.iter().map(|r| r.iter().map(enc).collect()).collect(),
        },
        Ok(Answer::Distinct(d)) => Wire::Distinct(d.iter().map(|(v, n)| (enc(v), *n)).collect()),
        Ok(Answer::Profile(p)) => Wire::Profile(Box::new(WireProfile {
            name: p.name.clone(),
            ty: p.ty,
            key: p.key,
            rows: p.rows,
            missing: p.missing,
            distinct: p.distinct,
            top: p.top.iter().map(|(v, n)| (enc(v), *n)).collect(),
            min: enc(&p.min),
            max: enc(&p.max),
            mean: enc(&p.mean),
            invalid_count: p.invalid_count,
            invalid: p.invalid.clone(),
        })),
        Ok(Answer::Rows(_)) => Wire::Error(QueryError::Remote(
            "l'ordre des lignes reste dans le moteur : demandez des pages / row orders stay in the engine: ask for pages"
                .into(),
        )),
    };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// The answer the worker sent.
pub fn decode_answer(text: &str) -> Result<Result<Answer, QueryError>, String> {
    let wire: Wire = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(match wire {
        Wire::Error(e) => Err(e),
        Wire::Count(n) => Ok(Answer::Count(n)),
        Wire::Table { columns, rows } => Ok(Answer::Table(QueryResult {
            columns,
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(dec).collect())
                .collect(),
        })),
        Wire::Distinct(d) => Ok(Answer::Distinct(
            d.into_iter().map(|(v, n)| (dec(v), n)).collect(),
        )),
        Wire::Profile(p) => {
            let p = *p;
            Ok(Answer::Profile(Box::new(Profile {
                name: p.name,
                ty: p.ty,
                key: p.key,
                rows: p.rows,
                missing: p.missing,
                distinct: p.distinct,
                top: p.top.into_iter().map(|(v, n)| (dec(v), n)).collect(),
                min: dec(p.min),
                max: dec(p.max),
                mean: dec(p.mean),
                invalid_count: p.invalid_count,
                invalid: p.invalid,
            })))
        }
    })
}
