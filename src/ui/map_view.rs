//! The map chart in the page: its own controls (level, zone, classes), the choropleth drawn on
//! a canvas once its shapes are fetched (`web::geo`, on first display only), hover and tap
//! tooltips, the summary sentence, the codes without a territory, exports (CSV, PNG, SVG) and
//! the data table listing every area with a value, whose rows take the keyboard focus and
//! outline their area on the map.
//!
//! The element `data-testid="chart"` carries the automation contract: `data-chart-kind="map"`,
//! `data-map-level`, `data-map-areas` (areas drawn with a value), `data-map-unmatched` (distinct
//! codes matching no area) and `data-map-state` (`loading`, `ready`, `error`).

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use yew::prelude::*;

use super::chart_panel::{column_notes, locale, view_meaning};
use super::{view_parts, AppContext};
use crate::chart::map::classes::Method;
use crate::chart::map::geo::GeoLayer;
use crate::chart::map::{self, Level, MapLayout};
use crate::chart::{ChartSpec, Meaning, Theme};
use crate::core::export::{result_to_csv, CsvFlavor};
use crate::core::query::QueryResult;
use crate::state::i18n::trf;
use crate::state::service::Request;
use crate::state::{tr, Action, Lang, Msg};
use crate::web::dom;

type Layers = Rc<Vec<Rc<GeoLayer>>>;

/// What a layout was drawn for: the answer (by pointer), the spec and the shape files.
type DrawnFor = (usize, ChartSpec, Vec<String>);

/// A change to the view made from a select's value.
use super::chart_panel::ViewEdit;

/// Shapes of a map: which files, and what came of fetching them.
#[derive(Clone, PartialEq)]
enum Shapes {
    Loading,
    Ready(Layers),
    Failed(String),
}

/// Draws on `canvas`, `width` pixels wide.
fn draw(
    (canvas, width): (&web_sys::HtmlCanvasElement, u32),
    spec: &ChartSpec,
    table: &QueryResult,
    meaning: &Meaning,
    layers: &[Rc<GeoLayer>],
    lang: Lang,
    focus: Option<&str>,
) -> Option<MapLayout> {
    // Narrow: the map (about 1.4 times wider than tall with its insets) above its legend.
    let height = if width < 600 {
        (width as f64 * 0.72 + 190.0) as u32
    } else {
        (width as f64 * 0.62).clamp(420.0, 640.0) as u32
    };
    canvas.set_width(width);
    canvas.set_height(height);
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    let area = backend.into_drawing_area();
    let theme = Theme {
        locale: locale(lang),
        ..Theme::default()
    };
    let layout = map::render_map(spec, table, meaning, layers, &area, &theme, focus).ok();
    let _ = area.present();
    layout
}

#[derive(Properties, PartialEq)]
pub struct MapViewProps {
    /// Show the map's controls (level, zone, classes).
    pub controls: bool,
    /// Show the export buttons.
    pub export: bool,
}

