//! The report of `o2d replay` results: what was sent against what the trace planned, each kind's
//! latency percentiles, and over the replay the offered and answered rates beside the latency
//! (from the planned send time), interval by interval.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::data::bad;
use super::svg::{self, Series, TimeAxis, esc};
use crate::error::Result;
use crate::kpi::Unit;
use crate::stats::Summary;

/// A value drawn as a line without a band.
fn point(x: f64) -> Summary {
    let n = f64::NAN;
    Summary { mean: x, ci95_low: n, ci95_high: n, sd: n, min: x, max: x, n: 1, clamped: false }
}

pub(super) fn replay_page(dir: &Path) -> Result<(String, String)> {
    let path = dir.join("replay.json");
    let text = std::fs::read_to_string(&path).map_err(|e| bad(&path, e.to_string()))?;
    let r: Value = serde_json::from_str(&text).map_err(|e| bad(&path, format!("not replay.json: {e}")))?;
    let num = |v: &Value, k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let kinds = r["kinds"].as_array().cloned().unwrap_or_default();
    let intervals = r["intervals"].as_array().cloned().unwrap_or_default();
    let interval_s = num(&r, "interval_s");
    let mut body = format!(
        "<header><h1 id=\"scenario-name\">Replay of {}</h1><p class=\"desc\">Every request sent at its planned time \
         whatever the responses did; latency counts from the planned send time (corrected for coordinated omission).</p>\
         <ul class=\"facts\"><li>Target <b>{}</b></li><li>Requests in the trace <b>{}</b></li><li>Busiest second <b>{}</b> requests</li>\
         <li>Speed-up <b>{}</b>, rate scale <b>{}</b></li><li>At most <b>{}</b> in flight</li><li>Took <b>{:.1} s</b>{}</li></ul></header>",
        esc(r["trace"].as_str().unwrap_or_default()),
        esc(r["target"].as_str().unwrap_or_default()),
        num(&r, "trace_requests"),
        num(&r, "planned_peak_per_s"),
        num(&r, "speedup"),
        num(&r, "rate_scale"),
        num(&r, "max_in_flight"),
        num(&r, "elapsed_s"),
        if r["cut_short"].as_bool() == Some(true) { " (stopped at --duration)" } else { "" }
    );
    body.push_str(
        "<h2>Each kind of request</h2><table id=\"replay-kinds\"><tr><th>kind</th><th>sent</th><th>ok</th>\
         <th>not ok</th><th>no answer</th><th>dropped</th><th>late</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>\
         <th>p99.9 ms</th><th>max ms</th><th>status codes</th></tr>",
    );
    for k in &kinds {
        let ms = |key: &str| k[key].as_f64().map_or("-".to_string(), |v| format!("{v:.1}"));
        let statuses: Vec<String> = k["statuses"]
            .as_object()
            .into_iter()
            .flatten()
            .chain(k["failures"].as_object().into_iter().flatten())
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        let _ = write!(
            body,
            "<tr data-kind=\"{kind}\"><td>{kind}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            k["sent"],
            k["ok"],
            k["not_ok"],
            k["failed"],
            k["dropped"],
            k["late"],
            ms("p50_ms"),
            ms("p90_ms"),
            ms("p99_ms"),
            ms("p999_ms"),
            ms("max_ms"),
            esc(&statuses.join(", ")),
            kind = esc(k["kind"].as_str().unwrap_or_default())
        );
    }
    body.push_str("</table>");
    // Intervals of all kinds together, by start.
    let all: Vec<&Value> = intervals.iter().filter(|i| i["kind"] == "all").collect();
    if all.len() < 2 || interval_s.is_nan() || interval_s <= 0.0 {
        body.push_str(
            "<p class=\"note\">Over time: not drawn, the replay spans fewer than two intervals (replay with a shorter --interval).</p>",
        );
        return Ok((format!("o2d report: replay of {}", r["trace"].as_str().unwrap_or_default()), body));
    }
    let axis = TimeAxis {
        dates: all.iter().map(|i| format!("{} s", num(i, "at_s"))).collect(),
        per_day: 1,
        x_label: Some(format!("seconds of the replay ({} s intervals, by planned send time)", interval_s)),
        ..TimeAxis::default()
    };
    let per_s = |key: &str| all.iter().map(|i| point(num(i, key) / interval_s)).collect::<Vec<_>>();
    // The plan is drawn last, dashed, so that answers that keep up with it do not hide it.
    let rates = [
        Series { name: "answered 2xx".into(), color: "#009E73", values: per_s("ok"), dashed: false },
        Series { name: "dropped".into(), color: "#D55E00", values: per_s("dropped"), dashed: false },
        Series { name: "planned".into(), color: "#0072B2", values: per_s("planned"), dashed: true },
    ];
    let latency = |key: &str| all.iter().map(|i| point(num(i, key))).collect::<Vec<_>>();
    let latencies = [
        Series { name: "p50".into(), color: "#009E73", values: latency("p50_ms"), dashed: false },
        Series { name: "p99".into(), color: "#E69F00", values: latency("p99_ms"), dashed: false },
        Series { name: "max".into(), color: "#B00020", values: latency("max_ms"), dashed: true },
    ];
    body.push_str("<h2>Over the replay</h2><div class=\"charts\">");
    body.push_str(&svg::time_chart(
        "chart-rate",
        "Offered rate and answers",
        "requests a second",
        Unit::Number,
        &axis,
        &rates,
        &[],
    ));
    body.push_str(&svg::time_chart(
        "chart-latency",
        "Latency from the planned send time",
        "milliseconds",
        Unit::Number,
        &axis,
        &latencies,
        &[],
    ));
    body.push_str("</div>");
    Ok((format!("o2d report: replay of {}", r["trace"].as_str().unwrap_or_default()), body))
}
