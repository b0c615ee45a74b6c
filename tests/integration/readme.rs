//! The README's scenario reference and KPI table are generated from the code; this test fails
//! when they drift, and `O2D_UPDATE_README=1` rewrites them.

use std::path::Path;

fn splice(text: &str, name: &str, body: &str) -> String {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = text.find(&start).unwrap_or_else(|| panic!("README has {start}")) + start.len();
    let b = text.find(&end).unwrap_or_else(|| panic!("README has {end}"));
    format!("{}{}{}", &text[..a], body, &text[b..])
}

#[test]
fn readme_reference_and_kpis_match_the_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let generated = splice(
        &splice(&readme, "reference", &o2d::scenario::reference::markdown()),
        "kpis",
        &o2d::scenario::reference::kpi_markdown(),
    );
    if std::env::var_os("O2D_UPDATE_README").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        readme == generated,
        "README.md's generated sections are stale: run O2D_UPDATE_README=1 cargo test --release --test integration readme"
    );
}
