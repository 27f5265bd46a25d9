//! Writing stories (journalist and power presets): "Ajouter au récit" adds the view on screen
//! as a step of a draft story kept in the browser's local storage (it survives a reload); the
//! editor writes the title, the lede and each step's text, reorders and deletes steps, and
//! previews, links, embeds, downloads or imports the story as JSON. Also the list of bundled
//! stories shown on the citizen's home.
//!
//! What must stay true: the draft is only ever a [`Story`] (what is stored, linked, embedded
//! and downloaded is its JSON; an imported file goes through [`Story::read`] like a link);
//! a local file never enters a story (it cannot travel in a link).

use yew::prelude::*;

use super::story::base_href;
use super::AppContext;
use crate::state::i18n::trf;
use crate::state::story::{self, Step, Story};
use crate::state::{tr, Lang, Msg};
use crate::web::{dom, load};

/// The local storage key of the draft.
const DRAFT_KEY: &str = "loupe.story.draft.v1";

fn storage() -> Option<web_sys::Storage> {
    // Reading `localStorage` throws in some sandboxed frames: treat it as absent.
    web_sys::window()?.local_storage().ok().flatten()
}

/// The draft kept in local storage (an empty story when there is none or it is unreadable).
fn load_draft() -> Story {
    storage()
        .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
        .and_then(|json| Story::read(&json).ok())
        .map(|(s, _)| s)
        .unwrap_or_default()
}

fn save_draft(story: &Story) -> bool {
    storage().is_some_and(|s| s.set_item(DRAFT_KEY, &story.to_json()).is_ok())
}

fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Escapes text for an HTML attribute value in double quotes.
fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The link of a story page (`?story=…`), for the page at `base`.
pub fn story_link(base: &str, story: &Story, embed: bool) -> String {
    format!(
        "{base}?story={}{}",
        story.to_param(),
        if embed { "&embed=1" } else { "" }
    )
}

/// The `<iframe>` code that embeds a story.
pub fn story_iframe(base: &str, story: &Story, lang: Lang) -> String {
    let title = if story.title.is_empty() {
        tr(lang, Msg::StoryUntitled).to_string()
    } else {
        story.title.clone()
    };
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"1200\" loading=\"lazy\" style=\"border:0\"></iframe>",
        attr_escape(&story_link(base, story, true)),
        attr_escape(&trf(lang, Msg::StoryFrameTitle, &[&title]))
    )
}

/// A change to the draft made from a field's text.
type StoryEdit = std::rc::Rc<dyn Fn(&mut Story, String)>;

