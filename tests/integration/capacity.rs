//! `o2d capacity` and `o2d trace` as users run them: the breaking multiplier and the first KPI to
//! break, staffing raising it, no-target errors, and traces that match the run they come from.

use predicates::prelude::*;

use crate::support::{SMALL, o2d, write};

/// Targets the small scenario meets at 1x: its on-time rate is about 90% whatever the load (the
/// carrier's transit and failed attempts), so the order cycle time is what breaks under load.
const TARGETS: &str = "\n[targets]\non_time_rate = \">= 0.8\"\norder_cycle_time_p90 = \"<= 4d\"\n";

/// The small scenario on five replications, the fewest on which a target is judged, with `targets`.
fn small_with(targets: &str) -> String {
    format!("{}{targets}", SMALL.replace("replications = 4", "replications = 5"))
}

fn capacity_json(dir: &std::path::Path, scenario: &str, extra: &[&str]) -> serde_json::Value {
    let out = o2d(dir)
        .args(["capacity", scenario, "--format", "json", "--quiet", "--force", "--out"])
        .arg(format!("cap{}", extra.len()))
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn capacity_prints_the_breaking_multiplier_and_the_first_kpi_to_break() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", &small_with(TARGETS));
    let s = scenario.to_str().unwrap();
    o2d(tmp.path())
        .args(["capacity", s, "--out", "cap", "--quiet"])
        .assert()
        .success()
        .stdout(predicate::str::contains("multiplier"))
        .stdout(predicate::str::contains("order_cycle_time_p90 <= 4d"))
        .stdout(predicate::str::contains("steps: 1.000x holds, 2.000x"));
    let csv = std::fs::read_to_string(tmp.path().join("cap/capacity.csv")).unwrap();
    assert!(csv.starts_with("point,status,multiplier,orders_per_day,"), "{csv}");
    let v = capacity_json(tmp.path(), s, &[]);
    let c = &v["points"][0]["capacity"];
    let m = c["multiplier"].as_f64().unwrap();
    let breaks = c["breaks_at"].as_f64().unwrap();
    assert_eq!(c["status"], "found");
    assert!(m >= 1.0 && breaks > m && breaks - m <= 0.05 * m + 1e-9, "{c}");
    assert_eq!(c["orders_per_day"].as_f64().unwrap(), 300.0 * m);
    assert!(
        c["peak"]["orders_per_hour"].as_f64().unwrap() > 300.0 * m / 24.0,
        "the peak hour beats the mean"
    );
    assert_eq!(c["breaking"][0]["kpi"], "order_cycle_time_p90");
    // Same seed, same search, step for step.
    assert_eq!(capacity_json(tmp.path(), s, &["--threads", "1"])["points"], v["points"]);
}

#[test]
fn doubling_pickers_and_packers_raises_the_breaking_multiplier() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", &small_with(TARGETS));
    let v = capacity_json(
        tmp.path(),
        scenario.to_str().unwrap(),
        &["--vary", "fulfilment.shifts[0].pickers=2,4", "--vary", "fulfilment.shifts[0].packers=2,4"],
    );
    let m = |p: usize| v["points"][p]["capacity"]["multiplier"].as_f64().unwrap();
    // Points in grid order, the last key fastest: (2, 2), (2, 4), (4, 2), (4, 4).
    assert_eq!(v["points"][3]["values"][0][1], 4);
    assert!(m(3) > 1.5 * m(0), "twice the staff: {} vs {}", m(3), m(0));
}

