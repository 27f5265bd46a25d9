//! The story format's tests: reading with notices, the link codec, the text subset, the
//! bundled stories against their data.

use super::*;
use crate::chart::ChartKind;

fn step(src: &str) -> Step {
    Step {
        title: "Étape".into(),
        text: "Un **texte** avec [un lien](https://www.data.gouv.fr/).".into(),
        src: src.into(),
        view: ViewSpec {
            chart: crate::chart::ChartSpec {
                kind: ChartKind::Ranking,
                x: Some("mission_label".into()),
                y: Some("cp_eur_jo".into()),
                ..Default::default()
            },
            top: 7,
            ..ViewSpec::default()
        },
        join: None,
        persona: None,
    }
}

fn story() -> Story {
    Story {
        v: 1,
        title: "Où va l'argent ?".into(),
        lede: "Un chapeau « entre guillemets » & des <balises>.".into(),
        lang: Lang::Fr,
        steps: vec![
            step("lfi-2026-credits"),
            Step {
                join: Some(JoinLink {
                    src: "communes-population".into(),
                    spec: crate::core::query::JoinSpec {
                        left_on: vec!["code_insee_commune".into()],
                        right_on: vec!["code_commune".into()],
                        ..Default::default()
                    },
                }),
                persona: Some(Persona::Power),
                ..step("taux-th-2022")
            },
            step("https://www.data.gouv.fr/fr/datasets/r/abc"),
        ],
    }
}

#[test]
fn a_story_round_trips_through_json_and_its_link() {
    let s = story();
    let (back, notices) = Story::read(&s.to_json()).expect("readable");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, s);
    let (back, notices) = Story::from_param(&s.to_param()).expect("readable");
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(back, s);
    assert!(
        s.to_param()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "unpadded base64url"
    );
    let (back, _) = Story::read(&s.to_json_pretty()).expect("readable");
    assert_eq!(back, s, "the downloaded file reads back too");
}

