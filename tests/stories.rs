//! Properties of the story format (`src/state/story.rs`): any story the editor can make reads
//! back identically from its JSON and from its link, and no text, however hostile, makes the
//! text parser panic, produce a link that is not a safe `https://` address, or grow.

use loupe::state::story::text::{parse, plain, safe_href, Inline, MAX_TEXT_CHARS};
use loupe::state::story::{Step, Story, MAX_STEPS};
use loupe::state::{Lang, ViewSpec};
use proptest::prelude::*;

fn links(i: &[Inline], out: &mut Vec<String>) {
    for x in i {
        match x {
            Inline::Link { href, .. } => out.push(href.clone()),
            Inline::Strong(c) | Inline::Emphasis(c) => links(c, out),
            Inline::Text(_) => {}
        }
    }
}

/// Text made of the subset's own markers and the characters that matter to it.
fn markup() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("**".to_string()),
            Just("*".to_string()),
            Just("[".to_string()),
            Just("](".to_string()),
            Just(")".to_string()),
            Just("(".to_string()),
            Just("\\".to_string()),
            Just("\n\n".to_string()),
            Just("https://a.fr/x".to_string()),
            Just("javascript:alert(1)".to_string()),
            Just("<script>".to_string()),
            "[a-zé €]{0,6}",
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_parses_into_safe_links_and_never_grows(text in markup()) {
        let (paragraphs, _) = parse(&text);
        let mut found = Vec::new();
        for p in &paragraphs {
            links(p, &mut found);
        }
        for href in found {
            prop_assert!(safe_href(&href), "{href}");
        }
        let shown = plain(&paragraphs);
        prop_assert!(shown.chars().count() <= text.chars().count().min(MAX_TEXT_CHARS) + 2 * paragraphs.len());
    }

    #[test]
    fn any_editable_story_reads_back_from_json_and_link(
        title in "[^\u{0}]{0,80}",
        lede in markup(),
        texts in proptest::collection::vec(markup(), 0..5),
        english in any::<bool>(),
    ) {
        let story = Story {
            v: 1,
            title,
            lede: lede.chars().take(2_000).collect(),
            lang: if english { Lang::En } else { Lang::Fr },
            steps: texts
                .into_iter()
                .take(MAX_STEPS)
                .map(|text| Step {
                    title: "t".into(),
                    text,
                    src: "lfi-2026-credits".into(),
                    view: ViewSpec::default(),
                    join: None,
                    persona: None,
                })
                .collect(),
        };
        let (back, _) = Story::read(&story.to_json()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(&back, &story);
        let (back, _) = Story::from_param(&story.to_param()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(&back, &story);
    }

    #[test]
    fn any_bytes_as_a_link_are_refused_or_read_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let param = String::from_utf8_lossy(&bytes);
        let _ = Story::from_param(&param);
        let _ = Story::read(&param);
    }
}
