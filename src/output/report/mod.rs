//! `o2d report RESULTS_DIR`: one self-contained `report.html` (inline SVG, no script, no network)
//! beside the results of a run, sweep, compare, staffing plan or replay. Reads result files and renders; never simulates.

mod compare;
pub mod data;
mod replay;
mod run;
mod staff;
pub mod svg;
mod sweep;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::experiment::targets::{self, Verdict};
use crate::kpi::{Target, Unit};
use crate::output::table::human;
use crate::scenario::Scenario;
use crate::stats::Summary;

use data::{Kpi, Resolved, bad};
use svg::{HLine, esc};

/// The file the report is written to, inside the results folder.
pub const FILE_NAME: &str = "report.html";

/// The KPI cards, in display order: KPI name and the label a planner reads.
pub const CARDS: &[(&str, &str)] = &[
    ("on_time_rate", "On-time delivery"),
    ("order_cycle_time_p90", "Order-to-door time (p90)"),
    ("fill_rate", "Fill rate"),
    ("cancel_rate", "Cancel rate"),
    ("chat_frt_p90", "Chat first response (p90)"),
    ("phone_frt_p90", "Phone first response (p90)"),
    ("email_frt_p90", "Email first response (p90)"),
    ("abandonment_rate", "Abandonment"),
    ("csat", "CSAT"),
    ("service_tier", "Service tier"),
    ("cost_per_order_delivered", "Cost per order delivered"),
];

/// Names of the service tiers 1..=5 (docs/scenarios.md, "Customer support", names the ends).
const TIERS: [&str; 5] = ["unacceptable", "below average", "average", "above average", "stellar"];

/// What kind of results a folder holds.
enum Kind {
    Run,
    Sweep,
    Compare,
    Staff,
    Replay,
}

fn kind_of(dir: &Path) -> Result<Kind> {
    if !dir.is_dir() {
        return Err(bad(
            dir,
            "not a folder: give the results folder of o2d run, sweep, compare, staff or replay",
        ));
    }
    if dir.join("compare.csv").is_file() {
        Ok(Kind::Compare)
    } else if dir.join("plans.csv").is_file() {
        Ok(Kind::Staff)
    } else if dir.join("replay.json").is_file() {
        Ok(Kind::Replay)
    } else if dir.join("sweep.csv").is_file() {
        Ok(Kind::Sweep)
    } else if dir.join("kpis.csv").is_file() {
        Ok(Kind::Run)
    } else {
        Err(bad(
            dir,
            "not an o2d results folder: it has no kpis.csv (o2d run), sweep.csv (o2d sweep), compare.csv (o2d compare), plans.csv (o2d staff) or replay.json (o2d replay)",
        ))
    }
}

/// Renders the report of the results in `dir` as one HTML page.
pub fn render(dir: &Path) -> Result<String> {
    let kind = kind_of(dir)?;
    let footnote = match kind {
        Kind::Replay => "Latencies count from each request's planned send time.",
        _ => "Bands and intervals are 95% Student-t confidence intervals across replications.",
    };
    let body = match kind {
        Kind::Run => run::run_page(dir)?,
        Kind::Sweep => sweep::sweep_page(dir)?,
        Kind::Compare => compare::compare_page(dir)?,
        Kind::Staff => staff::staff_page(dir)?,
        Kind::Replay => replay::replay_page(dir)?,
    };
    Ok(page(&body.0, &body.1, footnote))
}

/// Renders the report of `dir` and writes it atomically to `dir/report.html`; nothing is
/// written when the folder cannot be read, or is not a results folder o2d wrote, or when
/// `report.html` there is anything but a file (an earlier report).
pub fn write(dir: &Path) -> Result<PathBuf> {
    let html = render(dir)?;
    crate::output::destination::check_results_folder(dir)?;
    let path = dir.join(FILE_NAME);
    crate::output::atomic::write_file(&path, html.as_bytes(), true)?;
    Ok(path)
}

