//! Inventory against theory and against common sense: simulated fill rates match closed forms
//! for base-stock and (r, Q) policies; a Black Friday stockout hurts on-time delivery and fill
//! rate with paired intervals that exclude zero; units are conserved in every run.

use o2d::experiment::RunResult;
use o2d::scenario::Source;
use o2d::stats::{paired_difference, summarize_at};

use crate::support::{load, run_all};

fn run(source: Source, sets: &[(&str, &str)]) -> RunResult {
    let result = run_all(&load(&source, sets));
    for r in &result.replications {
        assert!(r.conservation.holds(), "orders conserved: {:?}", r.conservation);
        let units = r.units.expect("inventory modelled");
        assert!(units.holds(), "units conserved: {units:?}");
        assert!(units.on_hand >= 0 && units.allocated >= 0 && units.outbound >= 0);
    }
    result
}

fn values(result: &RunResult, kpi: &str) -> Vec<f64> {
    let k = result.kpis.iter().position(|d| d.name == kpi).unwrap();
    result.values_of(k)
}

/// Poisson probabilities p(0..=n) for mean `m`, by the recursion p(k) = p(k-1) m / k.
fn poisson(m: f64, n: usize) -> Vec<f64> {
    let mut p = vec![(-m).exp()];
    for k in 1..=n {
        let prev = p[k - 1];
        p.push(prev * m / k as f64);
    }
    p
}

/// E[(D - s)^+] for D ~ Poisson(m).
fn expected_excess(m: f64, s: usize) -> f64 {
    let p = poisson(m, s + 1);
    // E[(D-s)+] = E[D] - s + sum_{k<s} (s-k) p(k).
    m - s as f64 + (0..s).map(|k| (s - k) as f64 * p[k]).sum::<f64>()
}

/// One SKU, Poisson demand of `per_day` single-unit orders, flat over the day and the week.
fn single_sku(per_day: u32, inventory: &str) -> Source {
    let hours = vec!["1"; 24].join(", ");
    Source::Text {
        name: "single-sku.toml".into(),
        text: format!(
            r#"
[run]
start_date = "2026-01-05"
days = 400
warmup_days = 36
replications = 30
seed = 42

[demand]
orders_per_day = {per_day}
day_of_week = [1, 1, 1, 1, 1, 1, 1]
hourly_profile = [{hours}]
lines_per_order = {{ dist = "constant", value = 1 }}

[inventory]
skus = 1
stockout = "backorder"
{inventory}
"#
        ),
    }
}

/// Asserts that the theoretical fill rate lies in the 99% interval of the simulated one.
fn assert_fill_rate_matches(result: &RunResult, theory: f64, case: &str) {
    let s = summarize_at(&values(result, "fill_rate"), 0.99);
    assert!(
        s.ci95_low <= theory && theory <= s.ci95_high,
        "{case}: theory {theory:.4} outside the simulated 99% CI {:.4} .. {:.4} (mean {:.4})",
        s.ci95_low,
        s.ci95_high,
        s.mean
    );
}

/// Oracle: periodic review (R, S) with Poisson demand of rate lambda, constant lead time L and
/// backorders has fill rate 1 - (E[(D(L+R) - S)^+] - E[(D(L) - S)^+]) / (lambda R)
/// (Hadley & Whitin 1963; Axsaeter, Inventory Control, 3rd ed. 2015, section 6.2).
/// Seed 42, 30 replications of 364 measured days; the tolerance is the simulation's 99% CI.
#[test]
fn base_stock_fill_rate_matches_the_closed_form_near_080_and_098() {
    let (lambda, r_days, l_days) = (10.0, 7.0, 3.0);
    for (s, near) in [(86usize, 0.80), (107, 0.98)] {
        let theory = 1.0
            - (expected_excess(lambda * (l_days + r_days), s) - expected_excess(lambda * l_days, s))
                / (lambda * r_days);
        assert!((theory - near).abs() < 0.01, "case is near {near}: {theory}");
        let inv = format!(
            "initial_stock = {s}\nlead_time = {{ dist = \"constant\", value = \"3d\" }}\n\
             policy = {{ kind = \"base_stock\", order_up_to = {s}, review_period = \"7d\" }}"
        );
        let result = run(single_sku(10, &inv), &[]);
        assert_fill_rate_matches(&result, theory, &format!("base stock S = {s}"));
    }
}