#[test]
fn versions_newer_than_one_are_refused_and_a_missing_one_is_said() {
    let json = |v: &str| format!(r#"{{{v}"title":"t","steps":[]}}"#);
    assert_eq!(
        Story::read(&json(r#""v":2,"#)),
        Err(Unreadable::NewerVersion(2))
    );
    let (s, notices) = Story::read(&json("")).expect("read as v1");
    assert_eq!(s.title, "t");
    assert_eq!(notices[0].kind, NoticeKind::NoVersion);
    let (_, notices) = Story::read(&json(r#""v":"un","#)).expect("read as v1");
    assert_eq!(notices[0].kind, NoticeKind::BadField("v".into()));
    let (_, notices) = Story::read(&json(r#""v":1,"#)).expect("v1");
    assert!(notices.is_empty());
}

#[test]
fn what_is_not_a_story_is_unreadable() {
    assert_eq!(Story::from_param("a$b"), Err(Unreadable::NotBase64));
    assert!(matches!(Story::read("{"), Err(Unreadable::NotJson(_))));
    assert_eq!(Story::read("[1,2]"), Err(Unreadable::NotAStory));
    assert_eq!(Story::read(r#"{"title":"x"}"#), Err(Unreadable::NotAStory));
    assert_eq!(
        Story::read(r#"{"v":1,"steps":"non"}"#),
        Err(Unreadable::NotAStory)
    );
    let huge = format!(
        r#"{{"v":1,"steps":[],"title":"{}"}}"#,
        "x".repeat(MAX_STORY_BYTES)
    );
    assert_eq!(Story::read(&huge), Err(Unreadable::TooLarge));
    // Bytes that are base64url but not UTF-8.
    assert_eq!(
        Story::from_param(&base64url_encode(&[0xff, 0xfe])),
        Err(Unreadable::NotBase64)
    );
    for u in [
        Unreadable::NotBase64,
        Unreadable::NotJson("x".into()),
        Unreadable::NotAStory,
        Unreadable::NewerVersion(3),
        Unreadable::TooLarge,
    ] {
        assert!(!u.text(Lang::Fr).is_empty() && u.text(Lang::Fr) != u.text(Lang::En));
    }
}

#[test]
fn hostile_parts_are_dropped_with_a_notice_and_the_rest_is_kept() {
    let doc = serde_json::json!({
        "v": 1,
        "title": "x".repeat(MAX_TITLE_CHARS + 50),
        "lede": 42,
        "lang": "klingon",
        "steps": [
            {"title": "ok", "text": "bien", "src": "lfi-2026-credits", "view": {"v": 1}},
            {"title": "js", "text": "", "src": "javascript:alert(1)", "view": {"v": 1}},
            {"title": "http", "text": "", "src": "http://example.org/x.csv", "view": {"v": 1}},
            {"title": "no view", "src": "lfi-2026-credits", "view": "%%%"},
            {"title": "bad join", "src": "lfi-2026-credits", "view": {"v": 1},
             "join": {"src": "data:text/csv,a", "spec": {}}, "persona": "admin"},
            "not an object",
            {"title": "bad link", "src": "decp-travaux-2024", "view": {"v": 1},
             "text": "[clic](javascript:alert(1)) <img src=x onerror=alert(1)>"}
        ]
    });
    let (s, notices) = Story::from_json(&doc).expect("a story");
    assert_eq!(s.title.chars().count(), MAX_TITLE_CHARS);
    assert_eq!(s.lede, "");
    assert_eq!(s.lang, Lang::Fr);
    let titles: Vec<&str> = s.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        ["ok", "bad join", "bad link"],
        "the usable steps stay"
    );
    assert_eq!(s.steps[1].join, None);
    assert_eq!(s.steps[1].persona, None);
    // The markup stays in the text, as text: the page renders it as a text node.
    assert!(s.steps[2].text.contains("<img"));
    let kinds: Vec<(Option<usize>, &NoticeKind)> =
        notices.iter().map(|n| (n.step, &n.kind)).collect();
    assert!(kinds.contains(&(None, &NoticeKind::Clipped("title".into()))));
    assert!(kinds.contains(&(None, &NoticeKind::BadField("lede".into()))));
    assert!(kinds.contains(&(None, &NoticeKind::BadField("lang".into()))));
    assert!(kinds
        .iter()
        .any(|(n, k)| *n == Some(2) && matches!(k, NoticeKind::SrcRefused(_))));
    assert!(kinds.iter().any(|(n, k)| *n == Some(3)
        && matches!(k, NoticeKind::SrcRefused(why) if why.contains("https://"))));
    assert!(kinds.contains(&(Some(4), &NoticeKind::BadView)));
    assert!(kinds.contains(&(Some(5), &NoticeKind::BadJoin)));
    assert!(kinds.contains(&(Some(5), &NoticeKind::BadField("persona".into()))));
    assert!(kinds.contains(&(Some(6), &NoticeKind::BadView)));
    // The refused link is numbered by the step as shown (the third kept step).
    assert!(kinds.iter().any(|(n, k)| *n == Some(3)
        && matches!(k, NoticeKind::LinkRefused(h) if h.starts_with("javascript:"))));
    for n in &notices {
        let (fr, en) = (n.text(Lang::Fr), n.text(Lang::En));
        assert!(!fr.is_empty() && fr != en, "{n:?}");
    }
}

#[test]
fn steps_beyond_the_maximum_are_dropped_with_a_notice() {
    let steps: Vec<_> = (0..MAX_STEPS + 3)
        .map(|_| serde_json::json!({"src": "lfi-2026-credits", "view": {"v": 1}}))
        .collect();
    let (s, notices) =
        Story::from_json(&serde_json::json!({"v": 1, "title": "t", "steps": steps})).expect("ok");
    assert_eq!(s.steps.len(), MAX_STEPS);
    assert_eq!(notices[0].kind, NoticeKind::TooManySteps(3));
}

#[test]
fn a_steps_explorer_link_opens_exactly_its_view() {
    let s = story();
    let q = s.steps[1].explore_query(Lang::Fr);
    let (url, notices) = crate::state::url::UrlState::parse(&q);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(url.src.as_deref(), Some("taux-th-2022"));
    assert_eq!(url.view.as_ref(), Some(&s.steps[1].view));
    assert_eq!(url.join, s.steps[1].join);
    assert_eq!(url.persona, Some(Persona::Power));
}

#[test]
fn the_page_url_names_the_story() {
    assert_eq!(StoryPageUrl::parse("?src=lfi-2026-credits"), None);
    assert_eq!(
        StoryPageUrl::parse("?story_src=stories%2Fx.json&embed=1&lang=en"),
        Some(StoryPageUrl {
            link: StoryLink::Src("stories/x.json".into()),
            embed: true,
            lang: Some(Lang::En),
        })
    );
    assert_eq!(
        StoryPageUrl::parse("?story=abc&story_src=x").map(|u| u.link),
        Some(StoryLink::Inline("abc".into())),
        "the inline story wins"
    );
}

#[test]
fn story_sources_follow_the_src_rules_and_must_be_json() {
    let fr = Lang::Fr;
    assert_eq!(
        classify_story_src("budget-etat-2026", fr),
        Ok(StorySrc::Bundled("budget-etat-2026".into()))
    );
    assert_eq!(
        classify_story_src("stories/autre.json", fr),
        Ok(StorySrc::Fetch("stories/autre.json".into()))
    );
    assert_eq!(
        classify_story_src("https://example.org/r.json", fr),
        Ok(StorySrc::Fetch("https://example.org/r.json".into()))
    );
    for bad in [
        "javascript:alert(1)",
        "//evil.example/r.json",
        "http://example.org/r.json",
        "data/lfi_2026_etat_b_cp.csv",
        "budget-etat-2025",
    ] {
        assert!(classify_story_src(bad, fr).is_err(), "{bad}");
    }
    let unknown = classify_story_src("budget-etat-2025", fr);
    assert!(
        matches!(&unknown, Err(why) if why.contains("budget-etat-2026")),
        "{unknown:?}"
    );
}

#[test]
fn the_bundled_stories_read_without_notice_and_fit_their_data() {
    let catalog = crate::state::catalog::bundled();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let listed: serde_json::Value =
        serde_json::from_str(crate::state::catalog::BUNDLED_JSON).expect("catalog");
    let listed = listed["stories"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        listed.len(),
        bundled_index().len(),
        "catalog.json lists them"
    );
    for b in bundled_index() {
        assert!(root.join(b.file).is_file(), "{}", b.file);
        assert!(listed
            .iter()
            .any(|l| l["id"] == b.id && l["file"] == b.file));
        let (s, notices) = Story::read(b.json).expect(b.id);
        assert!(notices.is_empty(), "{}: {notices:?}", b.id);
        assert_eq!(s.lang, Lang::Fr);
        assert!(!bundled_title(b).is_empty());
        assert!((3..=5).contains(&s.steps.len()), "{}", b.id);
        for (i, st) in s.steps.iter().enumerate() {
            let entry = catalog.find(&st.src).expect("a bundled dataset");
            let mut ds = crate::core::ingest::read(
                &std::fs::read(root.join(&entry.file)).expect("data file"),
                &Default::default(),
            )
            .expect("data");
            if let Some(j) = &st.join {
                let right = catalog.find(&j.src).expect("a bundled reference");
                let right = crate::core::ingest::read(
                    &std::fs::read(root.join(&right.file)).expect("data file"),
                    &Default::default(),
                )
                .expect("reference");
                ds = crate::core::query::join::join(&ds, &right, &j.spec)
                    .expect("join")
                    .0;
            }
            let mut fitted = st.view.clone();
            fitted.fit_to(&ds);
            assert_eq!(
                fitted,
                st.view,
                "{} step {}: the view names real columns",
                b.id,
                i + 1
            );
            let table = crate::state::view::chart_table(&ds, &st.view).expect("chart table");
            assert!(!table.rows.is_empty(), "{} step {}", b.id, i + 1);
            let (paras, issues) = text::parse(&st.text);
            assert!(
                issues.is_empty() && !paras.is_empty(),
                "{} step {}",
                b.id,
                i + 1
            );
        }
    }
}
