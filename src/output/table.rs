//! The KPI table for people: mean and 95% interval in human units (`4m 12s`, `97.3%`), targets
//! and engine figures at the end. Formatting only; every number comes from the run result.

use super::run::Shown;
use crate::experiment::RunResult;
use crate::experiment::capacity::{CapacityPoint, Status};
use crate::experiment::compare::KpiComparison;
use crate::experiment::staff::{Plan, Staffed};
use crate::experiment::sweep::SweepResult;
use crate::experiment::targets::{self, MIN_REPLICATIONS, TargetCheck};
use crate::kpi::{Group, KpiDef, Unit};
use crate::scenario::Scenario;
use crate::units::format_duration_human;

/// Formats one value of a KPI in its unit, for people.
pub(crate) fn human(unit: Unit, x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    match unit {
        // A queue that answers almost everything at once: its percentiles are 0, which "0ms"
        // would state more precisely than a simulation in whole milliseconds knows.
        Unit::Seconds if x < 1.0 => "< 1 s".to_string(),
        Unit::Seconds => format_duration_human(x),
        Unit::Ratio => format!("{:.1}%", x * 100.0),
        Unit::Count => grouped(x, 0),
        Unit::Currency => grouped(x, 2),
        // Small ratios such as tickets per order keep three decimals: 0.011, not 0.01.
        Unit::Number if x.abs() < 1.0 => format!("{x:.3}"),
        Unit::Number => format!("{x:.2}"),
    }
}

/// A number with thousands separators and `decimals` decimals.
fn grouped(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

/// Lays out rows in aligned columns (first column left, the rest right), a rule under the header.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n)
        .map(|c| rows.iter().map(|r| r.get(c).map_or(0, |x| x.chars().count())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * n.saturating_sub(1)));
            out.push('\n');
        }
    }
    out
}

/// The mark after an interval cut at its KPI's range, and the note that explains it.
const CUT: &str = " ^";
/// What [`CUT`] means, printed under a table that has one.
const CUT_NOTE: &str =
    "^ interval cut at the KPI's range (a share within 0..100%, times, counts and money at or above 0)\n";

/// `lo .. hi` in human units, marked when it was cut at the KPI's range.
fn interval(unit: Unit, lo: f64, hi: f64, clamped: bool) -> String {
    format!("{} .. {}{}", human(unit, lo), human(unit, hi), if clamped { CUT } else { "" })
}

/// A value and its interval in human units.
fn with_ci(unit: Unit, mean: f64, lo: f64, hi: f64, clamped: bool) -> String {
    if lo.is_finite() {
        format!("{} ({})", human(unit, mean), interval(unit, lo, hi, clamped))
    } else {
        human(unit, mean)
    }
}

/// The paired comparison of two scenarios.
pub(crate) fn render_compare(a: &str, b: &str, replications: u32, rows: &[KpiComparison]) -> String {
    let mut table = vec![vec![
        "KPI".to_string(),
        format!("A: {a}"),
        format!("B: {b}"),
        "B - A (95% CI)".to_string(),
        "".to_string(),
    ]];
    for c in rows {
        let u = c.def.unit;
        let diff = if c.diff.ci95_low.is_finite() {
            format!(
                "{} ({} .. {}{})",
                signed(u, c.diff.mean),
                signed(u, c.diff.ci95_low),
                signed(u, c.diff.ci95_high),
                if c.diff.clamped { CUT } else { "" }
            )
        } else {
            signed(u, c.diff.mean)
        };
        let mark = if c.significant() { "*" } else { "" };
        table.push(vec![
            c.def.name.to_string(),
            human(u, c.a.mean),
            human(u, c.b.mean),
            diff,
            mark.to_string(),
        ]);
    }
    let note = if (replications as usize) < MIN_REPLICATIONS {
        format!(
            "no difference is judged: that needs at least {MIN_REPLICATIONS} paired replications (pass --replications {MIN_REPLICATIONS} or more)"
        )
    } else {
        "* the 95% interval of the paired difference excludes zero".to_string()
    };
    format!(
        "o2d {} - compare `{a}` (A) with `{b}` (B): {replications} paired replications on common random numbers\n\n{}\n{note}\n{}",
        crate::VERSION,
        columns(&table),
        if rows.iter().any(|c| c.diff.clamped) { CUT_NOTE } else { "" }
    )
}

