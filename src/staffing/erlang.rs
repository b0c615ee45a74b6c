//! The staffing a contact-centre workforce tool would compute for one interval: Erlang C (M/M/c,
//! patient callers) for the service level, Erlang A (M/M/c+M, callers who abandon after an
//! exponential patience) for the abandonment. Both assume what a real peak does not give: a
//! stationary Poisson arrival rate within the interval and no queue carried in from the interval
//! before. o2d starts from these figures and corrects them by simulation.
//!
//! Kleinrock, Queueing Systems vol. 1 (1975), section 3.5; Garnett, Mandelbaum & Reiman,
//! "Designing a call center with impatient customers", M&SOM 4(3), 2002.

/// Agents an interval may ask for: beyond this the load is not a queue anyone staffs.
pub const MAX_AGENTS: u32 = 100_000;

/// Erlang B, the blocking probability of `c` servers offered `a` Erlangs, by the stable
/// recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)).
pub fn erlang_b(c: u32, a: f64) -> f64 {
    (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
}

/// Erlang C, the probability that an arrival waits in an M/M/c queue offered `a` = λ/μ Erlangs
/// (1 when `a >= c`: the queue grows without bound).
pub fn wait_probability(c: u32, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if a >= f64::from(c) {
        return 1.0;
    }
    let b = erlang_b(c, a);
    f64::from(c) * b / (f64::from(c) - a * (1.0 - b))
}

/// The share of arrivals answered within `answer_s` seconds by `c` agents, offered `a` Erlangs
/// of work whose mean handle time is `handle_s`: 1 - C(c, a) e^{-(c - a) t / h}.
pub fn service_level(c: u32, a: f64, handle_s: f64, answer_s: f64) -> f64 {
    if a >= f64::from(c) {
        return 0.0;
    }
    1.0 - wait_probability(c, a) * (-(f64::from(c) - a) * answer_s / handle_s).exp()
}

/// The mean wait of an arrival (Erlang C), seconds; infinite when `a >= c`.
pub fn mean_wait_s(c: u32, a: f64, handle_s: f64) -> f64 {
    if a >= f64::from(c) {
        return f64::INFINITY;
    }
    wait_probability(c, a) * handle_s / (f64::from(c) - a)
}

/// Erlang A: the probability that an arrival abandons an M/M/c+M queue (arrival rate `lambda`,
/// service rate `mu` per agent, abandonment rate `theta` per waiting caller, all per the same
/// time unit), from the stationary distribution of its birth-death chain, summed until the
/// terms are negligible.
pub fn abandonment(c: u32, lambda: f64, mu: f64, theta: f64) -> f64 {
    if lambda <= 0.0 {
        return 0.0;
    }
    // p(k) relative to p(0), rescaled with the sums whenever they grow large.
    let (mut p, mut total, mut waiting) = (1.0f64, 1.0f64, 0.0f64);
    let mut k = 1u32;
    loop {
        let death = f64::from(k.min(c)) * mu + f64::from(k.saturating_sub(c)) * theta;
        p *= lambda / death;
        total += p;
        waiting += p * f64::from(k.saturating_sub(c));
        if total > 1e200 {
            (p, total, waiting) = (p / 1e200, total / 1e200, waiting / 1e200);
        }
        if k > c && p < total * 1e-16 {
            break;
        }
        if k >= c + 10_000_000 {
            // θ so small against λ that the chain barely returns: everyone waits, most abandon.
            break;
        }
        k += 1;
    }
    (waiting / total * theta / lambda).min(1.0)
}

/// What an interval's staffing must achieve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// Share of contacts answered within `answer_s` (e.g. 0.8).
    pub service_level: f64,
    /// The answer time of the service level, seconds.
    pub answer_s: f64,
    /// Highest occupancy allowed, (0, 1] (1: none).
    pub max_occupancy: f64,
    /// Highest share of contacts abandoned (Erlang A), with the mean patience in seconds; `None`
    /// when the channel does not abandon.
    pub abandonment: Option<(f64, f64)>,
}

