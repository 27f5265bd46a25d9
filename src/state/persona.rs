//! Personas and their presets. A preset is a data file in `www/presets/` naming the panels a
//! persona sees, the chart kinds offered, and guided views per bundled dataset. Presets refer
//! to columns by name; a native test checks every preset against every bundled dataset.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalog::Bilingual;
use super::view::ViewSpec;
use crate::chart::ChartKind;

/// The three kinds of users the workshop named.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Persona {
    /// "Citoyen curieux": guided questions, plain sentences, big numbers, glossary.
    Citizen,
    /// "Journaliste": rankings, trends, shares, citation, export and embed.
    Journalist,
    /// "Expert": every column, filter, profile, pivot and raw export.
    #[default]
    Power,
}

impl Persona {
    pub const ALL: [Persona; 3] = [Persona::Citizen, Persona::Journalist, Persona::Power];

    pub fn id(self) -> &'static str {
        match self {
            Persona::Citizen => "citizen",
            Persona::Journalist => "journalist",
            Persona::Power => "power",
        }
    }

    pub fn parse(s: &str) -> Option<Persona> {
        Persona::ALL.into_iter().find(|p| p.id() == s)
    }
}

/// A part of the page a preset may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Panel {
    Questions,
    BigNumbers,
    Chart,
    ChartControls,
    Filters,
    Table,
    Profile,
    Pivot,
    Export,
    Cite,
    Embed,
    Glossary,
    FindCommune,
    Documentation,
    IngestReport,
    Api,
    /// Cross the data with a reference table.
    Join,
}

/// A guided question answered by one view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuidedView {
    pub id: String,
    pub question: Bilingual,
    /// Two or three plain sentences shown with the answer.
    #[serde(default)]
    pub explanation: Bilingual,
    #[serde(default)]
    pub view: ViewSpec,
}

/// A persona's preset, as stored in `www/presets/<id>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preset {
    pub persona: Persona,
    pub label: Bilingual,
    pub description: Bilingual,
    pub panels: Vec<Panel>,
    pub chart_kinds: Vec<ChartKind>,
    /// Guided views per bundled dataset id; the first is the default view.
    #[serde(default)]
    pub views: BTreeMap<String, Vec<GuidedView>>,
}

impl Preset {
    pub fn shows(&self, panel: Panel) -> bool {
        self.panels.contains(&panel)
    }

    /// The default view of a dataset for this persona, if the preset names one.
    pub fn default_view(&self, dataset_id: &str) -> Option<&GuidedView> {
        self.views.get(dataset_id).and_then(|v| v.first())
    }
}

const CITIZEN: &str = include_str!("../../www/presets/citizen.json");
const JOURNALIST: &str = include_str!("../../www/presets/journalist.json");
const POWER: &str = include_str!("../../www/presets/power.json");

/// The preset of a persona (compiled in from `www/presets/`), read once: every render of the
/// page asks for it (which panels to show, the header's labels), and reading the citizen's
/// 11 KB of JSON each time cost the first render after a load several milliseconds.
pub fn preset(p: Persona) -> Result<&'static Preset, String> {
    static READ: [std::sync::OnceLock<Result<Preset, String>>; 3] =
        [const { std::sync::OnceLock::new() }; 3];
    let (json, slot) = match p {
        Persona::Citizen => (CITIZEN, &READ[0]),
        Persona::Journalist => (JOURNALIST, &READ[1]),
        Persona::Power => (POWER, &READ[2]),
    };
    slot.get_or_init(|| {
        serde_json::from_str(json)
            .map_err(|e| format!("preset {} illisible / unreadable: {e}", p.id()))
    })
    .as_ref()
    .map_err(String::clone)
}
