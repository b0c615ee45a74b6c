//! The report of `o2d run` results: verdict, KPI cards and charts over the horizon (demand and
//! capacity, backlog, on-time delivery, stock, and per support channel contacts, first response
//! and staffing), each chart present when its daily columns are.

use std::path::Path;

use super::data::{self, Daily};
use super::svg::{self, HLine, PALETTE, Series, TimeAxis};
use std::fmt::Write as _;

use super::svg::esc;
use super::{cards_html, header, resolved, target_line, verdict_html, with_ci};
use crate::error::Result;
use crate::kpi::Unit;
use crate::output::table::human;
use crate::scenario::Scenario;

pub(super) fn run_page(dir: &Path) -> Result<(String, String)> {
    let kpis = data::read_kpis(&dir.join("kpis.csv"))?;
    let r = resolved(dir, "scenario.resolved.toml")?;
    let s = &r.scenario;
    let mut body = header(s, &r.version, "");
    body.push_str("<h2>Verdict against the targets</h2>");
    body.push_str(&verdict_html(&s.targets, &kpis));
    body.push_str("<h2>Key figures</h2>");
    body.push_str(&cards_html(&kpis.horizon, &s.targets));
    if !kpis.windows.is_empty() {
        body.push_str("<h2>Windows side by side</h2>");
        body.push_str(&windows_html(s, &kpis));
    }
    body.push_str("<h2>Over the horizon</h2><p class=\"note\">Lines are the mean across replications, shaded bands the 95% interval; orange columns are demand peaks at full strength, grey the warm-up.</p>");
    let daily_path = dir.join("daily.csv");
    if daily_path.is_file() {
        body.push_str(&run_charts(s, &data::read_daily(&daily_path)?));
    } else {
        body.push_str("<p class=\"note\">No daily.csv in this folder: no charts over the horizon.</p>");
    }
    Ok((format!("o2d report: {}", s.name), body))
}

/// Every KPI over the whole horizon and over each window, side by side (mean, 95% interval on
/// hover).
fn windows_html(s: &Scenario, kpis: &data::RunKpis) -> String {
    let mut out = String::from("<table id=\"windows\"><tr><th>KPI</th><th>whole horizon</th>");
    for (name, _) in &kpis.windows {
        let dates = s
            .windows
            .iter()
            .find(|w| w.name == *name)
            .map(|w| format!("<br><span class=\"note\">{} .. {}</span>", w.from, w.to))
            .unwrap_or_default();
        let _ = write!(out, "<th>{}{dates}</th>", esc(name));
    }
    out.push_str("</tr>");
    for k in &kpis.horizon {
        let _ = write!(out, "<tr data-kpi=\"{n}\"><td><code>{n}</code></td>", n = esc(&k.name));
        let windows = kpis.windows.iter().map(|(w, _)| kpis.find(Some(w), &k.name));
        for cell in std::iter::once(Some(k)).chain(windows) {
            match cell {
                Some(c) => {
                    let _ = write!(
                        out,
                        "<td class=\"num\" title=\"{}\" data-value=\"{}\">{}</td>",
                        esc(&with_ci(c.unit, &c.summary)),
                        esc(&c.mean_text),
                        esc(&human(c.unit, c.summary.mean))
                    );
                }
                None => out.push_str("<td class=\"num\">-</td>"),
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
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
        per_day: 1,
        x_label: None,
    }
}

fn series(daily: &Daily, column: &str, name: &str, color: &'static str, dashed: bool) -> Option<Series> {
    daily.get(column).map(|v| Series { name: name.to_string(), color, values: v.to_vec(), dashed })
}

/// The validated settings of support channel `channel`, when the scenario models support.
fn support_channel<'a>(
    s: &'a Scenario,
    channel: &str,
) -> Option<&'a crate::scenario::support::ChannelSettings> {
    let ch = crate::scenario::support::Channel::from_name(channel)?;
    Some(&s.support.as_ref()?.channels[ch])
}

/// The charts over the horizon, each present when its columns are.
fn run_charts(s: &Scenario, daily: &Daily) -> String {
    let axis = time_axis(s, daily);
    let channels = daily.channels();
    let mut charts = operation_charts(s, daily, &axis);
    charts.extend(support_charts(s, daily, &axis, &channels));
    let mut out = format!("<div class=\"charts\">{}</div>", charts.join("\n"));
    if channels.is_empty() {
        out.push_str("<p class=\"note\" id=\"support-not-modelled\">Customer support is not modelled in this scenario: no tickets, first-response or staffing charts.</p>");
    }
    if daily.get("on_hand_units").is_none() {
        out.push_str("<p class=\"note\" id=\"inventory-not-modelled\">Inventory is not modelled in this scenario: no stock or backorder charts.</p>");
    }
    out
}

/// Demand against capacity, the backlog, on-time delivery and, with inventory, stock and backorders.
fn operation_charts(s: &Scenario, daily: &Daily, axis: &TimeAxis) -> Vec<String> {
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
            axis,
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
            axis,
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
            axis,
            &[o],
            &h,
        ));
    }
    if let Some(o) = series(daily, "on_hand_units", "units on hand at day end", PALETTE[0], false) {
        charts.push(svg::time_chart("chart-on-hand", "Stock on hand", "units", Unit::Count, axis, &[o], &[]));
    }
    if let Some(o) = series(daily, "backordered_units", "units owed to backorders", PALETTE[1], false) {
        charts.push(svg::time_chart("chart-backorders", "Backorders", "units", Unit::Count, axis, &[o], &[]));
    }
    charts
}

/// Per support channel: contacts, first-response time against the SLA, and staffing.
fn support_charts(s: &Scenario, daily: &Daily, axis: &TimeAxis, channels: &[String]) -> Vec<String> {
    let t = &s.targets;
    let mut charts = Vec::new();
    for ch in channels {
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
            axis,
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
            axis,
            &[sr],
            &h,
        ));
    }
    for ch in channels {
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
            axis,
            &all,
            &[],
        ));
    }
    charts
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
