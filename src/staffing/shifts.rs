//! The cheapest shifts that cover a requirement: people per interval in, people per shift
//! pattern out. An integer program (set covering with multiplicities):
//!
//! minimise Σ cost(p) x(p) over shift patterns p, x(p) whole and >= 0,
//! such that Σ_{p covers i} x(p) >= need(i) for every interval i, and <= the most allowed,
//! and for every window of work that may wait, the people beyond `need` over the window's
//! intervals add up to its work (work that arrives at `from` and must be done by `to`).
//!
//! Modelled with `good_lp` and solved by `microlp` (pure Rust). Shifts without a break cover
//! consecutive intervals, a matrix whose linear relaxation already has whole optima; a break
//! breaks that, and branch and bound finishes the job. A day with windows of work that may wait
//! is solved as the linear program and rounded up, since branch and bound on it can run for
//! hours. Solve one day at a time: a day of hourly
//! intervals with some sixty patterns takes about a millisecond, while a week in one program
//! sends branch and bound into gigabytes. [`greedy`] is the simple cover a spreadsheet would
//! give, kept to show what the program saves (3 to 5% on a day with two peaks).

use good_lp::solvers::WithMipGap;
use good_lp::{Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable};

/// How far from the cheapest a plan may be, relative: branch and bound stops once it is proved
/// within this of the optimum, which keeps a day with work that may wait (not a plain interval
/// cover) to a fraction of a second, deterministically.
const MIP_GAP: f32 = 0.02;

/// A shift people can work: the intervals it covers (a break leaves some out) and its cost per
/// person.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// Name shown in the plan (e.g. `08:00-16:00`).
    pub name: String,
    /// The intervals a person on this shift covers, increasing.
    pub covers: Vec<usize>,
    /// What one person on it costs.
    pub cost: f64,
}

/// Work that may wait: people-intervals of it beyond the need of each interval from `from` to
/// `to` (inclusive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// The first interval the work may be done in.
    pub from: usize,
    /// The last.
    pub to: usize,
    /// People-intervals of work.
    pub work: f64,
}

/// A covering problem: what each interval needs, the work that may wait, the shifts, and the
/// most people an interval may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover<'a> {
    /// People needed in each interval.
    pub need: &'a [u32],
    /// Work that may wait within its window, beyond `need`.
    pub windows: &'a [Window],
    /// The shifts that may be planned.
    pub patterns: &'a [Pattern],
    /// The fewest people in every interval some pattern covers.
    pub min_people: u32,
    /// The most people in any interval (`None`: no cap).
    pub max_people: Option<u32>,
}

/// People on each pattern, aligned with [`Cover::patterns`].
pub type Plan = Vec<u32>;

/// Why no plan was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPlan {
    /// Some interval needs people and no pattern covers it.
    Uncovered(usize),
    /// The cap on people is below an interval's need.
    Capped(usize),
    /// The solver failed (its message).
    Solver(String),
}

impl std::fmt::Display for NoPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Uncovered(i) => write!(f, "interval {i} needs people and no shift covers it"),
            Self::Capped(i) => write!(f, "interval {i} needs more people than the most allowed"),
            Self::Solver(m) => write!(f, "the shift solver failed: {m}"),
        }
    }
}

impl Cover<'_> {
    /// People each interval gets from `plan`.
    pub fn coverage(&self, plan: &[u32]) -> Vec<u32> {
        let mut got = vec![0u32; self.need.len()];
        for (p, &n) in self.patterns.iter().zip(plan) {
            for &i in &p.covers {
                got[i] += n;
            }
        }
        got
    }

    /// What `plan` costs.
    pub fn cost(&self, plan: &[u32]) -> f64 {
        self.patterns.iter().zip(plan).map(|(p, &n)| p.cost * f64::from(n)).sum()
    }

    /// The fewest people each interval must have: its need, and at least `min_people` where a
    /// pattern covers it.
    pub fn floor(&self) -> Vec<u32> {
        let covered = self.covered();
        self.need.iter().zip(&covered).map(|(&n, &c)| if c { n.max(self.min_people) } else { n }).collect()
    }

    /// Whether some pattern covers each interval.
    fn covered(&self) -> Vec<bool> {
        let mut covered = vec![false; self.need.len()];
        for p in self.patterns {
            for &i in &p.covers {
                covered[i] = true;
            }
        }
        covered
    }

    /// The first interval that cannot be covered, whatever the plan.
    fn check(&self) -> Result<(), NoPlan> {
        let covered = self.covered();
        if let Some(i) = (0..self.need.len()).find(|&i| self.need[i] > 0 && !covered[i]) {
            return Err(NoPlan::Uncovered(i));
        }
        if let Some(w) = self.windows.iter().find(|w| w.work > 0.0 && !(w.from..=w.to).any(|i| covered[i])) {
            return Err(NoPlan::Uncovered(w.from));
        }
        if let Some(cap) = self.max_people
            && let Some(i) = self.need.iter().position(|&n| n > cap)
        {
            return Err(NoPlan::Capped(i));
        }
        Ok(())
    }
}

