//! The report of `o2d staff` results: each plan's cost and verdicts beside the scenario as
//! staffed, and the window the targets judge (or the busiest week) hour by hour: contacts
//! offered, the Erlang figures' need and the people each plan puts on shift.

use std::fmt::Write as _;
use std::path::Path;

use super::data::{self, Staff, StaffVerdict};
use super::svg::{self, PALETTE, Series, TimeAxis, esc};
use super::{header, resolved};
use crate::error::Result;
use crate::kpi::{Unit, find};
use crate::output::table::human;
use crate::scenario::Scenario;
use crate::stats::summarize;

/// Days the hour-by-hour charts show: the busiest week.
const WEEK: usize = 7;

/// How a plan of plans.csv and verdicts.csv is called on the page.
fn plan_label(name: &str) -> &str {
    match name {
        "current" => "as staffed",
        "erlang" => "Erlang C",
        "o2d" => "o2d (simulated)",
        other => other,
    }
}

pub(super) fn staff_page(dir: &Path) -> Result<(String, String)> {
    let staff = data::read_staff(dir)?;
    let r = resolved(dir, "scenario.resolved.toml")?;
    let s = &r.scenario;
    let currency = s.currency.as_ref().map_or(String::new(), |c| format!(" {c}"));
    let mut body = header(s, &r.version, ": staffing plan");
    body.push_str("<h2>Plans</h2><p class=\"note\">The Erlang plan sizes every hour of every channel on its own, as a workforce tool does; o2d's plan carries email and social to their deadline and is corrected round by round by simulation. Each is run with every replication and judged on the 95% interval (inconclusive counts as not met).</p>");
    body.push_str("<table id=\"plans\"><tr><th>plan</th><th>agent-hours</th><th>wages</th><th>rounds</th><th>targets met</th></tr>");
    for p in &staff.plans {
        let rounds = match (p.rounds.as_str(), p.converged.as_str()) {
            ("", _) => "-".to_string(),
            (n, "true") => format!("{n} (converged)"),
            (n, _) => format!("{n} (not converged)"),
        };
        let _ = write!(
            body,
            "<tr data-plan=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}{}</td><td>{}</td><td>{}</td></tr>",
            esc(&p.name),
            esc(plan_label(&p.name)),
            esc(&human(Unit::Count, p.agent_hours.round())),
            esc(&human(Unit::Count, p.cost.round())),
            esc(&currency),
            esc(&rounds),
            esc(&p.met)
        );
    }
    body.push_str("</table>");
    body.push_str(&verdicts_html(s, &staff));
    body.push_str(&peak_charts(s, &staff));
    Ok((format!("o2d report: {} staffing plan", s.name), body))
}

