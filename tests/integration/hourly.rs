//! hourly.csv against daily.csv (the hours of a day add up to the day) and the hourly queue
//! snapshot against tickets known to be waiting.

use std::collections::HashMap;

use crate::library::csv_rows;
use crate::support::{load_text, o2d, run_all};

type Row = HashMap<String, String>;

fn num(row: &Row, col: &str) -> f64 {
    row.get(col).unwrap_or_else(|| panic!("no column {col}")).parse().unwrap_or_else(|e| panic!("{col}: {e}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// The support channels of daily.csv (those with a `<ch>_agents_needed` column).
fn channels(daily: &[Row]) -> Vec<String> {
    let mut chs: Vec<String> =
        daily[0].keys().filter_map(|k| k.strip_suffix("_agents_needed").map(str::to_string)).collect();
    chs.sort();
    chs
}

#[test]
fn the_hours_of_each_day_add_up_to_the_day_in_the_default_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    o2d(tmp.path()).args(["run", "--days", "21", "-r", "2", "--quiet", "--out", "out"]).assert().success();
    let daily = csv_rows(&tmp.path().join("out/daily.csv"));
    let hourly = csv_rows(&tmp.path().join("out/hourly.csv"));
    let chs = channels(&daily);
    assert!(!chs.is_empty(), "the default scenario models support");
    assert_eq!(hourly.len(), daily.len() * 24, "24 hours a day");
    let mut by_day: HashMap<(String, String), Vec<&Row>> = HashMap::new();
    for h in &hourly {
        by_day.entry((h["replication"].clone(), h["day"].clone())).or_default().push(h);
    }
    let mut sums = vec!["orders".to_string(), "tickets".to_string()];
    sums.extend(chs.iter().map(|c| format!("{c}_offered")));
    let mut means: Vec<String> = chs.iter().map(|c| format!("{c}_agents")).collect();
    means.extend(chs.iter().map(|c| format!("{c}_agents_needed")));
    for d in &daily {
        let hours = &by_day[&(d["replication"].clone(), d["day"].clone())];
        let hour_numbers: Vec<f64> = hours.iter().map(|h| num(h, "hour")).collect();
        assert_eq!(hour_numbers, (0..24).map(f64::from).collect::<Vec<_>>(), "hours 0..23 in order");
        assert!(hours.iter().all(|h| h["date"] == d["date"] && h["warmup"] == d["warmup"]));
        for col in &sums {
            let total: f64 = hours.iter().map(|h| num(h, col)).sum();
            assert_eq!(total, num(d, col), "{col} on day {} of replication {}", d["day"], d["replication"]);
        }
        for col in &means {
            let mean = hours.iter().map(|h| num(h, col)).sum::<f64>() / 24.0;
            assert!(close(mean, num(d, col)), "{col} on day {}: hours' mean {mean} vs {}", d["day"], d[col]);
        }
        for c in &chs {
            for h in hours {
                let q = num(h, &format!("{c}_queue"));
                assert!(q >= 0.0 && q.fract() == 0.0, "{c}_queue is a count: {q}");
            }
        }
    }
    let busy: f64 = hourly.iter().map(|h| num(h, &format!("{}_agents_needed", chs[0]))).sum();
    assert!(busy > 0.0, "agents work");
}

/// Pre-sale questions on email only (no abandonment there) and a team of nobody: every ticket
/// waits for good, so the queue at each hour end is every ticket offered so far, and at midnight
/// it is the day's support backlog.
const NOBODY: &str = r#"
[run]
start_date = "2026-11-02"
days = 3
warmup_days = 1
replications = 2
seed = 9

[demand]
orders_per_day = 0

[support.contacts.presale]
per_hour = 3.0
channels = { email = 1.0 }
handle_time = { dist = "exponential", mean = "5m" }
one_touch = 1.0
self_service = 0.0

[[support.teams]]
name = "nobody"
channels = ["email"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 0
"#;

#[test]
fn the_queue_at_each_hour_end_is_every_ticket_still_waiting() {
    let r = run_all(&load_text(NOBODY, &[]));
    let col = |cols: &[&str], name: &str| cols.iter().position(|c| *c == name).unwrap();
    let daily_columns: Vec<&str> = r.daily_columns.iter().map(String::as_str).collect();
    let (offered, queue) = (col(&r.hourly_columns, "email_offered"), col(&r.hourly_columns, "email_queue"));
    let backlog = col(&daily_columns, "support_backlog");
    for rep in &r.replications {
        let (offered, queue) = (&rep.hourly[offered], &rep.hourly[queue]);
        assert_eq!(queue.len(), 3 * 24);
        let mut so_far = 0.0;
        for (i, (&q, &o)) in queue.iter().zip(offered).enumerate() {
            so_far += o;
            assert_eq!(q, so_far, "hour {i}: every ticket offered so far waits");
            if i % 24 == 23 {
                assert_eq!(q, rep.daily[i / 24][backlog], "midnight of day {}", i / 24);
            }
        }
        assert!(so_far > 100.0, "about 72 questions a day: {so_far}");
    }
}

/// Pre-sale questions on email around the clock, an `sla` of an hour, and a team with room for
/// all of them from 09:00 to 17:00: the questions of 17:00 to 08:00 wait until 09:00 and miss
/// the sla, those of 08:00 to 17:00 are answered within it.
const OFFICE_HOURS: &str = r#"
[run]
start_date = "2026-11-02"
days = 3
warmup_days = 0
replications = 2
seed = 4

[demand]
orders_per_day = 0

[support.channels.email]
sla = "1h"

[support.contacts.presale]
per_hour = 3.0
channels = { email = 1.0 }
handle_time = { dist = "exponential", mean = "5m" }
one_touch = 1.0
self_service = 0.0

[[support.teams]]
name = "office"
channels = ["email"]

[[support.teams.shifts]]
start = "09:00"
end = "17:00"
agents = 100
"#;

#[test]
fn the_contacts_that_miss_the_sla_count_in_the_hour_they_were_made() {
    let r = run_all(&load_text(OFFICE_HOURS, &[]));
    let col = |name: &str| r.hourly_columns.iter().position(|c| *c == name).unwrap();
    let (offered, late) = (col("email_offered"), col("email_late"));
    for rep in &r.replications {
        let (offered, late) = (&rep.hourly[offered], &rep.hourly[late]);
        let mut missed = 0.0;
        // The last evening's questions are still waiting at the end: not yet judged.
        for i in 0..2 * 24 + 17 {
            let hour = i % 24;
            let expected = if (8..17).contains(&hour) { 0.0 } else { offered[i] };
            assert_eq!(late[i], expected, "hour {i}");
            missed += late[i];
        }
        assert!(missed > 50.0, "some 45 questions a night: {missed}");
        assert!(late[2 * 24 + 17..].iter().all(|&l| l == 0.0), "unanswered at the end");
    }
}
