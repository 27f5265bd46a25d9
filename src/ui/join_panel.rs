//! Cross datasets: open a reference table beside the data (a bundled one or a file), see the
//! key pairs Loupe proposes (from detected key kinds and similar names), read the join's report
//! before applying it (match rate, unmatched examples, duplicates on the reference side, the
//! repairs on offer and their effect), then apply a left or inner join, or undo it.

use std::rc::Rc;

use yew::prelude::*;

use super::chart_panel::int_text;
use super::{AppContext, Store};
use crate::chart::format::{en_percent, fr_percent};
use crate::core::ingest::{read, IngestOptions};
use crate::core::query::join::{self, JoinHow, JoinSpec, Relation, Repair};
use crate::core::Dataset;
use crate::core::KeyKind;
use crate::state::app::JoinState;
use crate::state::catalog::Catalog;
use crate::state::i18n::trf;
use crate::state::source::Src;
use crate::state::url::JoinLink;
use crate::state::{tr, Action, Lang, Msg};
use crate::ui::data_table::key_label;
use crate::web::load;

/// A loaded reference table and where it came from.
#[derive(Clone, PartialEq)]
struct Reference {
    src: String,
    label: String,
    shareable: bool,
    data: Rc<Dataset>,
}

fn repair_label(r: Repair, lang: Lang) -> &'static str {
    tr(
        lang,
        match r {
            Repair::PadZeros => Msg::RepairPadZeros,
            Repair::Corsica => Msg::RepairCorsica,
            Repair::SiretToSiren => Msg::RepairSiretToSiren,
        },
    )
}

/// Why a key pair is proposed, in the page's language. The engine's own reason is French;
/// this says the same from the two columns' key kinds (see `join::propose_keys`).
fn proposal_reason(left: Option<KeyKind>, right: Option<KeyKind>, lang: Lang) -> &'static str {
    match (left, right) {
        (Some(KeyKind::Siret), Some(KeyKind::Siren)) => tr(lang, Msg::JoinSiretToSiren),
        (Some(a), Some(b)) if a == b => key_label(a, lang),
        _ => tr(lang, Msg::JoinSimilarNames),
    }
}

