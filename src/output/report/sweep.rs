//! The report of `o2d sweep` results: the cheapest point meeting every target, each KPI against
//! the swept values (curves over one key, heatmaps over two), and a table of every point.

use std::fmt::Write as _;
use std::path::Path;

use super::data::{self, Kpi, Sweep};
use super::svg::{self, Cell, esc};
use super::{CARDS, header, resolved, target_line, verdicts, with_ci};
use crate::error::Result;
use crate::experiment::targets::{self, Verdict};
use crate::kpi::{Target, Unit};
use crate::output::table::human;
use crate::stats::Summary;

pub(super) fn sweep_page(dir: &Path) -> Result<(String, String)> {
    let sweep = data::read_sweep(&dir.join("sweep.csv"))?;
    let r = resolved(dir, "scenario.resolved.toml")?;
    let s = &r.scenario;
    // A sweep's points summarise the horizon only: targets on a window are judged by `o2d run`.
    let horizon_targets: Vec<Target> = s.targets.iter().filter(|t| t.window.is_none()).cloned().collect();
    let t = &horizon_targets;
    let mut body = header(s, &r.version, " — sweep");
    let _ = write!(
        body,
        "<p class=\"note\">{} points over {}.</p>",
        sweep.points.len(),
        esc(&sweep
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{k} ({})", sweep.values_of(i).join(", ")))
            .collect::<Vec<_>>()
            .join(" × "))
    );
    let best = cheapest(&sweep, t);
    body.push_str("<h2>Cheapest point meeting every target</h2>");
    match best {
        Some(i) => {
            let (vals, kpis) = &sweep.points[i];
            let cost = kpis.iter().find(|k| k.name == "cost_per_order_delivered");
            let what: Vec<String> = sweep.keys.iter().zip(vals).map(|(k, v)| format!("{k} = {v}")).collect();
            let _ = write!(
                body,
                "<div class=\"verdict pass\" id=\"cheapest\" data-point=\"{i}\">{}: cost per order {}{}</div>",
                esc(&what.join(", ")),
                esc(&cost.map_or("-".into(), |c| with_ci(c.unit, &c.summary))),
                if t.is_empty() { " (the scenario has no [targets]: cheapest point overall)" } else { "" }
            );
        }
        None => body.push_str(
            "<div class=\"verdict fail\" id=\"cheapest\">No point meets every target on its whole 95% interval (or no point reports cost_per_order_delivered).</div>",
        ),
    }
    body.push_str("<h2>KPIs against the swept values</h2><div class=\"charts\">");
    let kpis = sweep_kpis(&sweep, t);
    let label_of =
        |n: &str| CARDS.iter().find(|(k, _)| *k == n).map_or(n.to_string(), |(_, l)| l.to_string());
    match sweep.keys.len() {
        1 => {
            let xs = sweep.values_of(0);
            for name in &kpis {
                let vals: Vec<Summary> = sweep
                    .points
                    .iter()
                    .map(|(_, k)| k.iter().find(|k| k.name == *name).map_or(nan_summary(), |k| k.summary))
                    .collect();
                let unit = unit_in(&sweep, name);
                body.push_str(&svg::sweep_chart(
                    &format!("sweep-{name}"),
                    &format!("{} against {}", label_of(name), sweep.keys[0]),
                    &sweep.keys[0],
                    &xs,
                    &format!("{name} ({})", unit_text(unit)),
                    unit,
                    &vals,
                    target_line(t, name, "").as_ref(),
                    best,
                ));
            }
        }
        2 => {
            let (xv, yv) = (sweep.values_of(0), sweep.values_of(1));
            for name in &kpis {
                let target = t.iter().find(|x| x.kpi == *name);
                let cells: Vec<Vec<Cell>> = yv
                    .iter()
                    .map(|y| {
                        xv.iter()
                            .map(|x| {
                                let k = sweep
                                    .points
                                    .iter()
                                    .find(|(v, _)| v[0] == *x && v[1] == *y)
                                    .and_then(|(_, k)| k.iter().find(|k| k.name == *name));
                                Cell {
                                    mean: k.map_or(f64::NAN, |k| k.summary.mean),
                                    pass: target.map(|tg| k.is_some_and(|k| targets::judge(tg, &k.summary) == Verdict::Pass)),
                                }
                            })
                            .collect()
                    })
                    .collect();
                let marked = best.and_then(|i| {
                    let v = &sweep.points[i].0;
                    Some((xv.iter().position(|x| *x == v[0])?, yv.iter().position(|y| *y == v[1])?))
                });
                let title = match target {
                    Some(tg) => format!("{} (target {})", label_of(name), tg.text),
                    None => label_of(name),
                };
                body.push_str(&svg::heatmap(
                    &format!("heatmap-{name}"),
                    &title,
                    (&sweep.keys[0], &xv),
                    (&sweep.keys[1], &yv),
                    unit_in(&sweep, name),
                    &cells,
                    marked,
                ));
            }
        }
        _ => body.push_str("<p class=\"note\">Charts are drawn for sweeps over one key (curves) or two (heatmaps); see the table below.</p>"),
    }
    body.push_str("</div>");
    body.push_str(&sweep_table(&sweep, t, &kpis, best));
    Ok((format!("o2d report: {} sweep", s.name), body))
}

