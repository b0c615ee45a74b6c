//! The planner's forecast and holiday files through the binary: a bad cell is located by
//! file:line:column and column name (exit 2, nothing written), missing dates are named, rows
//! outside the horizon are noted, and the resolved scenario pins each file by its hash.

use std::path::Path;

use crate::support::{o2d, write};

/// Two weeks from Monday 2026-11-02, a forecast file `f.csv` and a holidays file `h.csv`.
const SCENARIO: &str = r#"
[run]
start_date = "2026-11-02"
days = 14
replications = 3

[demand]
forecast = "f.csv"

[calendar]
holidays = ["2026-11-11"]
holidays_file = "h.csv"

[[fulfilment.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
start = "07:00"
end = "17:00"
pickers = 2
packers = 2
works_holidays = false
"#;

/// `date,orders` rows for the 14 days, 200 orders a day, with `edit` applied to each row's text.
fn forecast(edit: impl Fn(usize, String) -> Option<String>) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let rows = (0..14).filter_map(|d| edit(d, format!("{},200", start + chrono::Days::new(d as u64))));
    std::iter::once("date,orders".to_string()).chain(rows).collect::<Vec<_>>().join("\n") + "\n"
}

fn workspace(forecast: &str, holidays: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", SCENARIO);
    write(tmp.path(), "f.csv", forecast);
    write(tmp.path(), "h.csv", holidays);
    tmp
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `o2d run s.toml` in `dir` must exit 2, write nothing and not panic; returns stderr.
fn refused(dir: &Path) -> String {
    let before = listing(dir);
    let got = o2d(dir).args(["run", "s.toml", "--out", "out", "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr).into_owned();
    assert_eq!(got.status.code(), Some(2), "exit code; stderr:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(got.stdout.is_empty());
    assert_eq!(listing(dir), before, "wrote something");
    let validate = o2d(dir).args(["validate", "s.toml"]).output().unwrap();
    assert_eq!(validate.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&validate.stderr).contains(err.trim_end()), "validate disagrees");
    err
}

const HOLIDAYS: &str = "date,name\n2026-11-05,Founders' Day\n";

#[test]
fn a_bad_forecast_cell_is_located_by_file_line_column_and_column_name() {
    let bad = forecast(|d, row| Some(if d == 2 { "2026-11-04,lots".to_string() } else { row }));
    let tmp = workspace(&bad, HOLIDAYS);
    let err = refused(tmp.path());
    assert!(err.contains("f.csv:4:12: `orders`: `lots` is not a number"), "{err}");
    let tmp = workspace("date,hour,orders\n2026-11-02,3,200\n2026-11-03,,200\n", HOLIDAYS);
    let err = refused(tmp.path());
    assert!(err.contains("f.csv:3:12: `hour`: this row has no hour, but the forecast is hourly"), "{err}");
}

#[test]
fn a_bad_holidays_cell_is_located_by_file_line_column_and_column_name() {
    let tmp = workspace(&forecast(|_, row| Some(row)), "date,name\n2026-11-05,A\n2026-11-31,B\n");
    let err = refused(tmp.path());
    assert!(err.contains("h.csv:3:1: `date`:"), "{err}");
    let tmp = workspace(&forecast(|_, row| Some(row)), "date,nmae\n");
    assert!(refused(tmp.path()).contains("h.csv:1:6: `nmae`: unknown column `nmae`"));
}

#[test]
fn missing_forecast_dates_are_named_at_the_scenario_key() {
    let gaps = forecast(|d, row| (![2, 3, 4, 8].contains(&d)).then_some(row));
    let tmp = workspace(&gaps, HOLIDAYS);
    let err = refused(tmp.path());
    assert!(
        err.contains(
            "s.toml:8:12: `demand.forecast`: f.csv has no row for 2026-11-04 .. 2026-11-06, 2026-11-10, \
             inside the horizon 2026-11-02 .. 2026-11-15"
        ),
        "{err}"
    );
}

#[test]
fn rows_outside_the_horizon_are_noted_and_the_resolved_scenario_pins_the_files() {
    let extra = forecast(|_, row| Some(row)) + "2026-11-01,50\n2026-12-01,60\n";
    let tmp = workspace(&extra, HOLIDAYS);
    let got = o2d(tmp.path()).args(["run", "s.toml", "--out", "out"]).output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(got.status.success(), "{err}");
    assert!(
        err.contains("note: f.csv: 2 rows outside the horizon 2026-11-02 .. 2026-11-15 were ignored"),
        "{err}"
    );
    let resolved = std::fs::read_to_string(tmp.path().join("out/scenario.resolved.toml")).unwrap();
    let sha = o2d::scenario::files::sha256_hex(extra.as_bytes());
    assert!(resolved.contains(&format!("sha256 = \"{sha}\"")), "{resolved}");
    assert!(resolved.contains("h.csv"), "{resolved}");
    // The resolved scenario reruns from anywhere; a changed forecast is refused.
    let again = o2d(Path::new("/"))
        .arg("validate")
        .arg(tmp.path().join("out/scenario.resolved.toml"))
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    write(tmp.path(), "f.csv", &forecast(|_, row| Some(row)));
    let changed = o2d(tmp.path()).args(["validate", "out/scenario.resolved.toml"]).output().unwrap();
    assert_eq!(changed.status.code(), Some(2));
}

#[test]
fn orders_follow_the_forecast_day_by_day() {
    // 0 orders on Sunday the 8th, 600 on Monday the 9th: the daily series shows the forecast.
    let shaped = forecast(|d, row| {
        Some(match d {
            6 => "2026-11-08,0".to_string(),
            7 => "2026-11-09,600".to_string(),
            _ => row,
        })
    });
    let tmp = workspace(&shaped, HOLIDAYS);
    let got = o2d(tmp.path()).args(["run", "s.toml", "--out", "out", "--quiet"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let rows = crate::library::csv_rows(&tmp.path().join("out/daily.csv"));
    let placed = |date: &str| -> f64 {
        let days: Vec<f64> =
            rows.iter().filter(|r| r["date"] == date).map(|r| r["orders"].parse().unwrap()).collect();
        assert_eq!(days.len(), 3, "one row per replication");
        days.iter().sum::<f64>() / 3.0
    };
    assert_eq!(placed("2026-11-08"), 0.0);
    // Three replications of Poisson(600): the mean is within 4.5 standard errors (sqrt(600 / 3)).
    assert!((placed("2026-11-09") - 600.0).abs() < 4.5 * 200f64.sqrt(), "{}", placed("2026-11-09"));
}

#[test]
fn capacity_scales_the_forecast() {
    let tmp = workspace(&forecast(|_, row| Some(row)), HOLIDAYS);
    let text = SCENARIO.replace("replications = 3", "replications = 5") + "[targets]\norders = \">= 1\"\n";
    write(tmp.path(), "s.toml", &text);
    let got = o2d(tmp.path())
        .args(["capacity", "s.toml", "--max-multiplier", "2", "--out", "cap", "--quiet", "--format", "csv"])
        .output()
        .unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let steps = crate::library::csv_rows(&tmp.path().join("cap/capacity_steps.csv"));
    let at = |m: &str| steps.iter().find(|r| r["multiplier"] == m).map(|r| r["orders_per_day"].clone());
    // 200 orders a day in the forecast: 1x is 200 a day, 2x is 400.
    assert_eq!(at("1").as_deref(), Some("200"), "{steps:?}");
    assert_eq!(at("2").as_deref(), Some("400"), "{steps:?}");
}

#[test]
fn a_support_shift_that_does_not_work_holidays_is_off_on_them_and_a_roster_decides_for_itself() {
    let tmp = tempfile::tempdir().unwrap();
    // 2026-11-03 (day 2) is a holiday: the early shift (8 agent-hours x 2) is off, the late one works.
    let scenario = r#"
[run]
start_date = "2026-11-01"
days = 4
replications = 1

[calendar]
holidays = ["2026-11-03"]

[support]

[[support.teams]]
name = "all"
channels = ["email", "chat", "phone", "social", "sms"]

[[support.teams.shifts]]
start = "08:00"
end = "16:00"
agents = 2
works_holidays = false

[[support.teams.shifts]]
start = "16:00"
end = "20:00"
agents = 1
"#;
    std::fs::write(tmp.path().join("s.toml"), scenario).unwrap();
    let got = o2d(tmp.path()).args(["run", "s.toml", "--quiet", "--out", "out"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let hours: Vec<f64> = crate::library::csv_rows(&tmp.path().join("out/daily.csv"))
        .iter()
        .map(|r| r["agent_hours"].parse().unwrap())
        .collect();
    assert_eq!(hours, [20.0, 20.0, 4.0, 20.0]);
}
