//! The KPI table for people: mean and 95% interval in human units (`4m 12s`, `97.3%`), targets
//! and engine figures at the end. Formatting only; every number comes from the run result.

use crate::experiment::RunResult;
use crate::kpi::Unit;
use crate::scenario::Scenario;
use crate::units::format_duration_human;

/// Formats one value of a KPI in its unit, for people.
pub fn human(unit: Unit, x: f64) -> String {
    if !x.is_finite() {
        return "-".to_string();
    }
    match unit {
        Unit::Seconds => format_duration_human(x),
        Unit::Ratio => format!("{:.1}%", x * 100.0),
        Unit::Count => grouped(x, 0),
        Unit::Currency => grouped(x, 2),
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

/// The whole table.
pub fn render(scenario: &Scenario, result: &RunResult) -> String {
    let mut rows: Vec<[String; 4]> =
        vec![["KPI".to_string(), "mean".to_string(), "95% CI".to_string(), "sd".to_string()]];
    for (d, s) in result.kpis.iter().zip(&result.summaries) {
        let ci = if s.ci95_low.is_finite() {
            format!("{} .. {}", human(d.unit, s.ci95_low), human(d.unit, s.ci95_high))
        } else {
            "-".to_string()
        };
        rows.push([d.name.to_string(), human(d.unit, s.mean), ci, human(d.unit, s.sd)]);
    }
    let widths: Vec<usize> =
        (0..4).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = format!(
        "o2d {} - scenario `{}`: {} days from {} ({} warm-up), {} replications, seed {}\n\n",
        crate::VERSION,
        scenario.name,
        scenario.days,
        scenario.start_date,
        scenario.warmup_days,
        scenario.replications,
        scenario.seed
    );
    for (i, r) in rows.iter().enumerate() {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}",
            r[0],
            r[1],
            r[2],
            r[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
        out.push_str(line.trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 6));
            out.push('\n');
        }
    }
    let e = &result.engine;
    out.push_str(&format!(
        "\nengine: {} events in {:.2} s ({:.2} M events/s), peak memory {:.0} MB, {} threads\n",
        e.events,
        e.wall_seconds,
        e.events_per_second / 1e6,
        e.peak_rss_bytes as f64 / 1e6,
        e.threads
    ));
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
    }
}
