//! Stories: a title, a lede and a few steps, each a short text beside a live view of real data.
//! A story is a small JSON document (format v1, documented in the README) carried in a link
//! (`?story=` as unpadded base64url, or `?story_src=` naming a bundled story, an `https://`
//! URL or a same-origin `.json` path) or a file.
//!
//! Reading never trusts the document: [`Story::read`] keeps every part it can use and returns
//! a [`Notice`] for each part it dropped (a step whose `src` is refused, a view that does not
//! parse, a link that is not `https://`…). Only a document that is not a story at all (not
//! base64url, not JSON, not an object, a newer format, too large) is an [`Unreadable`] error.
//! Texts are parsed into the small tree of [`text`], never into HTML.
//!
//! What must stay true: `Story::read(&story.to_json())` gives `story` back with no notice
//! (the round trip the editor and the links rely on); every `src` kept passed
//! [`super::url::src_refusal`]; every size is bounded.

pub mod text;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::i18n::{tr, trf, Lang, Msg};
use super::persona::Persona;
use super::url::{base64url_decode, base64url_encode, percent_decode, JoinLink};
use super::view::ViewSpec;

/// The current version of the story format.
pub const STORY_VERSION: u32 = 1;
/// Most steps read; the rest are dropped with a notice.
pub const MAX_STEPS: usize = 30;
/// Longest title and step title kept (characters).
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest lede kept (characters).
pub const MAX_LEDE_CHARS: usize = 2_000;
/// Largest story document read (bytes of JSON): a link or a file is not a data channel.
pub const MAX_STORY_BYTES: usize = 256 * 1024;

/// A story (format v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub v: u32,
    pub title: String,
    #[serde(default)]
    pub lede: String,
    #[serde(default)]
    pub lang: Lang,
    pub steps: Vec<Step>,
}

impl Default for Story {
    fn default() -> Self {
        Story {
            v: STORY_VERSION,
            title: String::new(),
            lede: String::new(),
            lang: Lang::Fr,
            steps: Vec::new(),
        }
    }
}

/// One step: its text beside the view of one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// As `?src=`: a bundled dataset id, an `https://` URL or a same-origin path.
    pub src: String,
    /// The view object `?view=` carries, as JSON.
    pub view: ViewSpec,
    /// The join `?join=` carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<JoinLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<Persona>,
}

impl Step {
    /// The explorer's query string for exactly this step's view (`?src=…&view=…&join=…`).
    pub fn explore_query(&self, lang: Lang) -> String {
        super::url::UrlState {
            src: Some(self.src.clone()),
            persona: self.persona,
            lang: (lang != Lang::Fr).then_some(lang),
            view: Some(self.view.clone()),
            join: self.join.clone(),
            ..Default::default()
        }
        .to_query()
    }
}

/// Why a document is not a story at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// The `?story=` value is not base64url.
    NotBase64,
    /// Not JSON (the parser's reason).
    NotJson(String),
    /// JSON, but not an object with `steps`.
    NotAStory,
    /// Written for a newer format than this Loupe reads.
    NewerVersion(u64),
    /// Larger than [`MAX_STORY_BYTES`].
    TooLarge,
}

impl Unreadable {
    /// The sentence the page shows.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Unreadable::NotBase64 => tr(lang, Msg::StoryNotBase64).into(),
            Unreadable::NotJson(why) => trf(lang, Msg::StoryNotJson, &[why]),
            Unreadable::NotAStory => tr(lang, Msg::StoryNotAStory).into(),
            Unreadable::NewerVersion(v) => trf(lang, Msg::StoryNewerVersion, &[&v.to_string()]),
            Unreadable::TooLarge => trf(
                lang,
                Msg::StoryTooLarge,
                &[&(MAX_STORY_BYTES / 1024).to_string()],
            ),
        }
    }
}

/// A part of a story that was dropped or changed, with the step it belongs to (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub step: Option<usize>,
    pub kind: NoticeKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeKind {
    /// No `v`: read as the current version.
    NoVersion,
    /// A field of the wrong type or value (its name), ignored.
    BadField(String),
    /// A text cut to its maximum length (the field's name).
    Clipped(String),
    /// More than [`MAX_STEPS`] steps: how many were dropped.
    TooManySteps(usize),
    /// The step's `src` was refused (the reason, bilingual).
    SrcRefused(String),
    /// The step has no usable view: dropped.
    BadView,
    /// The step's join was refused or unreadable: the step is shown without it.
    BadJoin,
    /// A link of the text was not `https://`: only its text is shown.
    LinkRefused(String),
}

