//! Windows: every KPI of a named span of dates, in the table (`--window`), kpis.csv,
//! replications.csv, the JSON printout and the report; orders counted in the window they were
//! placed in, tickets in the one of their contact; targets on a window judged like any other.

use std::collections::HashMap;

use crate::library::csv_rows;
use crate::support::{o2d, write};

const WEEK: &str = "Black Friday week";

/// `kpis.csv` rows of window `window`, by KPI.
fn kpis_of(rows: &[HashMap<String, String>], window: &str) -> HashMap<String, HashMap<String, String>> {
    rows.iter().filter(|r| r["window"] == window).map(|r| (r["kpi"].clone(), r.clone())).collect()
}

fn mean(rows: &HashMap<String, HashMap<String, String>>, kpi: &str) -> f64 {
    rows[kpi]["mean"].parse().unwrap()
}

#[test]
fn the_default_scenarios_black_friday_week_is_in_the_csv_the_json_the_table_and_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let got = o2d(tmp.path())
        .args(["run", "-r", "5", "--format", "json", "--report", "--check", "--out", "out"])
        .output()
        .unwrap();
    // The default scenario misses its targets: --check exits 1 and names them, the window's too.
    assert_eq!(got.status.code(), Some(1), "{}", String::from_utf8_lossy(&got.stderr));
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert!(stderr.contains(&format!("on_time_rate in \"{WEEK}\" >= 0.90 (fail)")), "{stderr}");

    let rows = csv_rows(&tmp.path().join("out/kpis.csv"));
    let (all, week) = (kpis_of(&rows, "all"), kpis_of(&rows, WEEK));
    assert_eq!(all.len(), week.len(), "every KPI is reported for the window");
    assert_eq!(rows.len(), 2 * all.len(), "the horizon and one window");
    // The peak week is worse than the season and has far fewer tickets than the whole horizon.
    let (on_time_all, on_time_week) = (mean(&all, "on_time_rate"), mean(&week, "on_time_rate"));
    assert!(on_time_week < on_time_all - 0.01, "{on_time_week} vs {on_time_all}");
    let (wismo_all, wismo_week) = (mean(&all, "wismo_tickets"), mean(&week, "wismo_tickets"));
    assert!(wismo_week > 0.0 && wismo_week < wismo_all / 3.0, "{wismo_week} vs {wismo_all}");

    let json: serde_json::Value = serde_json::from_slice(&got.stdout).unwrap();
    let w = &json["windows"][0];
    assert_eq!(w["name"], WEEK);
    assert_eq!((w["from"].as_str(), w["to"].as_str()), (Some("2026-11-23"), Some("2026-11-29")));
    assert_eq!(w["kpis"]["on_time_rate"]["mean"].as_f64(), Some(on_time_week));
    assert_eq!(json["kpis"]["on_time_rate"]["mean"].as_f64(), Some(on_time_all));

    let report = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap();
    assert!(report.contains("<table id=\"windows\">"), "the report shows the windows side by side");
    assert!(report.contains(&format!("<th>{WEEK}<br>")));
    assert!(report.contains(&format!("on_time_rate in &quot;{WEEK}&quot;")), "the window's target");

    let got = o2d(tmp.path())
        .args(["run", "-r", "5", "--window", WEEK, "--kpis", "on_time_rate", "--quiet", "--out", "table"])
        .output()
        .unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let table = String::from_utf8_lossy(&got.stdout);
    assert!(table.contains(&format!("window `{WEEK}`: 2026-11-23 .. 2026-11-29 (7 days)")), "{table}");
    assert!(table.contains(&format!("fail          on_time_rate in \"{WEEK}\" >= 0.90")), "{table}");
    let shown = format!("{:.1}%", on_time_week * 100.0);
    let row = table.lines().find(|l| l.trim_start().starts_with("on_time_rate ")).unwrap();
    assert!(row.contains(&shown), "the table shows the window's value {shown}: {row}");
}

/// A scenario with every section, a window over all its measured days and two that split them.
const SPLIT: &str = r#"
[run]
start_date = "2026-11-01"
days = 28
warmup_days = 4
replications = 3

[[run.windows]]
name = "everything"
from = "2026-11-05"
to = "2026-11-28"

