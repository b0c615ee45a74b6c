//! Extreme but valid scenarios run to the end without a panic and with sane KPIs: no demand,
//! 100x demand on unchanged staff, no staff, one SKU, 100,000 SKUs, 1-day and 730-day horizons.

use o2d::experiment::RunResult;

use crate::support::{SMALL, assert_sane, load_text, run_all};

fn run(text: &str, sets: &[(&str, &str)]) -> RunResult {
    let result = run_all(&load_text(text, sets));
    assert_sane(&result);
    result
}

fn mean(result: &RunResult, kpi: &str) -> f64 {
    result.summary(kpi).unwrap_or_else(|| panic!("{kpi} reported")).mean
}

/// SMALL with stock: `skus` SKUs, stock for three weeks, (s,S) replenishment.
fn with_inventory(skus: u32) -> String {
    format!("{SMALL}\n[inventory]\nskus = {skus}\ninitial_stock = \"21d\"\n")
}

#[test]
fn zero_demand_runs_with_no_orders_and_undefined_rates() {
    let r = run(SMALL, &[("demand.orders_per_day", "0")]);
    assert_eq!(mean(&r, "orders"), 0.0);
    for rep in &r.replications {
        assert_eq!(rep.conservation.placed, 0);
    }
    let on_time = r.summary("on_time_rate").unwrap();
    assert!(on_time.mean.is_nan() || on_time.n == 0, "no deliveries: on-time rate is undefined, not 0 or 1");
}

#[test]
fn a_hundred_times_the_demand_on_the_same_staff_builds_a_backlog_and_finishes() {
    // 300 -> 30,000 orders a day with 2 pickers: most orders are still open at the end.
    let r = run(SMALL, &[("demand.orders_per_day", "30000"), ("run.days", "5"), ("run.warmup_days", "0")]);
    for rep in &r.replications {
        let c = rep.conservation;
        assert!(c.open > c.placed / 2, "most orders still open: {c:?}");
        assert!(c.placed > 100_000, "the demand arrived: {c:?}");
    }
}

#[test]
fn no_pickers_or_packers_ship_nothing_and_finish() {
    let r = run(SMALL, &[("fulfilment.shifts[0].pickers", "0"), ("fulfilment.shifts[0].packers", "0")]);
    for rep in &r.replications {
        let c = rep.conservation;
        assert_eq!((c.delivered, c.lost), (0, 0), "nothing leaves a warehouse without staff: {c:?}");
        assert!(c.open > 0 && c.holds(), "{c:?}");
    }
}

#[test]
fn a_catalogue_of_one_sku_runs() {
    let r = run(&with_inventory(1), &[]);
    assert!(mean(&r, "fill_rate") <= 1.0);
}

#[test]
fn a_catalogue_of_100000_skus_runs() {
    let r = run(&with_inventory(100_000), &[("run.replications", "2")]);
    assert!(mean(&r, "orders") > 0.0);
}

#[test]
fn a_one_day_horizon_runs() {
    let r = run(SMALL, &[("run.days", "1"), ("run.warmup_days", "0")]);
    assert!(mean(&r, "orders") > 0.0);
    assert_eq!(r.replications[0].daily.len(), 1);
}

#[test]
fn a_730_day_horizon_at_low_demand_runs() {
    let r = run(
        &with_inventory(50),
        &[("run.days", "730"), ("run.replications", "2"), ("demand.orders_per_day", "20")],
    );
    assert_eq!(r.replications[0].daily.len(), 730);
    assert!(mean(&r, "on_time_rate") > 0.0);
}

#[test]
fn the_largest_stock_levels_keep_on_hand_positive() {
    // 100,000 SKUs at the 1e9-unit limit: 1e14 units in all, far inside i64.
    let text = format!("{SMALL}\n[inventory]\nskus = 100000\ninitial_stock = 1e9\n");
    let r = run(&text, &[("run.replications", "1"), ("run.days", "3"), ("run.warmup_days", "0")]);
    assert!(mean(&r, "avg_on_hand_units") > 9.9e13);
}
