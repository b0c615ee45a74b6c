//! What a scenario name may be. The name names the results folder (`results/<name>/`), so it must
//! be one plain folder name: checked here, once, and relied on wherever an output path is derived.

/// The longest scenario name, in characters (folder names add suffixes such as `-sweep-merged`).
pub const MAX_NAME_CHARS: usize = 100;

/// The suggestion shown with a refused name.
pub const HELP: &str =
    "a name is one folder name, e.g. name = \"black-friday\"; to write elsewhere, use --out";

/// Why `name` cannot be a scenario name, or `None` when it can.
pub fn problem(name: &str) -> Option<String> {
    let shown = name.escape_debug();
    if name.is_empty() {
        return Some("is empty: the name names the results folder, results/<name>/".to_string());
    }
    if name == "." || name == ".." {
        return Some(format!("`{name}` is not a name: it means a folder, not one inside results/"));
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\')) {
        return Some(format!("`{shown}` contains `{c}`: a name is not a path"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!("`{shown}` contains the control character U+{:04X}", u32::from(c)));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Some(format!("is {chars} characters long: at most {MAX_NAME_CHARS}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass_and_paths_do_not() {
        for ok in ["holiday-season", "black friday 2026", ".hidden", "a..b", "café"] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for bad in ["", ".", "..", "../x", "/abs", "a\\b", "tab\there", "nul\0", &"x".repeat(101)] {
            assert!(problem(bad).is_some(), "{bad:?}");
        }
    }
}