impl Notice {
    /// The sentence the page shows.
    pub fn text(&self, lang: Lang) -> String {
        let what = match &self.kind {
            NoticeKind::NoVersion => tr(lang, Msg::StoryNoVersion).to_string(),
            NoticeKind::BadField(f) => trf(lang, Msg::StoryBadField, &[f]),
            NoticeKind::Clipped(f) => trf(lang, Msg::StoryClipped, &[f]),
            NoticeKind::TooManySteps(n) => trf(
                lang,
                Msg::StoryTooManySteps,
                &[&n.to_string(), &MAX_STEPS.to_string()],
            ),
            NoticeKind::SrcRefused(why) => trf(lang, Msg::StorySrcRefused, &[why]),
            NoticeKind::BadView => tr(lang, Msg::StoryBadView).to_string(),
            NoticeKind::BadJoin => tr(lang, Msg::StoryBadJoin).to_string(),
            NoticeKind::LinkRefused(href) => trf(lang, Msg::StoryLinkRefused, &[href]),
        };
        match self.step {
            Some(n) => trf(lang, Msg::StoryStepNotice, &[&n.to_string(), &what]),
            None => what,
        }
    }
}

fn clip_chars(s: &str, max: usize) -> (String, bool) {
    let c: String = s.chars().take(max).collect();
    let clipped = c.len() < s.len();
    (c, clipped)
}

impl Story {
    /// Reads a story from its JSON text: the parts it can use, and a notice per part dropped.
    pub fn read(json: &str) -> Result<(Story, Vec<Notice>), Unreadable> {
        if json.len() > MAX_STORY_BYTES {
            return Err(Unreadable::TooLarge);
        }
        // `from_slice` everywhere in this module: the same instantiations as the URL codec's,
        // so that reading stories adds little to the WebAssembly bundle.
        let doc: Json = serde_json::from_slice(json.trim_start_matches('\u{feff}').as_bytes())
            .map_err(|e| Unreadable::NotJson(e.to_string()))?;
        Story::from_json(&doc)
    }

    /// Reads a story from a `?story=` value (unpadded base64url of its JSON).
    pub fn from_param(param: &str) -> Result<(Story, Vec<Notice>), Unreadable> {
        if param.len() > MAX_STORY_BYTES * 4 / 3 + 4 {
            return Err(Unreadable::TooLarge);
        }
        let bytes = base64url_decode(param.trim()).ok_or(Unreadable::NotBase64)?;
        let text = String::from_utf8(bytes).map_err(|_| Unreadable::NotBase64)?;
        Story::read(&text)
    }

    /// The `?story=` value of this story.
    pub fn to_param(&self) -> String {
        base64url_encode(self.to_json().as_bytes())
    }

    /// The story's JSON text (compact).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The story's JSON text, indented (for a download). Indented through a JSON value: one
    /// small pretty printer rather than a second copy of every view type's serializer.
    pub fn to_json_pretty(&self) -> String {
        serde_json::from_slice::<Json>(self.to_json().as_bytes())
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_default()
    }