/// A difference with its sign, in human units.
fn signed(unit: Unit, x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    let sign = if x < 0.0 { "-" } else { "+" };
    format!("{sign}{}", human(unit, x.abs()))
}

/// A sweep: one row per point with the varied values and the main KPIs.
pub(crate) fn render_sweep(s: &SweepResult) -> String {
    let shown: Vec<usize> =
        ["orders", "on_time_rate", "order_cycle_time_p90", "fill_rate", "cost_per_order_delivered"]
            .iter()
            .filter_map(|name| s.kpis.iter().position(|(k, _)| k == name))
            .collect();
    let mut header = vec!["point".to_string()];
    header.extend(s.grid.keys.iter().cloned());
    header.extend(shown.iter().map(|&k| s.kpis[k].0.clone()));
    let mut table = vec![header];
    let mut cut = false;
    for p in 0..s.points() {
        let mut row = vec![p.to_string()];
        row.extend(s.grid.point(p).iter().map(|v| v.trim_matches('"').to_string()));
        for &k in &shown {
            let m = s.summary(p, k);
            let unit = Unit::from_name(&s.kpis[k].1);
            row.push(with_ci(unit, m.mean, m.ci95_low, m.ci95_high, m.clamped));
            cut |= m.clamped;
        }
        table.push(row);
    }
    format!(
        "o2d {} - sweep of `{}`: {} points x {} replications (common random numbers)\n\n{}{}",
        crate::VERSION,
        s.scenario,
        s.grid.points(),
        s.replications,
        columns(&table),
        if cut { CUT_NOTE } else { "" }
    )
}

/// The whole table of a run: the targets' verdicts first (every target, whatever its window),
/// then the KPIs of the horizon or of the window `shown.window` grouped (delivery, inventory,
/// returns, support, each channel, cost), then the windows there are and the engine figures.
/// `shown.kpis` names the KPIs or groups to show (`--kpis`); empty shows every KPI.
pub(crate) fn render(scenario: &Scenario, result: &RunResult, shown: &Shown<'_>) -> String {
    let mut out = format!(
        "o2d {} - scenario `{}`: {} days from {} ({} warm-up), {} replications, seed {}\n",
        crate::VERSION,
        scenario.name,
        grouped(f64::from(scenario.days), 0),
        scenario.start_date,
        scenario.warmup_days,
        grouped(f64::from(scenario.replications), 0),
        scenario.seed
    );
    out.push_str(&verdicts(scenario, result));
    let window = shown.window.and_then(|name| result.windows.iter().find(|w| w.name == name));
    let summaries = window.map_or(&result.summaries, |w| &w.summaries);
    match window {
        Some(w) => out.push_str(&format!(
            "\nwindow `{}`: {} .. {} ({} days)\n",
            w.name,
            w.from,
            w.to,
            (w.to - w.from).num_days() + 1
        )),
        None => out.push('\n'),
    }
    let mut rows = vec![vec!["KPI".to_string(), "mean".to_string(), "95% CI".to_string(), "sd".to_string()]];
    let mut group = None;
    // Whether a row shown has an interval cut at its KPI's range (the note explains the mark).
    let mut cut = false;
    let mut order: Vec<usize> = (0..result.kpis.len()).collect();
    order.sort_by_key(|&i| result.kpis[i].group());
    for (d, s) in order.into_iter().map(|i| (&result.kpis[i], &summaries[i])) {
        let g = d.group();
        if !shown.kpis.is_empty() && !shown.kpis.iter().any(|n| n == d.name || n == g.name()) {
            continue;
        }
        if group != Some(g) {
            let title = match (g, &scenario.currency) {
                (Group::Cost, Some(c)) => format!("cost ({c})"),
                _ => g.name().to_string(),
            };
            rows.push(vec![title]);
            group = Some(g);
        }
        cut |= s.clamped && s.ci95_low.is_finite();
        let ci = if s.ci95_low.is_finite() {
            interval(d.unit, s.ci95_low, s.ci95_high, s.clamped)
        } else {
            "-".to_string()
        };
        rows.push(vec![format!("  {}", d.name), scaled(d, s.mean), ci, human(d.unit, s.sd)]);
    }
    out.push_str(&columns(&rows));
    if cut {
        out.push_str(CUT_NOTE);
    }
    if !result.windows.is_empty() {
        let list: Vec<String> =
            result.windows.iter().map(|w| format!("`{}` {} .. {}", w.name, w.from, w.to)).collect();
        let which = if window.is_some() { "the horizon: --window all" } else { "one: --window NAME" };
        out.push_str(&format!("\nwindows: {}; show {which}\n", list.join(", ")));
    }
    let e = &result.engine;
    out.push_str(&format!(
        "\nengine: {} events in {:.2} s ({:.2} M events/s), peak memory {} MB, {} threads\n",
        grouped(e.events as f64, 0),
        e.wall_seconds,
        e.events_per_second / 1e6,
        grouped((e.peak_rss_bytes as f64 / 1e6).round(), 0),
        e.threads
    ));
    out
}