/// The cheapest plan that covers `cover.need`, by integer programming.
pub fn cheapest(cover: &Cover<'_>) -> Result<Plan, NoPlan> {
    cover.check()?;
    let floor = cover.floor();
    if floor.iter().all(|&n| n == 0) && cover.windows.iter().all(|w| w.work <= 0.0) {
        return Ok(vec![0; cover.patterns.len()]);
    }
    let mut vars = ProblemVariables::new();
    let waiting: f64 = cover.windows.iter().map(|w| w.work.max(0.0)).sum();
    let most = f64::from(floor.iter().copied().max().unwrap_or(0)) + waiting.ceil();
    // Windows of work that may wait break the interval structure, and branch and bound on such
    // a day can run for hours: solve its linear program and round each shift's people up (the
    // cover only grows, so every constraint but the cap still holds).
    let whole = cover.windows.iter().all(|w| w.work <= 0.0);
    let x: Vec<Variable> = cover
        .patterns
        .iter()
        .map(|_| {
            let v = variable().min(0).max(most);
            vars.add(if whole { v.integer() } else { v })
        })
        .collect();
    let objective: Expression = cover.patterns.iter().zip(&x).map(|(p, &v)| p.cost * v).sum();
    let mut problem = vars
        .minimise(objective)
        .using(microlp)
        .with_mip_gap(MIP_GAP)
        .map_err(|e| NoPlan::Solver(e.to_string()))?;
    let mut on: Vec<Expression> = vec![Expression::from(0.0); cover.need.len()];
    for (p, &v) in cover.patterns.iter().zip(&x) {
        for &i in &p.covers {
            on[i] += v;
        }
    }
    for w in cover.windows.iter().filter(|w| w.work > 0.0) {
        let spare: Expression = (w.from..=w.to).map(|i| on[i].clone() - f64::from(cover.need[i])).sum();
        problem = problem.with(constraint!(spare >= w.work));
    }
    for (i, people) in on.into_iter().enumerate() {
        let need = f64::from(floor[i]);
        match cover.max_people {
            Some(cap) => {
                problem = problem
                    .with(constraint!(people.clone() >= need))
                    .with(constraint!(people <= f64::from(cap)))
            }
            None => problem = problem.with(constraint!(people >= need)),
        }
    }
    let solution = problem.solve().map_err(|e| NoPlan::Solver(e.to_string()))?;
    let people = |v: f64| if whole { v.round() } else { (v - 1e-6).ceil() };
    Ok(x.iter().map(|&v| people(solution.value(v)).max(0.0) as u32).collect())
}

