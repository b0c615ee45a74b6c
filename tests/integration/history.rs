//! Order history replay (`demand.history`) and `o2d init --from-history`: a replayed trace gives
//! back its orders exactly, bad cells are located, a file changed after checking stops the run,
//! and the fitted demand recovers the generating scenario's profiles within their sampling error.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::library::csv_rows;
use crate::support::{SMALL, o2d, write};

/// SMALL with stock, so that traces carry SKUs.
fn generating() -> String {
    format!("{SMALL}\n[inventory]\nskus = 200\n")
}

/// The generating scenario with its demand model replaced by the history `file`.
fn replaying(file: &str) -> String {
    generating().replace("orders_per_day = 300", &format!("history = \"{file}\""))
}

/// Traces replication 0 of `scenario` (a file in `dir`) into `dir/orders.csv`.
fn trace(dir: &Path, scenario: &str) {
    let out = o2d(dir).args(["trace", scenario, "--out", "orders.csv"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The `orders` KPI of each replication in `dir/replications.csv`.
fn orders_by_replication(dir: &Path) -> Vec<String> {
    csv_rows(&dir.join("replications.csv"))
        .into_iter()
        .filter(|r| r["window"] == "all" && r["kpi"] == "orders")
        .map(|r| r["value"].clone())
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = o2d(dir).arg("run").args(args).arg("--quiet").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?}: {err}");
    err
}

#[test]
fn a_replayed_trace_gives_back_that_replications_orders_in_every_replication() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", &generating());
    write(dir, "replay.toml", &replaying("orders.csv"));
    trace(dir, "gen.toml");
    run(dir, &["gen.toml", "--replications", "1", "--out", "gen"]);
    run(dir, &["replay.toml", "--replications", "3", "--out", "replay"]);
    let original = orders_by_replication(&dir.join("gen"));
    let replayed = orders_by_replication(&dir.join("replay"));
    assert_eq!(original.len(), 1);
    assert_eq!(replayed, vec![original[0].clone(); 3], "every replication replays the same orders");
    // The resolved scenario pins the file: absolute path and SHA-256, and re-runs as it is.
    let resolved = std::fs::read_to_string(dir.join("replay/scenario.resolved.toml")).unwrap();
    let sha = o2d::scenario::files::sha256_hex(&std::fs::read(dir.join("orders.csv")).unwrap());
    assert!(resolved.contains(&format!("sha256 = \"{sha}\"")), "{resolved}");
    run(dir, &["replay/scenario.resolved.toml", "--out", "again"]);
    assert_eq!(orders_by_replication(&dir.join("again")), replayed);
}

#[test]
fn replaying_a_trace_in_its_own_replication_reproduces_every_kpi() {
    // Every draw after checkout is the same whether an order comes from the model or the file.
    // (Without stock: stock levels in days of cover follow the history's own demand.)
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", SMALL);
    trace(dir, "gen.toml");
    let load = |name: &str, text: String| {
        let src = o2d::scenario::Source::File(write(dir, name, &text));
        o2d::scenario::load(&src, &[]).unwrap_or_else(|e| panic!("{e}"))
    };
    let gen_sc = load("gen.toml", SMALL.to_string());
    let replay_sc = load("replay.toml", SMALL.replace("orders_per_day = 300", "history = \"orders.csv\""));
    let stop = AtomicBool::new(false);
    let a = o2d::experiment::run_replication(&gen_sc, 0, &stop).unwrap();
    let b = o2d::experiment::run_replication(&replay_sc, 0, &stop).unwrap();
    let same = |x: &f64, y: &f64| x == y || (x.is_nan() && y.is_nan());
    assert!(a.kpis.iter().zip(&b.kpis).all(|(x, y)| same(x, y)), "{:?}\n{:?}", a.kpis, b.kpis);
    assert_eq!(a.events, b.events);
}

#[test]
fn tracing_a_history_scenario_writes_the_history_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", &generating());
    trace(dir, "gen.toml");
    std::fs::rename(dir.join("orders.csv"), dir.join("history.csv")).unwrap();
    write(dir, "replay.toml", &replaying("history.csv"));
    let out = o2d(dir)
        .args(["trace", "replay.toml", "--replication", "2", "--out", "orders.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (a, b) = (csv_rows(&dir.join("history.csv")), csv_rows(&dir.join("orders.csv")));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        for col in ["timestamp", "lines", "skus", "shipping_option", "customer_id", "measured"] {
            assert_eq!(x[col], y[col], "{col}");
        }
    }
}

#[test]
fn a_history_with_support_gets_no_note_about_a_retention_table_that_no_longer_exists() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "orders.csv", "placed_at,lines\n2026-11-02 08:00,1\n");
    let path = write(dir, "replay.toml", &format!("{}\n[support]\n", replaying("orders.csv")));
    let sc = o2d::scenario::load(&o2d::scenario::Source::File(path), &[]).unwrap();
    assert!(sc.notes.iter().all(|n| !n.contains("retention")), "{:?}", sc.notes);
}