/// The KPIs a sweep page charts: the cards', the targeted ones, and cost per order.
fn sweep_kpis<'a>(sweep: &'a Sweep, targets: &[Target]) -> Vec<&'a str> {
    let names = sweep.kpi_names();
    let mut out: Vec<&str> = Vec::new();
    let wanted = CARDS.iter().map(|(n, _)| *n).chain(targets.iter().map(|t| t.kpi.as_str()));
    for w in wanted {
        if let Some(n) = names.iter().find(|n| **n == w)
            && !out.contains(n)
        {
            out.push(n);
        }
    }
    out
}

/// Whether every target holds at a sweep point (the experiment's judgement); a point with
/// a target KPI missing does not meet it.
fn meets_all(targets: &[Target], kpis: &[Kpi]) -> bool {
    let find = |w: Option<&str>, n: &str| if w.is_none() { kpis.iter().find(|k| k.name == n) } else { None };
    verdicts(targets, find).iter().all(|(_, j)| matches!(j, Some((_, Verdict::Pass))))
}

/// The index of the cheapest point (lowest mean cost per order) meeting every target.
fn cheapest(sweep: &Sweep, targets: &[Target]) -> Option<usize> {
    sweep
        .points
        .iter()
        .enumerate()
        .filter(|(_, (_, k))| meets_all(targets, k))
        .filter_map(|(i, (_, k))| {
            let c = k.iter().find(|k| k.name == "cost_per_order_delivered")?.summary.mean;
            c.is_finite().then_some((i, c))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

fn sweep_table(sweep: &Sweep, t: &[Target], kpis: &[&str], best: Option<usize>) -> String {
    let mut out = String::from("<h2>Every point</h2><table id=\"sweep-points\"><tr>");
    for k in &sweep.keys {
        let _ = write!(out, "<th>{}</th>", esc(k));
    }
    for k in kpis {
        let _ = write!(out, "<th>{}</th>", esc(k));
    }
    out.push_str("<th>every target</th></tr>");
    for (i, (vals, ks)) in sweep.points.iter().enumerate() {
        let style = if Some(i) == best { " style=\"background:#fff4d6;font-weight:600\"" } else { "" };
        let _ = write!(out, "<tr{style}>");
        for v in vals {
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(v));
        }
        for name in kpis {
            let cell =
                ks.iter().find(|k| k.name == *name).map_or("-".into(), |k| human(k.unit, k.summary.mean));
            let _ = write!(out, "<td class=\"num\">{}</td>", esc(&cell));
        }
        let ok = if t.is_empty() {
            "-"
        } else if meets_all(t, ks) {
            "met"
        } else {
            "not met"
        };
        let _ = write!(out, "<td>{ok}</td></tr>");
    }
    out.push_str("</table>");
    out
}

fn nan_summary() -> Summary {
    let n = f64::NAN;
    Summary { mean: n, ci95_low: n, ci95_high: n, sd: n, min: n, max: n, n: 0, clamped: false }
}

fn unit_in(sweep: &Sweep, name: &str) -> Unit {
    sweep.points.iter().flat_map(|(_, k)| k.iter()).find(|k| k.name == name).map_or(Unit::Number, |k| k.unit)
}

fn unit_text(u: Unit) -> &'static str {
    match u {
        Unit::Seconds => "time",
        Unit::Ratio => "share",
        Unit::Count => "count",
        Unit::Currency => "currency",
        Unit::Number => "number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::parse_target;

    fn kpi(name: &str, unit: Unit, lo: f64, hi: f64) -> Kpi {
        let mean = (lo + hi) / 2.0;
        Kpi {
            name: name.into(),
            unit,
            mean_text: mean.to_string(),
            summary: Summary {
                mean,
                ci95_low: lo,
                ci95_high: hi,
                sd: 0.0,
                min: lo,
                max: hi,
                n: 5,
                clamped: false,
            },
        }
    }

    #[test]
    fn the_cheapest_point_meeting_every_target_is_marked_not_the_cheapest_overall() {
        let point = |v: &str, on_time: (f64, f64), cost: f64| {
            (
                vec![v.to_string()],
                vec![
                    kpi("on_time_rate", Unit::Ratio, on_time.0, on_time.1),
                    kpi("cost_per_order_delivered", Unit::Currency, cost - 0.1, cost + 0.1),
                ],
            )
        };
        let sweep = Sweep {
            keys: vec!["pickers".into()],
            points: vec![
                point("4", (0.80, 0.90), 5.0),  // cheapest, fails
                point("6", (0.94, 0.96), 6.0),  // straddles: inconclusive, not "meeting"
                point("8", (0.96, 0.97), 7.0),  // cheapest that passes
                point("10", (0.97, 0.98), 8.0), // passes, dearer
            ],
        };
        let targets = vec![parse_target("on_time_rate", Unit::Ratio, ">= 0.95").unwrap()];
        assert_eq!(cheapest(&sweep, &targets), Some(2));
        assert_eq!(cheapest(&sweep, &[]), Some(0), "no targets: the cheapest point overall");
    }
}