    /// Reads a parsed JSON document (see [`Story::read`]).
    pub fn from_json(doc: &Json) -> Result<(Story, Vec<Notice>), Unreadable> {
        let Some(obj) = doc.as_object() else {
            return Err(Unreadable::NotAStory);
        };
        let Some(steps) = obj.get("steps") else {
            return Err(Unreadable::NotAStory);
        };
        let mut notices = Vec::new();
        let top = |kind| Notice { step: None, kind };
        match obj.get("v") {
            None => notices.push(top(NoticeKind::NoVersion)),
            Some(v) => match v.as_u64() {
                Some(n) if n == u64::from(STORY_VERSION) => {}
                Some(n) if n > u64::from(STORY_VERSION) => {
                    return Err(Unreadable::NewerVersion(n));
                }
                _ => notices.push(top(NoticeKind::BadField("v".into()))),
            },
        }
        let mut story = Story::default();
        let text_field =
            |name: &str, max: usize, notices: &mut Vec<Notice>, step| match obj_str(obj, name) {
                Ok(s) => {
                    let (s, clipped) = clip_chars(s, max);
                    if clipped {
                        notices.push(Notice {
                            step,
                            kind: NoticeKind::Clipped(name.into()),
                        });
                    }
                    s
                }
                Err(()) => {
                    notices.push(Notice {
                        step,
                        kind: NoticeKind::BadField(name.into()),
                    });
                    String::new()
                }
            };
        story.title = text_field("title", MAX_TITLE_CHARS, &mut notices, None);
        story.lede = text_field("lede", MAX_LEDE_CHARS, &mut notices, None);
        match obj.get("lang") {
            None => {}
            Some(l) => match l.as_str().and_then(Lang::parse) {
                Some(l) => story.lang = l,
                None => notices.push(top(NoticeKind::BadField("lang".into()))),
            },
        }
        let Some(steps) = steps.as_array() else {
            return Err(Unreadable::NotAStory);
        };
        if steps.len() > MAX_STEPS {
            notices.push(top(NoticeKind::TooManySteps(steps.len() - MAX_STEPS)));
        }
        for (i, s) in steps.iter().take(MAX_STEPS).enumerate() {
            if let Some(step) = read_step(s, i + 1, &mut notices) {
                story.steps.push(step);
            }
        }
        // The texts' refused links are said once, here, with the step they are in.
        for (i, step) in story.steps.iter().enumerate() {
            for issue in text::parse(&step.text).1 {
                let text::TextIssue::LinkRefused(href) = issue;
                notices.push(Notice {
                    step: Some(i + 1),
                    kind: NoticeKind::LinkRefused(href),
                });
            }
        }
        for issue in text::parse(&story.lede).1 {
            let text::TextIssue::LinkRefused(href) = issue;
            notices.push(top(NoticeKind::LinkRefused(href)));
        }
        Ok((story, notices))
    }
}

/// A string field: `Ok("")` when absent, `Err` when of another type.
fn obj_str<'a>(obj: &'a serde_json::Map<String, Json>, name: &str) -> Result<&'a str, ()> {
    match obj.get(name) {
        None | Some(Json::Null) => Ok(""),
        Some(Json::String(s)) => Ok(s),
        Some(_) => Err(()),
    }
}

fn read_step(s: &Json, n: usize, notices: &mut Vec<Notice>) -> Option<Step> {
    let at = |kind| Notice {
        step: Some(n),
        kind,
    };
    let Some(obj) = s.as_object() else {
        notices.push(at(NoticeKind::BadView));
        return None;
    };
    let src = match obj.get("src").and_then(Json::as_str) {
        Some(src) => match super::url::src_refusal(src) {
            None => src.to_string(),
            Some(why) => {
                notices.push(at(NoticeKind::SrcRefused(why)));
                return None;
            }
        },
        None => {
            notices.push(at(NoticeKind::BadField("src".into())));
            return None;
        }
    };
    let view = match obj
        .get("view")
        .map(|v| serde_json::from_slice::<ViewSpec>(v.to_string().as_bytes()))
    {
        Some(Ok(v)) => v,
        _ => {
            notices.push(at(NoticeKind::BadView));
            return None;
        }
    };
    let join = match obj.get("join") {
        None | Some(Json::Null) => None,
        Some(j) => match serde_json::from_slice::<JoinLink>(j.to_string().as_bytes()) {
            Ok(j) if super::url::valid_src(&j.src) => Some(j),
            _ => {
                notices.push(at(NoticeKind::BadJoin));
                None
            }
        },
    };
    let persona = match obj.get("persona") {
        None | Some(Json::Null) => None,
        Some(p) => match p.as_str().and_then(Persona::parse) {
            Some(p) => Some(p),
            None => {
                notices.push(at(NoticeKind::BadField("persona".into())));
                None
            }
        },
    };
    let mut field = |name: &str, max: usize| match obj_str(obj, name) {
        Ok(s) => {
            let (s, clipped) = clip_chars(s, max);
            if clipped {
                notices.push(at(NoticeKind::Clipped(name.into())));
            }
            s
        }
        Err(()) => {
            notices.push(at(NoticeKind::BadField(name.into())));
            String::new()
        }
    };
    let title = field("title", MAX_TITLE_CHARS);
    let text = field("text", text::MAX_TEXT_CHARS);
    Some(Step {
        title,
        text,
        src,
        view,
        join,
        persona,
    })
}

