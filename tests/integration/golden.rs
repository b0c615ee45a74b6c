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
    0 events 16092
    0 orders 3526.0
    0 on_time_rate 0.8495206335973322
    0 otif_rate 0.8449353897457273
    0 order_cycle_time_mean 225240.57815423093
    0 order_cycle_time_p50 203030.527
    0 order_cycle_time_p90 353107.967
    0 order_cycle_time_p99 579862.527
    0 ship_on_time_rate 0.8331143232588699
    0 lost_rate 0.000328515111695138
    0 damaged_rate 0.004168403501458941
    0 perfect_order_rate 0.8395833333333333
    0 cost_fulfilment 10000.0
    0 cost_shipping 17479.0
    0 cost_per_order_delivered 12.562526052521884
    0 fill_rate 0.8573746312684366
    0 backorder_rate 0.21610890527509927
    0 cancel_rate 0.0
    0 stockout_sku_days 530.0
    0 avg_on_hand_units 6031.320945455247
    0 inventory_turns 30.510867353526873
    0 lost_revenue 0.0
    0 cross_region_rate 0.0
    0 return_rate 0.2275948311796582
    0 return_cycle_time_mean 261492.04384848484
    0 refund_time_mean 403068.3981397849
    0 cost_returns 2658.5
    1 events 16143
    1 orders 3494.0
    1 on_time_rate 0.8356164383561644
    1 otif_rate 0.8300513698630136
    1 order_cycle_time_mean 229467.92409417807
    1 order_cycle_time_p50 207618.047
    1 order_cycle_time_p90 361496.575
    1 order_cycle_time_p99 578289.663
    1 ship_on_time_rate 0.7924400944988188
    1 lost_rate 0.0013499831252109348
    1 damaged_rate 0.005136986301369863
    1 perfect_order_rate 0.8235042735042735
    1 cost_fulfilment 10000.0
    1 cost_shipping 17138.0
    1 cost_per_order_delivered 12.768407534246576
    1 fill_rate 0.8146590567738059
    1 backorder_rate 0.2676016027475673
    1 cancel_rate 0.0
    1 stockout_sku_days 548.0
    1 avg_on_hand_units 5664.521093736497
    1 inventory_turns 31.23005994786442
    1 lost_revenue 0.0
    1 cross_region_rate 0.0
    1 return_rate 0.2264554794520548
    1 return_cycle_time_mean 249124.55504347826
    1 refund_time_mean 416210.96961445786
    1 cost_returns 2689.0
";

const GOLDEN_DEFAULT: &str = "
    0 events 1505279
    0 orders 319616.0
    0 on_time_rate 0.9240415621640989
    0 otif_rate 0.9187639807489324
    0 order_cycle_time_mean 218984.14012491892
    0 order_cycle_time_p50 198049.791
    0 order_cycle_time_p90 390332.415
    0 order_cycle_time_p99 566231.039
    0 ship_on_time_rate 0.7525457959260954
    0 lost_rate 0.0011202448760630492
    0 damaged_rate 0.005238846872669875
    0 perfect_order_rate 0.9122796270263996
    0 cost_fulfilment 580800.0
    0 cost_shipping 1982943.2999894412
    0 cost_per_order_delivered 9.23271164389218
    0 customers_new 128514.0
    0 customers_lost 2948.0
    0 retention_rate 0.9952588979338807
    0 repeat_purchase_rate 0.5979112434921906
    0 revenue 19353640.0
    0 gross_margin 6816516.700010559
    0 lost_future_revenue 695192.5
    0 tickets 35349.0
    0 tickets_per_order 0.11059834301161393
    0 frt_mean 10598.94374086824
    0 frt_p50 0.0
    0 frt_p90 35553.279
    0 resolution_time_mean 18724.883898539676
    0 resolution_time_p90 48627.711
    0 sla_attainment 0.960109999697803
    0 abandonment_rate 0.016884600736320934
    0 self_service_rate 0.06526351523381142
    0 one_touch_rate 0.9087222950519801
    0 agent_occupancy 0.19769448808947176
    0 backlog_end 99.0
    0 csat 0.8598102234465871
    0 nps 36.072849709213344
    0 service_tier 3.0
    0 cost_support 296560.0
    0 wismo_tickets 7465.0
    0 wismo_per_order 0.02335615238285943
    0 wismo_frt_p90 33521.663
    0 wismo_resolution_time_mean 9724.846045330141
    0 tracking_tickets 2623.0
    0 tracking_per_order 0.008206723067681217
    0 tracking_frt_p90 40796.159
    0 tracking_resolution_time_mean 14373.740880886426
    0 change_order_tickets 3150.0
    0 change_order_per_order 0.009855576692030436
    0 change_order_frt_p90 40599.551
    0 change_order_resolution_time_mean 15203.193050717704
    0 cancel_order_tickets 1628.0
    0 cancel_order_per_order 0.005093612334801762
    0 cancel_order_frt_p90 39092.223
    0 cancel_order_resolution_time_mean 23087.055659889094
    0 damaged_tickets 1160.0
    0 damaged_per_order 0.0036293552262715257
    0 damaged_frt_p90 33390.591
    0 damaged_resolution_time_mean 69291.27276277056
    0 wrong_item_tickets 1445.0
    0 wrong_item_per_order 0.0045210502603123745
    0 wrong_item_frt_p90 34373.631
    0 wrong_item_resolution_time_mean 67075.25045581072
    0 lost_tickets 329.0
    0 lost_per_order 0.0010293602322787344
    0 lost_frt_p90 34045.951
    0 lost_resolution_time_mean 74787.79460486323
    0 returns_tickets 0.0
    0 returns_per_order 0.0
    0 returns_frt_p90 NaN
    0 returns_resolution_time_mean NaN
    0 presale_tickets 17549.0
    0 presale_per_order 0.05490651281537846
    0 presale_frt_p90 33538.047
    0 presale_resolution_time_mean 14037.137173830919
    0 email_tickets 16387.0
    0 email_frt_mean 19097.99446601287
    0 email_frt_p50 18006.015
    0 email_frt_p90 43712.511
    0 email_sla_attainment 1.0
    0 chat_tickets 10972.0
    0 chat_frt_mean 2.354822807017544
    0 chat_frt_p50 0.0
    0 chat_frt_p90 0.0
    0 chat_sla_attainment 0.9860693799508331
    0 chat_abandonment_rate 0.012963904422979155
    0 phone_tickets 2151.0
    0 phone_frt_mean 5.74336270691334
    0 phone_frt_p50 0.0
    0 phone_frt_p90 0.0
    0 phone_sla_attainment 0.9161260426320668
    0 phone_abandonment_rate 0.045099739809193407
    0 social_tickets 2145.0
    0 social_frt_mean 17014.383426829267
    0 social_frt_p50 10239.999
    0 social_frt_p90 46268.415
    0 social_sla_attainment 0.5422138836772983
    0 sms_tickets 1501.0
    0 sms_frt_mean 9.761390227576975
    0 sms_frt_p50 0.0
    0 sms_frt_p90 0.0
    0 sms_sla_attainment 0.9933466400532269
    0 sms_abandonment_rate 0.0054678007290400975
";
