//! The story page (`?story=` or `?story_src=`): title, lede, then each step with its text, its
//! live chart (table on demand), the source and licence of its data, and "Explorer ces
//! données" opening the explorer at exactly that view. In `embed=1` mode the page has no site
//! header and reports its height to the parent frame, as embedded views do.
//!
//! Datasets load lazily, in step order, each once: a dataset (or a joined pair) shared by
//! several steps is read once and kept for the page ([`DataCache`]).
//!
//! What must stay true: story texts become text nodes and elements built here, never HTML;
//! `html[data-loupe]` is `ready` once every step has drawn its chart or said why it could not,
//! and `error` (with `role="alert"`) only when the story itself cannot be read.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use yew::prelude::*;

use super::story_chart::{DataRef, StepChart};
use crate::core::ingest::IngestOptions;
use crate::core::Dataset;
use crate::state::catalog::{bundled as bundled_catalog, Catalog, CatalogEntry};
use crate::state::glossary::{self, link_terms, Segment, Term};
use crate::state::i18n::trf;
use crate::state::source::Src;
use crate::state::story::text::{self, Inline};
use crate::state::story::{
    self, classify_story_src, Notice, Step, Story, StoryLink, StoryPageUrl, StorySrc,
};
use crate::state::url::JoinLink;
use crate::state::{tr, Lang, Msg};
use crate::web::load::{self, CancelToken};
use crate::web::{dom, history};

/// Datasets read for this page, by `src` (and by `src` + join for joined data).
type DataCache = Rc<RefCell<HashMap<String, Rc<Dataset>>>>;

/// How a step's data stands.
#[derive(Clone, PartialEq)]
enum StepData {
    Loading,
    Ready(DataRef),
    Failed(String),
}

/// The story as read: the story and its notices, or why it cannot be read.
#[derive(Clone, PartialEq)]
enum Loaded {
    Pending,
    Read(Rc<Story>, Vec<Notice>),
    Unreadable(String),
}

/// Reads a dataset `src` (bundled id, URL or path) into the cache, or says why not.
async fn read_src(
    src: &str,
    catalog: &Catalog,
    cache: &DataCache,
    lang: Lang,
) -> Result<Rc<Dataset>, String> {
    if let Some(ds) = cache.borrow().get(src) {
        return Ok(ds.clone());
    }
    let ids: Vec<&str> = catalog.datasets.iter().map(|d| d.id.as_str()).collect();
    let url = match crate::state::source::classify(src, &ids) {
        Ok(Src::Bundled(id)) => catalog
            .find(&id)
            .map(|e| e.file.clone())
            .unwrap_or_default(),
        Ok(Src::Remote(u)) => match crate::state::portal::parse_dataset_url(&u) {
            // A portal dataset page: its whole export, as the explorer reads it.
            Some(p) => p.export_csv_url(),
            None => u,
        },
        Ok(Src::Relative(u)) => u,
        Err(r) => return Err(r.message(src, lang == Lang::Fr)),
    };
    let token = CancelToken::default();
    let bytes = load::fetch_array(&url)
        .await
        .map_err(|e| e.text(src, lang))?;
    let ds = load::parse_js(bytes, IngestOptions::default(), &|_| {}, &token)
        .await
        .map_err(|e| e.text(src, lang))?;
    let ds = Rc::new(ds);
    cache.borrow_mut().insert(src.to_string(), ds.clone());
    Ok(ds)
}

/// A step's data: its dataset, joined with its reference table when the step says so.
async fn read_step(
    step: &Step,
    catalog: &Catalog,
    cache: &DataCache,
    lang: Lang,
) -> Result<Rc<Dataset>, String> {
    let data = read_src(&step.src, catalog, cache, lang).await?;
    let Some(JoinLink { src, spec }) = &step.join else {
        return Ok(data);
    };
    let key = format!(
        "{}\u{1f}{src}\u{1f}{}",
        step.src,
        serde_json::to_string(spec).unwrap_or_default()
    );
    if let Some(ds) = cache.borrow().get(&key) {
        return Ok(ds.clone());
    }
    let right = read_src(src, catalog, cache, lang).await?;
    let (joined, _) =
        crate::core::query::join::join(&data, &right, spec).map_err(|e| e.to_string())?;
    let joined = Rc::new(joined);
    cache.borrow_mut().insert(key, joined.clone());
    Ok(joined)
}

