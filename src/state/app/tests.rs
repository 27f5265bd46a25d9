//! The reducer, specified: loads, personas and their default views, joins, filters, the
//! URL of a state, cancellation.

use super::*;
use crate::core::ingest::read;

fn small() -> Rc<Dataset> {
    let csv = "mission;montant\nDéfense;10,5\nCulture;2,25\nDéfense;1\n";
    Rc::new(read(csv.as_bytes(), &IngestOptions::default()).expect("reads"))
}

fn bundled_source() -> SourceInfo {
    SourceInfo {
        reference: SourceRef::Bundled("x".into()),
        entry: None,
        label: "x.csv".into(),
        portal: None,
        worker: None,
    }
}

#[test]
fn a_load_goes_loading_then_ready_and_keeps_its_source() {
    let s = AppState::default().apply(Action::StartLoading {
        source: Box::new(bundled_source()),
        options: IngestOptions::default(),
    });
    assert!(matches!(s.status, Status::Loading(_)));
    let s = s.apply(Action::ReportProgress(Progress {
        bytes_done: 5,
        bytes_total: 10,
        rows: 1,
    }));
    assert_eq!(
        s.status,
        Status::Loading(Progress {
            bytes_done: 5,
            bytes_total: 10,
            rows: 1
        })
    );
    let s = s.apply(Action::FinishLoading {
        data: small(),
        view: None,
    });
    assert_eq!(s.status, Status::Ready);
    assert_eq!(s.generation, 1);
    assert_eq!(
        s.source.as_ref().map(|s| &s.reference),
        Some(&SourceRef::Bundled("x".into()))
    );
    // The suggested chart ranks the text column by the amount.
    assert_eq!(s.view.chart.x.as_deref(), Some("mission"));
    assert_eq!(s.view.chart.y.as_deref(), Some("montant"));
}

#[test]
fn filters_replace_same_kind_on_same_column_and_can_be_removed() {
    use crate::core::query::Literal;
    let s = AppState::default().apply(Action::FinishLoading {
        data: small(),
        view: None,
    });
    let f = |v: &str| Filter::In {
        column: "mission".into(),
        values: vec![Literal::Text(v.into())],
    };
    let s = s
        .apply(Action::AddFilter(f("Défense")))
        .apply(Action::AddFilter(f("Culture")));
    assert_eq!(s.view.filters, vec![f("Culture")]);
    let s = s.apply(Action::AddFilter(Filter::IsNull {
        column: "mission".into(),
    }));
    assert_eq!(s.view.filters.len(), 2);
    let s = s
        .apply(Action::RemoveFilter(0))
        .apply(Action::RemoveFilter(9));
    assert_eq!(
        s.view.filters,
        vec![Filter::IsNull {
            column: "mission".into()
        }]
    );
}

#[test]
fn a_view_naming_missing_columns_falls_back_to_a_suggestion() {
    let mut v = ViewSpec::default();
    v.chart.x = Some("nope".into());
    v.filters.push(Filter::IsNull {
        column: "ghost".into(),
    });
    let s = AppState::default().apply(Action::FinishLoading {
        data: small(),
        view: Some(v),
    });
    assert_eq!(s.view.chart.x.as_deref(), Some("mission"));
    assert!(s.view.filters.is_empty());
}

fn bundled(id: &str) -> SourceInfo {
    let entry = super::super::catalog::bundled().find(id).cloned();
    SourceInfo {
        reference: SourceRef::Bundled(id.into()),
        entry,
        label: id.into(),
        portal: None,
        worker: None,
    }
}

fn load_bundled(state: AppState, id: &str) -> AppState {
    let entry = super::super::catalog::bundled()
        .find(id)
        .cloned()
        .expect("bundled id");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("www")
        .join(&entry.file);
    let bytes = std::fs::read(path).expect("bundled file");
    let data = Rc::new(read(&bytes, &IngestOptions::default()).expect("reads"));
    state
        .apply(Action::StartLoading {
            source: Box::new(bundled(id)),
            options: IngestOptions::default(),
        })
        .apply(Action::FinishLoading { data, view: None })
}

#[test]
fn each_persona_opens_a_bundled_dataset_on_its_own_default_view() {
    let citizen = load_bundled(AppState::default(), "lfi-2026-credits");
    assert_eq!(citizen.persona, Persona::Citizen);
    assert_eq!(citizen.question.as_deref(), Some("ou-va-l-argent"));
    assert_eq!(citizen.view.chart.kind, crate::chart::ChartKind::Treemap);
    let journalist = citizen.apply(Action::SetPersona(Persona::Journalist));
    assert_eq!(journalist.view.chart.kind, crate::chart::ChartKind::Ranking);
    let power = journalist.apply(Action::SetPersona(Persona::Power));
    // The power preset has no guided views: the catalogue's default chart applies.
    assert_eq!(power.question, None);
    assert_eq!(power.view.chart.y.as_deref(), Some("cp_eur_jo"));
    let asked = power
        .apply(Action::SetPersona(Persona::Citizen))
        .apply(Action::AskQuestion("total".into()));
    assert_eq!(asked.view.chart.kind, crate::chart::ChartKind::BigNumber);
    assert_eq!(asked.question.as_deref(), Some("total"));
    let unknown = asked.apply(Action::AskQuestion("nope".into()));
    assert_eq!(
        unknown.question.as_deref(),
        Some("total"),
        "an unknown question changes nothing"
    );
}