/// Oracle: continuous review (r, Q) with unit Poisson demand, constant lead time L and
/// backorders: the inventory position is uniform on r+1 .. r+Q, so the fill rate is
/// (1/Q) sum_{y=r+1}^{r+Q} P(D(L) <= y - 1) (Axsaeter 2015, section 5.3; Zipkin 2000, ch. 6).
/// Seed 42, 30 replications; the tolerance is the simulation's 99% CI.
#[test]
fn r_q_fill_rate_matches_the_closed_form_near_080_and_098() {
    let (lambda, l_days, q) = (10.0, 5.0, 50usize);
    for (r, near) in [(40usize, 0.80), (55, 0.98)] {
        let p = poisson(lambda * l_days, r + q);
        let cdf = |k: usize| p[..=k].iter().sum::<f64>();
        let theory = (r + 1..=r + q).map(|y| cdf(y - 1)).sum::<f64>() / q as f64;
        assert!((theory - near).abs() < 0.01, "case is near {near}: {theory}");
        let inv = format!(
            "initial_stock = {}\nlead_time = {{ dist = \"constant\", value = \"5d\" }}\n\
             policy = {{ kind = \"r_Q\", reorder_point = {r}, order_quantity = {q} }}",
            r + q
        );
        let result = run(single_sku(10, &inv), &[]);
        assert_fill_rate_matches(&result, theory, &format!("(r, Q) r = {r}"));
    }
}

#[test]
fn a_black_friday_stockout_hurts_on_time_and_fill_rate_against_ample_stock() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/stockout-black-friday.toml");
    let short = run(Source::File(path.into()), &[]);
    let ample = run(
        Source::File(path.into()),
        &[
            ("inventory.class_policies[0].initial_stock", "\"120d\""),
            ("inventory.class_policies[0].reorder_point", "\"60d\""),
            ("inventory.class_policies[0].order_up_to", "\"120d\""),
        ],
    );
    let diff = |kpi: &str| paired_difference(&values(&ample, kpi), &values(&short, kpi));
    let on_time = diff("on_time_rate");
    let fill = diff("fill_rate");
    let waited = diff("backorder_rate");
    assert!(on_time.ci95_high < 0.0, "on-time falls: {on_time:?}");
    assert!(fill.ci95_high < 0.0, "fill rate falls: {fill:?}");
    assert!(waited.ci95_low > 0.0, "backorders rise: {waited:?}");
}

#[test]
fn every_stockout_behaviour_conserves_orders_and_units() {
    let inv = "initial_stock = \"3d\"\nlead_time = { dist = \"lognormal\", mean = \"6d\", sd = \"2d\" }\n\
               policy = { kind = \"s_S\", reorder_point = \"2d\", order_up_to = \"6d\" }\nsupplier_fill_rate = 0.7";
    for behaviour in ["backorder", "cancel", "split"] {
        let value = format!("\"{behaviour}\"");
        let result = run(
            single_sku(40, inv),
            &[("inventory.stockout", &value), ("run.replications", "3"), ("inventory.skus", "20")],
        );
        let cancel = values(&result, "cancel_rate");
        if behaviour == "cancel" {
            assert!(cancel.iter().all(|c| *c > 0.0), "stockouts cancel sales");
        } else {
            assert!(cancel.iter().all(|c| *c == 0.0), "{behaviour} cancels nothing");
        }
    }
}

fn apparel() -> Source {
    Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/apparel-returns.toml").into())
}

