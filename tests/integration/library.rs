//! The scenario library answers its own questions: each shipped scenario's header gives the
//! commands that answer it and the KPIs to watch; this test runs those commands as written
//! (through `sh`, as a user would paste them) and checks that the watched KPIs really move.

use std::path::{Path, PathBuf};

/// What a scenario's header promises: the commands, and the KPIs whose change answers it.
pub(crate) struct Header {
    pub(crate) commands: Vec<String>,
    pub(crate) watch: Vec<String>,
}

pub(crate) fn header(path: &Path) -> Header {
    let text = std::fs::read_to_string(path).unwrap();
    let comments: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    let commands =
        comments.iter().filter_map(|l| l.strip_prefix("#   o2d ")).map(|c| format!("o2d {c}")).collect();
    let watch = comments
        .iter()
        .find_map(|l| l.strip_prefix("# Watch: "))
        .map(|w| w.split(", ").map(str::to_string).collect())
        .unwrap_or_default();
    Header { commands, watch }
}

fn library() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Runs a header command from the repository root, the way the header is meant to be used,
/// with the results in `out`; returns stderr.
pub(crate) fn run_as_written(command: &str, out: &Path) -> String {
    let rest = command.strip_prefix("o2d ").unwrap();
    let line = format!("\"$O2D\" {rest} --quiet --out '{}'", out.display());
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(&line)
        .env("O2D", env!("CARGO_BIN_EXE_o2d"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "`{command}` failed:\n{stderr}");
    stderr
}

/// The rows of a CSV file as maps from column to cell.
pub(crate) fn csv_rows(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| headers.iter().map(str::to_string).zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect()
}

/// In a compare, the watched KPI's paired difference excludes zero.
fn compare_shows(out: &Path, kpi: &str) -> Result<(), String> {
    let rows = csv_rows(&out.join("compare.csv"));
    let row = rows.iter().find(|r| r["kpi"] == kpi).ok_or(format!("compare.csv has no {kpi}"))?;
    match row["excludes_zero"].as_str() {
        "true" => Ok(()),
        _ => Err(format!(
            "{kpi}: A {} vs B {}: the paired difference's interval [{}, {}] includes zero",
            row["a_mean"], row["b_mean"], row["diff_ci95_low"], row["diff_ci95_high"]
        )),
    }
}

/// In a sweep, the watched KPI's best and worst points have disjoint 95% intervals.
fn sweep_shows(out: &Path, kpi: &str) -> Result<(), String> {
    let rows = csv_rows(&out.join("sweep.csv"));
    let cells: Vec<(f64, f64, f64)> = rows
        .iter()
        .filter(|r| r["kpi"] == kpi)
        .map(|r| {
            (r["mean"].parse().unwrap(), r["ci95_low"].parse().unwrap(), r["ci95_high"].parse().unwrap())
        })
        .collect();
    let lowest = cells.iter().min_by(|a, b| a.0.total_cmp(&b.0)).ok_or(format!("sweep.csv has no {kpi}"))?;
    let highest = cells.iter().max_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
    if lowest.2 < highest.1 {
        Ok(())
    } else {
        Err(format!("{kpi}: the lowest point {lowest:?} and the highest {highest:?} overlap"))
    }
}

#[test]
fn every_library_scenario_answers_its_question_with_the_commands_its_header_gives() {
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for path in library() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let h = header(&path);
        if name == "starter" {
            continue; // `o2d init`'s template asks no question.
        }
        if h.commands.is_empty() || h.watch.is_empty() {
            failures.push(format!("{name}: the header gives no `#   o2d ...` command or no `# Watch:` line"));
            continue;
        }
        for (i, command) in h.commands.iter().enumerate() {
            assert!(
                command.contains(&format!("scenarios/{name}.toml")),
                "{name}: `{command}` runs another file"
            );
            let out = tmp.path().join(format!("{name}-{i}"));
            run_as_written(command, &out);
            let shows: fn(&Path, &str) -> Result<(), String> = if command.starts_with("o2d compare ") {
                compare_shows
            } else if command.starts_with("o2d sweep ") {
                sweep_shows
            } else {
                continue;
            };
            failures.extend(
                h.watch.iter().filter_map(|kpi| shows(&out, kpi).err()).map(|e| format!("{name}: {e}")),
            );
        }
    }
    assert!(
        failures.is_empty(),
        "library scenarios that do not answer their question:\n{}",
        failures.join("\n")
    );
}

/// The stockout scenario's baseline must really have ample stock: its top seller has a class
/// policy of its own, so a baseline that raised only `inventory.initial_stock` still stocked out.
#[test]
fn the_stockout_baseline_never_stocks_out() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/stockout-black-friday.toml");
    let command = &header(&path).commands[0];
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    run_as_written(&format!("{command} --replications 3"), &out);
    let rows = csv_rows(&out.join("compare.csv"));
    let b = |kpi: &str| -> f64 { rows.iter().find(|r| r["kpi"] == kpi).unwrap()["b_mean"].parse().unwrap() };
    assert_eq!(b("stockout_sku_days"), 0.0, "the baseline stocks out");
    assert_eq!(b("fill_rate"), 1.0, "the baseline stocks out");
}