/// Each target's mean and verdict under each plan (its last round), and o2d's rounds.
fn verdicts_html(s: &Scenario, staff: &Staff) -> String {
    let defs = s.kpi_defs();
    let plans: Vec<&str> = staff.plans.iter().map(|p| p.name.as_str()).collect();
    let last = |plan: &str| staff.verdicts.iter().filter(|v| v.plan == plan).map(|v| v.round).max();
    let mut labels: Vec<&str> = Vec::new();
    for v in &staff.verdicts {
        if !labels.contains(&v.label.as_str()) {
            labels.push(&v.label);
        }
    }
    let mut out = String::from("<h2>Targets</h2><table id=\"staff-verdicts\"><tr><th>target</th>");
    for p in &plans {
        let _ = write!(out, "<th>{}</th>", esc(plan_label(p)));
    }
    out.push_str("</tr>");
    for label in &labels {
        let _ = write!(out, "<tr><td><code>{}</code></td>", esc(label));
        for p in &plans {
            let found = last(p).and_then(|r| {
                staff.verdicts.iter().find(|v| v.plan == *p && v.round == r && v.label == *label)
            });
            match found {
                Some(v) => {
                    let unit = find(&defs, &v.kpi).map_or(Unit::Count, |d| d.unit);
                    let _ = write!(
                        out,
                        "<td class=\"num\" data-plan=\"{}\" data-verdict=\"{v}\">{} <span class=\"badge {v}\">{v}</span></td>",
                        esc(p),
                        esc(&human(unit, v.mean)),
                        v = esc(&v.verdict)
                    );
                }
                None => out.push_str("<td>-</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    let rounds: Vec<&StaffVerdict> = staff.verdicts.iter().filter(|v| v.plan == "o2d").collect();
    if let Some(n) = last("o2d").filter(|&n| n > 1) {
        out.push_str("<p class=\"note\" id=\"o2d-rounds\">o2d's rounds: ");
        let per_round: Vec<String> = (1..=n)
            .map(|k| {
                let of: Vec<_> = rounds.iter().filter(|v| v.round == k).collect();
                let met = of.iter().filter(|v| v.verdict == "pass").count();
                format!("round {k}: {met} of {} met", of.len())
            })
            .collect();
        let _ = write!(out, "{}.</p>", esc(&per_round.join("; ")));
    }
    out
}

/// The first day of the busiest `WEEK` days by contacts offered.
fn busiest_week(staff: &Staff) -> usize {
    let days = staff.dates.len();
    let per_day: Vec<f64> = (0..days).map(|d| staff.offered[24 * d..24 * d + 24].iter().sum()).collect();
    let span = WEEK.min(days);
    (0..=days - span)
        .max_by(|&a, &b| {
            let sum = |x: usize| per_day[x..x + span].iter().sum::<f64>();
            sum(a).total_cmp(&sum(b)).then(b.cmp(&a))
        })
        .unwrap_or(0)
}

/// The window the support targets name (at most two weeks of it), or else the busiest week, hour
/// by hour: contacts offered; the Erlang need and each plan's people.
fn peak_charts(s: &Scenario, staff: &Staff) -> String {
    if staff.dates.is_empty() {
        return "<p class=\"note\">No requirement in this folder: no charts.</p>".into();
    }
    // The window the support targets judge, when they name one; else the busiest week.
    let judged = s.targets.iter().filter_map(|t| t.window.as_deref()).find_map(|name| {
        let w = s.windows.iter().find(|w| w.name == name)?;
        let from = w.days.start as usize;
        (from < staff.dates.len() && !w.days.is_empty())
            .then(|| (format!("{name}, "), from, (w.days.len()).min(2 * WEEK)))
    });
    let (label, first, span) =
        judged.unwrap_or_else(|| ("The busiest week, ".to_string(), busiest_week(staff), WEEK));
    let days = span.min(staff.dates.len() - first);
    let hours = 24 * first..24 * (first + days);
    let axis = TimeAxis {
        dates: staff.dates[first..first + days].to_vec(),
        warmup_days: s.warmup_days.saturating_sub(first as u32).min(days as u32) as usize,
        peaks: s
            .demand
            .peaks
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.first_day - first as i64,
                    p.first_day + i64::from(p.days) - 1 - first as i64,
                )
            })
            .collect(),
        per_day: 24,
        x_label: None,
    };
    let line = |name: &str, color: &'static str, values: &[f64], dashed: bool| Series {
        name: name.to_string(),
        color,
        values: values[hours.clone()].iter().map(|&v| summarize(&[v])).collect(),
        dashed,
    };
    let mut people = vec![line("Erlang C need", PALETTE[1], &staff.erlang_agents, true)];
    for (i, (plan, values)) in staff.on_shift.iter().enumerate() {
        let name = format!("{} on shift", plan_label(plan));
        people.push(line(&name, [PALETTE[0], PALETTE[2], PALETTE[3]][i % 3], values, false));
    }
    let contacts = [line("contacts offered", PALETTE[0], &staff.offered, false)];
    let title = format!("{label}{} to {}", staff.dates[first], staff.dates[first + days - 1]);
    format!(
        "<h2>{}</h2><p class=\"note\">Means across the replications of the run as staffed; agents every channel together (the Erlang need of a chat is in agents at the team's chat concurrency).</p><div class=\"charts\">{}{}</div>",
        esc(&title),
        svg::time_chart(
            "chart-staff-contacts",
            "Contacts offered per hour",
            "contacts",
            Unit::Count,
            &axis,
            &contacts,
            &[]
        ),
        svg::time_chart(
            "chart-staff-plan",
            "Need and people on shift per hour",
            "agents",
            Unit::Count,
            &axis,
            &people,
            &[]
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_week_is_the_seven_days_with_the_most_contacts_the_earliest_on_a_tie() {
        let days = [1.0, 1.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 9.0, 1.0];
        let staff = Staff {
            dates: (0..days.len()).map(|d| format!("d{d}")).collect(),
            offered: days.iter().flat_map(|&c| std::iter::repeat_n(c / 24.0, 24)).collect(),
            ..Staff::default()
        };
        assert_eq!(busiest_week(&staff), 2, "days 2..9 hold both busy days");
        let short = Staff { dates: vec!["a".into(); 3], offered: vec![1.0; 72], ..Staff::default() };
        assert_eq!(busiest_week(&short), 0, "a horizon shorter than a week is shown whole");
    }
}