/// Oracle: with no picking, packing or transit errors, an order is returned when the product
/// information was wrong (p = 0.03) or, failing that, the customer did not like it (0.25), and
/// the decision (exponential, mean 5 d) falls inside the 30-day window:
/// P = (0.03 + 0.97 x 0.25) x (1 - e^(-30/5)) = 0.27182. Seed 77, 10 replications of ~80,000
/// deliveries each; the tolerance is the simulation's 99% interval.
#[test]
fn the_return_rate_matches_the_reason_probabilities_and_the_window() {
    let result = run(
        apparel(),
        &[
            ("fulfilment.wrong_item_rate", "0"),
            ("fulfilment.automation.wrong_item_rate", "0"),
            ("fulfilment.damaged_packing_rate", "0"),
            ("fulfilment.wrong_address_rate", "0"),
            ("carriers[0].damage_rate", "0"),
        ],
    );
    let theory = (0.03 + 0.97 * 0.25) * (1.0 - (-30.0f64 / 5.0).exp());
    let s = summarize_at(&values(&result, "return_rate"), 0.99);
    assert!(s.ci95_low <= theory && theory <= s.ci95_high, "theory {theory} vs {s:?}");
}

#[test]
fn returned_units_flow_back_to_stock_and_wrong_items_get_replacements() {
    let result = run(
        apparel(),
        &[
            ("run.replications", "3"),
            ("fulfilment.wrong_item_rate", "0.05"),
            ("returns.wrong_item_rate", "1.0"),
        ],
    );
    for r in &result.replications {
        let units = r.units.unwrap();
        assert!(units.restocked > 0, "restocked returns: {units:?}");
        assert!(units.scrapped > 0 && units.returning > 0, "scrap and returns in flight: {units:?}");
    }
    // Replacement parcels ship on top of the orders: more parcels than orders leave.
    let shipped = result.daily_columns.iter().position(|c| *c == "shipped").unwrap();
    let orders = result.daily_columns.iter().position(|c| *c == "orders").unwrap();
    let r = &result.replications[0];
    let parcels: f64 = r.daily.iter().map(|d| d[shipped]).sum();
    let placed: f64 = r.daily.iter().map(|d| d[orders]).sum();
    let backlog = r.daily.last().unwrap()[result.daily_columns.iter().position(|c| *c == "backlog").unwrap()];
    assert!(parcels > placed - backlog, "replacements ship: {parcels} parcels for {placed} orders");
}

#[test]
fn shipping_from_the_nearest_warehouse_with_stock_fills_more_than_a_fixed_share() {
    // Two warehouses, tight stock: when a customer's own warehouse lacks a line, the other one
    // that has every line ships it (a day longer in transit) instead of a backorder.
    let inv = "initial_stock = \"3d\"\nlead_time = { dist = \"lognormal\", mean = \"6d\", sd = \"2d\" }\n\
               policy = { kind = \"s_S\", reorder_point = \"2d\", order_up_to = \"6d\" }\nsupplier_fill_rate = 0.7\n\
               warehouses = [{ name = \"north\", share = 0.6 }, { name = \"south\", share = 0.4 }]";
    let sets = |rule: &'static str| {
        [
            ("inventory.assignment", rule),
            ("run.replications", "6"),
            ("inventory.skus", "20"),
            ("run.days", "120"),
        ]
    };
    let nearest = run(single_sku(40, inv), &sets("\"nearest_with_stock\""));
    let fixed = run(single_sku(40, inv), &sets("\"fixed_share\""));
    assert!(values(&fixed, "cross_region_rate").iter().all(|&x| x == 0.0), "a fixed share never crosses");
    assert!(values(&nearest, "cross_region_rate").iter().all(|&x| x > 0.0), "nearest-with-stock crosses");
    let fill = paired_difference(&values(&fixed, "fill_rate"), &values(&nearest, "fill_rate"));
    assert!(fill.ci95_low > 0.0, "the other warehouse's stock raises the fill rate: {fill:?}");
    for split in ["\"split\"", "\"cancel\""] {
        // Units and orders stay conserved across warehouses in every stockout behaviour (`run`).
        run(
            single_sku(40, inv),
            &[("inventory.stockout", split), ("run.replications", "2"), ("inventory.skus", "20")],
        );
    }
}
