//! The README and docs/ stay true: their generated parts match the code, every command in their
//! `sh` blocks works as written, every relative link resolves, and no file cites a tracker number.

use std::path::{Path, PathBuf};

use crate::library::header;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every docs/*.md, sorted.
fn doc_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files.insert(0, root().join("README.md"));
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap_or(path).display().to_string()
}

fn splice(text: &str, file: &str, name: &str, body: &str) -> String {
    let start = format!("<!-- {name}:start -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = text.find(&start).unwrap_or_else(|| panic!("{file} has no {start}")) + start.len();
    let b = text.find(&end).unwrap_or_else(|| panic!("{file} has no {end}"));
    format!("{}{}{}", &text[..a], body, &text[b..])
}

#[test]
fn generated_docs_match_the_code() {
    let generated = [
        ("docs/scenarios.md", "reference", o2d::scenario::reference::markdown()),
        ("docs/kpis.md", "kpis", o2d::scenario::reference::kpi_markdown()),
    ];
    let mut stale = Vec::new();
    for (file, name, body) in generated {
        let path = root().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let wanted = splice(&text, file, name, &body);
        if std::env::var_os("O2D_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &wanted).unwrap();
        } else if text != wanted {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "the generated sections of {} are stale: run O2D_UPDATE_DOCS=1 cargo test --release --test integration readme",
        stale.join(", ")
    );
}

/// The `sh` blocks of a Markdown file: one command per line (continuation lines joined).
fn sh_commands(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            in_sh = !in_sh && fence.trim() == "sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        match line.trim_end().strip_suffix('\\') {
            Some(head) => pending.push_str(head),
            None => {
                pending.push_str(line);
                let command = pending.trim().to_string();
                pending.clear();
                if !command.is_empty() && !command.starts_with('#') {
                    commands.push(command);
                }
            }
        }
    }
    commands
}

/// The exit code a command's comment announces as `(exit N)`; 0 without one.
fn expected_exit(command: &str) -> i32 {
    command
        .split_once("(exit ")
        .and_then(|(_, rest)| rest.split_once(')'))
        .and_then(|(code, _)| code.parse().ok())
        .unwrap_or(0)
}

/// Runs one `o2d ...` command line through `sh` in `dir`, with `o2d` on the PATH; returns why
/// it did not work as written, if it did not.
fn run_line(command: &str, dir: &Path, bin: &Path) -> Result<(), String> {
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("PATH", path)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("`{command}`: cannot start sh: {e}"))?;
    let want = expected_exit(command);
    match output.status.code() {
        Some(code) if code == want => Ok(()),
        code => Err(format!(
            "`{command}` exited {code:?}, expected {want}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )),
    }
}

/// A command this test cannot run (it builds for minutes, needs the network, a cluster or a
/// profiler) is checked for what can go stale: the targets, features and files it names.
fn check_statically(command: &str) -> Result<(), String> {
    let words: Vec<&str> = command.split_whitespace().collect();
    let after = |flag: &str| words.iter().position(|w| *w == flag).and_then(|i| words.get(i + 1));
    let exists = |p: &str| root().join(p.trim_start_matches("./")).exists();
    let fail = |why: String| Err(format!("`{command}`: {why}"));
    match words[0] {
        "cargo" => {
            if !["build", "run", "test", "bench"].contains(&words[1]) {
                return fail(format!("unexpected cargo subcommand `{}`", words[1]));
            }
            if let Some(bench) = after("--bench").filter(|b| !exists(&format!("benches/{b}.rs"))) {
                return fail(format!("there is no bench `{bench}`"));
            }
            if let Some(example) = after("--example").filter(|e| !exists(&format!("examples/{e}.rs"))) {
                return fail(format!("there is no example `{example}`"));
            }
            if let Some(test) =
                after("--test").filter(|t| **t != "integration" && !exists(&format!("tests/{t}.rs")))
            {
                return fail(format!("there is no test target `{test}`"));
            }
            let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
            if let Some(feature) = after("--features").filter(|f| !manifest.contains(&format!("\n{f} = ["))) {
                return fail(format!("Cargo.toml has no feature `{feature}`"));
            }
            Ok(())
        }
        "bash" | "python3" => match words.get(1) {
            Some(script) if exists(script) => Ok(()),
            other => fail(format!("no such script {other:?}")),
        },
        "alias" if command.ends_with("=./target/release/o2d") => Ok(()),
        "callgrind_annotate" => Ok(()),
        other => fail(format!("`{other}` is neither run nor checked by this test: teach it")),
    }
}

/// Runs every command of one file's `sh` blocks in order, in a scratch folder that sees the
/// repository's scenarios, and returns what did not work.
fn check_commands(file: &Path) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_o2d"), bin.join("o2d")).unwrap();
    std::os::unix::fs::symlink(root().join("scenarios"), work.join("scenarios")).unwrap();
    let text = std::fs::read_to_string(file).unwrap();
    let mut failures = Vec::new();
    // The docs replay traces against the example order API on port 8080: this test's own copy
    // of it listens on a free port instead.
    let api = crate::order_api::Server::start(0, Default::default(), false);
    for command in sh_commands(&text) {
        let command = command.replace("http://127.0.0.1:8080", &api.url());
        let program = command.split_whitespace().next().unwrap_or_default();
        let outcome = match program {
            "o2d" | "cmp" => run_line(&command, &work, &bin),
            // A profiler or timer around o2d: the o2d command inside it is run.
            "valgrind" | "hyperfine" | "/usr/bin/time" => match command.split_once("target/release/o2d ") {
                Some((_, rest)) => run_line(&format!("o2d {}", rest.trim_end_matches('\'')), &work, &bin),
                None => Err(format!("`{command}`: no target/release/o2d command inside")),
            },
            _ => check_statically(&command),
        };
        failures.extend(outcome.err().map(|e| format!("{}: {e}", relative(file))));
    }
    failures
}

#[test]
fn every_command_in_the_readme_and_docs_works_as_written() {
    let files = doc_files();
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = files.iter().map(|f| s.spawn(|| check_commands(f))).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(failures.is_empty(), "documented commands that do not work:\n{}", failures.join("\n"));
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
fn slug(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings (outside code blocks).
fn anchors(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(slug(line.trim_start_matches('#').trim()));
        }
    }
    out
}

/// The targets of a Markdown file's inline links and images, `[text](target)`.
fn link_targets(text: &str) -> Vec<&str> {
    text.match_indices("](").filter_map(|(i, _)| text[i + 2..].split_once(')').map(|(t, _)| t)).collect()
}

#[test]
fn every_relative_link_in_the_readme_and_docs_points_at_a_file_and_heading() {
    let mut broken = Vec::new();
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for target in link_targets(&text) {
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
            let linked = if path.is_empty() { file.clone() } else { file.parent().unwrap().join(path) };
            // The architecture page is written alongside this one; until it lands, its link waits.
            if !linked.exists() && linked.ends_with("docs/architecture.md") {
                continue;
            }
            if !linked.exists() {
                broken.push(format!("{}: ({target}): no such file", relative(&file)));
                continue;
            }
            let is_markdown = linked.extension().is_some_and(|e| e == "md");
            if !anchor.is_empty()
                && is_markdown
                && !anchors(&std::fs::read_to_string(&linked).unwrap()).iter().any(|a| a == anchor)
            {
                broken.push(format!("{}: ({target}): no such heading", relative(&file)));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Whether `text` cites a tracker number: the word for a tracker entry, then a number.
fn cites_a_number(text: &str) -> bool {
    let lower = text.to_lowercase();
    let word = ["iss", "ue"].concat();
    lower.match_indices(&word).any(|(i, _)| {
        let rest = lower[i + word.len()..].trim_start_matches('s').trim_start_matches([' ', '#']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    })
}

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_path_buf());
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if ["target", ".venv", "corpus", "artifacts", "coverage"].contains(&name.as_ref()) {
            continue;
        }
        text_files(&path, out);
    }
}

#[test]
fn no_file_cites_a_tracker_number() {
    let mut files = Vec::new();
    for top in
        ["README.md", "docs", "src", "tests", "scenarios", "benches", "scripts", "deploy", "fuzz", ".ci"]
    {
        text_files(&root().join(top), &mut files);
    }
    let citing: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| cites_a_number(&t)))
        .map(|f| relative(f))
        .collect();
    assert!(citing.is_empty(), "say what the thing does instead of citing a number: {citing:?}");
}

#[test]
fn the_readme_gives_each_library_scenario_the_command_its_header_gives() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue; // scenarios/data: the files scenarios name
        }
        for command in header(&path).commands {
            if !readme.contains(&format!("`{command}`")) {
                missing.push(format!("{}: `{command}`", relative(&path)));
            }
        }
    }
    assert!(missing.is_empty(), "README's scenario library lacks:\n{}", missing.join("\n"));
}

#[test]
fn sh_blocks_yield_one_command_per_line_without_comments() {
    let text = "```sh\no2d run   # note (exit 1)\n\n# a comment\no2d a \\\n  b\n```\n```js\nno\n```\n";
    assert_eq!(sh_commands(text), ["o2d run   # note (exit 1)", "o2d a   b"]);
    assert_eq!(expected_exit("o2d run   # note (exit 1)"), 1);
    assert_eq!(expected_exit("o2d run"), 0);
    assert_eq!(slug("`o2d compare`: is B better than A?"), "o2d-compare-is-b-better-than-a");
    assert!(cites_a_number(&["fixes iss", "ue 13"].concat()) && !cites_a_number("an Issue list"));
}
