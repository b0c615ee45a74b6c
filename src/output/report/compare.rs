//! The report of `o2d compare` results: each KPI's paired difference B - A relative to A, with
//! its 95% interval, and a table of every KPI.

use std::fmt::Write as _;
use std::path::Path;

use super::data;
use super::svg::{self, Whisker, esc};
use super::{facts, resolved};
use crate::error::Result;
use crate::kpi::Unit;
use crate::output::table::human;

pub(super) fn compare_page(dir: &Path) -> Result<(String, String)> {
    let diffs = data::read_compare(&dir.join("compare.csv"))?;
    let a = resolved(dir, "a.resolved.toml")?;
    let b = resolved(dir, "b.resolved.toml")?;
    let mut body = format!(
        "<header><h1 id=\"scenario-name\">{} → {}</h1><p class=\"desc\">Paired comparison on common random numbers: B − A, replication by replication.</p><ul class=\"facts\"><li>A: {}</li><li>B: {}</li></ul>{}</header>",
        esc(&a.scenario.name),
        esc(&b.scenario.name),
        esc(&a.scenario.description),
        esc(&b.scenario.description),
        facts(&a.scenario, &a.version)
    );
    let rows: Vec<Whisker> = diffs
        .iter()
        .filter(|d| d.a_mean.is_finite() && d.a_mean != 0.0)
        .map(|d| {
            let base = d.a_mean.abs();
            Whisker {
                label: d.kpi.clone(),
                value: d.diff / base,
                low: d.low / base,
                high: d.high / base,
                note: format!("{} ({:+.2}%)", signed(d.unit, d.diff), 100.0 * d.diff / base),
                significant: d.significant,
            }
        })
        .collect();
    body.push_str("<h2>What changes from A to B</h2><div class=\"charts\">");
    body.push_str(&svg::dot_whisker("chart-compare", "Paired differences B − A with 95% intervals", &rows));
    body.push_str("</div>");
    let skipped: Vec<&str> =
        diffs.iter().filter(|d| !(d.a_mean.is_finite() && d.a_mean != 0.0)).map(|d| d.kpi.as_str()).collect();
    if !skipped.is_empty() {
        let _ = write!(
            body,
            "<p class=\"note\">Not charted (A's mean is zero or undefined, so no relative change): {}.</p>",
            esc(&skipped.join(", "))
        );
    }
    body.push_str("<h2>Every KPI</h2><table id=\"compare-table\"><tr><th>KPI</th><th>A</th><th>B</th><th>B − A (95% CI)</th><th>clear difference</th></tr>");
    for d in &diffs {
        let _ = write!(
            body,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({} .. {})</td><td>{}</td></tr>",
            esc(&d.kpi),
            esc(&human(d.unit, d.a_mean)),
            esc(&human(d.unit, d.b_mean)),
            esc(&signed(d.unit, d.diff)),
            esc(&signed(d.unit, d.low)),
            esc(&signed(d.unit, d.high)),
            if d.significant { "yes" } else { "no" }
        );
    }
    body.push_str("</table>");
    Ok((format!("o2d report: {} vs {}", a.scenario.name, b.scenario.name), body))
}

/// A difference with its sign, in human units.
fn signed(unit: Unit, x: f64) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    // A difference of shares is in percentage points, finer than the 0.1% of a level.
    let s = if unit == Unit::Ratio { format!("{:.2} pp", x.abs() * 100.0) } else { human(unit, x.abs()) };
    if x < 0.0 { format!("−{s}") } else { format!("+{s}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_differences_read_in_percentage_points() {
        assert_eq!(signed(Unit::Ratio, 0.0123), "+1.23 pp");
        assert_eq!(signed(Unit::Currency, -0.86), "−0.86");
    }
}
