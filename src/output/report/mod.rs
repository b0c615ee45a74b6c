//! `o2d report RESULTS_DIR`: one self-contained `report.html` (inline SVG, no script, no network)
//! beside the results of a run, sweep or compare. Reads result files and renders; never simulates.

pub mod data;
pub mod svg;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::experiment::targets::{self, Verdict};
use crate::kpi::{Target, Unit};
use crate::output::table::human;
use crate::scenario::Scenario;
use crate::stats::Summary;

use data::{Daily, Kpi, Resolved, Sweep, bad};
use svg::{Cell, HLine, PALETTE, Series, TimeAxis, Whisker, esc};

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
}

fn kind_of(dir: &Path) -> Result<Kind> {
    if !dir.is_dir() {
        return Err(bad(dir, "not a folder: give the results folder of o2d run, sweep or compare"));
    }
    if dir.join("compare.csv").is_file() {
        Ok(Kind::Compare)
    } else if dir.join("sweep.csv").is_file() {
        Ok(Kind::Sweep)
    } else if dir.join("kpis.csv").is_file() {
        Ok(Kind::Run)
    } else {
        Err(bad(
            dir,
            "not an o2d results folder: it has no kpis.csv (o2d run), sweep.csv (o2d sweep) or compare.csv (o2d compare)",
        ))
    }
}

