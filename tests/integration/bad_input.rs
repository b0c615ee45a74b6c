//! The bad-input catalogue (`tests/bad_input/`): every mistake exits 2 (3 for I/O) from the command
//! it names, with its exact message (file:line:column and key, or the flag), no panic, no output.

use std::path::{Path, PathBuf};

use crate::support::{o2d, write};

fn catalogue_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input")
}

/// A case's directives, from leading comment lines: `# command: NAME` (default `run`), `# args:
/// ...` (extra arguments, split at spaces) and `# exit: N` (default 2).
struct Case {
    command: String,
    args: Vec<String>,
    exit: i32,
}

fn directives(text: &str) -> Case {
    let mut case = Case { command: "run".to_string(), args: Vec::new(), exit: 2 };
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(c) = line.strip_prefix("# command:") {
            case.command = c.trim().to_string();
        } else if let Some(a) = line.strip_prefix("# args:") {
            case.args = a.split_whitespace().map(str::to_string).collect();
        } else if let Some(e) = line.strip_prefix("# exit:") {
            case.exit = e.trim().parse().expect("# exit: a number");
        }
    }
    case
}

/// What `o2d COMMAND FILE ARGS` prints for `file` (relative to `dir`), checking the exit code,
/// that nothing panicked and that nothing was written. Commands that write get `--out` (a path
/// that must not appear) and `--quiet`; `compare` gets the file as both scenarios. Returns stderr.
fn refused_by(dir: &Path, file: &str, case: &Case) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut cmd = o2d(dir);
    cmd.arg(&case.command).arg(file);
    if case.command == "compare" {
        cmd.arg(file);
    }
    cmd.args(&case.args);
    match case.command.as_str() {
        "run" | "compare" | "sweep" | "capacity" => {
            cmd.arg("--out").arg(&out).arg("--quiet");
        }
        "trace" | "merge" => {
            cmd.arg("--out").arg(&out);
        }
        _ => {}
    }
    let got = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr).into_owned();
    let what = format!("{file} ({})", case.command);
    assert_eq!(got.status.code(), Some(case.exit), "{what}: exit code; stderr:\n{err}");
    assert!(got.stdout.is_empty(), "{what}: printed to stdout");
    assert!(!err.contains("panicked"), "{what}: panicked:\n{err}");
    assert!(!out.exists(), "{what}: created the output");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "{what}: left files behind");
    err
}

/// What `o2d run` prints for `file`; `o2d validate` with the same `--set` arguments must print
/// the same, followed by its summary line when the file was read. Returns run's stderr.
fn refused(dir: &Path, file: &str, args: &[String]) -> String {
    let run_err = refused_by(dir, file, &Case { command: "run".to_string(), args: args.to_vec(), exit: 2 });
    let validate = o2d(dir).arg("validate").arg(file).args(args).output().unwrap();
    let validate_err = String::from_utf8_lossy(&validate.stderr).into_owned();
    assert_eq!(validate.status.code(), Some(2), "{file}: validate exit code; stderr:\n{validate_err}");
    assert!(!validate_err.contains("panicked"), "{file}: validate panicked:\n{validate_err}");
    // A malformed flag stops validate before any file is read: then there is no summary line.
    let summary = format!("{run_err}1 of 1 scenario files have problems\n");
    assert!(
        validate_err == summary || validate_err == run_err,
        "{file}: validate and run disagree:\n{validate_err}"
    );
    run_err
}

/// Whether `validate` takes the same arguments as `run` here (only `--set` pairs).
fn validate_takes(args: &[String]) -> bool {
    args.chunks(2).all(|pair| pair[0] == "--set" && pair.len() == 2)
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
    assert!(names.len() >= 119, "the catalogue has {} cases, expected at least 119", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let case = directives(&text);
        let got = if case.command == "run" && case.exit == 2 && validate_takes(&case.args) {
            refused(&dir, name, &case.args)
        } else {
            refused_by(&dir, name, &case)
        };
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
        // Every message is located: `file:line:column: `key``, or the flag that caused it; a
        // mistake inside a planner file the case names is located in that file, NAME.csv.
        let first = got.lines().next().unwrap_or("");
        let planner_file = format!("error: {}.csv:", name.trim_end_matches(".toml"));
        let located = first.starts_with(&format!("error: {name}:"))
            || first.starts_with(&planner_file)
            || got.lines().take(2).any(|l| l.contains("--"));
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

#[test]
fn a_bare_date_given_with_set_is_taken_as_the_date() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", "[run]\ndays = 3\n");
    let got =
        o2d(tmp.path()).args(["validate", "s.toml", "--set", "run.start_date=2026-12-01"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&got.stdout),
        "ok: s.toml (3 days from 2026-12-01, 10 replications)\n"
    );
    assert_eq!(got.status.code(), Some(0));
}
