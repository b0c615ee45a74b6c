//! Behaviour a planner relies on, checked through the library on small scenarios: peaks without
//! staff build backlog and lateness, temporary staff bring them back; orders are conserved;
//! the arrival process delivers the demand it was asked for.

use o2d::experiment::RunResult;

use crate::support::{SMALL, load_text, run_all};

fn run_text(text: &str, sets: &[(&str, &str)]) -> RunResult {
    let result = run_all(&load_text(text, sets));
    for r in &result.replications {
        assert!(r.conservation.holds(), "orders conserved: {:?}", r.conservation);
    }
    result
}

fn mean(result: &RunResult, kpi: &str) -> f64 {
    result.summary(kpi).unwrap().mean
}

/// Mean across replications of a daily column over days `from..to`.
fn daily_mean(result: &RunResult, column: &str, from: usize, to: usize) -> f64 {
    let c = result.daily_columns.iter().position(|n| *n == column).unwrap();
    let mut total = 0.0;
    for r in &result.replications {
        total += r.daily[from..to].iter().map(|row| row[c]).sum::<f64>();
    }
    total / (result.replications.len() * (to - from)) as f64
}

/// A 21-day scenario whose warehouse runs at about 70% of its packing capacity (500 orders a day
/// against 2 packers x 12 h x 30 per hour = 720); the peak (days 9..=13) is set by overrides.
const PEAK_BASE: &str = r#"
[run]
start_date = "2026-11-02"
days = 21
warmup_days = 3
replications = 6
seed = 5

[demand]
orders_per_day = 500

[[demand.peaks]]
name = "test peak"
date = "2026-11-11"
days = 5
multiplier = 1.0

[[fulfilment.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "06:00"
end = "18:00"
pickers = 2
packers = 2

[[fulfilment.overrides]]
from = "2026-11-10"
to = "2026-11-17"
extra_pickers = 0
extra_packers = 0

[[carriers]]
name = "parcel"
pickups = ["19:00"]
pickup_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
transit = { dist = "lognormal", mean = "1d", sd = "4h" }
failed_attempt_rate = 0.0

[[demand.shipping_options]]
name = "standard"
share = 1.0
promised_days = 2
calendar_days = true
"#;

#[test]
fn a_doubled_demand_peak_without_staff_builds_backlog_and_lateness_and_temporary_staff_clear_it() {
    let base = run_text(PEAK_BASE, &[]);
    let peak = run_text(PEAK_BASE, &[("demand.peaks[0].multiplier", "2.0")]);
    let staffed = run_text(
        PEAK_BASE,
        &[
            ("demand.peaks[0].multiplier", "2.0"),
            ("fulfilment.overrides[0].extra_pickers", "3"),
            ("fulfilment.overrides[0].extra_packers", "3"),
        ],
    );
    let backlog = |r: &RunResult| daily_mean(r, "backlog", 9, 16);
    let late = |r: &RunResult| 1.0 - mean(r, "on_time_rate");
    assert!(
        backlog(&peak) > 2.0 * backlog(&base) + 50.0,
        "peak backlog {} vs base {}",
        backlog(&peak),
        backlog(&base)
    );
    assert!(late(&peak) > late(&base) + 0.05, "late share rises: {} vs {}", late(&peak), late(&base));
    assert!(
        backlog(&staffed) < 0.5 * backlog(&peak),
        "temporary staff clear backlog: {} vs {}",
        backlog(&staffed),
        backlog(&peak)
    );
    assert!(late(&staffed) < late(&peak) - 0.05, "and lateness: {} vs {}", late(&staffed), late(&peak));
}

#[test]
fn orders_are_conserved_in_ordinary_overloaded_and_empty_runs() {
    run_text(SMALL, &[]);
    run_text(SMALL, &[("demand.orders_per_day", "3000")]);
    let empty = run_text(SMALL, &[("demand.orders_per_day", "0")]);
    assert_eq!(mean(&empty, "orders"), 0.0);
    assert!(mean(&empty, "on_time_rate").is_nan(), "undefined, not invented, with nothing delivered");
    let unstaffed = run_text(SMALL, &[("fulfilment.shifts[0].pickers", "0")]);
    assert_eq!(mean(&unstaffed, "cost_shipping"), 0.0, "nothing picked, nothing shipped");
}

#[test]
fn the_arrival_process_delivers_the_expected_number_of_orders() {
    // Oracle: the count of a Poisson process over the horizon is Poisson with mean equal to the
    // integrated rate: here 14 days x 300 x the weekday factors, all days measured. With 4
    // replications the mean count has sd sqrt(L/4); the tolerance is 4 such sds.
    let r = run_text(SMALL, &[("run.warmup_days", "0"), ("demand.day_of_week", "[1,1,1,1,1,1,1]")]);
    let expected: f64 = 14.0 * 300.0;
    let sd = (expected / 4.0).sqrt();
    let got = mean(&r, "orders");
    assert!((got - expected).abs() < 4.0 * sd, "orders {got} vs expected {expected} (sd {sd})");
}

#[test]
fn the_hourly_profile_shapes_arrivals_within_the_day() {
    // All demand in hours 10 and 11: with a cutoff at 12:00 every order is promised same-day
    // dispatch, and a pickup at 23:00 with ample staff ships them all that day.
    let mut profile = vec!["0"; 24];
    profile[10] = "1";
    profile[11] = "1";
    let profile = format!("[{}]", profile.join(","));
    let r = run_text(
        SMALL,
        &[
            ("demand.hourly_profile", profile.as_str()),
            ("fulfilment.same_day_cutoff", "\"12:00\""),
            ("fulfilment.shifts[0].pickers", "20"),
            ("fulfilment.shifts[0].packers", "20"),
            ("carriers[0].pickups", "[\"23:00\"]"),
            ("carriers[0].pickup_days", "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"),
            ("fulfilment.shifts[0].days", "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\",\"sat\",\"sun\"]"),
        ],
    );
    assert!(mean(&r, "ship_on_time_rate") > 0.999, "{}", mean(&r, "ship_on_time_rate"));
}
