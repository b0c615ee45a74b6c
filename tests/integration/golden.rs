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
    0 events 1505221
    0 orders 319612.0
    0 on_time_rate 0.924138198181331
    0 otif_rate 0.918863606284318
    0 order_cycle_time_mean 218933.57259831755
    0 order_cycle_time_p50 198049.791
    0 order_cycle_time_p90 390332.415
    0 order_cycle_time_p99 566231.039
    0 ship_on_time_rate 0.7527310937628192
    0 lost_rate 0.001120205991682076
    0 damaged_rate 0.0052390836284285655
    0 perfect_order_rate 0.9123820701485126
    0 cost_fulfilment 580800.0
    0 cost_shipping 1983004.2999894402
    0 cost_per_order_delivered 9.233325801242275
    0 customers_new 128321.0
    0 customers_lost 2852.0
    0 retention_rate 0.9953753827169117
    0 repeat_purchase_rate 0.5985100684580054
    0 revenue 19355025.0
    0 lost_future_revenue 678850.0
    0 tickets 35331.0
    0 tickets_per_order 0.11054340888327097
    0 frt_mean 10602.624773061101
    0 frt_p50 0.0
    0 frt_p90 35520.511
    0 resolution_time_mean 18727.425637700166
    0 resolution_time_p90 48627.711
    0 sla_attainment 0.9602757119535643
    0 abandonment_rate 0.016704776422764227
    0 self_service_rate 0.06515524610115762
    0 one_touch_rate 0.9088607594936708
    0 agent_occupancy 0.19762479031457603
    0 backlog_end 99.0
    0 csat 0.8604686782049319
    0 nps 36.16173992954511
    0 service_tier 3.0
    0 cost_support 296560.0
    0 wismo_tickets 7449.0
    0 wismo_per_order 0.02330638399058859
    0 wismo_frt_p90 33406.975
    0 wismo_resolution_time_mean 9672.086653687822
    0 tracking_tickets 2622.0
    0 tracking_per_order 0.008203696982591392
    0 tracking_frt_p90 40796.159
    0 tracking_resolution_time_mean 14415.899026592799
    0 change_order_tickets 3150.0
    0 change_order_per_order 0.009855700036294006
    0 change_order_frt_p90 40632.319
    0 change_order_resolution_time_mean 15261.919275829083
    0 cancel_order_tickets 1628.0
    0 cancel_order_per_order 0.005093676082249728
    0 cancel_order_frt_p90 39092.223
    0 cancel_order_resolution_time_mean 23152.871040073984
    0 damaged_tickets 1160.0
    0 damaged_per_order 0.003629400648286047
    0 damaged_frt_p90 33390.591
    0 damaged_resolution_time_mean 69124.44353119584
    0 wrong_item_tickets 1444.0
    0 wrong_item_per_order 0.004517978048383665
    0 wrong_item_frt_p90 34701.311
    0 wrong_item_resolution_time_mean 67295.3826211699
    0 lost_tickets 329.0
    0 lost_per_order 0.0010293731149018184
    0 lost_frt_p90 34045.951
    0 lost_resolution_time_mean 74722.32367477204
    0 returns_tickets 0.0
    0 returns_per_order 0.0
    0 returns_frt_p90 NaN
    0 returns_resolution_time_mean NaN
    0 presale_tickets 17549.0
    0 presale_per_order 0.05490719997997572
    0 presale_frt_p90 33538.047
    0 presale_resolution_time_mean 14031.072463457907
    0 email_tickets 16386.0
    0 email_frt_mean 19103.263643864168
    0 email_frt_p50 18022.399
    0 email_frt_p90 43745.279
    0 email_sla_attainment 1.0
    0 chat_tickets 10964.0
    0 chat_frt_mean 2.559662386846481
    0 chat_frt_p50 0.0
    0 chat_frt_p90 0.0
    0 chat_sla_attainment 0.9864236902050114
    0 chat_abandonment_rate 0.012633542479226725
    0 phone_tickets 2149.0
    0 phone_frt_mean 5.134820487804879
    0 phone_frt_p50 0.0
    0 phone_frt_p90 0.0
    0 phone_sla_attainment 0.9183673469387755
    0 phone_abandonment_rate 0.04602692140686062
    0 social_tickets 2143.0
    0 social_frt_mean 17005.055132394366
    0 social_frt_p50 10239.999
    0 social_frt_p90 46202.879
    0 social_sla_attainment 0.5422535211267606
    0 sms_tickets 1502.0
    0 sms_frt_mean 10.357272909698997
    0 sms_frt_p50 0.0
    0 sms_frt_p90 0.0
    0 sms_sla_attainment 0.9906852960745176
    0 sms_abandonment_rate 0.004857316332726169
";
