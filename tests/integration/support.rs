//! Helpers shared by the integration tests: the binary, temp folders, small scenarios.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `o2d` binary under test, run inside `dir`.
pub fn o2d(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("o2d").expect("binary built");
    cmd.current_dir(dir);
    cmd
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// A small, fast scenario: two weeks, 300 orders a day, one shift, one carrier.
pub const SMALL: &str = r#"
[run]
start_date = "2026-11-02"
days = 14
warmup_days = 2
replications = 4
seed = 11

[demand]
orders_per_day = 300

[[fulfilment.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
start = "07:00"
end = "17:00"
pickers = 2
packers = 2

[[carriers]]
name = "parcel"
pickups = ["18:00"]
"#;

/// Loads a scenario with `--set`-style overrides, panicking with the message if it is refused.
pub fn load(source: &o2d::scenario::Source, sets: &[(&str, &str)]) -> o2d::scenario::Scenario {
    let overrides: Vec<o2d::scenario::load::Override> = sets
        .iter()
        .map(|(k, v)| o2d::scenario::load::Override { key: k.to_string(), value: v.to_string() })
        .collect();
    o2d::scenario::load(source, &overrides).unwrap_or_else(|e| panic!("scenario loads: {e}"))
}

/// Loads scenario text with `--set`-style overrides, panicking with the message if it is refused.
pub fn load_text(text: &str, sets: &[(&str, &str)]) -> o2d::scenario::Scenario {
    load(&o2d::scenario::Source::Text { name: "test.toml".into(), text: text.into() }, sets)
}

/// Runs every replication of `scenario` on two threads, panicking with the error if the run fails.
pub fn run_all(scenario: &o2d::scenario::Scenario) -> o2d::experiment::RunResult {
    let stop = std::sync::atomic::AtomicBool::new(false);
    let opts = o2d::experiment::RunOptions {
        threads: 2,
        stop: &stop,
        on_replication_done: &|| {},
        on_customers: None,
    };
    o2d::experiment::run(scenario, &opts).unwrap_or_else(|e| panic!("the run finishes: {e}"))
}

/// Checks what must hold for any finished run: orders, units and tickets conserved, nothing
/// negative on the shelves, every KPI and daily value within its range (a rate in 0..=1, a time or
/// count >= 0, `nps` in -100..=100; NaN only where a KPI is undefined, as documented).
pub fn assert_sane(result: &o2d::experiment::RunResult) {
    for r in &result.replications {
        let ledgers = (r.conservation, r.units, r.tickets);
        assert!(r.ledgers_hold(), "replication {}: not conserved: {ledgers:?}", r.index);
        if let Some(u) = r.units {
            let parts = [u.on_hand, u.allocated, u.outbound, u.delivered, u.lost, u.returning, u.scrapped];
            assert!(parts.iter().all(|p| *p >= 0), "replication {}: a negative stock figure: {u:?}", r.index);
        }
        for (def, v) in result.kpis.iter().zip(&r.kpis) {
            // NaN: undefined in this replication (e.g. no order delivered).
            assert!(v.is_nan() || def.admits(*v), "{} = {v} is out of its range", def.name);
        }
        for (day, row) in r.daily.iter().enumerate() {
            for (name, v) in result.daily_columns.iter().zip(row) {
                assert!(v.is_nan() || *v >= 0.0, "day {day}: {name} = {v} is negative");
                // Busy time over time on shift (overtime counted as time on shift).
                let occupancy = name.ends_with("occupancy");
                assert!(!occupancy || v.is_nan() || *v <= 1.0, "day {day}: {name} = {v} is above 1");
            }
        }
    }
}

/// The trace of every request of replication `index` of `sc`, as `o2d trace` writes it.
pub fn trace(
    sc: &o2d::scenario::Scenario,
    index: u64,
    stop: &std::sync::atomic::AtomicBool,
    format: o2d::output::trace::TraceFormat,
) -> Vec<u8> {
    let selection = o2d::experiment::trace::Selection::all(sc);
    let mut writer = o2d::output::trace::TraceWriter::new(sc, format, 1.0, None, String::new(), Vec::new());
    o2d::experiment::trace::requests(sc, index, stop, &selection, |r| writer.push(r)).expect("runs");
    writer.finish().expect("writes").0
}
