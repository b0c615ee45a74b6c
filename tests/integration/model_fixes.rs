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

/// Every contact type but tracking questions switched off, for the scenarios below.
const ONLY_TRACKING_QUESTIONS: &str = r#"
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
"#;

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
    let text = format!("{SMALL}\n{ONLY_TRACKING_QUESTIONS}\n{TRACKING_AT_MIDNIGHT}");
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

/// Chat customers whose questions come at 10:00 (a 10:00 pickup, no delay), to a chat team on
/// shift 08:00-20:00 that never resolves a question in one reply: each customer writes back 12
/// hours after a reply, when chat is closed. Email is staffed round the clock.
const FOLLOW_UPS_AT_NIGHT: &str = r#"
[support.channels.chat]
retry_channel = "email"
abandons = false

[support.contacts.tracking]
rate = 1.0
delay = { dist = "constant", value = "0s" }
channels = { chat = 1.0 }
self_service = 0.0
one_touch = 0.0
follow_up_delay = { dist = "constant", value = "12h" }

[[support.teams]]
name = "chat"
channels = ["chat"]

[[support.teams.shifts]]
start = "08:00"
end = "20:00"
agents = 40

[[support.teams]]
name = "email"
channels = ["email"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 40
"#;

/// Sum over every day and replication of a daily column.
fn daily_total(result: &RunResult, column: &str) -> f64 {
    let c = result.daily_columns.iter().position(|n| *n == column).unwrap_or_else(|| panic!("no {column}"));
    result.replications.iter().flat_map(|r| r.daily.iter().map(move |row| row[c])).sum()
}

#[test]
fn a_follow_up_at_an_hour_chat_is_closed_lands_on_the_fallback_channel() {
    let text = format!("{SMALL}\n{ONLY_TRACKING_QUESTIONS}\n{FOLLOW_UPS_AT_NIGHT}");
    let r = run(&text, &[("carriers[0].pickups", "[\"10:00\"]")]);
    assert_eq!(mean(&r, "chat_tickets"), mean(&r, "tickets"), "every question starts on chat");
    assert_eq!(mean(&r, "email_tickets"), 0.0, "none starts on email");
    let email_hours = daily_total(&r, "email_workload_h");
    assert!(email_hours > 100.0, "the follow-ups at night are answered by email: {email_hours} h");
}

#[test]
fn with_ten_times_the_chat_staff_chat_abandonment_is_about_zero() {
    // The default scenario's live team works 07:00-15:00 (5 agents) and 15:00-23:00 (4).
    let sets = [
        ("support.teams[0].shifts[0].agents", "50"),
        ("support.teams[0].shifts[1].agents", "40"),
        ("run.replications", "2"),
    ];
    let r = run_all(&crate::support::load(&o2d::scenario::Source::Default, &sets));
    assert_sane(&r);
    let rate = mean(&r, "chat_abandonment_rate");
    assert!(rate < 0.001, "chat abandonment with 10x the chat staff: {rate}");
}

/// Every customer on chat abandons at once (one agent, busy with a ten-hour chat) and retries by
/// email, where the question is answered: CSAT must feel the abandonment penalty.
const ABANDON_THEN_RETRY: &str = r#"
[support.channels.chat]
abandons = true
patience = { dist = "constant", value = "1m" }
retry_rate = 1.0
retry_channel = "email"
retry_delay = { dist = "constant", value = "10m" }

[support.contacts.presale]
per_hour = 20.0
channels = { chat = 1.0 }
handle_time = { dist = "constant", value = "10h" }
one_touch = 1.0
self_service = 0.0

[support.csat]
answer_rate = 1.0

[[support.teams]]
name = "chat"
channels = ["chat"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 1

[[support.teams]]
name = "email"
channels = ["email"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 1000
"#;

#[test]
fn a_customer_who_abandons_and_retries_carries_the_abandonment_into_the_csat_draw() {
    let text = format!("{SMALL}\n{ABANDON_THEN_RETRY}");
    let lenient = run(&text, &[("support.csat.abandon_penalty", "0.0")]);
    let strict = run(&text, &[("support.csat.abandon_penalty", "3.0")]);
    let (a, b) = (mean(&lenient, "csat"), mean(&strict, "csat"));
    assert!(mean(&strict, "chat_abandonment_rate") > 0.9, "nearly every chat customer abandons");
    assert!(b < a - 0.5, "CSAT without an abandonment penalty {a}, with one {b}");
}

/// The gap sits inside chat's opening hours, so its customers queue and most give up: the
/// header's compare (B closes the gap) shows it in abandonment and the mean first response.
#[test]
fn the_shift_change_scenario_answers_its_own_question_with_the_command_in_its_header() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/shift-change.toml");
    let command = &crate::library::header(&path).commands[0];
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    crate::library::run_as_written(command, &out);
    let rows = crate::library::csv_rows(&out.join("compare.csv"));
    let mean = |kpi: &str, side: &str| -> f64 {
        rows.iter().find(|r| r["kpi"] == kpi).unwrap()[side].parse().unwrap()
    };
    let (gap_abandoned, abandoned) =
        (mean("chat_abandonment_rate", "a_mean"), mean("chat_abandonment_rate", "b_mean"));
    assert!(
        gap_abandoned > 0.03 && abandoned < 0.01,
        "chat abandonment with the gap {gap_abandoned}, without {abandoned}"
    );
    let (gap_frt, frt) = (mean("chat_frt_mean", "a_mean"), mean("chat_frt_mean", "b_mean"));
    assert!(gap_frt > 2.0 * frt, "chat FRT mean with the gap {gap_frt} s, without {frt} s");
}

/// The fuzzer's find, as a shape: a team of 12 on a one-hour shift (16:00-17:00) swamped with
/// e-mails of 50 minutes each, so the replies in hand at 17:00 run well past the shift.
const ONE_HOUR_SHIFT: &str = r#"
[support.contacts.presale]
per_hour = 40.0
channels = { email = 1.0 }
handle_time = { dist = "constant", value = "50m" }
one_touch = 1.0
self_service = 0.0

[[support.teams]]
name = "short"
channels = ["email"]

[[support.teams.shifts]]
start = "16:00"
end = "17:00"
agents = 12
"#;

#[test]
fn agent_occupancy_counts_replies_finished_after_the_shift_as_time_on_shift_and_never_exceeds_one() {
    let text = format!("{SMALL}\n{ONE_HOUR_SHIFT}");
    let r = run(&text, &[]);
    let occupancy = mean(&r, "agent_occupancy");
    assert!(occupancy > 0.9 && occupancy <= 1.0, "a swamped team is busy, at most all the time: {occupancy}");
    for column in ["agent_occupancy", "email_occupancy"] {
        let c = r.daily_columns.iter().position(|n| *n == column).unwrap();
        for rep in &r.replications {
            for (day, row) in rep.daily.iter().enumerate() {
                assert!(row[c].is_nan() || row[c] <= 1.0, "day {day}: {column} = {}", row[c]);
            }
        }
    }
}

#[test]
fn the_last_of_257_carriers_ships_at_its_own_cost() {
    let mut many =
        SMALL.replace("[[carriers]]\nname = \"parcel\"", "[[carriers]]\nname = \"first\"\nshare = 0.0");
    for i in 1..256 {
        many.push_str(&format!("\n[[carriers]]\nname = \"idle {i}\"\nshare = 0.0\npickups = [\"18:00\"]\n"));
    }
    many.push_str(
        "\n[[carriers]]\nname = \"last\"\nshare = 1.0\npickups = [\"18:00\"]\ncost_per_parcel = 5.0\n",
    );
    let one = SMALL.replace("name = \"parcel\"", "name = \"last\"\ncost_per_parcel = 5.0");
    let sets = [("run.replications", "1")];
    let (many, one) = (run(&many, &sets), run(&one, &sets));
    let cost = mean(&many, "cost_shipping");
    assert!(cost > 1_000.0, "parcels shipped at 5.0 each: {cost}");
    assert_eq!(cost, mean(&one, "cost_shipping"), "the same parcels as with the last carrier alone");
}

#[test]
fn a_collapsing_operation_costs_more_per_order_delivered_than_a_healthy_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/starter.toml");
    let load = |sets: &[(&str, &str)]| crate::support::load(&o2d::scenario::Source::File(path.into()), sets);
    let healthy = run_all(&load(&[("run.replications", "3")]));
    let collapsed = run_all(&load(&[("run.replications", "3"), ("demand.orders_per_day", "6000")]));
    let (h, c) = (mean(&healthy, "cost_per_order_delivered"), mean(&collapsed, "cost_per_order_delivered"));
    assert!(c > h, "cost per order delivered: collapsed {c}, healthy {h}");
}