/// The map chart (see the module docs).
#[component]
pub fn MapView(props: &MapViewProps) -> Html {
    let ctx = use_context::<AppContext>();
    let canvas_ref = use_node_ref();
    let tooltip_ref = use_node_ref();
    // The drawn map, with what it was drawn for (answer, spec, shapes): a layout drawn for
    // another view is never shown as this one's (the contract attributes stay truthful while
    // a new map is fetched or drawn).
    let layout = use_state(|| None::<(DrawnFor, Rc<MapLayout>)>);
    let shapes = use_state(|| (Vec::<String>::new(), Shapes::Loading));
    let focus = use_state(|| None::<String>);
    let tooltip = use_state(|| None::<(f64, f64, String)>);
    let width = super::hooks::use_canvas_width();
    let resize_tick = width.tick;

    let (data, view, _, lang) = view_parts(&ctx);
    let notes = column_notes(&ctx);
    let charted = view.charted(&view_meaning(&data, &view, &notes));
    let meaning = view_meaning(&data, &charted, &notes);
    let answer = super::ask(&ctx, &Request::chart(&charted));
    let answer_id = answer
        .as_ref()
        .map_or(0, |a| Rc::as_ptr(a) as *const u8 as usize);
    let table: Option<&QueryResult> = match super::table_of(&answer) {
        Some(Ok(t)) => Some(t),
        _ => None,
    };
    // The level drawn is never finer than the data's codes (département codes make no commune
    // map); the spec handed to the drawing says it, so table, drawing and sentence agree.
    let finest = data
        .as_ref()
        .zip(view.chart.x.as_deref())
        .and_then(|(ds, x)| ds.column_index(x).ok().map(|i| map::data_level(ds, i)))
        .unwrap_or(Level::Commune);
    let mut spec = view.chart.clone();
    let level = table
        .map_or(spec.map.level.unwrap_or(finest), |t| {
            map::level_of(&spec, t)
        })
        .max(finest);
    spec.map.level = Some(level);
    let mut files = map::files_for(level, spec.map.zone.as_deref(), table);
    // Commune maps name the départements in the zone select.
    if level == Level::Commune {
        files.push("geo/departements.json".into());
    }

    // Position the tooltip through the CSS object model (strict CSP forbids style attributes).
    super::hooks::use_tooltip_position(&tooltip_ref, (*tooltip).as_ref().map(|(x, y, _)| (*x, *y)));
    // Fetch the shapes the map needs (from the cache after the first time).
    {
        let shapes = shapes.clone();
        use_effect_with(files.clone(), move |files| {
            let files = files.clone();
            if let Some(layers) = crate::web::geo::cached(&files) {
                shapes.set((files, Shapes::Ready(Rc::new(layers))));
            } else {
                shapes.set((files.clone(), Shapes::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    let got = match crate::web::geo::load(&files).await {
                        Ok(layers) => Shapes::Ready(Rc::new(layers)),
                        Err(e) => Shapes::Failed(e),
                    };
                    shapes.set((files, got));
                });
            }
        });
    }
    let ready: Option<Layers> = match &*shapes {
        (f, Shapes::Ready(layers)) if *f == files => Some(layers.clone()),
        _ => None,
    };
    // The map's own layers (the département names of a commune map are not drawn).
    let drawn: Option<Layers> = ready.as_ref().map(|all| {
        Rc::new(
            all.iter()
                .filter(|g| level != Level::Commune || g.level == "commune")
                .cloned()
                .collect(),
        )
    });
    // Draw.
    {
        let canvas_ref = canvas_ref.clone();
        let layout = layout.clone();
        let answer = answer.clone();
        let spec = spec.clone();
        let drawn = drawn.clone();
        let focus_code = (*focus).clone();
        let key: DrawnFor = (answer_id, spec.clone(), files.clone());
        use_effect_with(
            (
                answer.clone(),
                spec.clone(),
                meaning,
                resize_tick,
                lang,
                drawn.clone(),
                focus_code.clone(),
            ),
            move |_| {
                if let (Some(canvas), Some(Ok(t)), Some(layers)) = (
                    canvas_ref.cast::<web_sys::HtmlCanvasElement>(),
                    super::table_of(&answer),
                    drawn.as_ref(),
                ) {
                    let t0 = dom::now_ms();
                    let drawn_layout = draw(
                        (&canvas, width.of(&canvas)),
                        &spec,
                        t,
                        &meaning,
                        layers,
                        lang,
                        focus_code.as_deref(),
                    );
                    let _ =
                        canvas.set_attribute("data-draw-ms", &format!("{:.1}", dom::now_ms() - t0));
                    layout.set(drawn_layout.map(|m| (key, Rc::new(m))));
                }
            },
        );
    }

    let Some(ctx) = ctx else { return html! {} };
    if data.is_none() {
        return html! {};
    }
    let now: DrawnFor = (answer_id, spec.clone(), files.clone());
    let current = layout
        .as_ref()
        .filter(|(k, _)| drawn.is_some() && *k == now)
        .map(|(_, m)| m);
    let state = match (&shapes.1, current) {
        (Shapes::Failed(_), _) => "error",
        (_, Some(_)) => "ready",
        _ => "loading",
    };
    let areas = current.map(|m| m.data.with_value());
    let unmatched = current.map(|m| m.data.unmatched.len());
    let summary = match (table, current, drawn.as_ref()) {
        (Some(t), Some(m), Some(layers)) => map::summary(
            &spec,
            t,
            &meaning,
            locale(lang),
            Some((&m.data, layers.as_slice())),
        ),
        (Some(t), _, _) => map::summary::<GeoLayer>(&spec, t, &meaning, locale(lang), None),
        _ => match super::table_of(&answer) {
            Some(Err(e)) => e.text(lang == Lang::Fr),
            _ => String::new(),
        },
    };

    let set_view = |f: ViewEdit| super::chart_panel::on_select(&ctx, &view, f);
    let on_level = set_view(Rc::new(|v, s| {
        v.chart.map.level = match s.as_str() {
            "region" => Some(Level::Region),
            "departement" => Some(Level::Departement),
            "commune" => Some(Level::Commune),
            _ => None,
        };
        if v.chart.map.level != Some(Level::Commune) {
            v.chart.map.zone = None;
        }
    }));
    let on_zone = set_view(Rc::new(|v, s| {
        v.chart.map.zone = (!s.is_empty()).then_some(s);
    }));
    let on_classes = set_view(Rc::new(|v, s| {
        v.chart.map.classes = match s.as_str() {
            "equal" => Some(Method::Equal),
            "jenks" => Some(Method::Jenks),
            _ => None,
        };
    }));
    let zoom_to = |code: String, from: Level| {
        let ctx = ctx.clone();
        let view = view.clone();
        Callback::from(move |_: MouseEvent| {
            let mut v = view.clone();
            v.chart.map.level = Some(Level::Commune);
            v.chart.map.zone = Some(match from {
                Level::Region => format!("R{code}"),
                _ => code.clone(),
            });
            ctx.dispatch(Action::SetView(v));
        })
    };

    let on_move = {
        let layout = layout.clone();
        let tooltip = tooltip.clone();
        let focus = focus.clone();
        Callback::from(move |e: MouseEvent| {
            let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
            let hit = layout.as_ref().and_then(|(_, m)| m.hit((x, y)));
            tooltip.set(hit.map(|h| (x, y, tooltip_text(h, lang))));
            if e.type_() == "click" {
                focus.set(hit.map(|h| h.code.clone()));
            }
        })
    };
    let on_leave = {
        let tooltip = tooltip.clone();
        Callback::from(move |_| tooltip.set(None))
    };

    let export_csv = {
        let answer = answer.clone();
        Callback::from(move |_| {
            if let Some(Ok(t)) = super::table_of(&answer) {
                let _ = dom::download(
                    "loupe-carte.csv",
                    "text/csv;charset=utf-8",
                    &result_to_csv(t, CsvFlavor::Standard),
                );
            }
        })
    };
    let export_svg = {
        let answer = answer.clone();
        let spec = spec.clone();
        let drawn = drawn.clone();
        Callback::from(move |_| {
            if let (Some(Ok(t)), Some(layers)) = (super::table_of(&answer), drawn.as_ref()) {
                if let Ok(svg) = map::render_map_svg(
                    &spec,
                    t,
                    &meaning,
                    layers.as_slice(),
                    1000,
                    640,
                    locale(lang),
                ) {
                    let _ = dom::download("loupe-carte.svg", "image/svg+xml", svg.as_bytes());
                }
            }
        })
    };
    let export_png = {
        let canvas_ref = canvas_ref.clone();
        Callback::from(move |_| {
            if let Some(canvas) = canvas_ref.cast::<web_sys::HtmlCanvasElement>() {
                if let Ok(url) = canvas.to_data_url() {
                    let _ = dom::download_url("loupe-carte.png", &url);
                }
            }
        })
    };

    // Zone choices: every département by name (from the département shapes when loaded), and
    // the régions.
    let dep_names: Vec<(String, String)> = ready
        .as_ref()
        .and_then(|all| all.iter().find(|g| g.level == "departement").cloned())
        .map(|g| {
            let mut v: Vec<(String, String)> = g
                .areas
                .iter()
                .map(|a| (a.code.clone(), format!("{} ({})", a.name, a.code)))
                .collect();
            v.sort();
            v
        })
        .unwrap_or_else(|| {
            map::codes::DEPARTEMENT_REGION
                .iter()
                .map(|(d, _)| (d.to_string(), d.to_string()))
                .collect()
        });
    let zone = spec.map.zone.clone().unwrap_or_default();
    let selected_hit = current.and_then(|m| {
        focus
            .as_deref()
            .and_then(|c| m.hits.iter().find(|h| h.code == c))
    });

    let rows: Vec<(String, String, String, bool)> = current
        .map(|m| {
            let mut v: Vec<_> = m
                .hits
                .iter()
                .filter(|h| h.value.is_some())
                .map(|h| (h.value.unwrap_or_default(), h))
                .collect();
            v.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
            v.into_iter()
                .map(|(_, h)| {
                    (
                        h.name.clone(),
                        h.code.clone(),
                        h.formatted.clone(),
                        focus.as_deref() == Some(h.code.as_str()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let measure_name = spec
        .y
        .clone()
        .unwrap_or_else(|| tr(lang, Msg::CountOfRows).to_string());

    html! {
        <>
            if props.controls {
                <div class="controls map-controls">
                    <div class="field">
                        <label for="map-level">{ tr(lang, Msg::MapLevel) }</label>
                        <select id="map-level" class="select" data-testid="map-level" onchange={on_level}>
                            { for [(Level::Region, Msg::MapRegions), (Level::Departement, Msg::MapDepartements), (Level::Commune, Msg::MapCommunes)].iter().filter(|(lv, _)| *lv >= finest).map(|(lv, m)| html!{
                                <option value={lv.as_str()} selected={*lv == level}>{ tr(lang, *m) }</option>
                            }) }
                        </select>
                    </div>
                    if level == Level::Commune {
                        <div class="field">
                            <label for="map-zone">{ tr(lang, Msg::MapZone) }</label>
                            <select id="map-zone" class="select" data-testid="map-zone" onchange={on_zone}>
                                <option value="" selected={zone.is_empty()}>{ tr(lang, Msg::MapZoneFromData) }</option>
                                <optgroup label={tr(lang, Msg::MapRegions)}>
                                    { for map::codes::REGIONS.iter().map(|r| {
                                        let v = format!("R{r}");
                                        html!{ <option value={v.clone()} selected={zone == v}>{ region_name(r) }</option> }
                                    }) }
                                </optgroup>
                                <optgroup label={tr(lang, Msg::MapDepartements)}>
                                    { for dep_names.iter().map(|(c, n)| html!{
                                        <option value={c.clone()} selected={zone == *c}>{ n.clone() }</option>
                                    }) }
                                </optgroup>
                            </select>
                        </div>
                    }
                    <div class="field">
                        <label for="map-classes">{ tr(lang, Msg::MapClasses) }</label>
                        <select id="map-classes" class="select" data-testid="map-classes" onchange={on_classes}>
                            <option value="quantile" selected={spec.map.classes.unwrap_or_default() == Method::Quantile}>{ tr(lang, Msg::MapClassesQuantile) }</option>
                            <option value="equal" selected={spec.map.classes == Some(Method::Equal)}>{ tr(lang, Msg::MapClassesEqual) }</option>
                            <option value="jenks" selected={spec.map.classes == Some(Method::Jenks)}>{ tr(lang, Msg::MapClassesJenks) }</option>
                        </select>
                    </div>
                </div>
            }
            <div class="chart-box map-box" data-testid="chart" data-chart-kind="map"
                data-map-level={level.as_str()}
                data-map-state={state}
                data-map-areas={areas.map(|n| n.to_string())}
                data-map-unmatched={unmatched.map(|n| n.to_string())}>
                <canvas ref={canvas_ref} role="img" aria-label={summary.clone()} data-testid="map-canvas"
                    onmousemove={on_move.clone()} onclick={on_move} onmouseleave={on_leave}></canvas>
                if let Some((_, _, text)) = (*tooltip).clone() {
                    <div class="tooltip" role="tooltip" ref={tooltip_ref.clone()} data-testid="chart-tooltip">{ text }</div>
                }
                if state == "loading" {
                    <p class="map-status small" role="status">{ tr(lang, Msg::MapLoading) }</p>
                }
                if let Shapes::Failed(e) = &shapes.1 {
                    <p class="map-status" role="alert">{ trf(lang, Msg::MapUnavailable, &[e]) }</p>
                }
            </div>
            <p class="chart-summary" data-testid="chart-summary">{ summary }</p>
            if let Some(m) = current.filter(|m| !m.data.unmatched.is_empty()) {
                <p class="small map-unmatched" data-testid="map-unmatched">{ map::unmatched_sentence(&m.data.unmatched, locale(lang)) }</p>
            }
            if let Some(h) = selected_hit.filter(|_| level != Level::Commune && finest == Level::Commune) {
                <p>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="map-zoom"
                        onclick={zoom_to(h.code.clone(), level)}>
                        { trf(lang, Msg::MapZoomTo, &[&format!("{} ({})", h.name, h.code)]) }
                    </button>
                </p>
            }
            <p class="small map-attribution">{ map::ATTRIBUTION }</p>
            if props.export {
                <div class="export-row">
                    <span class="small">{ trf(lang, Msg::LabelColon, &[tr(lang, Msg::Export)]) }</span>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="export-csv" onclick={export_csv}>{ "CSV" }</button>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="export-png" onclick={export_png}>{ "PNG" }</button>
                    <button type="button" class="btn btn-secondary btn-sm" data-testid="export-svg" onclick={export_svg}>{ "SVG" }</button>
                </div>
            }
            if current.is_some() {
                <details class="chart-data">
                    <summary>{ format!("{} ({})", tr(lang, Msg::MapData), rows.len()) }</summary>
                    <p class="small">{ tr(lang, Msg::MapDataHint) }</p>
                    <div class="table-scroll">
                        <table class="table" data-testid="chart-data-table">
                            <caption>{ tr(lang, Msg::MapData) }</caption>
                            <thead><tr>
                                <th scope="col">{ tr(lang, Msg::MapArea) }</th>
                                <th scope="col">{ "Code" }</th>
                                <th scope="col">{ measure_name }</th>
                            </tr></thead>
                            <tbody>
                                { for rows.into_iter().map(|(name, code, value, on)| {
                                    let f_in = { let focus = focus.clone(); let code = code.clone(); Callback::from(move |_: FocusEvent| focus.set(Some(code.clone()))) };
                                    html!{
                                        <tr tabindex="0" data-code={code.clone()} class={if on { "selected" } else { "" }} onfocus={f_in}>
                                            <th scope="row">{ name }</th><td>{ code }</td><td class="num">{ value }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                </details>
            }
        </>
    }
}

/// « Nord (59) : 12,3 % », or « … : pas de donnée ».
fn tooltip_text(h: &map::MapHit, lang: Lang) -> String {
    let v = if h.value.is_some() {
        h.formatted.clone()
    } else {
        tr(lang, Msg::MapNoData).to_string()
    };
    match lang {
        Lang::Fr => format!("{} ({})\u{A0}: {v}", h.name, h.code),
        Lang::En => format!("{} ({}): {v}", h.name, h.code),
    }
}

/// A région's name (COG 2018), for the zone select.
fn region_name(code: &str) -> &'static str {
    match code {
        "01" => "Guadeloupe",
        "02" => "Martinique",
        "03" => "Guyane",
        "04" => "La Réunion",
        "06" => "Mayotte",
        "11" => "Île-de-France",
        "24" => "Centre-Val de Loire",
        "27" => "Bourgogne-Franche-Comté",
        "28" => "Normandie",
        "32" => "Hauts-de-France",
        "44" => "Grand Est",
        "52" => "Pays de la Loire",
        "53" => "Bretagne",
        "75" => "Nouvelle-Aquitaine",
        "76" => "Occitanie",
        "84" => "Auvergne-Rhône-Alpes",
        "93" => "Provence-Alpes-Côte d'Azur",
        "94" => "Corse",
        _ => "",
    }
}
