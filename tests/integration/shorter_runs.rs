//! Shorter runs: a peak, override or disruption that falls outside a shortened horizon is a note,
//! not an error, so `--days` and a later `run.start_date` work on every scenario of the library.
//! One cut by the horizon still applies on the days inside it.

use std::path::Path;

use crate::library::csv_rows;
use crate::support::{o2d, write};

#[test]
fn every_library_scenario_runs_for_14_days() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root.join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let got = o2d(root)
            .arg("run")
            .arg(&path)
            .args(["--days", "14", "-r", "2", "--quiet", "--out"])
            .arg(tmp.path().join("out"))
            .arg("--force")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&got.stderr);
        assert!(got.status.success(), "{} --days 14:\n{err}", path.display());
    }
}

#[test]
fn the_default_scenario_runs_21_days_with_a_note_for_each_dated_setting_it_leaves_out() {
    let tmp = tempfile::tempdir().unwrap();
    let got = o2d(tmp.path()).args(["run", "--days", "21", "-r", "2", "--out", "out"]).output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(got.status.success(), "{err}");
    for key in ["demand.peaks[0]", "demand.peaks[3]", "fulfilment.overrides[0]", "support.overrides[0]"] {
        let note = err.lines().find(|l| l.starts_with(&format!("note: `{key}`")));
        let note = note.unwrap_or_else(|| panic!("no note for {key}:\n{err}"));
        assert!(note.contains("lies outside the horizon 2026-10-25 .. 2026-11-14"), "{note}");
    }
    assert!(tmp.path().join("out/kpis.csv").is_file());
}

#[test]
fn validate_names_every_dated_setting_outside_the_horizon_and_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "s.toml",
        r#"
[run]
start_date = "2026-11-01"
days = 14

[[demand.peaks]]
name = "Christmas"
date = "2026-12-24"
multiplier = 2.5

[[fulfilment.overrides]]
from = "2026-12-20"
to = "2026-12-24"
extra_pickers = 4

[[carriers]]
name = "parcel"

[[carriers.disruptions]]
from = "2026-10-01"
to = "2026-10-03"
capacity_per_day = 100

[[support.teams]]
name = "tier1"
channels = ["email"]

[[support.overrides]]
from = "2027-01-01"
to = "2027-01-02"
team = "tier1"
extra_agents = 2
"#,
    );
    let got = o2d(tmp.path()).arg("validate").arg(&file).output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(got.status.success(), "{err}");
    assert!(String::from_utf8_lossy(&got.stdout).starts_with("ok: "));
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note: ")).collect();
    assert_eq!(
        notes,
        [
            "note: `carriers[0].disruptions[0]`: the disruption 2026-10-01 .. 2026-10-03 lies outside the horizon 2026-11-01 .. 2026-11-14: it changes nothing in this run",
            "note: `demand.peaks[0]`: peak `Christmas` (with its ramps) 2026-12-24 .. 2026-12-24 lies outside the horizon 2026-11-01 .. 2026-11-14: it changes nothing in this run",
            "note: `fulfilment.overrides[0]`: the override 2026-12-20 .. 2026-12-24 lies outside the horizon 2026-11-01 .. 2026-11-14: it changes nothing in this run",
            "note: `support.overrides[0]`: the override 2027-01-01 .. 2027-01-02 lies outside the horizon 2026-11-01 .. 2026-11-14: it changes nothing in this run",
        ]
    );
}

#[test]
fn a_peak_cut_by_the_start_of_the_run_applies_on_the_days_inside_it() {
    let tmp = tempfile::tempdir().unwrap();
    // Full strength on 31 Oct .. 2 Nov; the run starts on 1 Nov, so days 1 and 2 are peak days.
    let file = write(
        tmp.path(),
        "s.toml",
        r#"
[run]
start_date = "2026-11-01"
days = 4
replications = 2

[demand]
orders_per_day = 500
day_of_week = [1, 1, 1, 1, 1, 1, 1]

[[demand.peaks]]
name = "sale"
date = "2026-10-31"
days = 3
multiplier = 4
"#,
    );
    let got = o2d(tmp.path()).arg("run").arg(&file).args(["--out", "out", "--quiet"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let orders = |day: &str| -> f64 {
        let rows = csv_rows(&tmp.path().join("out/daily.csv"));
        rows.iter().filter(|r| r["date"] == day).map(|r| r["orders"].parse::<f64>().unwrap()).sum::<f64>()
            / 2.0
    };
    // 2,000 expected on a peak day against 500 on an ordinary one: Poisson spread is about 45.
    assert!(orders("2026-11-01") > 1_700.0, "{}", orders("2026-11-01"));
    assert!(orders("2026-11-04") < 700.0, "{}", orders("2026-11-04"));
}