[[run.windows]]
name = "first half"
from = "2026-11-05"
to = "2026-11-16"

[[run.windows]]
name = "second half"
from = "2026-11-17"
to = "2026-11-28"

[inventory]

[returns]

[support]
"#;

#[test]
fn a_window_over_every_measured_day_reports_exactly_the_horizons_kpis_and_two_halves_add_up() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "split.toml", SPLIT);
    let got = o2d(tmp.path()).args(["run", "split.toml", "--quiet", "--out", "out"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let rows = csv_rows(&tmp.path().join("out/kpis.csv"));
    let all = kpis_of(&rows, "all");
    let everything = kpis_of(&rows, "everything");
    assert!(all.len() > 60, "every section's KPIs");
    for (kpi, row) in &all {
        let mut other = everything[kpi].clone();
        other.insert("window".into(), "all".into());
        assert_eq!(&other, row, "{kpi}: the same days give the same summary, byte for byte");
    }

    // Per replication, counts and costs of the two halves add up to the horizon's.
    let mut values: HashMap<(String, String, String), f64> = HashMap::new();
    for r in csv_rows(&tmp.path().join("out/replications.csv")) {
        let v = r["value"].parse().unwrap_or(f64::NAN);
        values.insert((r["window"].clone(), r["replication"].clone(), r["kpi"].clone()), v);
    }
    let additive: Vec<&String> = all
        .keys()
        .filter(|k| {
            // Counts and money, but not states at the end or averages over time.
            let unit = all[*k]["unit"].as_str();
            let not_a_sum = ["backlog_end", "avg_on_hand_units", "cost_per_order_delivered"];
            matches!(unit, "count" | "currency") && !not_a_sum.contains(&k.as_str())
        })
        .collect();
    assert!(additive.len() > 20, "{additive:?}");
    for rep in ["0", "1", "2"] {
        for kpi in &additive {
            let at = |w: &str| values[&(w.to_string(), rep.to_string(), kpi.to_string())];
            let (whole, halves) = (at("all"), at("first half") + at("second half"));
            assert!(
                (whole - halves).abs() <= 1e-9 * whole.abs().max(1.0),
                "replication {rep} {kpi}: {whole} vs {halves}"
            );
        }
    }

    // Orders count in the window they were placed in, tickets in the one of their contact:
    // the window's count is the daily series' over its dates.
    let daily = csv_rows(&tmp.path().join("out/daily.csv"));
    for rep in ["0", "1", "2"] {
        for (column, kpi) in [("orders", "orders"), ("tickets", "tickets")] {
            let by_day: f64 = daily
                .iter()
                .filter(|d| {
                    d["replication"] == rep && ("2026-11-05".."2026-11-17").contains(&d["date"].as_str())
                })
                .map(|d| d[column].parse::<f64>().unwrap())
                .sum();
            let window = values[&("first half".to_string(), rep.to_string(), kpi.to_string())];
            assert_eq!(window, by_day, "replication {rep}: {kpi}");
        }
    }
}

#[test]
fn a_window_outside_a_shorter_run_is_a_note_and_one_cut_by_it_is_measured_on_its_days_inside() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "split.toml", SPLIT);
    let got = o2d(tmp.path())
        .args(["run", "split.toml", "--days", "14", "-r", "2", "--out", "out", "--format", "csv"])
        .output()
        .unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert!(
        stderr.contains(
            "note: `run.windows[2]`: window `second half` 2026-11-17 .. 2026-11-28 lies outside the horizon \
             2026-11-01 .. 2026-11-14: it is not reported in this run"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "note: `run.windows[1]`: window `first half` 2026-11-05 .. 2026-11-16 is cut to the days this run \
             measures: 2026-11-05 .. 2026-11-14"
        ),
        "{stderr}"
    );
    let rows = csv_rows(&tmp.path().join("out/kpis.csv"));
    let windows: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["window"].as_str()).collect();
    assert_eq!(windows.into_iter().collect::<Vec<_>>(), ["all", "everything", "first half"]);
    // Cut to the same days, both windows are the horizon.
    assert_eq!(mean(&kpis_of(&rows, "first half"), "orders"), mean(&kpis_of(&rows, "all"), "orders"));
}
