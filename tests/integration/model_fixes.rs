//! Numbers the model used to get wrong, each pinned by the behaviour a planner expects: the
//! order of events at midnight, closed real-time channels, occupancy, carrier ids and cost KPIs.

use o2d::experiment::RunResult;

use crate::support::{SMALL, assert_sane, load_text, run_all};

fn run(text: &str, sets: &[(&str, &str)]) -> RunResult {
    let result = run_all(&load_text(text, sets));
    assert_sane(&result);
    result
}

fn mean(result: &RunResult, kpi: &str) -> f64 {
    result.summary(kpi).unwrap_or_else(|| panic!("no KPI {kpi}")).mean
}

/// Support only for tracking questions, asked by phone exactly 12 hours after the 12:00 pickup,
/// that is at midnight, to a team on shift round the clock (a closed phone sends them to email;
/// nobody abandons).
const TRACKING_AT_MIDNIGHT: &str = r#"
[support.channels.phone]
retry_channel = "email"
abandons = false

[support.contacts.tracking]
rate = 1.0
delay = { dist = "constant", value = "12h" }
channels = { phone = 1.0 }
self_service = 0.0

[support.contacts.wismo]
rate = 0.0
late_rate = 0.0
late_rate_per_day = 0.0

[support.contacts.change_order]
rate = 0.0

[support.contacts.cancel_order]
rate = 0.0

[support.contacts.damaged]
rate = 0.0

[support.contacts.wrong_item]
rate = 0.0

[support.contacts.lost]
rate = 0.0

[support.contacts.presale]
per_hour = 0.0

[[support.teams]]
name = "round the clock"
channels = ["phone", "email"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 30
"#;

#[test]
fn a_round_the_clock_team_is_on_shift_at_midnight_so_a_contact_due_then_stays_on_its_channel() {
    let text = format!("{SMALL}\n{TRACKING_AT_MIDNIGHT}");
    let r = run(&text, &[("carriers[0].pickups", "[\"12:00\"]")]);
    let tickets = mean(&r, "tickets");
    assert!(tickets > 1_000.0, "one tracking question per parcel: {tickets}");
    assert_eq!(mean(&r, "phone_tickets"), tickets, "every question is asked by phone");
    assert_eq!(mean(&r, "email_tickets"), 0.0, "none finds the phone closed");
}

/// Periodic review every day at midnight with a constant lead time, low levels: stockouts.
const DAILY_REVIEW: &str = r#"
[inventory]
skus = 100
initial_stock = "2d"

[inventory.policy]
kind = "base_stock"
review_period = "1d"
order_up_to = "3d"
"#;

#[test]
fn the_day_end_stock_snapshot_does_not_count_a_delivery_due_at_the_next_midnight() {
    let text = format!("{SMALL}\n{DAILY_REVIEW}");
    let exact = run(&text, &[("inventory.lead_time", "{ dist = \"constant\", value = \"3d\" }")]);
    let later = run(&text, &[("inventory.lead_time", "{ dist = \"constant\", value = \"259200001ms\" }")]);
    let (a, b) = (mean(&exact, "stockout_sku_days"), mean(&later, "stockout_sku_days"));
    assert!(b > 50.0, "the scenario runs out of stock: {b}");
    assert_eq!(mean(&exact, "fill_rate"), mean(&later, "fill_rate"), "the same service");
    assert!((a - b).abs() <= 0.02 * b, "stockout SKU-days with a 3d lead time {a} vs 3d + 1 ms {b}");
}
