//! Targets judged on the confidence interval, not the mean: a target holds only when the whole
//! 95% interval is on the right side, fails when it is wholly on the wrong side, and is
//! inconclusive otherwise (or when the KPI is undefined, or has fewer than five replications).

use crate::kpi::{Comparison, Target};
use crate::stats::Summary;

use super::RunResult;

/// The fewest replications (where the KPI is defined) on which a target is judged `pass` or
/// `fail`; with fewer it is `inconclusive`. Five is the smallest count at which every replication
/// falling on one side of a threshold is evidence at the 5% level without assuming any
/// distribution (a sign test: 0.5^5 = 3.1%, while 0.5^4 = 6.25%). So a zero-width interval, all
/// replications tied, is judged only when at least five tie; below five a Student-t interval rests
/// on a standard deviation from two to four values, and ties (a p90 on a histogram bucket, a
/// wage bill) would count as certainty.
pub const MIN_REPLICATIONS: usize = 5;

/// The verdict on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The whole interval satisfies the target.
    Pass,
    /// The whole interval violates it.
    Fail,
    /// The interval straddles the threshold, the KPI is undefined, or it has fewer than
    /// [`MIN_REPLICATIONS`] replications.
    Inconclusive,
}

impl Verdict {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// A target with its KPI's summary and the verdict.
#[derive(Debug, Clone)]
pub struct TargetCheck {
    /// The target.
    pub target: Target,
    /// The KPI's summary across replications.
    pub summary: Summary,
    /// The verdict.
    pub verdict: Verdict,
}

/// Judges `summary` against `target`.
pub fn judge(target: &Target, s: &Summary) -> Verdict {
    let (lo, hi) = (s.ci95_low, s.ci95_high);
    if s.n < MIN_REPLICATIONS || !(lo.is_finite() && hi.is_finite()) {
        return Verdict::Inconclusive;
    }
    let c = target.comparison;
    let t = target.threshold;
    let (all_ok, all_bad) = match c {
        Comparison::AtLeast | Comparison::Above => (c.holds(lo, t), !c.holds(hi, t)),
        Comparison::AtMost | Comparison::Below => (c.holds(hi, t), !c.holds(lo, t)),
    };
    if all_ok {
        Verdict::Pass
    } else if all_bad {
        Verdict::Fail
    } else {
        Verdict::Inconclusive
    }
}

/// Checks every target against a run's summaries.
pub fn check(targets: &[Target], result: &RunResult) -> Vec<TargetCheck> {
    targets
        .iter()
        .filter_map(|t| {
            let s = *result.summary_in(t.window.as_deref(), &t.kpi)?;
            Some(TargetCheck { target: t.clone(), summary: s, verdict: judge(t, &s) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::{Unit, parse_target};

    fn s(lo: f64, hi: f64) -> Summary {
        Summary {
            mean: (lo + hi) / 2.0,
            ci95_low: lo,
            ci95_high: hi,
            sd: 0.0,
            min: lo,
            max: hi,
            n: 5,
            clamped: false,
        }
    }

    #[test]
    fn targets_are_judged_on_the_whole_interval() {
        let t = parse_target("on_time_rate", Unit::Ratio, ">= 0.95").unwrap();
        assert_eq!(judge(&t, &s(0.96, 0.97)), Verdict::Pass);
        assert_eq!(judge(&t, &s(0.90, 0.94)), Verdict::Fail);
        assert_eq!(judge(&t, &s(0.94, 0.96)), Verdict::Inconclusive);
        assert_eq!(judge(&t, &s(f64::NAN, f64::NAN)), Verdict::Inconclusive);
        let t = parse_target("order_cycle_time_p90", Unit::Seconds, "<= 4d").unwrap();
        assert_eq!(judge(&t, &s(1.0, 2.0)), Verdict::Pass);
        assert_eq!(judge(&t, &s(400_000.0, 500_000.0)), Verdict::Fail);
    }

    #[test]
    fn fewer_than_five_replications_are_inconclusive_even_on_a_tied_zero_width_interval() {
        let t = parse_target("order_cycle_time_p90", Unit::Seconds, "<= 4d").unwrap();
        let tied = |n| Summary { n, ..s(1_000.0, 1_000.0) };
        assert_eq!(judge(&t, &tied(2)), Verdict::Inconclusive);
        assert_eq!(judge(&t, &tied(4)), Verdict::Inconclusive);
        assert_eq!(judge(&t, &tied(MIN_REPLICATIONS)), Verdict::Pass);
        let far_off = Summary { n: 3, ..s(900_000.0, 900_000.0) };
        assert_eq!(judge(&t, &far_off), Verdict::Inconclusive);
    }
}
