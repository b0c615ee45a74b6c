//! Inline SVG charts for the report, written directly as text: time series with 95% bands, peak
//! shading and warm-up, sweep curves, heatmaps, dot-and-whisker. Drawing only; no data reading.

use std::fmt::Write as _;

use crate::kpi::Unit;
use crate::stats::Summary;
use crate::units::format_duration_human;

/// Series colours, colour-blind friendly (Okabe-Ito), in the order series are given.
pub const PALETTE: [&str; 7] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

const W: f64 = 660.0;
const H: f64 = 280.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 46.0;

/// Escapes text for XML (the page is well-formed XHTML as well as HTML).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value in human units for axis ticks: `95%`, `4h`, `12k`.
pub fn tick_label(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Ratio => {
            let p = v * 100.0;
            if (p - p.round()).abs() < 1e-9 { format!("{p:.0}%") } else { format!("{p:.1}%") }
        }
        Unit::Seconds => {
            if v == 0.0 {
                "0".into()
            } else {
                format_duration_human(v).replace(" 00h", "").replace(" 00m", "").replace(" 00s", "")
            }
        }
        Unit::Count | Unit::Currency | Unit::Number => {
            let a = v.abs();
            let (x, suffix) = if a >= 1e6 {
                (v / 1e6, "M")
            } else if a >= 1e3 {
                (v / 1e3, "k")
            } else {
                (v, "")
            };
            let s = if (x - x.round()).abs() < 1e-9 { format!("{x:.0}") } else { format!("{x:.1}") };
            if unit == Unit::Currency && suffix.is_empty() && a < 100.0 && a > 0.0 {
                format!("{v:.2}")
            } else {
                format!("{s}{suffix}")
            }
        }
    }
}

/// Tick steps for durations, in seconds: whole seconds, minutes, hours, days, weeks.
const TIME_STEPS: [f64; 21] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1_800.0, 3_600.0, 7_200.0, 10_800.0,
    21_600.0, 43_200.0, 86_400.0, 172_800.0, 259_200.0, 604_800.0,
];

/// About `n` round tick values covering `lo..=hi` (clock-round for durations), and the range.
fn nice_ticks_in(unit: Unit, lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64, f64) {
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    if unit == Unit::Seconds && (5.0..=20.0 * 604_800.0).contains(&span) {
        let step = TIME_STEPS.iter().copied().find(|s| span / s <= n as f64).unwrap_or(604_800.0);
        return ticks_by(lo, hi, step);
    }
    nice_ticks(lo, hi, n)
}

/// About `n` round tick values covering `lo..=hi`, and the rounded range.
fn nice_ticks(lo: f64, hi: f64, n: usize) -> (Vec<f64>, f64, f64) {
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= n as f64)
        .unwrap_or(10.0 * mag);
    ticks_by(lo, hi, step)
}

/// Ticks every `step` from below `lo` to above `hi`, and that range.
fn ticks_by(lo: f64, hi: f64, step: f64) -> (Vec<f64>, f64, f64) {
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let end = if end <= start { start + step } else { end };
    let mut ticks = Vec::new();
    let mut t = start;
    while t <= end + step * 1e-9 {
        ticks.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    (ticks, start, end)
}

/// One line on a chart: a mean per x with an optional 95% band.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Stroke colour.
    pub color: &'static str,
    /// Mean and interval per x (NaN gaps break the line).
    pub values: Vec<Summary>,
    /// Dashed, no band (capacities, thresholds that vary by day).
    pub dashed: bool,
}

/// A horizontal reference line (a target or an SLA).
#[derive(Debug, Clone)]
pub struct HLine {
    /// Legend text.
    pub label: String,
    /// Value in the chart's unit.
    pub value: f64,
}