const CSS: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;background:#f5f6f8;margin:0}
main{max-width:1360px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:30px 0 10px;border-bottom:1px solid #d8dbe2;padding-bottom:4px}
p.desc{margin:0 0 10px;color:#444}
.facts{display:flex;flex-wrap:wrap;gap:6px 22px;margin:8px 0 0;padding:0;list-style:none;color:#333}
.facts b{color:#000}
.verdict{margin:14px 0 0;padding:10px 14px;border-radius:8px;font-weight:600}
.verdict.pass{background:#e3f4e8;color:#17602e}.verdict.fail{background:#fde6e6;color:#9b1c1c}.verdict.inconclusive{background:#fff4d6;color:#7a5300}.verdict.none{background:#eceef2;color:#444}
table{border-collapse:collapse;background:#fff;margin:8px 0;font-size:14px}
th,td{padding:5px 12px;border-bottom:1px solid #e4e6eb;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:700;text-transform:uppercase}
.badge.pass{background:#1f8a46;color:#fff}.badge.fail{background:#c62828;color:#fff}.badge.inconclusive{background:#e0a100;color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(205px,1fr));gap:12px}
.card{background:#fff;border-radius:10px;padding:12px 14px;box-shadow:0 1px 3px rgba(0,0,0,.08);border-top:4px solid #0072B2}
.card.pass{border-top-color:#1f8a46}.card.fail{border-top-color:#c62828}.card.inconclusive{border-top-color:#e0a100}
.card .label{font-size:13px;color:#555}.card .value{font-size:26px;font-weight:700;margin:2px 0}.card .ci{font-size:12px;color:#666}
.note{color:#666;font-size:13px;margin:8px 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:14px}
figure.chart{margin:0;background:#fff;border-radius:10px;padding:6px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
figure.chart svg{width:100%;height:auto;display:block}
svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
svg .title{font-size:15px;font-weight:700;fill:#1d2330}
svg .legend,svg .tick{font-size:11px;fill:#333}svg .axis{font-size:12px;fill:#333}
svg .cell{font-size:11px}svg .note{font-size:10px;fill:#666}
svg .peak-label{font-size:10px;fill:#8a5a00;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-opacity:.8}
svg .grid{stroke:#e6e8ec}svg .axisline{stroke:#888}svg .frame{fill:none;stroke:#b8bcc6}
svg .band{opacity:.18}svg .line{fill:none;stroke-width:2}
svg .target{stroke:#B00020;stroke-width:1.5;stroke-dasharray:6 4}
svg .zero{stroke:#333;stroke-width:1}
svg .peak{fill:#E69F00;opacity:.16}svg .warmup{fill:#9aa0aa;opacity:.14}
svg .marked{fill:none;stroke:#E69F00;stroke-width:3}
footer{margin-top:30px;color:#777;font-size:12px}
";

/// The page around a body: well-formed XHTML served as HTML, styles inline, no script.
fn page(title: &str, body: &str, footnote: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{t}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n<footer>Written by o2d {v} from the files in this folder. {f}</footer>\n</main>\n</body>\n</html>\n",
        t = esc(title),
        v = esc(crate::VERSION),
        f = esc(footnote)
    )
}

/// A KPI value with its interval in human units.
fn with_ci(unit: Unit, s: &Summary) -> String {
    if s.ci95_low.is_finite() && s.ci95_high.is_finite() {
        format!("{} (95% CI {} – {})", human(unit, s.mean), human(unit, s.ci95_low), human(unit, s.ci95_high))
    } else {
        human(unit, s.mean)
    }
}

/// The header facts of a scenario: horizon, replications, seed, version.
fn facts(s: &Scenario, version: &str) -> String {
    let last = s.date_of_day(s.days.saturating_sub(1));
    format!(
        "<ul class=\"facts\"><li>Horizon <b>{} days</b>, {} to {} ({} warm-up days excluded from KPIs)</li>\
         <li>Replications <b>{}</b></li><li>Seed <b>{}</b></li><li>o2d <b>{}</b></li></ul>",
        s.days,
        s.start_date,
        last,
        s.warmup_days,
        s.replications,
        s.seed,
        esc(version)
    )
}

/// Judges each target against the KPI rows `find(window, kpi)` gives (the experiment's own
/// judgement, reused).
fn verdicts<'a>(
    targets: &'a [Target],
    find: impl Fn(Option<&str>, &str) -> Option<&'a Kpi>,
) -> Vec<(&'a Target, Option<(&'a Kpi, Verdict)>)> {
    targets
        .iter()
        .map(|t| {
            let k = find(t.window.as_deref(), &t.kpi);
            (t, k.map(|k| (k, targets::judge(t, &k.summary))))
        })
        .collect()
}

/// The verdict block: one line overall, then a row per target.
fn verdict_html(targets: &[Target], kpis: &data::RunKpis) -> String {
    let v = verdicts(targets, |w, n| kpis.find(w, n));
    if v.is_empty() {
        return "<div class=\"verdict none\" id=\"verdict\" data-verdict=\"none\">No [targets] in this scenario: nothing to judge.</div>".into();
    }
    let judged: Vec<Verdict> = v.iter().map(|(_, j)| j.map_or(Verdict::Inconclusive, |(_, v)| v)).collect();
    let fails = judged.iter().filter(|v| **v == Verdict::Fail).count();
    let unsure = judged.iter().filter(|v| **v == Verdict::Inconclusive).count();
    let (class, text) = if fails > 0 {
        let missed: Vec<String> = v
            .iter()
            .zip(&judged)
            .filter(|(_, j)| **j == Verdict::Fail)
            .map(|((t, _), _)| t.label())
            .collect();
        ("fail", format!("{fails} of {} targets missed: {}", judged.len(), missed.join(", ")))
    } else if unsure > 0 {
        (
            "inconclusive",
            format!(
                "{unsure} of {} targets inconclusive (the 95% interval straddles the threshold, or fewer than {} replications): run more replications",
                judged.len(),
                targets::MIN_REPLICATIONS
            ),
        )
    } else {
        ("pass", format!("All {} targets met on their whole 95% interval", judged.len()))
    };
    let mut out = format!(
        "<div class=\"verdict {class}\" id=\"verdict\" data-verdict=\"{class}\">{}</div>",
        esc(&text)
    );
    out.push_str(
        "<table id=\"targets\"><tr><th>KPI</th><th>target</th><th>mean (95% CI)</th><th>verdict</th></tr>",
    );
    for (t, j) in &v {
        let (value, verdict) = match j {
            Some((k, v)) => (with_ci(k.unit, &k.summary), v.as_str()),
            None => ("not reported".to_string(), Verdict::Inconclusive.as_str()),
        };
        let _ = write!(
            out,
            "<tr data-kpi=\"{k}\" data-verdict=\"{verdict}\"><td><code>{k}</code></td><td>{t}</td><td class=\"num\">{value}</td><td><span class=\"badge {verdict}\">{verdict}</span></td></tr>",
            k = esc(&t.label()),
            t = esc(&t.text),
            value = esc(&value)
        );
    }
    out.push_str("</table>");
    out
}

/// One KPI card; the raw mean from kpis.csv in `data-value`.
fn card(label: &str, k: &Kpi, target: Option<(&Target, Verdict)>) -> String {
    let value = human(k.unit, k.summary.mean);
    let mut tier_line = String::new();
    if k.name == "service_tier" && k.summary.mean.is_finite() {
        let tier = k.summary.mean.round().clamp(1.0, 5.0) as usize;
        tier_line = format!("<div class=\"ci\">tier {tier} of 5: <b>{}</b></div>", TIERS[tier - 1]);
    }
    let ci = if k.summary.ci95_low.is_finite() {
        format!("95% CI {} – {}", human(k.unit, k.summary.ci95_low), human(k.unit, k.summary.ci95_high))
    } else {
        "no interval (fewer than 2 replications defined)".to_string()
    };
    let (class, tline) = match target {
        Some((t, v)) => (
            v.as_str(),
            format!(
                "<div class=\"ci\">target {} <span class=\"badge {v}\">{v}</span></div>",
                esc(&t.text),
                v = v.as_str()
            ),
        ),
        None => ("", String::new()),
    };
    format!(
        "<div class=\"card {class}\" id=\"card-{n}\" data-kpi=\"{n}\" data-value=\"{raw}\" data-ci-low=\"{lo}\" data-ci-high=\"{hi}\">\
         <div class=\"label\">{label}</div><div class=\"value\">{value}</div>{tier_line}<div class=\"ci\">{ci}</div>{tline}</div>",
        n = esc(&k.name),
        raw = esc(&k.mean_text),
        lo = k.summary.ci95_low,
        hi = k.summary.ci95_high,
        label = esc(label),
        value = esc(&value),
        ci = esc(&ci)
    )
}

/// The KPI cards present in `kpis`, and a one-line note naming the ones not modelled.
fn cards_html(kpis: &[Kpi], targets: &[Target]) -> String {
    let mut out = String::from("<div class=\"cards\" id=\"cards\">");
    let mut absent = Vec::new();
    for (name, label) in CARDS {
        match kpis.iter().find(|k| k.name == *name) {
            Some(k) => {
                let t = targets
                    .iter()
                    .find(|t| t.kpi == *name && t.window.is_none())
                    .map(|t| (t, targets::judge(t, &k.summary)));
                out.push_str(&card(label, k, t));
            }
            None => absent.push(*label),
        }
    }
    out.push_str("</div>");
    if !absent.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\" id=\"not-modelled\">Not modelled in this scenario: {}.</p>",
            esc(&absent.join(", ").to_lowercase())
        );
    }
    out
}

fn target_line(targets: &[Target], kpi: &str, what: &str) -> Option<HLine> {
    targets
        .iter()
        .find(|t| t.kpi == kpi && t.window.is_none())
        .map(|t| HLine { label: format!("{what}target {}", t.text), value: t.threshold })
}

fn resolved(dir: &Path, name: &str) -> Result<Resolved> {
    let path = dir.join(name);
    if !path.is_file() {
        return Err(bad(&path, "missing: the report needs the resolved scenario the results came from"));
    }
    data::read_resolved(&path)
}

fn header(s: &Scenario, version: &str, what: &str) -> String {
    format!(
        "<header><h1 id=\"scenario-name\">{}{}</h1><p class=\"desc\">{}</p>{}</header>",
        esc(&s.name),
        esc(what),
        esc(&s.description),
        facts(s, version)
    )
}