/// A KPI's mean with its scale where the unit alone does not say it (`tier 3.0 of 5`).
fn scaled(def: &KpiDef, mean: f64) -> String {
    match def.name {
        "service_tier" if mean.is_finite() => format!("tier {mean:.1} of 5"),
        _ => human(def.unit, mean),
    }
}

/// The targets' verdicts, judged on the 95% interval; empty without targets.
fn verdicts(scenario: &Scenario, result: &RunResult) -> String {
    let checks = targets::check(&scenario.targets, result);
    if checks.is_empty() {
        return String::new();
    }
    let mut out = "\ntargets (judged on the 95% interval):\n".to_string();
    for c in &checks {
        let unit = result.kpis.iter().find(|d| d.name == c.target.kpi).map_or(Unit::Number, |d| d.unit);
        out.push_str(&format!(
            "  {:<13} {} {}  {}\n",
            c.verdict.as_str(),
            c.target.label(),
            c.target.text,
            with_ci(unit, c.summary.mean, c.summary.ci95_low, c.summary.ci95_high, c.summary.clamped)
        ));
    }
    if checks.iter().any(|c| c.summary.n < MIN_REPLICATIONS) {
        out.push_str(&format!(
            "  (a pass or fail needs at least {MIN_REPLICATIONS} replications: run --replications {MIN_REPLICATIONS} or more)\n"
        ));
    }
    out
}

/// Checks `--kpis` names against the KPIs and groups a scenario has; the error names the
/// closest one.
pub fn check_shown(defs: &[KpiDef], shown: &[String]) -> Result<(), String> {
    let groups = Group::names();
    for name in shown {
        if defs.iter().any(|d| d.name == name) || groups.contains(&name.as_str()) {
            continue;
        }
        let mut known: Vec<&str> = defs.iter().map(|d| d.name).collect();
        known.extend(&groups);
        let help = match crate::suggest::closest(name, &known) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("groups: {}", groups.join(", ")),
        };
        return Err(format!("--kpis: `{name}` is neither a KPI this scenario produces nor a group; {help}"));
    }
    Ok(())
}

/// A capacity search: per point, the multiplier found, what it means, and what breaks past it.
pub(crate) fn render_capacity(
    scenario: &Scenario,
    keys: &[String],
    points: &[CapacityPoint],
    tolerance: f64,
) -> String {
    let mut out = format!(
        "o2d {} - capacity of `{}`: demand x multiplier until a target breaks, {} replications per step, \
         seed {}, tolerance {}%\n\n",
        crate::VERSION,
        scenario.name,
        scenario.replications,
        scenario.seed,
        tolerance * 100.0
    );
    let mut header: Vec<String> = keys.to_vec();
    header.extend(
        [
            "multiplier",
            "orders/day",
            "peak orders/hour",
            "breaks at",
            "first to break",
            "there (95% CI)",
            "off by",
        ]
        .map(String::from),
    );
    let mut table = vec![header];
    table.extend(points.iter().map(capacity_row));
    out.push_str(&columns(&table));
    out.push('\n');
    for p in points {
        out.push_str(&capacity_notes(p));
    }
    if points.iter().any(|p| p.capacity.breaking.first().is_some_and(|j| j.ci95_clamped)) {
        out.push_str(CUT_NOTE);
    }
    out.push_str(&format!(
        "\"inconclusive\" (the 95% interval straddles the threshold, or fewer than {MIN_REPLICATIONS} replications) counts as not holding.\n"
    ));
    out
}