/// `o2d COMMAND replay.toml` in `dir` (history `orders.csv` holding `rows`) must exit with
/// `code`, write nothing, and print `expected` on stderr; returns stderr.
fn refused(command: &str, rows: &str, code: i32, expected: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "replay.toml", &replaying("orders.csv"));
    write(dir, "orders.csv", &format!("placed_at,lines,shipping_option,skus\n{rows}"));
    let before = std::fs::read_dir(dir).unwrap().count();
    let mut cmd = o2d(dir);
    cmd.args([command, "replay.toml"]);
    if command != "validate" {
        cmd.args(["--out", "out", "--quiet"]);
    }
    let out = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(expected), "expected {expected:?} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.join("out").exists(), "wrote results");
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), before, "left files behind");
    err
}

#[test]
fn a_bad_cell_is_located_by_file_line_column_and_column_name() {
    let err = refused(
        "run",
        "2026-11-02T08:00:00,1,standard,\n2026-11-02T09:00:00,two,standard,\n",
        2,
        "error: orders.csv:3:21: `lines`: `two` is not a whole number",
    );
    assert!(!err.contains("\n2 problems"), "{err}");
}

#[test]
fn rows_out_of_time_order_are_refused_at_the_row() {
    refused(
        "run",
        "2026-11-03T08:00:00,1,,\n2026-11-02T09:00:00,1,,\n",
        2,
        "orders.csv:3:1: `placed_at`: placed at 2026-11-02T09:00:00.000, before the order on line 2 \
         (2026-11-03T08:00:00.000): orders must be in time order\n  help: sort the file by `placed_at`",
    );
}

#[test]
fn an_unknown_shipping_option_is_refused_with_a_suggestion() {
    refused(
        "validate",
        "2026-11-02T08:00:00,1,expres,\n",
        2,
        "orders.csv:2:23: `shipping_option`: no shipping option `expres` in the scenario\n  help: did you mean `express`?",
    );
}

#[test]
fn skus_must_be_one_per_line_and_in_the_catalogue() {
    refused(
        "run",
        "2026-11-02T08:00:00,2,,201 3\n",
        2,
        "SKU 201 is beyond the catalogue's 200 SKUs (`inventory.skus`)",
    );
    refused("run", "2026-11-02T08:00:00,2,,5\n", 2, "1 SKUs for 2 lines: give one SKU per line");
}

#[test]
fn a_history_with_nothing_in_the_horizon_and_a_missing_file_are_refused() {
    refused(
        "run",
        "2025-01-02T08:00:00,1,,\n",
        2,
        "`demand.history`: none of the 1 orders of orders.csv (2025-01-02T08:00:00 .. 2025-01-02T08:00:00) \
         is placed in the horizon 2026-11-02 .. 2026-11-15",
    );
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "replay.toml", &replaying("nope.csv"));
    let out = o2d(tmp.path()).args(["validate", "replay.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`demand.history`: cannot read nope.csv: no such file")
    );
}

#[test]
fn rows_outside_the_horizon_are_ignored_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "replay.toml", &replaying("orders.csv"));
    write(
        dir,
        "orders.csv",
        "placed_at,lines,note\n2026-11-01T23:59:59,1,x\n2026-11-02T00:00:00,1,y\n2026-11-15T23:59:59,2,z\n\
         2026-11-16T00:00:00,1,\n",
    );
    let out = o2d(dir).args(["validate", "replay.toml"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "note: demand.history: 2 of the 4 orders of orders.csv are outside the horizon 2026-11-02 .. \
             2026-11-15 (1 before, 1 after) and are ignored"
        ),
        "{err}"
    );
}

#[test]
fn a_history_changed_after_checking_stops_the_run_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", &generating());
    trace(dir, "gen.toml");
    let src = o2d::scenario::Source::File(write(dir, "replay.toml", &replaying("orders.csv")));
    let sc = o2d::scenario::load(&src, &[]).unwrap();
    let stop = AtomicBool::new(false);
    let original = std::fs::read_to_string(dir.join("orders.csv")).unwrap();
    // A row past the horizon: every order inside reads the same, only the hash tells.
    std::fs::write(
        dir.join("orders.csv"),
        format!("{original}2027-01-01T00:00:00.000,0,order,0,0,1,,standard,parcel,,,,,false\n"),
    )
    .unwrap();
    let e = o2d::experiment::run_replication(&sc, 0, &stop).unwrap_err();
    assert_eq!(e.exit_code(), 3);
    assert!(e.to_string().contains("changed after the scenario was checked"), "{e}");
    assert!(e.to_string().contains("its SHA-256 is now"), "{e}");
    // A cell that no longer reads.
    std::fs::write(dir.join("orders.csv"), original.replacen(",standard,", ",nope,", 1)).unwrap();
    let e = o2d::experiment::run_replication(&sc, 0, &stop).unwrap_err();
    assert_eq!(e.exit_code(), 3);
    assert!(e.to_string().contains("no shipping option `nope`"), "{e}");
}

