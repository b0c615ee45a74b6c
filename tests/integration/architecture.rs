//! The shape of the code, checked on the source: data flows one way (scenario → model → kernel →
//! stats → output), the kernel knows no domain words, and no file grows past what one can read.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/<dir>` (all of `src` for ""), with its text.
fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir), &mut out);
    assert!(!out.is_empty(), "no sources under src/{dir}");
    out
}

/// The lines of the sources under `src/<dir>` that mention any of `words` (comments included:
/// a layer that talks about another in its docs usually leans on it too).
fn mentions(dir: &str, words: &[&str]) -> Vec<String> {
    sources(dir)
        .iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| words.iter().any(|w| line.contains(w)))
                .map(move |(i, line)| format!("{}:{}: {}", path.display(), i + 1, line.trim()))
        })
        .collect()
}

#[test]
fn scenarios_never_import_the_model() {
    let found = mentions("scenario", &["crate::model", "super::model", "o2d::model"]);
    assert!(found.is_empty(), "scenario/ must not import model/ (data flows one way):\n{}", found.join("\n"));
}

#[test]
fn the_kernel_knows_no_domain() {
    let found = mentions("kernel", &["crate::model", "crate::scenario", "crate::kpi", "crate::experiment"]);
    assert!(found.is_empty(), "kernel/ must not import the domain:\n{}", found.join("\n"));
}

#[test]
fn no_component_checks_whether_a_section_is_modelled() {
    let found = mentions("", &["modelled\")", "modeled\")"]);
    assert!(
        found.is_empty(),
        "a section that is not modelled is a component that is absent, not an Option to expect:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_source_file_is_over_800_lines() {
    let long: Vec<String> = sources("")
        .iter()
        .filter(|(_, text)| text.lines().count() > 800)
        .map(|(path, text)| format!("{}: {} lines", path.display(), text.lines().count()))
        .collect();
    assert!(long.is_empty(), "split these files by concern:\n{}", long.join("\n"));
}