/// The time axis shared by the charts of a run.
#[derive(Debug, Clone, Default)]
pub struct TimeAxis {
    /// Date of each day (`2026-11-27`).
    pub dates: Vec<String>,
    /// Leading warm-up days.
    pub warmup_days: usize,
    /// Peaks: name, first and last full-strength day index.
    pub peaks: Vec<(String, i64, i64)>,
    /// Values a series has per day: 1 (a value at each day's end) or 24 (one per hour).
    pub per_day: usize,
    /// The x axis's title, when the "days" are not dates (the intervals of a replay).
    pub x_label: Option<String>,
}

/// Short date for ticks: `Nov 27`.
fn short_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%b %d").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

/// The opening of a chart: `<figure>`, `<svg>`, title and the legend entries.
fn open(out: &mut String, id: &str, title: &str, legend: &[(String, &str, bool)]) {
    let _ = write!(
        out,
        r#"<figure class="chart" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-label="{t}"><title>{t}</title><text class="title" x="{LEFT}" y="20">{t}</text>"#,
        id = esc(id),
        t = esc(title)
    );
    let mut x = LEFT;
    for (name, color, dashed) in legend {
        let dash = if *dashed { r#" stroke-dasharray="6 4""# } else { "" };
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="36" x2="{x2}" y2="36" stroke="{color}" stroke-width="3"{dash}/><text class="legend" x="{tx}" y="40">{n}</text>"#,
            x2 = x + 18.0,
            tx = x + 22.0,
            n = esc(name)
        );
        x += 22.0 + 6.5 * name.chars().count() as f64 + 16.0;
    }
}

/// A clip path for the plot area, named after the chart, so bands never spill over the axes.
fn clip(out: &mut String, id: &str) -> String {
    let name = format!("clip-{}", esc(id));
    let _ = write!(
        out,
        r#"<defs><clipPath id="{name}"><rect x="{LEFT}" y="{TOP}" width="{w}" height="{h}"/></clipPath></defs>"#,
        w = W - LEFT - RIGHT,
        h = H - TOP - BOTTOM
    );
    name
}

fn close(out: &mut String) {
    out.push_str("</svg></figure>");
}

/// Y axis: grid lines, tick labels and the rotated axis label.
fn y_axis(out: &mut String, ticks: &[f64], y: &dyn Fn(f64) -> f64, unit: Unit, label: &str) {
    for &t in ticks {
        let py = y(t);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{py:.1}" x2="{x2}" y2="{py:.1}"/><text class="tick" x="{tx}" y="{ty:.1}" text-anchor="end">{l}</text>"#,
            x2 = W - RIGHT,
            tx = LEFT - 6.0,
            ty = py + 4.0,
            l = esc(&tick_label(unit, t))
        );
    }
    let cy = TOP + (H - TOP - BOTTOM) / 2.0;
    let _ = write!(
        out,
        r#"<text class="axis" x="14" y="{cy:.1}" text-anchor="middle" transform="rotate(-90 14 {cy:.1})">{l}</text>"#,
        l = esc(label)
    );
}

/// Polyline path through the (x, y) points with a finite y; days where a value is undefined
/// (no delivery on a Sunday) are stepped over, not drawn as zero.
fn path(points: impl Iterator<Item = (f64, f64)>) -> String {
    let mut d = String::new();
    for (x, y) in points.filter(|(_, y)| y.is_finite()) {
        let _ = write!(d, "{}{x:.1},{y:.1} ", if d.is_empty() { "M" } else { "L" });
    }
    d
}

/// The band polygon between low and high over the points where both are defined.
fn band(xs: &[f64], lo: &[f64], hi: &[f64]) -> Option<String> {
    let n = xs.len().min(lo.len()).min(hi.len());
    let idx: Vec<usize> = (0..n).filter(|&i| lo[i].is_finite() && hi[i].is_finite()).collect();
    if idx.len() < 2 {
        return None;
    }
    let upper = path(idx.iter().map(|&i| (xs[i], hi[i])));
    let lower: Vec<String> = idx.iter().rev().map(|&i| format!("L{:.1},{:.1}", xs[i], lo[i])).collect();
    Some(format!("{upper}{} Z", lower.join(" ")))
}

