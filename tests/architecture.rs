//! Architecture invariant: the pure layers (`core`, `chart`, `state`) never name a browser
//! crate. Cargo already keeps those crates out of native builds (they sit under
//! `[target.'cfg(target_arch = "wasm32")'.dependencies]`), so a slip would first show up as a
//! wasm-only build that cannot be tested natively; this test names the offending line instead.

use std::fs;
use std::path::{Path, PathBuf};

/// Crates that only make sense in a browser. A pure module naming one of them is a layering bug.
const BROWSER_CRATES: &[&str] = &[
    "yew",
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "wasm_bindgen_futures",
    "gloo",
    "plotters_canvas",
    "serde_wasm_bindgen",
];

/// The pure layers: each is `src/<name>.rs` plus everything under `src/<name>/`.
const PURE_LAYERS: &[&str] = &["core", "chart", "state"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// True when `line` uses `krate` as a path root (`yew::`, `use yew`, `extern crate yew`).
fn names_crate(line: &str, krate: &str) -> bool {
    let code = line.split("//").next().unwrap_or("");
    code.match_indices(krate).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = &code[at + krate.len()..];
        let starts_word = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let used_as_path = after.starts_with("::")
            || (code[..at].trim_end().ends_with("use") && after.starts_with([';', ' ', ':']))
            || code[..at].trim_end().ends_with("extern crate");
        starts_word && used_as_path
    })
}

#[test]
fn pure_layers_never_name_a_browser_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for layer in PURE_LAYERS {
        let root = src.join(format!("{layer}.rs"));
        assert!(root.exists(), "missing layer root {}", root.display());
        files.push(root);
        rust_files(&src.join(layer), &mut files);
    }
    let mut offences = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            for krate in BROWSER_CRATES {
                if names_crate(line, krate) {
                    offences.push(format!(
                        "{}:{}: names `{krate}`: {}",
                        file.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        offences.is_empty(),
        "pure layers must not touch the browser:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_checker_catches_what_it_should() {
    assert!(names_crate("use web_sys::HtmlCanvasElement;", "web_sys"));
    assert!(names_crate("    let w = web_sys::window();", "web_sys"));
    assert!(names_crate("use yew;", "yew"));
    assert!(!names_crate(
        "// web_sys::window() is only called from src/web",
        "web_sys"
    ));
    assert!(!names_crate("let yewish = my_yew::x;", "yew"));
    assert!(!names_crate("let preview = 1;", "yew"));
}
