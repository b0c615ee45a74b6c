//! Staffing requirements: the Erlang figures a workforce tool would compute, read off simulated
//! arrivals and handle times.

use o2d::scenario::support::Channel;
use o2d::staffing::erlang::agents_needed;
use o2d::staffing::requirement::{Need, Service, erlang_needs, goal};

use crate::support::{load_text, run_all};

/// A support-only scenario: Poisson pre-sale calls on the phone at `per_hour`, exponential handle
/// times of `handle_min` minutes, enough agents on a 24-hour shift, no orders.
fn stationary(per_hour: f64, handle_min: f64) -> String {
    format!(
        r#"
[run]
start_date = "2026-11-02"
days = 3
warmup_days = 0
replications = 40
seed = 7

[demand]
orders_per_day = 0

[support.channels.phone]
sla = "20s"
abandons = false

[support.contacts.presale]
per_hour = {per_hour}
channels = {{ phone = 1.0 }}
handle_time = {{ dist = "exponential", mean = "{handle_min}m" }}
one_touch = 1.0
self_service = 0.0

[[support.teams]]
name = "agents"
channels = ["phone"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = 30
"#
    )
}

#[test]
fn in_the_stationary_case_every_hours_requirement_is_erlang_c_within_one_agent() {
    let (per_hour, handle_min) = (120.0, 6.0);
    let sc = load_text(&stationary(per_hour, handle_min), &[]);
    let result = run_all(&sc);
    let service = Service { level: 0.8, abandonment: 0.05 };
    let all = erlang_needs(&sc, &result, service);
    let (needs, others): (Vec<&Need>, Vec<&Need>) = all.iter().partition(|n| n.channel == Channel::Phone);
    assert_eq!(needs.len(), 3 * 24, "every hour of the horizon");
    assert!(others.iter().all(|n| n.offered == 0.0 && n.erlang == 0), "no contact, no agent");
    // Erlang C at the true rate and handle time: a = 120 x 6 min = 12 Erlangs.
    let support = sc.support.as_ref().unwrap();
    let theory = agents_needed(per_hour, 3_600.0, handle_min * 60.0, &goal(support, Channel::Phone, service));
    assert!(theory > 12, "more agents than Erlangs: {theory}");
    for n in &needs {
        assert!(
            n.erlang.abs_diff(theory) <= 1,
            "day {} hour {}: {} agents for {:.1} contacts and {:.0} s, theory {theory}",
            n.day,
            n.hour,
            n.erlang,
            n.offered,
            n.handle_s
        );
    }
}