#[test]
fn capacity_needs_targets_and_says_when_they_fail_at_today_s_demand() {
    let tmp = tempfile::tempdir().unwrap();
    let none = write(tmp.path(), "none.toml", SMALL);
    o2d(tmp.path())
        .args(["capacity", none.to_str().unwrap(), "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no [targets]"));
    let strict = write(tmp.path(), "strict.toml", &small_with("\n[targets]\non_time_rate = \">= 0.999\"\n"));
    o2d(tmp.path())
        .args(["capacity", strict.to_str().unwrap(), "--quiet", "--out", "strict"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fail even at"));
}

#[test]
fn trace_rows_are_the_orders_of_that_replication_in_time_order() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    // With no warm-up, every order placed counts in the `orders` KPI.
    let out = o2d(tmp.path())
        .args(["run", s, "--set", "run.warmup_days=0", "--replications", "3", "--out", "run", "--quiet"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let reps = std::fs::read_to_string(tmp.path().join("run/replications.csv")).unwrap();
    let orders_of = |rep: u64| -> f64 {
        let row = reps.lines().find(|l| l.starts_with(&format!("all,{rep},orders,"))).unwrap();
        row.split(',').nth(3).unwrap().parse().unwrap()
    };
    for rep in [0u64, 2] {
        let name = format!("trace{rep}.csv");
        o2d(tmp.path())
            .args([
                "trace",
                s,
                "--set",
                "run.warmup_days=0",
                "--replication",
                &rep.to_string(),
                "--kinds",
                "order",
                "--out",
                &name,
            ])
            .assert()
            .success();
        let text = std::fs::read_to_string(tmp.path().join(&name)).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len() as f64, orders_of(rep), "replication {rep}");
        let stamps: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
        // ISO 8601 with milliseconds sorts as text in time order.
        assert!(stamps.windows(2).all(|w| w[0] <= w[1]), "timestamps non-decreasing");
        assert!(stamps[0].starts_with("2026-11-02T"), "{}", stamps[0]);
    }
    // With a warm-up, the orders KPI counts the rows placed after it (`measured`).
    let text = String::from_utf8(o2d(tmp.path()).args(["trace", s]).output().unwrap().stdout).unwrap();
    let measured = text.lines().filter(|l| l.contains(",order,") && l.ends_with(",true")).count();
    let run = o2d(tmp.path())
        .args(["run", s, "--replications", "2", "--out", "run2", "--quiet", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let reps = std::fs::read_to_string(tmp.path().join("run2/replications.csv")).unwrap();
    let row = reps.lines().find(|l| l.starts_with("all,0,orders,")).unwrap();
    assert_eq!(row.split(',').nth(3).unwrap().parse::<f64>().unwrap(), measured as f64, "{v}");
}

#[test]
fn tracing_leaves_the_replication_s_numbers_alone() {
    use std::sync::atomic::AtomicBool;
    let text = format!("{SMALL}\n[inventory]\nskus = 50\n");
    let sc = o2d::scenario::load(&o2d::scenario::Source::Text { name: "t.toml".into(), text }, &[]).unwrap();
    let stop = AtomicBool::new(false);
    let plain = o2d::experiment::run_replication(&sc, 1, &stop).unwrap();
    let selection = o2d::experiment::trace::Selection::all(&sc);
    let mut rows = 0;
    let traced = o2d::experiment::trace::requests(&sc, 1, &stop, &selection, |_| rows += 1).unwrap();
    assert!(rows > 0);
    assert_eq!(
        plain.kpis.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        traced.kpis.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    let bytes = crate::support::trace(&sc, 1, &stop, o2d::output::trace::TraceFormat::Jsonl);
    let first: serde_json::Value =
        serde_json::from_slice(bytes.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(first["skus"].as_array().unwrap().len() as u64, first["lines"].as_u64().unwrap(), "{first}");
}

#[test]
fn speedup_compresses_replay_offsets() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    let s = scenario.to_str().unwrap();
    let read = |speedup: &str| {
        let out = o2d(tmp.path()).args(["trace", s, "--days", "3", "--speedup", speedup]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines().skip(1).map(|l| l.split(',').nth(1).unwrap().parse::<f64>().unwrap()).collect::<Vec<_>>()
    };
    let (slow, fast) = (read("1"), read("1000"));
    assert_eq!(slow[0], 0.0, "offsets count from the first order");
    for (a, b) in slow.iter().zip(&fast) {
        assert!((a / 1000.0 - b).abs() < 1e-9, "offset / speedup: {a} vs {b}");
    }
    o2d(tmp.path()).args(["trace", s, "--speedup", "0"]).assert().code(2);
    o2d(tmp.path())
        .args(["trace", s, "--days", "3", "--speedup", "100000", "--out", "t.csv"])
        .assert()
        .success();
    o2d(tmp.path()).args(["trace", s, "--out", "t.csv"]).assert().code(2);
}

#[test]
fn a_carrier_disruption_cuts_capacity_on_its_dates_only() {
    let tmp = tempfile::tempdir().unwrap();
    let disrupted = format!(
        "{SMALL}\n[[carriers.disruptions]]\nfrom = \"2026-11-09\"\nto = \"2026-11-11\"\ncapacity_per_day = 0\n"
    );
    let on_time = |text: &str, name: &str| -> (f64, f64) {
        let scenario = write(tmp.path(), &format!("{name}.toml"), text);
        let out = o2d(tmp.path())
            .args(["run", scenario.to_str().unwrap(), "--format", "json", "--quiet", "--out", name])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (v["kpis"]["on_time_rate"]["mean"].as_f64().unwrap(), v["kpis"]["orders"]["mean"].as_f64().unwrap())
    };
    let (base, base_orders) = on_time(SMALL, "base");
    let (cut, cut_orders) = on_time(&disrupted, "cut");
    assert_eq!(base_orders, cut_orders, "same orders on common random numbers");
    assert!(cut < base - 0.1, "three days without pickups: {cut} vs {base}");
    // Dates are checked like every other dated entry.
    let bad = write(
        tmp.path(),
        "bad.toml",
        &format!("{SMALL}\n[[carriers.disruptions]]\nfrom = \"2026-11-11\"\nto = \"2026-11-09\"\n"),
    );
    o2d(tmp.path())
        .args(["validate", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("carriers[0].disruptions[0].to"));
}

#[test]
fn a_target_on_a_window_is_judged_at_every_step_and_named_with_its_window() {
    let tmp = tempfile::tempdir().unwrap();
    let window = "[[run.windows]]\nname = \"week two\"\nfrom = \"2026-11-09\"\nto = \"2026-11-15\"\n";
    let text = small_with("\n[targets.\"week two\"]\norder_cycle_time_p90 = \"<= 4d\"\n")
        .replace("seed = 11\n", &format!("seed = 11\n\n{window}"));
    let scenario = write(tmp.path(), "small.toml", &text);
    let v = capacity_json(tmp.path(), scenario.to_str().unwrap(), &[]);
    let c = &v["points"][0]["capacity"];
    assert_eq!(c["status"], "found", "{c}");
    assert_eq!(c["breaking"][0]["kpi"], "order_cycle_time_p90 in \"week two\"", "{c}");
}