#[test]
fn the_url_of_a_state_restores_the_same_state_and_url() {
    let s = load_bundled(AppState::default(), "decp-travaux-2024")
        .apply(Action::SetPersona(Persona::Journalist));
    let s = s.apply(Action::AddFilter(Filter::In {
        column: "procedure".into(),
        values: vec![crate::core::query::Literal::Text(
            "Procédure adaptée".into(),
        )],
    }));
    let mut v = s.view.clone();
    v.group = super::super::view::GroupSpec {
        by: vec!["acheteur_departement_code".into()],
        ..Default::default()
    };
    let s = s.apply(Action::SetView(v));
    let q = s.to_url().to_query();
    let (url, notices) = super::super::url::UrlState::parse(&q);
    assert!(notices.is_empty());
    let restored = load_bundled(AppState::default(), "decp-travaux-2024")
        .apply(Action::ApplyUrl(Box::new(url)));
    assert_eq!(restored.view, s.view);
    assert_eq!(restored.persona, Persona::Journalist);
    assert_eq!(restored.to_url().to_query(), q);
}

#[test]
fn cancelling_keeps_the_previous_data() {
    let s = AppState::default().apply(Action::FinishLoading {
        data: small(),
        view: None,
    });
    let s = s
        .apply(Action::StartLoading {
            source: Box::new(bundled_source()),
            options: IngestOptions::default(),
        })
        .apply(Action::CancelLoading("annulé".into()));
    assert_eq!(s.status, Status::Ready);
    assert_eq!(s.notice.as_deref(), Some("annulé"));
    assert!(s.data.is_some());
}

#[test]
fn a_link_asking_for_an_oversized_pivot_opens_without_it_and_says_why() {
    // 1 500 rows, each with its own code and name: a code x name pivot is 1 500 x 1 500.
    let mut csv = String::from("code;nom;montant\n");
    for i in 0..1500 {
        csv.push_str(&format!("C{i:04};Nom {i};{i}\n"));
    }
    let data = Rc::new(read(csv.as_bytes(), &IngestOptions::default()).expect("reads"));
    let view: ViewSpec = serde_json::from_str(
        r#"{"v":1,"pivot":{"rows":"code","columns":"nom","value":{"op":"count"}},
            "group":{"by":["code"]}}"#,
    )
    .expect("view");
    let s = AppState::default().apply(Action::FinishLoading {
        data: data.clone(),
        view: Some(view.clone()),
    });
    assert_eq!(s.view.pivot, None);
    // The grouping fits (1 500 groups x 2 cells) and is kept.
    assert_eq!(s.view.group.by, vec!["code".to_string()]);
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.starts_with("Lien partiellement lu : 1\u{202f}500 colonnes dans le tableau croisé (au plus 1\u{202f}000)"),
        "{notice}"
    );
    // The same pivot chosen in the page (not from a link) is kept: its panel shows the refusal.
    let s = s.apply(Action::SetView(view));
    assert!(s.view.pivot.is_some());
}

#[test]
fn the_page_keeps_the_shown_data_s_source_until_the_next_data_arrives() {
    let a = AppState::default()
        .apply(Action::StartLoading {
            source: Box::new(bundled("lfi-2026-credits")),
            options: IngestOptions::default(),
        })
        .apply(Action::FinishLoading {
            data: small(),
            view: None,
        });
    let loading_b = a.apply(Action::StartLoading {
        source: Box::new(bundled("taux-th-2022")),
        options: IngestOptions::default(),
    });
    // While B downloads, A's data is on screen with A's documentation and links.
    assert_eq!(loading_b.dataset_id(), Some("lfi-2026-credits"));
    let cancelled = loading_b.apply(Action::CancelLoading("annulé".into()));
    assert_eq!(cancelled.dataset_id(), Some("lfi-2026-credits"));
    assert_eq!(cancelled.loading_source, None);
    let failed = loading_b.apply(Action::FailLoading("404".into()));
    assert_eq!(failed.dataset_id(), Some("lfi-2026-credits"));
    let done = loading_b.apply(Action::FinishLoading {
        data: small(),
        view: None,
    });
    assert_eq!(done.dataset_id(), Some("taux-th-2022"));
    // With nothing on screen, a failure names what failed.
    let first_fail = AppState::default()
        .apply(Action::StartLoading {
            source: Box::new(bundled("taux-th-2022")),
            options: IngestOptions::default(),
        })
        .apply(Action::FailLoading("404".into()));
    assert_eq!(first_fail.dataset_id(), Some("taux-th-2022"));
}
