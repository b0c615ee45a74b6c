//! `o2d capacity` and `o2d trace` as users run them: the breaking multiplier and the first KPI to
//! break, staffing raising it, no-target errors, and traces that match the run they come from.

use predicates::prelude::*;

use crate::support::{SMALL, o2d, write};

/// Targets the small scenario meets at 1x: its on-time rate is about 90% whatever the load (the
/// carrier's transit and failed attempts), so the order cycle time is what breaks under load.
const TARGETS: &str = "\n[targets]\non_time_rate = \">= 0.8\"\norder_cycle_time_p90 = \"<= 4d\"\n";

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
    let scenario = write(tmp.path(), "small.toml", &format!("{SMALL}{TARGETS}"));
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
    let scenario = write(tmp.path(), "small.toml", &format!("{SMALL}{TARGETS}"));
    let v = capacity_json(
        tmp.path(),
        scenario.to_str().unwrap(),
        &["--vary", "fulfilment.shifts[0].pickers=2,4", "--vary", "fulfilment.shifts[0].packers=2,4"],
    );
    let m = |p: usize| v["points"][p]["capacity"]["multiplier"].as_f64().unwrap();
    // Points in grid order, the last key fastest: (2, 2), (2, 4), (4, 2), (4, 4).
    assert_eq!(v["points"][3]["values"][0][1], "4");
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
    let strict =
        write(tmp.path(), "strict.toml", &format!("{SMALL}\n[targets]\non_time_rate = \">= 0.999\"\n"));
    o2d(tmp.path())
        .args(["capacity", strict.to_str().unwrap(), "--quiet", "--out", "strict"])
        .assert()
        .success()
        .stdout(predicate::str::contains("fail even at"));
}
