//! The bad-input catalogue (`tests/bad_input/`): every mistake exits 2 from `validate` and `run`
//! with its exact message (file, line, column, key), no panic, and nothing written.

use std::path::{Path, PathBuf};

use crate::support::{o2d, write};

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input")
}

/// Extra arguments from a first line `# args: ...`.
fn extra_args(text: &str) -> Vec<String> {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# args:"))
        .map(|a| a.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What `o2d validate` and `o2d run --out` print for `file` (relative to `dir`), checking the
/// exit code, that nothing panicked and that no output appeared. Returns run's stderr.
fn refused(dir: &Path, file: &str, args: &[String]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run =
        o2d(dir).arg("run").arg(file).args(args).arg("--out").arg(&out).arg("--quiet").output().unwrap();
    let run_err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(run.status.code(), Some(2), "{file}: run exit code; stderr:\n{run_err}");
    assert!(run.stdout.is_empty(), "{file}: run printed to stdout");
    assert!(!run_err.contains("panicked"), "{file}: run panicked:\n{run_err}");
    assert!(!out.exists(), "{file}: run created the output folder");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "{file}: run left files behind");

    let validate = o2d(dir).arg("validate").arg(file).args(args).output().unwrap();
    let validate_err = String::from_utf8_lossy(&validate.stderr).into_owned();
    assert_eq!(validate.status.code(), Some(2), "{file}: validate exit code; stderr:\n{validate_err}");
    assert!(!validate_err.contains("panicked"), "{file}: validate panicked:\n{validate_err}");
    assert_eq!(
        validate_err,
        format!("{run_err}1 of 1 scenario files have problems\n"),
        "{file}: validate and run disagree"
    );
    run_err
}

#[test]
fn every_catalogued_mistake_is_refused_with_its_exact_message() {
    let dir = catalogue_dir();
    let update = std::env::var_os("O2D_UPDATE_BAD_INPUT").is_some();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the catalogue has {} cases, expected at least 30", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let got = refused(&dir, name, &extra_args(&text));
        let expected_path = dir.join(name.replace(".toml", ".stderr"));
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: no {} beside it", expected_path.display()));
        if got != expected {
            failures.push(format!("{name}:\n  expected: {expected}  got:      {got}"));
        }
        // Every message is located: `file:line:column: `key`` (or the --set that caused it).
        let first = got.lines().next().unwrap_or("");
        let located = first.starts_with(&format!("error: {name}:")) || first.starts_with("error: --set ");
        assert!(located, "{name}: the message does not start with the file: {first}");
    }
    assert!(failures.is_empty(), "messages changed:\n{}", failures.join("\n"));
}

#[test]
fn a_fifty_megabyte_file_is_refused_by_the_size_cap_before_parsing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("[run]\ndays = 3\n# ");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push('\n');
    write(tmp.path(), "huge.toml", &text);
    let err = refused(tmp.path(), "huge.toml", &[]);
    assert_eq!(
        err,
        format!(
            "error: huge.toml: is {} bytes: scenario files are limited to {} bytes; is this the right file?\n",
            text.len(),
            o2d::scenario::load::MAX_SCENARIO_BYTES
        )
    );
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_the_first_bad_byte() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("latin1.toml"), b"[run]\nname = \"caf\xe9\"\n").unwrap();
    let err = refused(tmp.path(), "latin1.toml", &[]);
    assert_eq!(
        err,
        "error: latin1.toml:2:12: not valid UTF-8 text: scenario files must be UTF-8\n  \
         help: save the file as UTF-8 in your editor\n"
    );
}

#[test]
fn a_directory_passed_as_a_scenario_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("scenarios.toml")).unwrap();
    let err = refused(tmp.path(), "scenarios.toml", &[]);
    assert_eq!(err, "error: scenarios.toml: is a directory, not a scenario file (pass a .toml file)\n");
}

#[test]
fn a_missing_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let err = refused(tmp.path(), "nowhere.toml", &[]);
    assert!(err.starts_with("error: nowhere.toml: cannot read the scenario: "), "{err}");
}
