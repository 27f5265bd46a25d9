//! What `window.loupe` gives JavaScript and reads from it: reports, fields, values, query
//! results and load options.

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::core::ingest::IngestOptions;
use crate::core::query::QueryResult;
use crate::core::Value;

/// Where a dataset opened with `loupe.open` came from.
#[derive(Serialize)]
pub(super) struct ApiSource {
    pub(super) portal: String,
    pub(super) dataset_id: String,
    pub(super) title: String,
    pub(super) license: String,
    pub(super) records_count: Option<u64>,
    pub(super) modified: String,
}

#[derive(Serialize)]
pub(super) struct ApiWarning {
    pub(super) row: Option<usize>,
    pub(super) message: String,
}

#[derive(Serialize)]
pub(super) struct ApiReport {
    pub(super) encoding: String,
    pub(super) delimiter: String,
    pub(super) header_row: Option<usize>,
    pub(super) decimal_separator: String,
    pub(super) rows: usize,
    pub(super) columns: usize,
    pub(super) line_ending: String,
    pub(super) bom: bool,
    pub(super) ragged_rows: usize,
    pub(super) warnings: Vec<ApiWarning>,
    /// `"browser"`: the rows are in this page; `"portal"`: the portal computes every query.
    pub(super) engine: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) source: Option<ApiSource>,
    /// Loaders whose rows the dataset holds (2: a helper worker read half of the buffer).
    pub(super) parts: usize,
}

#[derive(Serialize)]
pub(super) struct ApiField {
    pub(super) name: String,
    #[serde(rename = "type")]
    pub(super) ty: &'static str,
    pub(super) key: Option<&'static str>,
}

pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))
}

pub(super) fn js_err(msg: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&msg.to_string()).into()
}

/// A cell as a plain JS value: numbers as numbers, dates as ISO strings, null as null.
pub fn value_to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Int(i) => JsValue::from_f64(*i as f64),
        Value::Float(f) => JsValue::from_f64(*f),
        Value::Decimal { .. } => JsValue::from_f64(v.as_f64().unwrap_or(f64::NAN)),
        Value::Text(s) => JsValue::from_str(s),
        Value::Date(_) | Value::DateTime(_) => JsValue::from_str(&v.to_plain_string()),
    }
}

pub(super) fn result_to_js(r: &QueryResult) -> Result<JsValue, JsValue> {
    let out = Object::new();
    let columns = Array::new();
    for c in &r.columns {
        let o = Object::new();
        Reflect::set(&o, &"name".into(), &JsValue::from_str(&c.name))?;
        Reflect::set(&o, &"type".into(), &JsValue::from_str(c.ty.as_str()))?;
        columns.push(&o);
    }
    let rows = Array::new_with_length(r.rows.len() as u32);
    for (i, row) in r.rows.iter().enumerate() {
        let a = Array::new_with_length(row.len() as u32);
        for (j, v) in row.iter().enumerate() {
            a.set(j as u32, value_to_js(v));
        }
        rows.set(i as u32, a.into());
    }
    Reflect::set(&out, &"columns".into(), &columns)?;
    Reflect::set(&out, &"rows".into(), &rows)?;
    Ok(out.into())
}

pub(super) fn options_from_js(options: &JsValue) -> Result<IngestOptions, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(IngestOptions::default());
    }
    serde_wasm_bindgen::from_value(options.clone())
        .map_err(|e| js_err(format!("options invalides / bad options: {e}")))
}
