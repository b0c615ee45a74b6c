//! Staffing requirements: the Erlang figures a workforce tool would compute, read off simulated
//! arrivals and handle times.

use o2d::scenario::support::Channel;
use o2d::staffing::erlang::agents_needed;
use o2d::staffing::requirement::{Need, Service, erlang_needs, goal};

use crate::support::{load_text, run_all};
use crate::support_model::mmc;

#[test]
fn in_the_stationary_case_every_hours_requirement_is_erlang_c_within_one_agent() {
    let (per_hour, handle_min) = (120.0, 6.0);
    // A support-only M/M/c: Poisson calls on the phone, exponential handle times, 30 agents
    // around the clock, no orders; the service level counts answers within 20 s.
    let text = mmc(per_hour, handle_min, 30, 3, None).replace("sla = \"0s\"", "sla = \"20s\"");
    assert!(text.contains("sla = \"20s\""), "the answer time is set");
    let sc = load_text(&text, &[("run.replications", "40")]);
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