/// Fetches the story a `story_src` names (bundled stories are compiled in).
async fn fetch_story(src: &str, lang: Lang) -> Result<String, String> {
    match classify_story_src(src, lang)? {
        StorySrc::Bundled(id) => story::bundled(&id)
            .map(|b| b.json.to_string())
            .ok_or_else(|| trf(lang, Msg::StoryUnknown, &[&id, ""])),
        StorySrc::Fetch(url) => {
            let bytes = load::fetch_bytes(&url)
                .await
                .map_err(|e| e.text(&url, lang))?;
            if bytes.len() > story::MAX_STORY_BYTES {
                return Err(story::Unreadable::TooLarge.text(lang));
            }
            String::from_utf8(bytes).map_err(|_| story::Unreadable::NotBase64.text(lang))
        }
    }
}

/// The page address without its query string (links are relative to where Loupe is served).
pub fn base_href() -> String {
    let href = history::current_href();
    href.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Story text as Yew nodes, with the glossary terms not yet linked in the story as links to
/// their definitions at the end of the page (each term is linked once per story).
fn render_text(text: &str, terms: &[Term], linked: &RefCell<Vec<bool>>) -> Html {
    let (paragraphs, _) = text::parse(text);
    let inline = |i: &Inline| render_inline(i, terms, linked);
    html! {
        { for paragraphs.iter().map(|p| html! { <p>{ for p.iter().map(inline) }</p> }) }
    }
}

fn render_inline(i: &Inline, terms: &[Term], linked: &RefCell<Vec<bool>>) -> Html {
    match i {
        Inline::Text(t) => {
            let free: Vec<(usize, Term)> = terms
                .iter()
                .cloned()
                .enumerate()
                .filter(|(n, _)| !linked.borrow()[*n])
                .collect();
            let only: Vec<Term> = free.iter().map(|(_, t)| t.clone()).collect();
            html! {
                { for link_terms(t, &only).into_iter().map(|s| match s {
                    Segment::Text(t) => html! { { t } },
                    Segment::Term(t, k) => {
                        let (n, term) = &free[k];
                        linked.borrow_mut()[*n] = true;
                        html! { <a class="term" href={format!("#{}", term.anchor())}>{ t }</a> }
                    }
                }) }
            }
        }
        Inline::Strong(c) => {
            html! { <strong>{ for c.iter().map(|x| render_inline(x, terms, linked)) }</strong> }
        }
        Inline::Emphasis(c) => {
            html! { <em>{ for c.iter().map(|x| render_inline(x, terms, linked)) }</em> }
        }
        Inline::Link { text, href } => {
            html! { <a href={href.clone()} rel="noopener noreferrer" target="_blank">{ text.clone() }</a> }
        }
    }
}

/// The source line of a step: the dataset's title, producer and licence (and the reference
/// table it is crossed with).
fn source_line(step: &Step, catalog: &Catalog, lang: Lang) -> String {
    let name = |src: &str| -> String {
        match catalog.find(src) {
            Some(CatalogEntry {
                title,
                producer,
                licence,
                ..
            }) => format!("{} — {producer} · {licence}", title.get(lang)),
            None => src.to_string(),
        }
    };
    let mut line = trf(
        lang,
        Msg::LabelValue,
        &[tr(lang, Msg::Source), &name(&step.src)],
    );
    if let Some(j) = &step.join {
        line.push_str(" ; ");
        line.push_str(&name(&j.src));
    }
    line
}

#[derive(Properties, PartialEq)]
pub struct StoryPageProps {
    pub url: StoryPageUrl,
}

/// The story page.
#[component]
pub fn StoryPage(props: &StoryPageProps) -> Html {
    let catalog = use_memo((), |_| bundled_catalog());
    let terms = use_memo((), |_| glossary::bundled());
    let loaded = use_state(|| Loaded::Pending);
    let steps = use_reducer(StepsState::default);
    let cache: DataCache = use_mut_ref(HashMap::new);
    let url_lang = props.url.lang;

    // Read the story (from the link, or fetched), then its steps' data in order.
    {
        let loaded = loaded.clone();
        let steps = steps.dispatcher();
        let catalog = catalog.clone();
        let cache = cache.clone();
        let link = props.url.link.clone();
        use_effect_with(link, move |link| {
            let link = link.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let lang = url_lang.unwrap_or_default();
                let read = match &link {
                    StoryLink::Inline(p) => Story::from_param(p).map_err(|e| e.text(lang)),
                    StoryLink::Src(src) => match fetch_story(src, lang).await {
                        Ok(json) => Story::read(&json).map_err(|e| e.text(lang)),
                        Err(why) => Err(why),
                    },
                };
                let (story, notices) = match read {
                    Ok(r) => r,
                    Err(why) => {
                        loaded.set(Loaded::Unreadable(why));
                        return;
                    }
                };
                let story = Rc::new(story);
                let lang = url_lang.unwrap_or(story.lang);
                loaded.set(Loaded::Read(story.clone(), notices));
                for (i, step) in story.steps.iter().enumerate() {
                    let result = read_step(step, &catalog, &cache, lang).await;
                    steps.dispatch(StepsAction::Loaded(
                        i,
                        match result {
                            Ok(ds) => StepData::Ready(DataRef(ds)),
                            Err(why) => StepData::Failed(why),
                        },
                    ));
                }
            });
        });
    }

    // Embedded: report the height to the parent, as embedded views do.
    {
        let embed = props.url.embed;
        use_effect_with(embed, move |embed| {
            if *embed {
                crate::web::embed::watch_height();
            }
        });
    }

    // `<html data-loupe>` and `<html lang>` follow the page (an unreadable story says
    // `error` from its own component).
    let (status, page_lang) = match &*loaded {
        Loaded::Read(story, _) => {
            let count = story.steps.len();
            let settled = (0..count).all(|i| steps.drawn.contains(&i) || steps.failed(i));
            (
                if settled { "ready" } else { "loading" },
                url_lang.unwrap_or(story.lang),
            )
        }
        Loaded::Pending => ("loading", url_lang.unwrap_or_default()),
        Loaded::Unreadable(_) => ("error", url_lang.unwrap_or_default()),
    };
    use_effect_with((status, page_lang), move |(status, lang)| {
        dom::set_lang(lang.code());
        if *status != "error" {
            dom::set_status(status);
        }
    });

    let (story, notices) = match &*loaded {
        Loaded::Read(s, n) => (s.clone(), n.clone()),
        Loaded::Pending => {
            let lang = url_lang.unwrap_or_default();
            return html! {
                <main id="contenu" class={classes!("container", "story-page", props.url.embed.then_some("embed"))}>
                    <p role="status" class="story-loading">{ tr(lang, Msg::StoryLoading) }</p>
                </main>
            };
        }
        Loaded::Unreadable(why) => {
            let lang = url_lang.unwrap_or_default();
            let why = why.clone();
            return html! { <StoryError {lang} {why} embed={props.url.embed} /> };
        }
    };
    let lang = url_lang.unwrap_or(story.lang);
    // The story's own texts keep the story's language when the interface is in another.
    let text_lang = story.lang.code();
    let count = story.steps.len();

    let linked = RefCell::new(vec![false; terms.len()]);
    let base = base_href();
    let lede = render_text(&story.lede, &terms, &linked);
    let step_views: Vec<Html> = story
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let id = format!("story-step-{}", i + 1);
            let explore = format!("{base}{}", step.explore_query(lang));
            let title = if step.title.is_empty() {
                trf(lang, Msg::StoryStepLabel, &[&(i + 1).to_string(), &count.to_string()])
            } else {
                step.title.clone()
            };
            let body = render_text(&step.text, &terms, &linked);
            let chart = match steps.data.get(&i).cloned().unwrap_or(StepData::Loading) {
                StepData::Loading => html! {
                    <p class="story-step-loading" role="status">{ tr(lang, Msg::StoryDataLoading) }</p>
                },
                StepData::Failed(why) => html! {
                    <p class="alert alert-info" data-testid="story-step-error">{ trf(lang, Msg::StoryStepFailed, &[&why]) }</p>
                },
                StepData::Ready(data) => {
                    let mut view = step.view.clone();
                    view.fit_to(&data.0);
                    let refitted = view != step.view;
                    let notes = catalog
                        .find(&step.src)
                        .map(|e| e.columns.clone())
                        .unwrap_or_default();
                    let dispatcher = steps.dispatcher();
                    let on_drawn = Callback::from(move |()| dispatcher.dispatch(StepsAction::Drawn(i)));
                    html! {
                        <>
                            if refitted {
                                <p class="alert alert-info">{ tr(lang, Msg::StoryViewRefitted) }</p>
                            }
                            <StepChart data={data} {view} {notes} {lang} id={id.clone()} {on_drawn} />
                        </>
                    }
                }
            };
            html! {
                <li class="story-step" data-testid="story-step" aria-labelledby={format!("{id}-title")}>
                    <article>
                        <p class="story-step-number small">{ trf(lang, Msg::StoryStepLabel, &[&(i + 1).to_string(), &count.to_string()]) }</p>
                        <h2 id={format!("{id}-title")} class="story-step-title" lang={text_lang}>{ title.clone() }</h2>
                        <div class="story-text" data-testid="story-text" lang={text_lang}>{ body }</div>
                        { chart }
                        <p class="story-source small" data-testid="story-source">{ source_line(step, &catalog, lang) }</p>
                        <p class="story-explore">
                            <a class="btn btn-secondary btn-sm" href={explore} data-testid="story-explore"
                                target={props.url.embed.then_some("_blank")} rel={props.url.embed.then_some("noopener")}
                                aria-label={trf(lang, Msg::ExploreThisDataOf, &[&title])}>
                                { tr(lang, Msg::ExploreThisData) }
                            </a>
                        </p>
                    </article>
                </li>
            }
        })
        .collect();
    let used: Vec<&Term> = terms
        .iter()
        .zip(linked.borrow().iter())
        .filter(|(_, l)| **l)
        .map(|(t, _)| t)
        .collect();
    let glossary = (!used.is_empty()).then(|| {
        html! {
            <section class="story-glossary" aria-labelledby="story-terms-heading">
                <h2 id="story-terms-heading">{ tr(lang, Msg::StoryTermsHeading) }</h2>
                <dl class="glossary-list" data-testid="glossary">
                    { for used.iter().map(|t| html! {
                        <>
                            <dt id={t.anchor()}>{ t.term.clone() }</dt>
                            <dd>{ t.definition(lang).to_string() }</dd>
                        </>
                    }) }
                </dl>
            </section>
        }
    });
    let notice_box = (!notices.is_empty()).then(|| {
        html! {
            <div class="alert alert-info" role="status" data-testid="story-notice">
                <p>{ tr(lang, Msg::StoryPartlyRead) }</p>
                <ul>{ for notices.iter().map(|n| html! { <li>{ n.text(lang) }</li> }) }</ul>
            </div>
        }
    });
    let title = if story.title.is_empty() {
        tr(lang, Msg::StoryUntitled).to_string()
    } else {
        story.title.clone()
    };
    let page = html! {
        <article class="story" data-testid="story" aria-labelledby="story-title">
            <header class="story-head">
                <h1 id="story-title" data-testid="story-title" lang={text_lang}>{ title }</h1>
                if !story.lede.is_empty() {
                    <div class="story-lede" data-testid="story-lede" lang={text_lang}>{ lede }</div>
                }
            </header>
            { notice_box.unwrap_or_default() }
            <ol class="story-steps" aria-label={tr(lang, Msg::StoryStepsHeading)}>
                { for step_views }
            </ol>
            { glossary.unwrap_or_default() }
            <p class="story-made small"><a href={base.clone()} target={props.url.embed.then_some("_blank")} rel={props.url.embed.then_some("noopener")}>{ tr(lang, Msg::StoryMadeWithLoupe) }</a></p>
        </article>
    };
    if props.url.embed {
        return html! { <main id="contenu" class="story-page embed">{ page }</main> };
    }
    html! {
        <div class="page">
            <a class="skip-link" href="#contenu">{ tr(lang, Msg::SkipToContent) }</a>
            <StoryHeader {lang} />
            <main id="contenu" class="container story-page" tabindex="-1">{ page }</main>
            <footer class="site-footer">
                <div class="container">
                    <p>{ tr(lang, Msg::Footer) }</p>
                </div>
            </footer>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct StoryHeaderProps {
    lang: Lang,
}

/// The site's name, linking back to the explorer.
#[component]
fn StoryHeader(props: &StoryHeaderProps) -> Html {
    let lang = props.lang;
    html! {
        <header class="site-header">
            <div class="container header-row">
                <a class="brand brand-link" href={base_href()}>
                    <svg class="brand-mark" viewBox="0 0 32 32" width="36" height="36" aria-hidden="true" focusable="false">
                        <circle cx="13" cy="13" r="9" fill="none" stroke="currentColor" stroke-width="3"/>
                        <line x1="20" y1="20" x2="29" y2="29" stroke="currentColor" stroke-width="4" stroke-linecap="round"/>
                    </svg>
                    <span>
                        <span class="brand-name">{ "Loupe" }</span>
                        <span class="brand-tagline">{ tr(lang, Msg::Tagline) }</span>
                    </span>
                </a>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct StoryErrorProps {
    lang: Lang,
    why: String,
    embed: bool,
}

/// A story that cannot be read: the reason, as an alert, and `data-loupe="error"`.
#[component]
fn StoryError(props: &StoryErrorProps) -> Html {
    let lang = props.lang;
    use_effect_with(lang, |lang| {
        dom::set_lang(lang.code());
        dom::set_status("error");
    });
    let alert = html! {
        <div class="alert alert-error" role="alert" data-testid="story-error">
            <p class="alert-title">{ tr(lang, Msg::StoryUnreadableTitle) }</p>
            <p>{ props.why.clone() }</p>
        </div>
    };
    if props.embed {
        return html! { <main id="contenu" class="story-page embed">{ alert }</main> };
    }
    html! {
        <div class="page">
            <StoryHeader {lang} />
            <main id="contenu" class="container story-page">
                <h1>{ tr(lang, Msg::StoryUnreadableTitle) }</h1>
                { alert }
                <p><a href={base_href()}>{ tr(lang, Msg::OpenInLoupe) }</a></p>
            </main>
        </div>
    }
}

/// The steps' data and which charts have drawn.
#[derive(Default, PartialEq)]
struct StepsState {
    data: HashMap<usize, StepData>,
    drawn: HashSet<usize>,
}

impl StepsState {
    fn failed(&self, i: usize) -> bool {
        matches!(self.data.get(&i), Some(StepData::Failed(_)))
    }
}

enum StepsAction {
    Loaded(usize, StepData),
    Drawn(usize),
}

impl Reducible for StepsState {
    type Action = StepsAction;
    fn reduce(self: Rc<Self>, action: StepsAction) -> Rc<Self> {
        let mut data = self.data.clone();
        let mut drawn = self.drawn.clone();
        match action {
            StepsAction::Loaded(i, d) => {
                data.insert(i, d);
            }
            StepsAction::Drawn(i) => {
                if !drawn.insert(i) {
                    return self;
                }
            }
        }
        Rc::new(StepsState { data, drawn })
    }
}