/// The fewest agents that meet `goal` for `contacts` arrivals over `interval_s` seconds with a
/// mean handle time of `handle_s` seconds (0 when nothing arrives), at most [`MAX_AGENTS`].
pub fn agents_needed(contacts: f64, interval_s: f64, handle_s: f64, goal: &Goal) -> u32 {
    if contacts <= 0.0 || handle_s <= 0.0 {
        return 0;
    }
    let a = contacts * handle_s / interval_s;
    let meets = |c: u32| {
        let sl = service_level(c, a, handle_s, goal.answer_s) >= goal.service_level;
        let occupancy = a / f64::from(c) <= goal.max_occupancy;
        let abandons = goal.abandonment.is_none_or(|(cap, patience_s)| {
            abandonment(c, contacts / interval_s, 1.0 / handle_s, 1.0 / patience_s) <= cap
        });
        sl && occupancy && abandons
    };
    // The service level rises with every agent, so the first c that meets the goal is the answer.
    let mut c = (a.floor() as u32).saturating_add(1).max(1);
    while c < MAX_AGENTS && !meets(c) {
        c += 1;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_pyworkforce_example_needs_14_agents() {
        // pyworkforce's ErlangC example (and R's ErlangC package): 100 contacts in 30 minutes,
        // 3 minutes handle time, 80% answered within 20 seconds, occupancy at most 85%: 14
        // agents, at service level 0.88835, occupancy 0.7142857 and P(wait) 0.1741319.
        let goal = Goal { service_level: 0.8, answer_s: 20.0, max_occupancy: 0.85, abandonment: None };
        assert_eq!(agents_needed(100.0, 1_800.0, 180.0, &goal), 14);
        let a = 100.0 * 180.0 / 1_800.0;
        assert!((service_level(14, a, 180.0, 20.0) - 0.888_350_019_179_466_9).abs() < 1e-9);
        assert!((wait_probability(14, a) - 0.174_131_933_595_049_8).abs() < 1e-9);
        assert!(service_level(13, a, 180.0, 20.0) < 0.8, "13 agents are not enough");
    }

    #[test]
    fn erlang_c_matches_the_closed_form_for_one_and_two_servers() {
        // M/M/1: P(wait) = ρ. M/M/2: P(wait) = 2ρ² / (1 + ρ) with ρ = a / 2.
        for a in [0.1, 0.5, 0.9] {
            assert!((wait_probability(1, a) - a).abs() < 1e-12);
            let rho: f64 = a;
            assert!((wait_probability(2, 2.0 * rho) - 2.0 * rho * rho / (1.0 + rho)).abs() < 1e-12);
        }
        assert_eq!(wait_probability(3, 3.0), 1.0);
        assert_eq!(service_level(3, 3.5, 60.0, 20.0), 0.0);
    }

    #[test]
    fn erlang_a_without_patience_limits_tends_to_erlang_c_and_abandons_nobody() {
        // Patience so long that almost nobody abandons.
        assert!(abandonment(10, 8.0, 1.0, 1e-9) < 1e-6);
        // One agent, λ = μ = θ = 1: the death rate in state k is k, so p(k) ∝ 1/k!, and the
        // abandoning share E[(N - 1)+] θ / λ = (Σ (k - 1)/k! over k >= 1) / e = 1 / e.
        assert!((abandonment(1, 1.0, 1.0, 1.0) - (-1.0f64).exp()).abs() < 1e-12);
    }

    #[test]
    fn a_cap_on_abandonment_can_only_add_agents() {
        let plain = Goal { service_level: 0.5, answer_s: 60.0, max_occupancy: 1.0, abandonment: None };
        let capped = Goal { abandonment: Some((0.001, 30.0)), ..plain };
        let (a, b) =
            (agents_needed(500.0, 3_600.0, 300.0, &plain), agents_needed(500.0, 3_600.0, 300.0, &capped));
        assert!(b >= a, "{b} >= {a}");
        assert!(abandonment(b, 500.0 / 3_600.0, 1.0 / 300.0, 1.0 / 30.0) <= 0.001);
        assert_eq!(agents_needed(0.0, 3_600.0, 300.0, &plain), 0);
    }
}