/// A capacity table row: the point's values, the multiplier found, and what breaks past it.
fn capacity_row(p: &CapacityPoint) -> Vec<String> {
    let c = &p.capacity;
    let mut row: Vec<String> = p.values.iter().map(|(_, v)| v.trim_matches('"').to_string()).collect();
    let mult = match (c.status, c.multiplier) {
        (Status::HoldsToCap, Some(m)) => format!(">= {m:.3}x"),
        (_, Some(m)) => format!("{m:.3}x"),
        (_, None) => "none".to_string(),
    };
    row.push(mult);
    row.push(c.orders_per_day.map_or("-".into(), |x| grouped(x, 0)));
    row.push(c.peak.map_or("-".into(), |p| {
        format!("{} ({})", grouped(p.orders_per_hour, 0), p.at.format("%Y-%m-%d %H:00"))
    }));
    row.push(c.breaks_at.map_or("-".into(), |m| format!("{m:.3}x")));
    match (c.breaking.first(), &c.breaking_limit) {
        (Some(j), _) => {
            let unit = Unit::from_name(j.unit);
            row.push(format!("{} {} ({})", j.kpi, j.target, j.verdict));
            row.push(with_ci(
                unit,
                j.mean.unwrap_or(f64::NAN),
                j.ci95_low.unwrap_or(f64::NAN),
                j.ci95_high.unwrap_or(f64::NAN),
                j.ci95_clamped,
            ));
            // The mean's distance past the threshold, relative to it.
            row.push(if j.shortfall.is_finite() {
                format!("{:.1}%", j.shortfall * 100.0)
            } else {
                "-".into()
            });
        }
        (None, Some(_)) => {
            row.push("model limit (orders open)".into());
            row.push("-".into());
            row.push("-".into());
        }
        (None, None) => {
            row.push("-".into());
            row.push("-".into());
            row.push("-".into());
        }
    }
    row
}

/// The notes under the capacity table for one point: how the search ended, what else broke,
/// and every step.
fn capacity_notes(p: &CapacityPoint) -> String {
    let mut out = String::new();
    let c = &p.capacity;
    let at = if p.values.is_empty() {
        String::new()
    } else {
        let v: Vec<String> = p.values.iter().map(|(k, v)| format!("{k}={}", v.trim_matches('"'))).collect();
        format!("{}: ", v.join(", "))
    };
    let note = match c.status {
        Status::Found => None,
        Status::FailsAtOne => {
            Some("targets already fail at 1x (today's demand); the multiplier is below 1".to_string())
        }
        Status::HoldsToCap => Some(format!(
            "targets still hold at the cap ({}x): the capacity is at least that",
            c.multiplier.unwrap_or(0.0)
        )),
        Status::FailsEverywhere => {
            Some(format!("targets fail even at {}x demand", c.breaks_at.unwrap_or(0.0)))
        }
    };
    if let Some(n) = note {
        out.push_str(&format!("{at}{n}\n"));
    }
    if c.breaking.len() > 1 {
        let others: Vec<String> =
            c.breaking[1..].iter().map(|j| format!("{} ({})", j.kpi, j.verdict)).collect();
        out.push_str(&format!(
            "{at}also not holding at {}x: {}\n",
            c.breaks_at.unwrap_or(0.0),
            others.join(", ")
        ));
    }
    let steps: Vec<String> = c
        .steps
        .iter()
        .map(|s| format!("{:.3}x {}", s.multiplier, if s.holds { "holds" } else { "breaks" }))
        .collect();
    out.push_str(&format!("{at}steps: {}\n", steps.join(", ")));
    out
}