/// "Ajouter au récit" and the story editor.
#[component]
pub fn StoryDraft() -> Html {
    let draft = use_state(load_draft);
    let stored = use_state(|| storage().is_some());
    let message = use_state(|| None::<String>);
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let state = ctx.state();
    let lang = state.lang;
    let url = state.to_url();

    // Every change to the draft is kept at once (a reload or a crash loses nothing).
    let update = {
        let draft = draft.clone();
        let stored = stored.clone();
        Callback::from(move |s: Story| {
            stored.set(save_draft(&s));
            draft.set(s);
        })
    };

    let add = {
        let draft = draft.clone();
        let update = update.clone();
        let message = message.clone();
        let view = state.view.clone();
        let persona = state.persona;
        let title = state
            .source
            .as_ref()
            .map(|s| s.title(lang))
            .unwrap_or_default();
        let src = url.src.clone();
        let join = url.join.clone();
        Callback::from(move |_| {
            let Some(src) = src.clone() else {
                message.set(Some(tr(lang, Msg::StoryLocalNotAddable).to_string()));
                return;
            };
            let mut s = (*draft).clone();
            if s.steps.is_empty() {
                s.lang = lang;
            }
            s.steps.push(Step {
                title: title.clone(),
                text: String::new(),
                src,
                view: view.clone(),
                join: join.clone(),
                persona: Some(persona),
            });
            message.set(Some(trf(
                lang,
                Msg::AddedToStory,
                &[&s.steps.len().to_string()],
            )));
            update.emit(s);
        })
    };

    let edit = |f: StoryEdit| {
        let draft = draft.clone();
        let update = update.clone();
        Callback::from(move |e: InputEvent| {
            let mut s = (*draft).clone();
            f(&mut s, crate::web::dom::event_value(&e));
            update.emit(s);
        })
    };
    let step_action = |i: usize, f: fn(&mut Vec<Step>, usize)| {
        let draft = draft.clone();
        let update = update.clone();
        Callback::from(move |_| {
            let mut s = (*draft).clone();
            f(&mut s.steps, i);
            update.emit(s);
        })
    };

    let base = base_href();
    let story = (*draft).clone();
    let link = story_link(&base, &story, false);
    let iframe = story_iframe(&base, &story, lang);
    let copy_btn = |label: Msg, text: String, key: &'static str| {
        let message = message.clone();
        let onclick = Callback::from(move |_| {
            copy(&text);
            message.set(Some(tr(lang, Msg::StoryCopied).to_string()));
        });
        html! { <button type="button" class="btn btn-secondary btn-sm" {onclick} data-testid={key}>{ tr(lang, label) }</button> }
    };
    let download = {
        let story = story.clone();
        Callback::from(move |_| {
            let _ = dom::download(
                "loupe-recit.json",
                "application/json",
                story.to_json_pretty().as_bytes(),
            );
        })
    };
    let upload = {
        let update = update.clone();
        let message = message.clone();
        Callback::from(move |e: Event| {
            let Some(file) = crate::web::dom::chosen_file(&e) else {
                return;
            };
            let update = update.clone();
            let message = message.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let read = match load::read_file(&file).await {
                    Ok(bytes) if bytes.len() <= story::MAX_STORY_BYTES => {
                        Story::read(&String::from_utf8_lossy(&bytes)).map_err(|e| e.text(lang))
                    }
                    Ok(_) => Err(story::Unreadable::TooLarge.text(lang)),
                    Err(e) => Err(e.text(&file.name(), lang)),
                };
                match read {
                    Ok((s, notices)) => {
                        let mut text = tr(lang, Msg::StoryImported).to_string();
                        for n in notices {
                            text.push(' ');
                            text.push_str(&n.text(lang));
                            text.push('.');
                        }
                        message.set(Some(text));
                        update.emit(s);
                    }
                    Err(why) => message.set(Some(why)),
                }
            });
        })
    };
    let clear = {
        let update = update.clone();
        Callback::from(move |_| update.emit(Story::default()))
    };

    let n = story.steps.len();
    let on_title = edit(std::rc::Rc::new(|s, v| s.title = v));
    let on_lede = edit(std::rc::Rc::new(|s, v| s.lede = v));
    html! {
        <section class="panel story-draft" aria-labelledby="story-draft-heading" data-testid="story-draft">
            <div class="story-draft-head">
                <h2 id="story-draft-heading">{ trf(lang, Msg::StoryDraftHeading, &[&n.to_string()]) }</h2>
                <button type="button" class="btn btn-primary btn-sm" onclick={add} data-testid="add-to-story">{ tr(lang, Msg::AddToStory) }</button>
            </div>
            if let Some(m) = &*message {
                <p class="small" role="status" data-testid="story-draft-message">{ m.clone() }</p>
            }
            if !*stored {
                <p class="small">{ tr(lang, Msg::StoryStorageUnavailable) }</p>
            }
            if n == 0 {
                <p class="small">{ tr(lang, Msg::StoryDraftEmpty) }</p>
            } else {
                <details class="story-editor" open=true>
                    <summary>{ tr(lang, Msg::StoryWrite) }</summary>
                    <div class="field">
                        <label for="story-draft-title">{ tr(lang, Msg::StoryTitleLabel) }</label>
                        <input id="story-draft-title" class="input" value={story.title.clone()} oninput={on_title} data-testid="story-draft-title" />
                    </div>
                    <div class="field">
                        <label for="story-draft-lede">{ tr(lang, Msg::StoryLedeLabel) }</label>
                        <textarea id="story-draft-lede" class="input" rows="3" value={story.lede.clone()} oninput={on_lede} data-testid="story-draft-lede" />
                    </div>
                    <p class="small" id="story-text-help">{ tr(lang, Msg::StoryTextHelp) }</p>
                    <ol class="story-draft-steps">
                        { for story.steps.iter().enumerate().map(|(i, st)| {
                            let num = (i + 1).to_string();
                            let on_step_title = edit(std::rc::Rc::new(move |s, v| if let Some(x) = s.steps.get_mut(i) { x.title = v }));
                            let on_step_text = edit(std::rc::Rc::new(move |s, v| if let Some(x) = s.steps.get_mut(i) { x.text = v }));
                            let up = step_action(i, |v, i| if i > 0 { v.swap(i - 1, i) });
                            let down = step_action(i, |v, i| if i + 1 < v.len() { v.swap(i, i + 1) });
                            let delete = step_action(i, |v, i| if i < v.len() { v.remove(i); });
                            html! {
                                <li class="story-draft-step" data-testid="story-draft-step" key={format!("{i}-{}", st.src)}>
                                    <div class="field">
                                        <label for={format!("story-draft-step-title-{i}")}>{ trf(lang, Msg::StoryStepTitleLabel, &[&num]) }</label>
                                        <input id={format!("story-draft-step-title-{i}")} class="input" value={st.title.clone()} oninput={on_step_title} data-testid="story-draft-step-title" />
                                    </div>
                                    <div class="field">
                                        <label for={format!("story-draft-step-text-{i}")}>{ trf(lang, Msg::StoryStepTextLabel, &[&num]) }</label>
                                        <textarea id={format!("story-draft-step-text-{i}")} class="input" rows="4" value={st.text.clone()} oninput={on_step_text}
                                            aria-describedby="story-text-help" data-testid="story-draft-step-text" />
                                    </div>
                                    <p class="small story-draft-src">{ format!("{} · {}", st.src, st.view.chart.x.clone().or(st.view.chart.y.clone()).unwrap_or_default()) }</p>
                                    <div class="export-row">
                                        <button type="button" class="btn btn-tertiary btn-sm" onclick={up} disabled={i == 0}
                                            aria-label={trf(lang, Msg::StoryMoveUp, &[&num])} data-testid="story-step-up">{ "↑" }</button>
                                        <button type="button" class="btn btn-tertiary btn-sm" onclick={down} disabled={i + 1 == n}
                                            aria-label={trf(lang, Msg::StoryMoveDown, &[&num])} data-testid="story-step-down">{ "↓" }</button>
                                        <button type="button" class="btn btn-tertiary btn-sm" onclick={delete}
                                            aria-label={trf(lang, Msg::StoryDeleteStep, &[&num])} data-testid="story-step-delete">{ "✕" }</button>
                                    </div>
                                </li>
                            }
                        }) }
                    </ol>
                    <div class="export-row">
                        <a class="btn btn-secondary btn-sm" href={link.clone()} data-testid="story-preview">{ tr(lang, Msg::StoryPreview) }</a>
                        { copy_btn(Msg::StoryCopyLink, link.clone(), "story-copy-link") }
                        { copy_btn(Msg::StoryCopyEmbed, iframe.clone(), "story-copy-embed") }
                        <button type="button" class="btn btn-secondary btn-sm" onclick={download} data-testid="story-download">{ tr(lang, Msg::StoryDownload) }</button>
                        <button type="button" class="btn btn-tertiary btn-sm" onclick={clear} data-testid="story-clear">{ tr(lang, Msg::StoryClear) }</button>
                    </div>
                    <div class="field">
                        <label for="story-link">{ tr(lang, Msg::StoryLinkLabel) }</label>
                        <input id="story-link" class="input" readonly=true value={link} data-testid="story-link" />
                    </div>
                    <div class="field">
                        <label for="story-embed-code">{ tr(lang, Msg::StoryEmbedLabel) }</label>
                        <textarea id="story-embed-code" class="input code" readonly=true rows="3" value={iframe} data-testid="story-embed-code" />
                    </div>
                </details>
            }
            <div class="field story-upload">
                <label for="story-upload">{ tr(lang, Msg::StoryUpload) }</label>
                <input id="story-upload" type="file" accept=".json,application/json" class="file-input" onchange={upload} data-testid="story-upload" />
            </div>
        </section>
    }
}