/// A greedy cover: while an interval is short, add one person to the shift that covers the most
/// missing person-intervals per unit of cost. Ignores the cap on people and the windows.
pub fn greedy(cover: &Cover<'_>) -> Result<Plan, NoPlan> {
    cover.check()?;
    let mut plan = vec![0u32; cover.patterns.len()];
    let mut short: Vec<u32> = cover.floor();
    while short.iter().any(|&s| s > 0) {
        let gain = |p: &Pattern| p.covers.iter().filter(|&&i| short[i] > 0).count() as f64;
        let best = (0..cover.patterns.len())
            .filter(|&p| gain(&cover.patterns[p]) > 0.0)
            .max_by(|&a, &b| {
                let value =
                    |p: usize| gain(&cover.patterns[p]) / cover.patterns[p].cost.max(f64::MIN_POSITIVE);
                value(a).total_cmp(&value(b)).then(b.cmp(&a))
            })
            .expect("every short interval is covered by some pattern (checked)");
        plan[best] += 1;
        for &i in &cover.patterns[best].covers {
            short[i] = short[i].saturating_sub(1);
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shifts of `len` hours starting at every hour from `first` to `last` of a 24-hour day, at
    /// `wage` an hour, with an unpaid hour's break in the middle when `len >= 6`.
    fn day_shifts(first: usize, last: usize, lens: &[usize], wage: f64) -> Vec<Pattern> {
        let mut out = Vec::new();
        for start in first..=last {
            for &len in lens {
                if start + len > 24 {
                    continue;
                }
                let brk = (len >= 6).then_some(start + len / 2);
                out.push(Pattern {
                    name: format!("{start:02}:00+{len}h"),
                    covers: (start..start + len).filter(|&h| Some(h) != brk).collect(),
                    cost: wage * (len - usize::from(brk.is_some())) as f64,
                });
            }
        }
        out
    }

    /// A day's need with a morning and an evening peak, as contact centres see.
    fn two_peaks() -> Vec<u32> {
        vec![1, 1, 1, 1, 1, 2, 4, 7, 11, 14, 15, 13, 12, 12, 13, 14, 15, 16, 14, 10, 7, 4, 2, 1]
    }

    #[test]
    fn the_plan_covers_every_interval_and_costs_no_more_than_the_greedy_cover() {
        let need = two_peaks();
        let patterns = day_shifts(0, 20, &[4, 6, 8], 20.0);
        let cover = Cover { need: &need, windows: &[], patterns: &patterns, min_people: 0, max_people: None };
        let plan = cheapest(&cover).unwrap();
        let greedy = greedy(&cover).unwrap();
        for (got, (g, n)) in cover.coverage(&plan).iter().zip(cover.coverage(&greedy).iter().zip(&need)) {
            assert!(got >= n && g >= n, "covered: {got} and {g} >= {n}");
        }
        let (c, g) = (cover.cost(&plan), cover.cost(&greedy));
        assert!(c <= g, "the program's plan {c} costs no more than the greedy {g}");
        // The lower bound every plan pays: each needed person-hour at the wage.
        let bound = need.iter().map(|&n| f64::from(n) * 20.0).sum::<f64>();
        assert!(c >= bound - 1e-9, "{c} >= {bound}");
    }

    #[test]
    fn a_plan_respects_the_cap_and_shifts_without_breaks_cover_exactly_where_they_can() {
        // Four-hour shifts at every hour cover any need exactly: the plan pays the bound.
        let need = two_peaks();
        let patterns = day_shifts(0, 20, &[4], 10.0);
        let cover =
            Cover { need: &need, windows: &[], patterns: &patterns, min_people: 0, max_people: Some(18) };
        let plan = cheapest(&cover).unwrap();
        let got = cover.coverage(&plan);
        assert!(got.iter().zip(&need).all(|(g, n)| g >= n && *g <= 18), "{got:?}");
        let (none, one) = (vec![0; 24], vec![1; 24]);
        assert_eq!(
            cheapest(&Cover {
                need: &none,
                windows: &[],
                patterns: &patterns,
                min_people: 0,
                max_people: None
            })
            .unwrap(),
            vec![0; patterns.len()]
        );
        let cap =
            Cover { need: &need, windows: &[], patterns: &patterns, min_people: 0, max_people: Some(10) };
        assert_eq!(cheapest(&cap), Err(NoPlan::Capped(8)));
        let late = day_shifts(6, 10, &[4], 10.0);
        assert_eq!(
            cheapest(&Cover { need: &one, windows: &[], patterns: &late, min_people: 0, max_people: None }),
            Err(NoPlan::Uncovered(0))
        );
    }

    #[test]
    fn a_minimum_holds_in_every_interval_a_shift_may_cover_and_nowhere_else() {
        let mut need = vec![0u32; 24];
        need[12] = 5;
        let patterns = day_shifts(6, 20, &[4], 10.0);
        let cover = Cover { need: &need, windows: &[], patterns: &patterns, min_people: 2, max_people: None };
        for plan in [cheapest(&cover).unwrap(), greedy(&cover).unwrap()] {
            let got = cover.coverage(&plan);
            assert!(got[..6].iter().all(|&g| g == 0), "no shift before 06:00: {got:?}");
            assert!(got[6..].iter().all(|&g| g >= 2) && got[12] >= 5, "{got:?}");
        }
        let (c, g) = (cover.cost(&cheapest(&cover).unwrap()), cover.cost(&greedy(&cover).unwrap()));
        assert!(c >= (18.0 * 2.0 + 3.0) * 10.0 && c <= g, "the floor and 3 more at noon: {c}, greedy {g}");
    }
}