/// Renders the report of the results in `dir` as one HTML page.
pub fn render(dir: &Path) -> Result<String> {
    let body = match kind_of(dir)? {
        Kind::Run => run_page(dir)?,
        Kind::Sweep => sweep_page(dir)?,
        Kind::Compare => compare_page(dir)?,
    };
    Ok(page(&body.0, &body.1))
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
fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{t}</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n<footer>Written by o2d {v} from the files in this folder. \
         Bands and intervals are 95% Student-t confidence intervals across replications.</footer>\n</main>\n</body>\n</html>\n",
        t = esc(title),
        v = esc(crate::VERSION)
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

/// Judges each target against the KPI rows (the experiment's own judgement, reused).
fn verdicts<'a>(targets: &'a [Target], kpis: &'a [Kpi]) -> Vec<(&'a Target, Option<(&'a Kpi, Verdict)>)> {
    targets
        .iter()
        .map(|t| {
            let k = kpis.iter().find(|k| k.name == t.kpi);
            (t, k.map(|k| (k, targets::judge(t, &k.summary))))
        })
        .collect()
}

/// The verdict block: one line overall, then a row per target.
fn verdict_html(targets: &[Target], kpis: &[Kpi]) -> String {
    let v = verdicts(targets, kpis);
    if v.is_empty() {
        return "<div class=\"verdict none\" id=\"verdict\" data-verdict=\"none\">No [targets] in this scenario: nothing to judge.</div>".into();
    }
    let judged: Vec<Verdict> = v.iter().map(|(_, j)| j.map_or(Verdict::Inconclusive, |(_, v)| v)).collect();
    let fails = judged.iter().filter(|v| **v == Verdict::Fail).count();
    let unsure = judged.iter().filter(|v| **v == Verdict::Inconclusive).count();
    let (class, text) = if fails > 0 {
        let missed: Vec<&str> = v
            .iter()
            .zip(&judged)
            .filter(|(_, j)| **j == Verdict::Fail)
            .map(|((t, _), _)| t.kpi.as_str())
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
            k = esc(&t.kpi),
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
                let t = targets.iter().find(|t| t.kpi == *name).map(|t| (t, targets::judge(t, &k.summary)));
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

/// The time axis of a run: dates, warm-up, peaks at full strength.
fn time_axis(s: &Scenario, daily: &Daily) -> TimeAxis {
    TimeAxis {
        dates: daily.dates.clone(),
        warmup_days: daily.warmup_days,
        peaks: s
            .demand
            .peaks
            .iter()
            .map(|p| (p.name.clone(), p.first_day, p.first_day + i64::from(p.days) - 1))
            .collect(),
    }
}

fn series(daily: &Daily, column: &str, name: &str, color: &'static str, dashed: bool) -> Option<Series> {
    daily.get(column).map(|v| Series { name: name.to_string(), color, values: v.to_vec(), dashed })
}

fn target_line(targets: &[Target], kpi: &str, what: &str) -> Option<HLine> {
    targets
        .iter()
        .find(|t| t.kpi == kpi)
        .map(|t| HLine { label: format!("{what}target {}", t.text), value: t.threshold })
}

/// The validated settings of support channel `channel`, when the scenario models support.
fn support_channel<'a>(s: &'a Scenario, channel: &str) -> Option<&'a crate::scenario::support::Channel> {
    let i = crate::scenario::support::CHANNELS.iter().position(|&c| c == channel)?;
    Some(&s.support.as_ref()?.channels[i])
}

/// The charts over the horizon, each present when its columns are.
fn run_charts(s: &Scenario, daily: &Daily) -> String {
    let axis = time_axis(s, daily);
    let t = &s.targets;
    let mut charts = Vec::new();
    let demand: Vec<Series> = [
        series(daily, "orders", "orders", PALETTE[0], false),
        series(daily, "lines", "order lines", PALETTE[2], false),
        series(daily, "pick_capacity_lines", "pick capacity (lines)", PALETTE[1], true),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !demand.is_empty() {
        charts.push(svg::time_chart(
            "chart-orders-capacity",
            "Orders per day against warehouse capacity",
            "per day",
            Unit::Count,
            &axis,
            &demand,
            &[],
        ));
    }
    if let Some(b) = series(daily, "backlog", "orders in the warehouse at day end", PALETTE[0], false) {
        charts.push(svg::time_chart(
            "chart-backlog",
            "Warehouse backlog",
            "orders",
            Unit::Count,
            &axis,
            &[b],
            &[],
        ));
    }
    if let Some(o) =
        series(daily, "on_time_rate", "delivered on time / delivered that day", PALETTE[2], false)
    {
        let h: Vec<HLine> = target_line(t, "on_time_rate", "").into_iter().collect();
        charts.push(svg::time_chart(
            "chart-on-time",
            "On-time delivery by day",
            "share on time",
            Unit::Ratio,
            &axis,
            &[o],
            &h,
        ));
    }
    if let Some(o) = series(daily, "on_hand_units", "units on hand at day end", PALETTE[0], false) {
        charts.push(svg::time_chart(
            "chart-on-hand",
            "Stock on hand",
            "units",
            Unit::Count,
            &axis,
            &[o],
            &[],
        ));
    }
    if let Some(o) = series(daily, "backordered_units", "units owed to backorders", PALETTE[1], false) {
        charts.push(svg::time_chart(
            "chart-backorders",
            "Backorders",
            "units",
            Unit::Count,
            &axis,
            &[o],
            &[],
        ));
    }
    let channels = daily.channels();
    for ch in &channels {
        let tickets: Vec<Series> = [
            series(daily, &format!("{ch}_offered"), "offered", PALETTE[0], false),
            series(daily, &format!("{ch}_answered"), "answered", PALETTE[2], false),
            series(daily, &format!("{ch}_abandoned"), "abandoned", PALETTE[1], false),
        ]
        .into_iter()
        .flatten()
        .collect();
        charts.push(svg::time_chart(
            &format!("chart-tickets-{ch}"),
            &format!("{} contacts per day", title_case(ch)),
            "contacts / day",
            Unit::Count,
            &axis,
            &tickets,
            &[],
        ));
    }
    let frt: Vec<(String, Series)> = channels
        .iter()
        .enumerate()
        .filter_map(|(i, ch)| {
            series(daily, &format!("{ch}_frt_mean_s"), ch, PALETTE[i % PALETTE.len()], false)
                .map(|s| (ch.clone(), s))
        })
        .collect();
    // One chart per channel: first-response times differ by orders of magnitude (chat vs email).
    for (ch, sr) in frt {
        let mut h: Vec<HLine> = support_channel(s, &ch)
            .map(|c| c.sla_ms as f64 / 1_000.0)
            .map(|v| HLine { label: format!("SLA {}", crate::units::format_duration_human(v)), value: v })
            .into_iter()
            .collect();
        h.extend(target_line(t, &format!("{ch}_frt_p90"), "p90 "));
        let mut sr = sr;
        sr.name = "mean first response".into();
        charts.push(svg::time_chart(
            &format!("chart-frt-{ch}"),
            &format!("{} first-response time", title_case(&ch)),
            "first response (day mean)",
            Unit::Seconds,
            &axis,
            &[sr],
            &h,
        ));
    }
    for ch in &channels {
        let Some(on_shift) = series(daily, &format!("{ch}_agents"), "agents on shift", PALETTE[0], false)
        else {
            continue;
        };
        let needed =
            series(daily, &format!("{ch}_agents_needed"), "agents needed", PALETTE[1], true).map(|mut n| {
                if let Some(sup) = &s.support {
                    n.name = format!(
                        "agents needed at {:.0}% occupancy for the work handled",
                        sup.target_occupancy * 100.0
                    );
                }
                n
            });
        let all: Vec<Series> = std::iter::once(on_shift).chain(needed).collect();
        charts.push(svg::time_chart(
            &format!("chart-agents-{ch}"),
            &format!("{} staffing: agents on shift against agents needed", title_case(ch)),
            "agents (day mean)",
            Unit::Number,
            &axis,
            &all,
            &[],
        ));
    }
    let mut out = format!("<div class=\"charts\">{}</div>", charts.join("\n"));
    if channels.is_empty() {
        out.push_str("<p class=\"note\" id=\"support-not-modelled\">Customer support is not modelled in this scenario: no tickets, first-response or staffing charts.</p>");
    }
    if daily.get("on_hand_units").is_none() {
        out.push_str("<p class=\"note\" id=\"inventory-not-modelled\">Inventory is not modelled in this scenario: no stock or backorder charts.</p>");
    }
    out
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
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

fn run_page(dir: &Path) -> Result<(String, String)> {
    let kpis = data::read_kpis(&dir.join("kpis.csv"))?;
    let r = resolved(dir, "scenario.resolved.toml")?;
    let s = &r.scenario;
    let mut body = header(s, &r.version, "");
    body.push_str("<h2>Verdict against the targets</h2>");
    body.push_str(&verdict_html(&s.targets, &kpis));
    body.push_str("<h2>Key figures</h2>");
    body.push_str(&cards_html(&kpis, &s.targets));
    body.push_str("<h2>Over the horizon</h2><p class=\"note\">Lines are the mean across replications, shaded bands the 95% interval; orange columns are demand peaks at full strength, grey the warm-up.</p>");
    let daily_path = dir.join("daily.csv");
    if daily_path.is_file() {
        body.push_str(&run_charts(s, &data::read_daily(&daily_path)?));
    } else {
        body.push_str("<p class=\"note\">No daily.csv in this folder: no charts over the horizon.</p>");
    }
    Ok((format!("o2d report: {}", s.name), body))
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
    verdicts(targets, kpis).iter().all(|(_, j)| matches!(j, Some((_, Verdict::Pass))))
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

fn sweep_page(dir: &Path) -> Result<(String, String)> {
    let sweep = data::read_sweep(&dir.join("sweep.csv"))?;
    let r = resolved(dir, "scenario.resolved.toml")?;
    let s = &r.scenario;
    let t = &s.targets;
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

fn compare_page(dir: &Path) -> Result<(String, String)> {
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

    #[test]
    fn share_differences_read_in_percentage_points() {
        assert_eq!(signed(Unit::Ratio, 0.0123), "+1.23 pp");
        assert_eq!(signed(Unit::Currency, -0.86), "−0.86");
    }
}