#[test]
fn capacity_refuses_a_history_it_cannot_scale() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", &generating());
    trace(dir, "gen.toml");
    let text = format!("{}\n[targets]\non_time_rate = \">= 0.9\"\n", replaying("orders.csv"));
    write(dir, "replay.toml", &text);
    let out = o2d(dir).args(["capacity", "replay.toml", "--out", "out", "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(
        "replays an order history (demand.history): its orders are the file's and cannot be scaled"
    ));
    assert!(!dir.join("out").exists());
}

/// The holiday season's weekday factors and hourly profile, which generated the example history.
fn generating_profiles() -> ([f64; 7], [f64; 24]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/holiday-season.toml");
    let sc = o2d::scenario::load(&o2d::scenario::Source::File(path), &[]).unwrap();
    (sc.demand.day_of_week, sc.demand.hourly_share)
}

#[test]
fn init_from_the_example_history_recovers_the_weekday_and_hourly_profile() {
    let history = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/data/orders.csv");
    let f = o2d::scenario::files::history::fit(&history).unwrap();
    let (weekdays, hours) = generating_profiles();
    // A regular day's orders are Poisson: weekday w's mean over its N_w orders has a relative
    // standard error of 1/sqrt(N_w), and orders_per_day (the mean of the seven) about
    // 1/sqrt(N/7 x 7) = 1/sqrt(N). The factor's relative error is at most the sum of the two;
    // 4 standard errors are allowed.
    let n: u64 = f.regular_orders.iter().sum();
    for (w, (fitted, want)) in f.day_of_week.iter().zip(weekdays).enumerate() {
        let se = 1.0 / (f.regular_orders[w] as f64).sqrt() + 1.0 / (n as f64).sqrt();
        let tolerance = 4.0 * se * want;
        assert!(
            (fitted - want).abs() <= tolerance,
            "weekday {w}: fitted {fitted} vs {want} (tolerance {tolerance:.4})"
        );
    }
    // Given the total, an hour's orders are binomial: share p has standard error sqrt(p(1-p)/N).
    let profile = f.hourly_profile();
    for (h, (fitted, p)) in profile.iter().map(|x| x / 24.0).zip(hours).enumerate() {
        let tolerance = 4.0 * (p * (1.0 - p) / f.orders as f64).sqrt();
        assert!(
            (fitted - p).abs() <= tolerance,
            "hour {h}: fitted share {fitted} vs {p} (tolerance {tolerance:.5})"
        );
    }
    // The two peaks of the history are found on their days.
    let dates: Vec<String> = f.peaks.iter().map(|p| p.date.to_string()).collect();
    assert!(
        dates.contains(&"2026-11-27".to_string()) && dates.contains(&"2026-11-30".to_string()),
        "{dates:?}"
    );
}

#[test]
fn init_from_history_writes_a_starter_that_runs_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "gen.toml", &generating());
    trace(dir, "gen.toml");
    let out = o2d(dir).args(["init", "--from-history", "orders.csv", "fitted"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let text = std::fs::read_to_string(dir.join("fitted.toml")).unwrap();
    assert!(text.contains("# history = \"orders.csv\""), "{text}");
    assert!(text.contains("start_date = \"2026-11-02\""), "{text}");
    let out = o2d(dir).args(["validate", "fitted.toml"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again = o2d(dir).args(["init", "--from-history", "orders.csv", "fitted"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists: pass --force to replace it"));
    assert_eq!(std::fs::read_to_string(dir.join("fitted.toml")).unwrap(), text);
    write(dir, "bad.csv", "placed_at,lines\n2026-11-02 10:00,1\n2026-11-02 11:00,-1\n");
    let bad = o2d(dir).args(["init", "--from-history", "bad.csv", "b"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad.csv:3:18: `lines`: -1 is negative"));
    assert!(!dir.join("b.toml").exists());
}

#[test]
fn with_a_catalogue_a_history_names_its_skus_as_the_catalogue_and_the_trace_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "skus.csv", "sku,weight\nMUG-RED,5\nMUG-BLUE,3\nTEE-M,2\n");
    let with_catalogue = |s: String| s.replace("skus = 200", "catalogue = \"skus.csv\"");
    write(dir, "gen.toml", &with_catalogue(generating()));
    write(dir, "replay.toml", &with_catalogue(replaying("history.csv")));
    trace(dir, "gen.toml");
    std::fs::rename(dir.join("orders.csv"), dir.join("history.csv")).unwrap();
    let written = csv_rows(&dir.join("history.csv"));
    assert!(written.iter().any(|r| r["skus"].contains("MUG-BLUE")), "the trace names SKUs");
    trace(dir, "replay.toml");
    let replayed = csv_rows(&dir.join("orders.csv"));
    assert_eq!(written.len(), replayed.len());
    assert!(written.iter().zip(&replayed).all(|(a, b)| a["skus"] == b["skus"]), "the same SKUs, by name");
    let bad = std::fs::read_to_string(dir.join("history.csv")).unwrap().replacen("MUG-RED", "MUG-GREEN", 1);
    std::fs::write(dir.join("history.csv"), bad).unwrap();
    let out = o2d(dir).args(["validate", "replay.toml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`skus`: `MUG-GREEN` is not a SKU of the catalogue"), "{err}");
}
