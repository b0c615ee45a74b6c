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
    0 events 16531
    0 orders 3610.0
    0 on_time_rate 0.8518811881188119
    0 otif_rate 0.8463366336633663
    0 order_cycle_time_mean 222812.48232752475
    0 order_cycle_time_p50 202506.239
    0 order_cycle_time_p90 350748.671
    0 order_cycle_time_p99 563085.311
    0 ship_on_time_rate 0.8532521627683435
    0 lost_rate 0.0003204101249599487
    0 damaged_rate 0.005544554455445544
    0 perfect_order_rate 0.8400633412509897
    0 cost_fulfilment 10000.0
    0 cost_shipping 17825.5
    0 cost_per_order_delivered 12.169108910891088
    0 fill_rate 0.8591916558018253
    0 backorder_rate 0.2083102493074792
    0 cancel_rate 0.0
    0 stockout_sku_days 483.0
    0 avg_on_hand_units 6076.819146625193
    0 inventory_turns 30.8880757302513
    0 lost_revenue 0.0
    0 cross_region_rate 0.0
    0 return_rate 0.2316831683168317
    0 return_cycle_time_mean 255595.33173404256
    0 refund_time_mean 428633.6618170732
    0 cost_returns 2901.5
    1 events 16341
    1 orders 3497.0
    1 on_time_rate 0.8016227180527383
    1 otif_rate 0.797971602434077
    1 order_cycle_time_mean 238987.40936551723
    1 order_cycle_time_p50 213647.359
    1 order_cycle_time_p90 400031.743
    1 order_cycle_time_p99 553648.127
    1 ship_on_time_rate 0.78125
    1 lost_rate 0.0009765625
    1 damaged_rate 0.006896551724137931
    1 perfect_order_rate 0.7917341977309562
    1 cost_fulfilment 10000.0
    1 cost_shipping 17622.0
    1 cost_per_order_delivered 12.32920892494929
    1 fill_rate 0.8208955223880597
    1 backorder_rate 0.2533600228767515
    1 cancel_rate 0.0
    1 stockout_sku_days 502.0
    1 avg_on_hand_units 5821.898545152392
    1 inventory_turns 31.91663599520916
    1 lost_revenue 0.0
    1 cross_region_rate 0.0
    1 return_rate 0.22190669371196756
    1 return_cycle_time_mean 251657.71179166666
    1 refund_time_mean 418392.2659770115
    1 cost_returns 2769.5
";

const GOLDEN_DEFAULT: &str = "
    0 events 1512340
    0 orders 320948.0
    0 on_time_rate 0.9197477842654699
    0 otif_rate 0.914375331756985
    0 order_cycle_time_mean 219936.2719203333
    0 order_cycle_time_p50 197394.431
    0 order_cycle_time_p90 396099.583
    0 order_cycle_time_p99 576192.511
    0 ship_on_time_rate 0.7539783377152706
    0 lost_rate 0.0009875083340671505
    0 damaged_rate 0.004803036883334138
    0 perfect_order_rate 0.9083812456011235
    0 cost_fulfilment 580800.0
    0 cost_shipping 1989834.39998936
    0 cost_per_order_delivered 9.223871704513053
    0 customers_new 129270.0
    0 customers_lost 3047.0
    0 retention_rate 0.9950241372988922
    0 repeat_purchase_rate 0.5972244725002182
    0 revenue 19430540.0
    0 gross_margin 6848075.60001064
    0 lost_future_revenue 721090.0
    0 tickets 35829.0
    0 tickets_per_order 0.11163490658922941
    0 frt_mean 10489.875903953778
    0 frt_p50 0.0
    0 frt_p90 35749.887
    0 resolution_time_mean 18405.417549632184
    0 resolution_time_p90 48529.407
    0 sla_attainment 0.9595027707054066
    0 abandonment_rate 0.020387866732968673
    0 self_service_rate 0.07044572832063413
    0 one_touch_rate 0.9084854539399994
    0 agent_occupancy 0.19828412686760377
    0 backlog_end 100.0
    0 csat 0.8623481781376519
    0 nps 36.06237816764133
    0 service_tier 3.0
    0 cost_support 296560.0
    0 wismo_tickets 8106.0
    0 wismo_per_order 0.025256427832546082
    0 wismo_frt_p90 40009.727
    0 wismo_resolution_time_mean 10165.00708688
    0 tracking_tickets 2812.0
    0 tracking_per_order 0.008761543926118873
    0 tracking_frt_p90 39485.439
    0 tracking_resolution_time_mean 14302.62318438287
    0 change_order_tickets 3086.0
    0 change_order_per_order 0.009615264778094894
    0 change_order_frt_p90 40435.711
    0 change_order_resolution_time_mean 15562.583444444444
    0 cancel_order_tickets 1598.0
    0 cancel_order_per_order 0.004978999713349203
    0 cancel_order_frt_p90 36765.695
    0 cancel_order_resolution_time_mean 22571.014892947103
    0 damaged_tickets 1045.0
    0 damaged_per_order 0.003255979161733365
    0 damaged_frt_p90 34340.863
    0 damaged_resolution_time_mean 65446.54757032755
    0 wrong_item_tickets 1478.0
    0 wrong_item_per_order 0.004605107369418099
    0 wrong_item_frt_p90 36503.551
    0 wrong_item_resolution_time_mean 68418.94414343985
    0 lost_tickets 287.0
    0 lost_per_order 0.0008942258559018906
    0 lost_frt_p90 38043.647
    0 lost_resolution_time_mean 80962.47063250883
    0 returns_tickets 0.0
    0 returns_per_order 0.0
    0 returns_frt_p90 NaN
    0 returns_resolution_time_mean NaN
    0 presale_tickets 17417.0
    0 presale_per_order 0.054267357952067004
    0 presale_frt_p90 33210.367
    0 presale_resolution_time_mean 13889.541412185139
    0 email_tickets 16372.0
    0 email_frt_mean 19149.235290904628
    0 email_frt_p50 18071.551
    0 email_frt_p90 44007.423
    0 email_sla_attainment 1.0
    0 chat_tickets 11086.0
    0 chat_frt_mean 2.9859660474055096
    0 chat_frt_p50 0.0
    0 chat_frt_p90 0.0
    0 chat_sla_attainment 0.9844116056947197
    0 chat_abandonment_rate 0.014336016096579477
    0 phone_tickets 2275.0
    0 phone_frt_mean 6.584161620866325
    0 phone_frt_p50 0.0
    0 phone_frt_p90 0.0
    0 phone_sla_attainment 0.9045534150612959
    0 phone_abandonment_rate 0.05640181144503911
    0 social_tickets 2106.0
    0 social_frt_mean 16518.904323963794
    0 social_frt_p50 8347.647
    0 social_frt_p90 46497.791
    0 social_sla_attainment 0.5564554549785612
    0 sms_tickets 1609.0
    0 sms_frt_mean 16.505600628930818
    0 sms_frt_p50 0.0
    0 sms_frt_p90 0.0
    0 sms_sla_attainment 0.9813664596273292
    0 sms_abandonment_rate 0.011554015020219527
";
