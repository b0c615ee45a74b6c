//! Golden numbers: KPI values and event counts of small fixed-seed runs, pinned to the last digit,
//! so an optimisation that changes behaviour (a random draw moved, an event reordered) shows here.
//!
//! When a change legitimately moves these numbers (a different use of random numbers), the commit
//! that updates them must say why and show the new values inside the old runs' 95% intervals.

use std::fmt::Write;

use o2d::scenario::Source;

use crate::support::{SMALL, load, run_all};

/// Every KPI of every replication and its event count, one `rep kpi value` line each, with
/// values in Rust's shortest round-trip form (so equal text means equal bits).
fn fingerprint(source: Source, sets: &[(&str, &str)]) -> String {
    let result = run_all(&load(&source, sets));
    let mut out = String::new();
    for r in &result.replications {
        writeln!(out, "{} events {}", r.index, r.events).unwrap();
        for (def, v) in result.kpis.iter().zip(&r.kpis) {
            writeln!(out, "{} {} {v:?}", r.index, def.name).unwrap();
        }
    }
    out
}

/// Compares line by line so a failure names the first KPI that moved. `O2D_GOLDEN_DUMP=FILE`
/// writes the actual output to FILE, to update the pins when a change is meant to move them.
fn assert_same(actual: &str, expected: &str) {
    if let Ok(path) = std::env::var("O2D_GOLDEN_DUMP") {
        std::fs::write(path, actual).unwrap();
    }
    for (a, e) in actual.lines().zip(expected.lines().map(str::trim).filter(|l| !l.is_empty())) {
        assert_eq!(a, e, "golden value moved; full output:\n{actual}");
    }
    let expected_lines = expected.lines().map(str::trim).filter(|l| !l.is_empty()).count();
    assert_eq!(actual.lines().count(), expected_lines, "golden output:\n{actual}");
}

/// The small two-week scenario with stock and returns added, so every model's draws are pinned.
fn small_with_inventory_and_returns() -> String {
    format!("{SMALL}\n[inventory]\nskus = 200\ninitial_stock = \"6d\"\n\n[returns]\ndidnt_like_rate = 0.2\n")
}

#[test]
fn small_scenario_kpis_are_pinned_to_the_digit() {
    let text = small_with_inventory_and_returns();
    let actual = fingerprint(Source::Text { name: "golden.toml".into(), text }, &[("run.replications", "2")]);
    assert_same(&actual, GOLDEN_SMALL);
}

#[test]
fn default_scenario_kpis_are_pinned_to_the_digit() {
    let actual = fingerprint(Source::Default, &[("run.replications", "1")]);
    assert_same(&actual, GOLDEN_DEFAULT);
}

const GOLDEN_SMALL: &str = "
    0 events 16286
    0 orders 3570.0
    0 on_time_rate 0.854955680902498
    0 otif_rate 0.8493150684931506
    0 order_cycle_time_mean 222226.73882876712
    0 order_cycle_time_p50 200802.303
    0 order_cycle_time_p90 351535.103
    0 order_cycle_time_p99 562561.023
    0 ship_on_time_rate 0.8495948136142626
    0 lost_rate 0.00032414910858995135
    0 damaged_rate 0.0056406124093473006
    0 perfect_order_rate 0.8429319371727748
    0 cost_fulfilment 10000.0
    0 cost_shipping 17666.0
    0 cost_per_order_delivered 12.3035858178888
    0 fill_rate 0.8596336996336996
    0 backorder_rate 0.20840336134453782
    0 cancel_rate 0.0
    0 stockout_sku_days 478.0
    0 avg_on_hand_units 6097.207011460262
    0 inventory_turns 30.415633964550576
    0 lost_revenue 0.0
    0 cross_region_rate 0.0
    0 return_rate 0.233682514101531
    0 return_cycle_time_mean 253978.35306315788
    0 refund_time_mean 432762.13952380954
    0 cost_returns 2871.5
    1 events 16210
    1 orders 3514.0
    1 on_time_rate 0.8157038242473555
    1 otif_rate 0.8124491456468673
    1 order_cycle_time_mean 234343.15757323027
    1 order_cycle_time_p50 210894.847
    1 order_cycle_time_p90 383516.671
    1 order_cycle_time_p99 536608.767
    1 ship_on_time_rate 0.7906290956749672
    1 lost_rate 0.000982961992136304
    1 damaged_rate 0.006916192026037429
    1 perfect_order_rate 0.8065826899634295
    1 cost_fulfilment 10000.0
    1 cost_shipping 17556.0
    1 cost_per_order_delivered 12.306753458096013
    1 fill_rate 0.8350178359096314
    1 backorder_rate 0.23619806488332384
    1 cancel_rate 0.0
    1 stockout_sku_days 475.0
    1 avg_on_hand_units 5934.024440909529
    1 inventory_turns 31.190538311685476
    1 lost_revenue 0.0
    1 cross_region_rate 0.0
    1 return_rate 0.22050447518307567
    1 return_cycle_time_mean 250601.610247191
    1 refund_time_mean 416957.6001410257
    1 cost_returns 2694.0
