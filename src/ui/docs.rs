//! The documentation panel: for a bundled dataset, its Table Schema descriptor (title,
//! description, every column's meaning); for a user's own file, what ingest learned (types,
//! key kinds, missing and invalid values).

use std::rc::Rc;

use serde::Deserialize;
use yew::prelude::*;

use super::chart_panel::int_text;
use super::data_table::{key_label, type_label};
use super::AppContext;
use crate::state::i18n::trf;
use crate::state::{tr, Msg};

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Field {
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default, rename = "type")]
    ty: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Schema {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    fields: Vec<Field>,
}

#[component]
pub fn DocPanel() -> Html {
    let ctx = use_context::<AppContext>();
    let schema = use_state(|| None::<Rc<Schema>>);
    let id = ctx
        .as_ref()
        .and_then(|c| c.state().dataset_id().map(str::to_string));
    {
        let schema = schema.clone();
        use_effect_with(id.clone(), move |id| {
            schema.set(None);
            if let Some(id) = id.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let bytes = crate::web::load::fetch_bytes(&format!("schemas/{id}.json"))
                        .await
                        .ok();
                    if let Some(s) = bytes.and_then(|b| serde_json::from_slice::<Schema>(&b).ok()) {
                        schema.set(Some(Rc::new(s)));
                    }
                });
            }
        });
    }
    let Some(ctx) = ctx else { return html! {} };
    let state = ctx.state();
    let lang = state.lang;
    let Some(ds) = state.data.clone() else {
        return html! {};
    };
    // A portal dataset is documented by the portal's own metadata.
    let from_portal = state.source.as_ref().and_then(|s| s.portal.clone());
    let schema_now = match &from_portal {
        Some(p) => Some(Rc::new(Schema {
            title: p.meta.title.clone(),
            description: p.meta.description.clone(),
            fields: p
                .meta
                .fields
                .iter()
                .map(|f| Field {
                    name: f.name.clone(),
                    title: f.label.clone().unwrap_or_default(),
                    description: f.description.clone().unwrap_or_default(),
                    ty: f
                        .loupe_type()
                        .map(|t| type_label(t, lang).to_string())
                        .unwrap_or_else(|| f.ty.clone()),
                })
                .collect(),
        })),
        None => (*schema).clone(),
    };
    let source_note = match &from_portal {
        Some(p) => {
            let api = p.reference.metadata_url();
            html! {
                <p class="small" data-testid="portal-meta">{ tr(lang, Msg::DocPortalNote) }
                    <a href={p.reference.page_url()}>{ p.reference.page_url() }</a>
                    { " · API : " }<a href={api.clone()}>{ api }</a>
                    if !p.meta.keywords.is_empty() {
                        { format!(" · {} : {}", tr(lang, Msg::DocKeywords), p.meta.keywords.join(", ")) }
                    }
                    if !p.meta.themes.is_empty() {
                        { format!(" · {} : {}", tr(lang, Msg::DocThemes), p.meta.themes.join(", ")) }
                    }
                </p>
            }
        }
        None => html! {
            <p class="small">{ tr(lang, Msg::DocSchemaNote) }
                <a href={format!("schemas/{}.json", id.clone().unwrap_or_default())}>{ format!("schemas/{}.json", id.clone().unwrap_or_default()) }</a></p>
        },
    };
    let body = match schema_now {
        Some(s) => html! {
            <>
                { for s.description.split("\n\n").map(|para| html! { <p class="wrap">{ para.to_string() }</p> }) }
                <details class="doc-fields">
                <summary>{ trf(lang, Msg::DocMeaningOfColumns, &[&s.fields.len().to_string()]) }</summary>
                <div class="table-scroll">
                    <table class="table doc-table" data-testid="doc-fields">
                        <caption>{ trf(lang, Msg::DocColumnsOf, &[&s.title]) }</caption>
                        <thead><tr>
                            <th scope="col">{ tr(lang, Msg::DocColumn) }</th>
                            <th scope="col">{ tr(lang, Msg::DocLabel) }</th>
                            <th scope="col">{ tr(lang, Msg::Type) }</th>
                            <th scope="col">{ tr(lang, Msg::DocMeaning) }</th>
                        </tr></thead>
                        <tbody>{ for s.fields.iter().map(|f| html!{
                            <tr><th scope="row"><code>{ f.name.clone() }</code></th><td>{ f.title.clone() }</td><td>{ f.ty.clone() }</td><td class="wrap">{ f.description.clone() }</td></tr>
                        }) }</tbody>
                    </table>
                </div>
                </details>
                { source_note }
            </>
        },
        None => html! {
            <>
                <p>{ tr(lang, Msg::DocLearned) }</p>
                <div class="table-scroll">
                    <table class="table doc-table" data-testid="doc-fields">
                        <caption>{ tr(lang, Msg::DocDetectedColumns) }</caption>
                        <thead><tr>
                            <th scope="col">{ tr(lang, Msg::DocColumn) }</th>
                            <th scope="col">{ tr(lang, Msg::Type) }</th>
                            <th scope="col">{ tr(lang, Msg::Key) }</th>
                            <th scope="col" class="num">{ tr(lang, Msg::Missing) }</th>
                            <th scope="col" class="num">{ tr(lang, Msg::Invalid) }</th>
                        </tr></thead>
                        <tbody>{ for ds.columns.iter().map(|c| html!{
                            <tr><th scope="row"><code>{ c.name.clone() }</code></th><td>{ type_label(c.column_type(), lang) }</td>
                                <td>{ c.key.map(|k| key_label(k, lang)).unwrap_or("—") }</td>
                                <td class="num">{ int_text(c.valid.null_count() as i64, lang) }</td>
                                <td class="num">{ int_text(c.invalid_count as i64, lang) }</td></tr>
                        }) }</tbody>
                    </table>
                </div>
            </>
        },
    };
    html! {
        <section class="panel docs" aria-labelledby="docs-heading">
            <h2 id="docs-heading">{ tr(lang, Msg::Documentation) }</h2>
            { body }
        </section>
    }
}