/// The printout of `o2d staff`: each plan's cost against the scenario as staffed, then every
/// staffing target's verdict under each.
pub(crate) fn render_staff(scenario: &Scenario, s: &Staffed) -> String {
    let money = |x: f64| match &scenario.currency {
        Some(c) => format!("{} {c}", grouped(x, 0)),
        None => grouped(x, 0),
    };
    let wage = scenario.support.as_ref().map_or(0.0, |x| x.agent_wage_per_hour);
    let plans: Vec<&Plan> = std::iter::once(&s.erlang).chain(&s.simulated).collect();
    let mut out = format!(
        "o2d {} - staffing plan of `{}`: {} replications a round, seed {}\n\n",
        crate::VERSION,
        scenario.name,
        scenario.replications,
        scenario.seed
    );
    let count = |checks: &[TargetCheck]| {
        let met = checks.iter().filter(|c| c.verdict == targets::Verdict::Pass).count();
        format!("{met} of {}", checks.len())
    };
    let mut table =
        vec![["plan", "agent-hours", "wages", "rounds", "targets met"].map(String::from).to_vec()];
    table.push(vec![
        "as staffed".into(),
        grouped(s.current_agent_hours, 0),
        money(s.current_agent_hours * wage),
        "-".into(),
        count(&s.current_checks),
    ]);
    for p in &plans {
        let last = p.rounds.last().map_or(&[][..], |r| &r.checks[..]);
        let rounds = match (p.name, p.converged) {
            ("erlang", _) => "1".to_string(),
            (_, true) => format!("{} (converged)", p.rounds.len()),
            (_, false) => format!("{} (not converged)", p.rounds.len()),
        };
        let name = if p.name == "erlang" { "Erlang C" } else { "o2d (simulated)" };
        table.push(vec![name.into(), grouped(p.agent_hours, 0), money(p.cost), rounds, count(last)]);
    }
    out.push_str(&columns(&table));
    out.push_str("\ntargets (judged on the 95% interval; inconclusive counts as not met):\n");
    let mut header = vec!["target".to_string(), "as staffed".to_string()];
    header.extend(plans.iter().map(|p| if p.name == "erlang" { "Erlang C" } else { "o2d" }.to_string()));
    let mut rows = vec![header];
    for (i, t) in s.targets.iter().enumerate() {
        let unit = s.current.kpis.iter().find(|d| d.name == t.kpi).map_or(Unit::Number, |d| d.unit);
        let cell = |c: Option<&TargetCheck>| {
            c.map_or("-".to_string(), |c| format!("{} {}", human(unit, c.summary.mean), c.verdict.as_str()))
        };
        let mut row = vec![format!("{} {}", t.label(), t.text), cell(s.current_checks.get(i))];
        row.extend(plans.iter().map(|p| cell(p.rounds.last().and_then(|r| r.checks.get(i)))));
        rows.push(row);
    }
    out.push_str(&columns(&rows));
    for p in plans.iter().filter(|p| !p.out_of_reach.is_empty()) {
        let name = if p.name == "erlang" { "Erlang C" } else { "o2d (simulated)" };
        for o in &p.out_of_reach {
            let then = if o.blocks {
                "more than the target lets miss, so no plan within earliest_start and latest_end meets it"
            } else {
                "an earlier earliest_start or a later latest_end reaches them"
            };
            out.push_str(&format!(
                "\n{name}, {}: {:.1}% of {} contacts arrived when no shift [staffing] allows could answer them within \
                 the sla ({then})\n",
                o.target,
                100.0 * o.share,
                o.channel.name()
            ));
        }
    }
    if let Some(p) = &s.simulated {
        out.push_str("\nrounds of the simulated plan:\n");
        for r in &p.rounds {
            out.push_str(&format!(
                "  {}: {} agent-hours, {} of {} targets met{}\n",
                r.index,
                grouped(r.agent_hours, 0),
                r.checks.iter().filter(|c| c.verdict == targets::Verdict::Pass).count(),
                r.checks.len(),
                if r.raised > 0 { format!(", {} channel-hours raised", r.raised) } else { String::new() }
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(human(Unit::Ratio, 0.973), "97.3%");
        assert_eq!(human(Unit::Count, 1234567.0), "1,234,567");
        assert_eq!(human(Unit::Currency, -1234.5), "-1,234.50");
        assert_eq!(human(Unit::Seconds, 252.0), "4m 12s");
        assert_eq!(human(Unit::Ratio, f64::NAN), "-");
        assert_eq!(human(Unit::Seconds, 0.0), "< 1 s");
        assert_eq!(human(Unit::Seconds, 0.4), "< 1 s");
    }
}