#[component]
pub fn JoinPanel() -> Html {
    let ctx = use_context::<AppContext>();
    let reference = use_state(|| None::<Reference>);
    let spec = use_state(JoinSpec::default);
    let message = use_state(|| None::<String>);
    let (data, lang) = match &ctx {
        Some(c) => (
            c.state().base_data.clone().or(c.state().data.clone()),
            c.state().lang,
        ),
        None => (None, Lang::Fr),
    };
    // Proposals and the preview report are recomputed only when their inputs change.
    let proposals = {
        let data = data.clone();
        use_memo(
            (
                reference.as_ref().map(|r| r.src.clone()),
                data.as_ref().map(|d| Rc::as_ptr(d) as usize),
            ),
            {
                let reference = (*reference).clone();
                move |_| match (&data, &reference) {
                    (Some(l), Some(r)) => join::propose_keys(l, &r.data),
                    _ => Vec::new(),
                }
            },
        )
    };
    let report = {
        let data = data.clone();
        let reference = (*reference).clone();
        use_memo(
            ((*spec).clone(), reference.as_ref().map(|r| r.src.clone())),
            move |(spec, _)| match (&data, &reference) {
                (Some(l), Some(r)) if !spec.left_on.is_empty() => {
                    Some(join::preview(l, &r.data, spec))
                }
                _ => None,
            },
        )
    };
    // The best proposal is picked as soon as a reference is open.
    {
        let spec = spec.clone();
        let proposals = proposals.clone();
        use_effect_with(proposals, move |p| {
            if let Some(best) = p.first() {
                spec.set(JoinSpec {
                    left_on: vec![best.left.clone()],
                    right_on: vec![best.right.clone()],
                    how: JoinHow::Left,
                    repairs: best.repairs.clone(),
                });
            }
        });
    }
    let Some(ctx) = ctx else { return html! {} };
    let Some(left) = data else { return html! {} };
    let state = ctx.state();
    // The portal or the engine's worker holds the rows; a join needs them in the page.
    let elsewhere = match (state.portal_engine(), state.worker_engine()) {
        (Some(_), _) => Some(Msg::JoinNeedsBrowser),
        (None, Some(_)) => Some(Msg::JoinNeedsPage),
        (None, None) => None,
    };
    if let Some(why) = elsewhere {
        return html! {
            <section class="panel join" aria-labelledby="join-heading">
                <h2 id="join-heading">{ tr(lang, Msg::JoinHeading) }</h2>
                <p class="small" data-testid="join-needs-browser">{ tr(lang, why) }</p>
            </section>
        };
    }

    let open_bundled = {
        let reference = reference.clone();
        let message = message.clone();
        let catalog = ctx.catalog.clone();
        Callback::from(move |e: Event| {
            let id = crate::web::dom::event_value(&e);
            let Some(entry) = catalog.find(&id).cloned() else {
                return;
            };
            let reference = reference.clone();
            let message = message.clone();
            message.set(Some(tr(lang, Msg::JoinLoadingReference).into()));
            wasm_bindgen_futures::spawn_local(async move {
                match crate::web::load::fetch_bytes(&entry.file)
                    .await
                    .ok()
                    .and_then(|b| read(&b, &IngestOptions::default()).ok())
                {
                    Some(d) => {
                        message.set(None);
                        reference.set(Some(Reference {
                            src: entry.id.clone(),
                            label: entry.title.fr.clone(),
                            shareable: true,
                            data: Rc::new(d),
                        }));
                    }
                    None => message.set(Some(tr(lang, Msg::JoinReferenceUnreadable).into())),
                }
            });
        })
    };
    let open_file = {
        let reference = reference.clone();
        let message = message.clone();
        Callback::from(move |e: Event| {
            let Some(file) = crate::web::dom::chosen_file(&e) else {
                return;
            };
            let reference = reference.clone();
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let bytes = crate::web::load::read_file(&file).await;
                match bytes.ok().map(|b| read(&b, &IngestOptions::default())) {
                    Some(Ok(d)) => reference.set(Some(Reference {
                        src: file.name(),
                        label: file.name(),
                        shareable: false,
                        data: Rc::new(d),
                    })),
                    Some(Err(e)) => message.set(Some(e.to_string())),
                    None => message.set(Some(tr(lang, Msg::JoinFileUnreadable).into())),
                }
            });
        })
    };
    let set_key = |left_side: bool| {
        let spec = spec.clone();
        Callback::from(move |e: Event| {
            let v = crate::web::dom::event_value(&e);
            let mut s = (*spec).clone();
            let target = if left_side {
                &mut s.left_on
            } else {
                &mut s.right_on
            };
            *target = vec![v];
            s.repairs.clear();
            spec.set(s);
        })
    };
    let pick = |i: usize| {
        let spec = spec.clone();
        let proposals = proposals.clone();
        Callback::from(move |_| {
            if let Some(p) = proposals.get(i) {
                spec.set(JoinSpec {
                    left_on: vec![p.left.clone()],
                    right_on: vec![p.right.clone()],
                    how: spec.how,
                    repairs: p.repairs.clone(),
                });
            }
        })
    };
    let toggle_repair = |r: Repair| {
        let spec = spec.clone();
        Callback::from(move |_| {
            let mut s = (*spec).clone();
            if let Some(i) = s.repairs.iter().position(|x| *x == r) {
                s.repairs.remove(i);
            } else {
                s.repairs.push(r);
            }
            spec.set(s);
        })
    };
    let set_how = |how: JoinHow| {
        let spec = spec.clone();
        Callback::from(move |_| {
            let mut s = (*spec).clone();
            s.how = how;
            spec.set(s);
        })
    };
    let apply = {
        let ctx = ctx.clone();
        let spec = spec.clone();
        let reference = (*reference).clone();
        let left = left.clone();
        let message = message.clone();
        Callback::from(move |_| {
            let Some(r) = &reference else { return };
            match join::join(&left, &r.data, &spec) {
                Ok((joined, report)) => ctx.dispatch(Action::ApplyJoin {
                    data: Rc::new(joined),
                    join: Box::new(JoinState {
                        src: r.src.clone(),
                        shareable: r.shareable,
                        label: r.label.clone(),
                        spec: (*spec).clone(),
                        report,
                    }),
                }),
                Err(e) => message.set(Some(e.to_string())),
            }
        })
    };
    let remove = {
        let ctx = ctx.clone();
        Callback::from(move |_| ctx.dispatch(Action::RemoveJoin))
    };
    let pct = |x: f64| match lang {
        Lang::Fr => fr_percent(x),
        Lang::En => en_percent(x),
    };
    // Counts: French digit grouping in French, plain digits in English (as before).
    let int = |n: usize| match lang {
        Lang::Fr => int_text(n as i64, lang),
        Lang::En => n.to_string(),
    };
    let reason = |l: &str, r: &str| {
        let kind = |d: &Dataset, name: &str| d.column(name).ok().and_then(|c| c.key);
        let right = reference.as_ref().and_then(|re| kind(&re.data, r));
        proposal_reason(kind(&left, l), right, lang)
    };
    let current_id = state.dataset_id().map(str::to_string);

    html! {
        <section class="panel join" aria-labelledby="join-heading">
            <h2 id="join-heading">{ tr(lang, Msg::JoinHeading) }</h2>
            if let Some(j) = &state.join {
                <div class="alert alert-info" role="status" data-testid="join-applied">
                    <p>{ trf(lang, Msg::JoinApplied, &[
                        ctx.catalog.find(&j.src).map_or(j.label.as_str(), |e| e.title.get(lang)),
                        &j.spec.left_on.join(", "), &j.spec.right_on.join(", "), &pct(j.report.match_rate),
                    ]) }</p>
                    <button type="button" class="btn btn-secondary btn-sm" onclick={remove} data-testid="remove-join">{ tr(lang, Msg::JoinUndo) }</button>
                </div>
            }
            <div class="source-grid">
                <div class="field">
                    <label for="join-ref">{ tr(lang, Msg::JoinBundledReference) }</label>
                    <select id="join-ref" class="select" onchange={open_bundled} data-testid="join-reference">
                        <option value="" selected={reference.is_none()}>{ "—" }</option>
                        { for ctx.catalog.datasets.iter().filter(|d| Some(&d.id) != current_id.as_ref()).map(|d| html!{
                            <option value={d.id.clone()} selected={reference.as_ref().is_some_and(|r| r.src == d.id)}>{ d.title.get(lang).to_string() }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="join-file">{ tr(lang, Msg::JoinOrFile) }</label>
                    <input id="join-file" class="file-input" type="file" accept=".csv,.tsv,.txt,text/csv" onchange={open_file} data-testid="join-file" />
                </div>
            </div>
            if let Some(m) = (*message).clone() { <p class="small" role="status">{ m }</p> }
            if let Some(r) = (*reference).clone() {
                if !proposals.is_empty() {
                    <fieldset class="proposals">
                        <legend>{ tr(lang, Msg::JoinProposedKeys) }</legend>
                        { for proposals.iter().enumerate().map(|(i, p)| {
                            let checked = spec.left_on == vec![p.left.clone()] && spec.right_on == vec![p.right.clone()];
                            html! {
                                <div class="radio">
                                    <input type="radio" name="join-proposal" id={format!("prop-{i}")} checked={checked} onchange={pick(i)} data-testid="join-proposal" />
                                    <label for={format!("prop-{i}")}>{ format!("{} ↔ {} — {} ({})", p.left, p.right, reason(&p.left, &p.right), pct(p.match_rate)) }</label>
                                </div>
                            }
                        }) }
                    </fieldset>
                } else {
                    <p class="small">{ tr(lang, Msg::JoinNoObviousKey) }</p>
                }
                <div class="controls">
                    <div class="field">
                        <label for="join-left">{ tr(lang, Msg::JoinDataColumn) }</label>
                        <select id="join-left" class="select" onchange={set_key(true)} data-testid="join-left">
                            <option value="" selected={spec.left_on.is_empty()}>{ "—" }</option>
                            { for left.columns.iter().map(|c| html!{ <option value={c.name.clone()} selected={spec.left_on.first() == Some(&c.name)}>{ c.name.clone() }</option> }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="join-right">{ tr(lang, Msg::JoinReferenceColumn) }</label>
                        <select id="join-right" class="select" onchange={set_key(false)} data-testid="join-right">
                            <option value="" selected={spec.right_on.is_empty()}>{ "—" }</option>
                            { for r.data.columns.iter().map(|c| html!{ <option value={c.name.clone()} selected={spec.right_on.first() == Some(&c.name)}>{ c.name.clone() }</option> }) }
                        </select>
                    </div>
                    <fieldset class="field how">
                        <legend>{ tr(lang, Msg::JoinRowsKept) }</legend>
                        <div class="radio"><input type="radio" id="how-left" name="join-how" checked={spec.how == JoinHow::Left} onchange={set_how(JoinHow::Left)} />
                            <label for="how-left">{ tr(lang, Msg::JoinHowLeft) }</label></div>
                        <div class="radio"><input type="radio" id="how-inner" name="join-how" checked={spec.how == JoinHow::Inner} onchange={set_how(JoinHow::Inner)} />
                            <label for="how-inner">{ tr(lang, Msg::JoinHowInner) }</label></div>
                    </fieldset>
                </div>
                { match report.as_ref() {
                    Some(Ok(rep)) => html! {
                        <div class="join-report" data-testid="join-report">
                            <p class="join-rate"><strong data-testid="join-match-rate">{ pct(rep.match_rate) }</strong>{ trf(lang, Msg::JoinMatchRate, &[&int(rep.matched), &int(rep.matched + rep.unmatched)]) }</p>
                            <p>{ match rep.relation {
                                Relation::OneToOne => tr(lang, Msg::JoinOneToOne).to_string(),
                                Relation::ManyToOne => tr(lang, Msg::JoinManyToOne).to_string(),
                                Relation::OneToMany => trf(lang, Msg::JoinOneToMany, &[&int(rep.duplicate_right_keys)]),
                            } }</p>
                            if !rep.unmatched_examples.is_empty() {
                                <p class="small">{ tr(lang, Msg::JoinUnmatchedExamples) }
                                    { for rep.unmatched_examples.iter().map(|k| html!{ <code class="key-example">{ k.clone() }</code> }) }</p>
                            }
                            if !rep.repairs.is_empty() || !spec.repairs.is_empty() {
                                <fieldset class="repairs">
                                    <legend>{ tr(lang, Msg::JoinRepairs) }</legend>
                                    { for spec.repairs.iter().map(|r| html!{
                                        <div class="checkbox"><input type="checkbox" id={format!("rep-{r:?}")} checked=true onchange={toggle_repair(*r)} />
                                            <label for={format!("rep-{r:?}")}>{ repair_label(*r, lang) }</label></div>
                                    }) }
                                    { for rep.repairs.iter().map(|e| html!{
                                        <div class="checkbox"><input type="checkbox" id={format!("rep-{:?}", e.repair)} checked=false onchange={toggle_repair(e.repair)} data-testid="join-repair" />
                                            <label for={format!("rep-{:?}", e.repair)}>{ format!("{} → {}", repair_label(e.repair, lang), pct(e.match_rate)) }</label></div>
                                    }) }
                                </fieldset>
                            }
                            <button type="button" class="btn" onclick={apply} data-testid="apply-join">{ tr(lang, Msg::JoinApply) }</button>
                        </div>
                    },
                    Some(Err(e)) => html! { <p class="alert alert-error" role="alert">{ e.to_string() }</p> },
                    None => html! {},
                } }
            }
        </section>
    }
}

/// Loads a link's reference table and joins it onto freshly loaded data; when any step fails
/// the data stays as it is and the page says why (a link's join is never dropped silently).
pub(super) async fn apply_join_link(
    data: &Rc<crate::core::Dataset>,
    link: JoinLink,
    catalog: &Catalog,
    dispatcher: &UseReducerDispatcher<Store>,
    lang: Lang,
    token: &load::CancelToken,
) {
    let (file, label) = match catalog.find(&link.src) {
        Some(e) => (Ok(e.file.clone()), e.title.get(lang).to_string()),
        None => {
            let ids: Vec<&str> = catalog.datasets.iter().map(|d| d.id.as_str()).collect();
            let file = match crate::state::source::classify(&link.src, &ids) {
                Ok(Src::Remote(u) | Src::Relative(u) | Src::Bundled(u)) => Ok(u),
                Err(r) => Err(r.message(&link.src, lang == Lang::Fr)),
            };
            (file, link.src.clone())
        }
    };
    let fail = |why: String| {
        dispatcher.dispatch(Action::Notify(trf(
            lang,
            Msg::JoinLinkFailed,
            &[&label, &why],
        )));
    };
    let file = match file {
        Ok(f) => f,
        Err(why) => return fail(why),
    };
    let bytes = match load::fetch_bytes(&file).await {
        Ok(b) => b,
        Err(e) => return fail(e.text(&file, lang)),
    };
    if let Some(kind) = crate::core::content::sniff(&bytes) {
        return fail(load::LoadError::NotCsv(kind).text(&file, lang));
    }
    let right = match crate::core::ingest::read(&bytes, &IngestOptions::default()) {
        Ok(r) => r,
        Err(e) => return fail(e.to_string()),
    };
    if token.is_cancelled() {
        return;
    }
    match crate::core::query::join::join(data, &right, &link.spec) {
        Ok((joined, report)) => dispatcher.dispatch(Action::ApplyJoin {
            data: Rc::new(joined),
            join: Box::new(JoinState {
                src: link.src,
                shareable: true,
                label,
                spec: link.spec,
                report,
            }),
        }),
        Err(e) => fail(e.to_string()),
    }
}