";

const GOLDEN_DEFAULT: &str = "
    0 events 1509240
    0 orders 320403.0
    0 on_time_rate 0.9229471134956878
    0 otif_rate 0.917539949889538
    0 order_cycle_time_mean 218199.78624382475
    0 order_cycle_time_p50 196083.711
    0 order_cycle_time_p90 390856.703
    0 order_cycle_time_p99 569901.055
    0 ship_on_time_rate 0.7615906758262863
    0 lost_rate 0.0009885840579801403
    0 damaged_rate 0.004808156798083179
    0 perfect_order_rate 0.9114944599585623
    0 cost_fulfilment 580800.0
    0 cost_shipping 1987356.999989383
    0 cost_per_order_delivered 9.225725732138915
    0 customers_new 128922.0
    0 customers_lost 2954.0
    0 retention_rate 0.9952538506083277
    0 repeat_purchase_rate 0.59762549039803
    0 revenue 19399220.0
    0 gross_margin 6834893.000010617
    0 lost_future_revenue 686285.0
    0 tickets 35395.0
    0 tickets_per_order 0.1104702515269832
    0 frt_mean 10531.094843165996
    0 frt_p50 0.0
    0 frt_p90 35717.119
    0 resolution_time_mean 18485.843180081898
    0 resolution_time_p90 48529.407
    0 sla_attainment 0.9605219339408434
    0 abandonment_rate 0.017832388153749212
    0 self_service_rate 0.06859725949992937
    0 one_touch_rate 0.9085686346412419
    0 agent_occupancy 0.19674977349316977
    0 backlog_end 102.0
    0 csat 0.8641526578827805
    0 nps 36.49856126003332
    0 service_tier 3.0
    0 cost_support 296560.0
    0 wismo_tickets 7677.0
    0 wismo_per_order 0.023960449808522393
    0 wismo_frt_p90 39321.599
    0 wismo_resolution_time_mean 10109.35800420663
    0 tracking_tickets 2812.0
    0 tracking_per_order 0.008776447161855537
    0 tracking_frt_p90 39354.367
    0 tracking_resolution_time_mean 14323.940012102874
    0 change_order_tickets 3084.0
    0 change_order_per_order 0.009625378039531465
    0 change_order_frt_p90 40861.695
    0 change_order_resolution_time_mean 15822.631816878462
    0 cancel_order_tickets 1595.0
    0 cancel_order_per_order 0.00497810569813641
    0 cancel_order_frt_p90 37093.375
    0 cancel_order_resolution_time_mean 22997.114276448363
    0 damaged_tickets 1045.0
    0 damaged_per_order 0.0032615175263652338
    0 damaged_frt_p90 33718.271
    0 damaged_resolution_time_mean 65437.42823795761
    0 wrong_item_tickets 1478.0
    0 wrong_item_per_order 0.004612940577959632
    0 wrong_item_frt_p90 35782.655
    0 wrong_item_resolution_time_mean 67754.01798232495
    0 lost_tickets 287.0
    0 lost_per_order 0.0008957469187242317
    0 lost_frt_p90 37912.575
    0 lost_resolution_time_mean 80592.18701413427
    0 returns_tickets 0.0
    0 returns_per_order 0.0
    0 returns_frt_p90 NaN
    0 returns_resolution_time_mean NaN
    0 presale_tickets 17417.0
    0 presale_per_order 0.0543596657958883
    0 presale_frt_p90 33193.983
    0 presale_resolution_time_mean 13889.536581762637
    0 email_tickets 16249.0
    0 email_frt_mean 19177.873589846648
    0 email_frt_p50 18137.087
    0 email_frt_p90 43843.583
    0 email_sla_attainment 1.0
    0 chat_tickets 10936.0
    0 chat_frt_mean 2.6449257888405664
    0 chat_frt_p50 0.0
    0 chat_frt_p90 0.0
    0 chat_sla_attainment 0.987390350877193
    0 chat_abandonment_rate 0.01163185600271693
    0 phone_tickets 2222.0
    0 phone_frt_mean 6.239469329529244
    0 phone_frt_p50 0.0
    0 phone_frt_p90 0.0
    0 phone_sla_attainment 0.9058718063648588
    0 phone_abandonment_rate 0.0539401601348504
    0 social_tickets 2094.0
    0 social_frt_mean 16610.577805941542
    0 social_frt_p50 8527.871
    0 social_frt_p90 46563.327
    0 social_sla_attainment 0.5543842836607571
    0 sms_tickets 1595.0
    0 sms_frt_mean 12.502236225459152
    0 sms_frt_p50 0.0
    0 sms_frt_p90 0.0
    0 sms_sla_attainment 0.9837194740137758
    0 sms_abandonment_rate 0.010471204188481676
";