/// Where a story page's story comes from, read from the page's query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryLink {
    /// `?story=`: the story itself, as base64url.
    Inline(String),
    /// `?story_src=`: a bundled story id, an `https://` URL or a same-origin `.json` path.
    Src(String),
}

/// What a story page's URL says: where the story is, and how to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryPageUrl {
    pub link: StoryLink,
    pub embed: bool,
    /// `?lang=`, when given: the interface language (otherwise the story's own).
    pub lang: Option<Lang>,
}

impl StoryPageUrl {
    /// Reads `story`, `story_src`, `embed` and `lang` from a query string; `None` when it
    /// names no story (the explorer then shows). `story` wins over `story_src`.
    pub fn parse(query: &str) -> Option<StoryPageUrl> {
        let mut inline = None;
        let mut src = None;
        let mut embed = false;
        let mut lang = None;
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "story" => inline = Some(v.to_string()),
                "story_src" => src = Some(percent_decode(v)),
                "embed" => embed = v == "1" || v == "true",
                "lang" => lang = Lang::parse(v),
                _ => {}
            }
        }
        let link = match (inline, src) {
            (Some(s), _) => StoryLink::Inline(s),
            (None, Some(s)) => StoryLink::Src(s),
            (None, None) => return None,
        };
        Some(StoryPageUrl { link, embed, lang })
    }
}

/// Where a `story_src` points, decided before anything is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorySrc {
    /// A bundled story (its id).
    Bundled(String),
    /// A URL or same-origin path to fetch.
    Fetch(String),
}

/// Decides what a `story_src` points to: a bundled story id, an `https://` URL, or a
/// same-origin path ending in `.json` (the `src` rules of [`super::source::classify`]);
/// otherwise the reason in the page's language.
pub fn classify_story_src(v: &str, lang: Lang) -> Result<StorySrc, String> {
    use super::source::{classify, Refusal, Src};
    let ids: Vec<&str> = bundled_index().iter().map(|s| s.id).collect();
    match classify(v, &ids) {
        Ok(Src::Bundled(id)) => Ok(StorySrc::Bundled(id)),
        Ok(Src::Remote(u)) => Ok(StorySrc::Fetch(u)),
        Ok(Src::Relative(p)) => {
            let path = p.split(['?', '#']).next().unwrap_or_default();
            if path.to_ascii_lowercase().ends_with(".json") {
                Ok(StorySrc::Fetch(p))
            } else {
                Err(trf(lang, Msg::StorySrcNotJson, &[v]))
            }
        }
        Err(Refusal::UnknownDataset { closest }) => {
            Err(trf(lang, Msg::StoryUnknown, &[v, &closest.join(", ")]))
        }
        Err(r) => Err(r.message(v, lang == Lang::Fr)),
    }
}

/// A story shipped with Loupe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundledStory {
    pub id: &'static str,
    /// Path under the page (`stories/….json`, copied into the build).
    pub file: &'static str,
    pub json: &'static str,
}

/// The bundled stories, compiled in (also listed in `www/catalog.json` under `stories`).
pub fn bundled_index() -> &'static [BundledStory] {
    &[
        BundledStory {
            id: "budget-etat-2026",
            file: "stories/budget-etat-2026.json",
            json: include_str!("../../www/stories/budget-etat-2026.json"),
        },
        BundledStory {
            id: "marches-travaux-2024",
            file: "stories/marches-travaux-2024.json",
            json: include_str!("../../www/stories/marches-travaux-2024.json"),
        },
        BundledStory {
            id: "taxe-habitation-departements",
            file: "stories/taxe-habitation-departements.json",
            json: include_str!("../../www/stories/taxe-habitation-departements.json"),
        },
    ]
}

/// A bundled story by id.
pub fn bundled(id: &str) -> Option<&'static BundledStory> {
    bundled_index().iter().find(|s| s.id == id)
}

/// The title of a bundled story (empty when it does not parse; a native test forbids that).
pub fn bundled_title(s: &BundledStory) -> String {
    Story::read(s.json)
        .map(|(story, _)| story.title)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