/// The y range: from 0 (or a little under the data for shares) to a little over the data.
fn y_range(unit: Unit, series: &[Series], hlines: &[HLine]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series {
        for v in &s.values {
            // A band counts up to 1.5 x the mean, so wide bands of a few replications do not
            // flatten the lines; bands are clipped to the plot area.
            let top = if v.ci95_high.is_finite() { v.ci95_high.min(v.mean * 1.5) } else { v.mean };
            for x in [v.mean, top] {
                if x.is_finite() {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
    }
    for h in hlines {
        lo = lo.min(h.value);
        hi = hi.max(h.value);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    // Every KPI and daily column is non-negative: axes start at zero (shares near 1 zoom in).
    let lo = match unit {
        Unit::Ratio if lo > 0.5 => ((lo - 0.02) * 10.0).floor() / 10.0,
        _ => 0.0,
    };
    let hi = if unit == Unit::Ratio { hi.min(1.0).max(lo + 0.05) } else { hi * 1.05 };
    (lo, if hi > lo { hi } else { lo + 1.0 })
}

/// A chart over the horizon: series with bands, reference lines, peaks shaded, warm-up marked.
pub fn time_chart(
    id: &str,
    title: &str,
    y_label: &str,
    unit: Unit,
    axis: &TimeAxis,
    series: &[Series],
    hlines: &[HLine],
) -> String {
    let mut legend: Vec<(String, &str, bool)> =
        series.iter().map(|s| (s.name.clone(), s.color, s.dashed)).collect();
    legend.extend(hlines.iter().map(|h| (h.label.clone(), "#B00020", true)));
    let mut out = String::new();
    open(&mut out, id, title, &legend);
    let clip_id = clip(&mut out, id);
    let n = axis.dates.len().max(1);
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let day_x = |d: f64| LEFT + d * pw / n as f64;
    let (lo, hi) = y_range(unit, series, hlines);
    let (ticks, lo, hi) = nice_ticks_in(unit, lo, hi, 5);
    let y = |v: f64| TOP + ph - (v - lo) / (hi - lo) * ph * 0.94;
    // Warm-up and peaks behind everything.
    if axis.warmup_days > 0 {
        let _ = write!(
            out,
            r#"<rect class="warmup" x="{LEFT}" y="{TOP}" width="{w:.1}" height="{ph}"/><text class="note" x="{tx:.1}" y="{ty}">warm-up</text>"#,
            w = day_x(axis.warmup_days as f64) - LEFT,
            tx = LEFT + 3.0,
            ty = TOP + ph - 4.0
        );
    }
    for (name, first, last) in &axis.peaks {
        let a = (*first).clamp(0, n as i64) as f64;
        let b = (*last + 1).clamp(0, n as i64) as f64;
        if b <= a {
            continue;
        }
        let (x0, x1) = (day_x(a), day_x(b));
        let tx = (x0 + x1) / 2.0 + 3.0;
        let ty = TOP + 4.0;
        let _ = write!(
            out,
            r#"<rect class="peak" x="{x0:.1}" y="{TOP}" width="{w:.1}" height="{ph}"><title>{t}</title></rect><text class="peak-label" x="{tx:.1}" y="{ty:.1}" transform="rotate(90 {tx:.1} {ty:.1})">{t}</text>"#,
            w = (x1 - x0).max(1.5),
            t = esc(name)
        );
    }
    y_axis(&mut out, &ticks, &y, unit, y_label);
    // X ticks: every `step` days, at most about ten labels.
    let step = [1usize, 2, 7, 14, 28, 56, 91, 182, 364].into_iter().find(|s| n / s <= 10).unwrap_or(n);
    for (i, date) in axis.dates.iter().enumerate().step_by(step) {
        let px = day_x(i as f64 + 0.5);
        let _ = write!(
            out,
            r#"<line class="axisline" x1="{px:.1}" y1="{b}" x2="{px:.1}" y2="{b2}"/><text class="tick" x="{px:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
            b = TOP + ph,
            b2 = TOP + ph + 4.0,
            ty = TOP + ph + 16.0,
            l = esc(&short_date(date))
        );
    }
    let per = axis.per_day.max(1);
    let _ = write!(
        out,
        r#"<text class="axis" x="{cx:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
        cx = LEFT + pw / 2.0,
        ty = H - 6.0,
        l = axis.x_label.as_deref().unwrap_or(if per == 1 {
            "date (day end)"
        } else {
            "date (hour by hour)"
        })
    );
    let xs: Vec<f64> = (0..n * per).map(|i| day_x((i as f64 + 0.5) / per as f64)).collect();
    for s in series {
        if !s.dashed {
            let lo_y: Vec<f64> = s.values.iter().map(|v| y(v.ci95_low)).collect();
            let hi_y: Vec<f64> = s.values.iter().map(|v| y(v.ci95_high)).collect();
            if let Some(d) = band(&xs, &lo_y, &hi_y) {
                let _ = write!(
                    out,
                    r#"<path class="band" d="{d}" fill="{c}" clip-path="url(#{clip_id})"/>"#,
                    c = s.color
                );
            }
        }
    }
    for s in series {
        let d = path(xs.iter().zip(&s.values).map(|(x, v)| (*x, y(v.mean))));
        let dash = if s.dashed { r#" stroke-dasharray="6 4""# } else { "" };
        let _ = write!(
            out,
            r#"<path class="line" d="{d}" stroke="{c}"{dash} clip-path="url(#{clip_id})"><title>{t}</title></path>"#,
            c = s.color,
            t = esc(&s.name)
        );
    }
    for h in hlines {
        let py = y(h.value);
        let _ = write!(
            out,
            r#"<line class="target" x1="{LEFT}" y1="{py:.1}" x2="{x2}" y2="{py:.1}"><title>{t}</title></line>"#,
            x2 = W - RIGHT,
            t = esc(&h.label)
        );
    }
    let _ = write!(out, r#"<rect class="frame" x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/>"#);
    close(&mut out);
    out
}

/// A KPI against one swept key: mean with its band, the target line, the marked point.
#[allow(clippy::too_many_arguments)]
pub fn sweep_chart(
    id: &str,
    title: &str,
    x_label: &str,
    x_values: &[String],
    y_label: &str,
    unit: Unit,
    values: &[Summary],
    target: Option<&HLine>,
    marked: Option<usize>,
) -> String {
    let series =
        [Series { name: "mean, 95% band".into(), color: PALETTE[0], values: values.to_vec(), dashed: false }];
    let hlines: Vec<HLine> = target.cloned().into_iter().collect();
    let mut legend: Vec<(String, &str, bool)> = vec![(series[0].name.clone(), PALETTE[0], false)];
    legend.extend(hlines.iter().map(|h| (h.label.clone(), "#B00020", true)));
    if marked.is_some() {
        legend.push(("cheapest point meeting every target".into(), "#E69F00", false));
    }
    let mut out = String::new();
    open(&mut out, id, title, &legend);
    let clip_id = clip(&mut out, id);
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let numeric: Option<Vec<f64>> = x_values.iter().map(|v| v.parse::<f64>().ok()).collect();
    let xs: Vec<f64> = match &numeric {
        Some(nums) if nums.len() > 1 => {
            let (a, b) =
                nums.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(*x), b.max(*x)));
            let span = if b > a { b - a } else { 1.0 };
            nums.iter().map(|x| LEFT + 20.0 + (x - a) / span * (pw - 40.0)).collect()
        }
        _ => {
            let n = x_values.len().max(1) as f64;
            (0..x_values.len()).map(|i| LEFT + (i as f64 + 0.5) * pw / n).collect()
        }
    };
    let (lo, hi) = y_range(unit, &series, &hlines);
    let (ticks, lo, hi) = nice_ticks_in(unit, lo, hi, 5);
    let y = |v: f64| TOP + ph - (v - lo) / (hi - lo) * ph * 0.94;
    y_axis(&mut out, &ticks, &y, unit, y_label);
    for (x, label) in xs.iter().zip(x_values) {
        let _ = write!(
            out,
            r#"<line class="axisline" x1="{x:.1}" y1="{b}" x2="{x:.1}" y2="{b2}"/><text class="tick" x="{x:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
            b = TOP + ph,
            b2 = TOP + ph + 4.0,
            ty = TOP + ph + 16.0,
            l = esc(label)
        );
    }
    let _ = write!(
        out,
        r#"<text class="axis" x="{cx:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
        cx = LEFT + pw / 2.0,
        ty = H - 6.0,
        l = esc(x_label)
    );
    let lo_y: Vec<f64> = values.iter().map(|v| y(v.ci95_low)).collect();
    let hi_y: Vec<f64> = values.iter().map(|v| y(v.ci95_high)).collect();
    if let Some(d) = band(&xs, &lo_y, &hi_y) {
        let _ = write!(
            out,
            r#"<path class="band" d="{d}" fill="{c}" clip-path="url(#{clip_id})"/>"#,
            c = PALETTE[0]
        );
    }
    let d = path(xs.iter().zip(values).map(|(x, v)| (*x, y(v.mean))));
    let _ = write!(out, r#"<path class="line" d="{d}" stroke="{c}"/>"#, c = PALETTE[0]);
    for (x, v) in xs.iter().zip(values) {
        if v.mean.is_finite() {
            let _ = write!(
                out,
                r#"<circle cx="{x:.1}" cy="{cy:.1}" r="3" fill="{c}"/>"#,
                cy = y(v.mean),
                c = PALETTE[0]
            );
        }
    }
    for h in &hlines {
        let py = y(h.value);
        let _ = write!(
            out,
            r#"<line class="target" x1="{LEFT}" y1="{py:.1}" x2="{x2}" y2="{py:.1}"/>"#,
            x2 = W - RIGHT
        );
    }
    if let Some(m) = marked
        && let (Some(x), Some(v)) = (xs.get(m), values.get(m))
        && v.mean.is_finite()
    {
        let _ = write!(out, r##"<circle class="marked" cx="{x:.1}" cy="{cy:.1}" r="8"/>"##, cy = y(v.mean));
    }
    let _ = write!(out, r#"<rect class="frame" x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/>"#);
    close(&mut out);
    out
}

/// One cell of a heatmap.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The KPI's mean at this point (NaN when undefined).
    pub mean: f64,
    /// Whether the KPI's own target holds here (None without a target).
    pub pass: Option<bool>,
}

/// A KPI over two swept keys: one coloured cell per point, its value written in it.
#[allow(clippy::too_many_arguments)]
pub fn heatmap(
    id: &str,
    title: &str,
    x: (&str, &[String]),
    y: (&str, &[String]),
    unit: Unit,
    cells: &[Vec<Cell>],
    marked: Option<(usize, usize)>,
) -> String {
    let mut legend: Vec<(String, &str, bool)> = Vec::new();
    if cells.iter().flatten().any(|c| c.pass.is_some()) {
        legend.push(("target not met (hatched)".into(), "#B00020", true));
    }
    if marked.is_some() {
        legend.push(("cheapest point meeting every target".into(), "#E69F00", false));
    }
    let mut out = String::new();
    open(&mut out, id, title, &legend);
    let hatch = format!("hatch-{}", esc(id));
    let _ = write!(
        out,
        r##"<defs><pattern id="{hatch}" width="10" height="10" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="10" stroke="#B00020" stroke-width="1.2" opacity="0.7"/></pattern></defs>"##
    );
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let (nx, ny) = (x.1.len().max(1), y.1.len().max(1));
    let (cw, ch) = (pw / nx as f64, ph / ny as f64);
    let finite: Vec<f64> = cells.iter().flatten().map(|c| c.mean).filter(|m| m.is_finite()).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for (j, row) in cells.iter().enumerate() {
        for (i, c) in row.iter().enumerate() {
            let px = LEFT + i as f64 * cw;
            // First y value at the bottom.
            let py = TOP + ph - (j + 1) as f64 * ch;
            let t = if hi > lo { (c.mean - lo) / (hi - lo) } else { 0.5 };
            let fill = if c.mean.is_finite() { blend(t) } else { "#eeeeee".to_string() };
            let text_color = if t > 0.6 { "#ffffff" } else { "#111111" };
            let _ = write!(
                out,
                r##"<rect x="{px:.1}" y="{py:.1}" width="{cw:.1}" height="{ch:.1}" fill="{fill}" stroke="#ffffff"/>"##
            );
            if c.pass == Some(false) {
                let _ = write!(
                    out,
                    r#"<rect x="{px:.1}" y="{py:.1}" width="{cw:.1}" height="{ch:.1}" fill="url(#{hatch})"/>"#
                );
            }
            let _ = write!(
                out,
                r#"<text class="cell" x="{tx:.1}" y="{ty:.1}" text-anchor="middle" fill="{text_color}" stroke="{halo}" stroke-width="3" paint-order="stroke">{l}</text>"#,
                halo = fill,
                tx = px + cw / 2.0,
                ty = py + ch / 2.0 + 4.0,
                l = esc(&crate::output::table::human(unit, c.mean))
            );
        }
    }
    if let Some((i, j)) = marked {
        let _ = write!(
            out,
            r#"<rect class="marked" x="{px:.1}" y="{py:.1}" width="{w:.1}" height="{h:.1}"/>"#,
            px = LEFT + i as f64 * cw + 2.0,
            py = TOP + ph - (j + 1) as f64 * ch + 2.0,
            w = cw - 4.0,
            h = ch - 4.0
        );
    }
    for (i, l) in x.1.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text class="tick" x="{tx:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
            tx = LEFT + (i as f64 + 0.5) * cw,
            ty = TOP + ph + 16.0,
            l = esc(l)
        );
    }
    for (j, l) in y.1.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text class="tick" x="{tx}" y="{ty:.1}" text-anchor="end">{l}</text>"#,
            tx = LEFT - 6.0,
            ty = TOP + ph - (j as f64 + 0.5) * ch + 4.0,
            l = esc(l)
        );
    }
    let cy = TOP + ph / 2.0;
    let _ = write!(
        out,
        r#"<text class="axis" x="{cx:.1}" y="{ty}" text-anchor="middle">{xl}</text><text class="axis" x="14" y="{cy:.1}" text-anchor="middle" transform="rotate(-90 14 {cy:.1})">{yl}</text>"#,
        cx = LEFT + pw / 2.0,
        ty = H - 6.0,
        xl = esc(x.0),
        yl = esc(y.0)
    );
    close(&mut out);
    out
}

/// Light to dark blue, t in 0..1.
fn blend(t: f64) -> String {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.5 };
    let (a, b) = ([0xde, 0xeb, 0xf7], [0x08, 0x30, 0x6b]);
    let c: Vec<u8> =
        (0..3).map(|k| (f64::from(a[k]) + (f64::from(b[k]) - f64::from(a[k])) * t).round() as u8).collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// One row of a dot-and-whisker chart.
#[derive(Debug, Clone)]
pub struct Whisker {
    /// Row label (the KPI).
    pub label: String,
    /// Dot (relative difference, 0.05 = +5%).
    pub value: f64,
    /// Whisker ends.
    pub low: f64,
    /// Whisker ends.
    pub high: f64,
    /// Text at the right (the absolute difference in the KPI's unit).
    pub note: String,
    /// Whether the interval excludes zero.
    pub significant: bool,
}

/// Paired differences B - A relative to A's mean, one row per KPI, zero line marked.
pub fn dot_whisker(id: &str, title: &str, rows: &[Whisker]) -> String {
    let row_h = 22.0;
    let height = TOP + BOTTOM + row_h * rows.len().max(1) as f64;
    let (label_w, note_w) = (190.0, 150.0);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<figure class="chart" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" height="{height}" role="img" aria-label="{t}"><title>{t}</title><text class="title" x="16" y="20">{t}</text>"#,
        id = esc(id),
        t = esc(title)
    );
    let _ = write!(
        out,
        r##"<circle cx="22" cy="36" r="4" fill="{c}"/><text class="legend" x="30" y="40">interval excludes 0</text><circle cx="172" cy="36" r="4" fill="#999999"/><text class="legend" x="180" y="40">interval includes 0 (no clear difference)</text>"##,
        c = PALETTE[1]
    );
    let m = rows
        .iter()
        .flat_map(|r| [r.low.abs(), r.high.abs(), r.value.abs()])
        .filter(|x| x.is_finite())
        .fold(0.0f64, f64::max);
    let (ticks, lo, hi) = nice_ticks(-m.max(1e-4), m.max(1e-4), 6);
    let (x0, x1) = (label_w, W - note_w);
    let x = |v: f64| x0 + (v - lo) / (hi - lo) * (x1 - x0);
    let bottom = TOP + row_h * rows.len() as f64;
    for t in &ticks {
        let _ = write!(
            out,
            r#"<line class="grid" x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{bottom}"/><text class="tick" x="{px:.1}" y="{ty}" text-anchor="middle">{l}</text>"#,
            px = x(*t),
            ty = bottom + 16.0,
            l = esc(&tick_label(Unit::Ratio, *t))
        );
    }
    let _ = write!(
        out,
        r#"<line class="zero" x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{bottom}"/><text class="axis" x="{cx:.1}" y="{ty}" text-anchor="middle">difference B − A, relative to A's mean</text>"#,
        px = x(0.0),
        cx = (x0 + x1) / 2.0,
        ty = bottom + 36.0
    );
    for (i, r) in rows.iter().enumerate() {
        let cy = TOP + (i as f64 + 0.5) * row_h;
        let c = if r.significant { PALETTE[1] } else { "#999999" };
        let _ = write!(
            out,
            r#"<text class="tick" x="{lx}" y="{ty:.1}" text-anchor="end">{l}</text><text class="tick" x="{nx}" y="{ty:.1}">{n}</text>"#,
            lx = x0 - 8.0,
            nx = x1 + 8.0,
            ty = cy + 4.0,
            l = esc(&r.label),
            n = esc(&r.note)
        );
        if r.low.is_finite() && r.high.is_finite() {
            let _ = write!(
                out,
                r#"<line x1="{a:.1}" y1="{cy:.1}" x2="{b:.1}" y2="{cy:.1}" stroke="{c}" stroke-width="2"/>"#,
                a = x(r.low),
                b = x(r.high)
            );
        }
        if r.value.is_finite() {
            let _ = write!(out, r#"<circle cx="{px:.1}" cy="{cy:.1}" r="4.5" fill="{c}"/>"#, px = x(r.value));
        }
    }
    close(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (t, lo, hi) = nice_ticks(0.0, 4_730.0, 5);
        assert_eq!((lo, hi), (0.0, 5_000.0));
        assert_eq!(t, vec![0.0, 1_000.0, 2_000.0, 3_000.0, 4_000.0, 5_000.0]);
    }

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn duration_ticks_fall_on_clock_values() {
        let (t, _, hi) = nice_ticks_in(Unit::Seconds, 0.0, 250.0, 5);
        assert_eq!(t, vec![0.0, 60.0, 120.0, 180.0, 240.0, 300.0]);
        assert_eq!(hi, 300.0);
    }

    #[test]
    fn tick_labels_use_human_units() {
        assert_eq!(tick_label(Unit::Ratio, 0.95), "95%");
        assert_eq!(tick_label(Unit::Count, 12_000.0), "12k");
        assert_eq!(tick_label(Unit::Seconds, 7_200.0), "2h");
    }
}