/// The bundled stories, on the citizen's home.
#[component]
pub fn StoriesPanel() -> Html {
    let Some(ctx) = use_context::<AppContext>() else {
        return html! {};
    };
    let lang = ctx.state().lang;
    let base = base_href();
    let catalog: serde_json::Value =
        serde_json::from_slice(crate::state::catalog::BUNDLED_JSON.as_bytes()).unwrap_or_default();
    let title_of = |id: &str| -> Option<String> {
        catalog["stories"]
            .as_array()?
            .iter()
            .find(|s| s["id"] == id)
            .and_then(|s| s["title"][lang.code()].as_str().map(str::to_string))
    };
    html! {
        <section class="panel stories" aria-labelledby="stories-heading" data-testid="stories">
            <h2 id="stories-heading">{ tr(lang, Msg::StoriesHeading) }</h2>
            <p class="small">{ tr(lang, Msg::StoriesIntro) }</p>
            <ul class="story-list">
                { for story::bundled_index().iter().map(|b| {
                    let title = title_of(b.id).unwrap_or_else(|| story::bundled_title(b));
                    let lang_param = if lang == Lang::En { "&lang=en" } else { "" };
                    html! {
                        <li><a class="story-card" href={format!("{base}?story_src={}{lang_param}", b.id)} data-testid="bundled-story">{ title }</a></li>
                    }
                }) }
            </ul>
        </section>
    }
}
