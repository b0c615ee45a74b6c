//! The flags of the load-test commands, `o2d trace` and `o2d replay`, and the options they become.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use o2d::error::Error;
use o2d::model::trace::RequestKind;
use o2d::output::Format;
use o2d::output::trace::TraceFormat;
use o2d::scenario::MAX_DAYS;
use o2d::scenario::Source;
use o2d::scenario::load::Override;

use super::{FormatArg, overrides, seed, source, threads};

/// `o2d trace` arguments.
#[derive(Debug, Args)]
pub(crate) struct TraceArgs {
    /// Scenario file; none traces the embedded default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// Replication to trace (0-based).
    #[arg(long, default_value_t = 0)]
    pub(crate) replication: u64,
    /// Compress time for replay: `replay_offset_s = (timestamp - start) / speedup`, where the
    /// start is that of the window (--from, --peak), else the first request's.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) speedup: f64,
    /// Request kinds to write, comma-separated: order, status, tracking, change, cancel, return
    /// (default: all).
    #[arg(long, value_delimiter = ',', value_parser = RequestKind::parse)]
    pub(crate) kinds: Vec<RequestKind>,
    /// Only requests from this moment on: a date (its midnight) or a date-time, e.g. 2026-11-27
    /// or 2026-11-27T12:00.
    #[arg(long, value_parser = moment)]
    pub(crate) from: Option<chrono::NaiveDateTime>,
    /// Only requests before this moment: a date (up to the end of that day) or a date-time.
    #[arg(long, value_parser = moment_end)]
    pub(crate) to: Option<chrono::NaiveDateTime>,
    /// Only the busiest stretch of this length (e.g. 1h, 15m; whole minutes) within the window:
    /// the most requests of the kinds chosen.
    #[arg(long, value_parser = peak_length)]
    pub(crate) peak: Option<u64>,
    /// File format.
    #[arg(long, short = 'f', value_enum, default_value_t = TraceFormatArg::Csv)]
    pub(crate) format: TraceFormatArg,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o')]
    pub(crate) out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub(crate) force: bool,
    /// Base random seed (overrides `run.seed`), 0 to 9223372036854775807 (a TOML integer).
    #[arg(long, short = 's', value_parser = seed)]
    pub(crate) seed: Option<u64>,
    /// Simulated days (overrides `run.days`).
    #[arg(long, short = 'd', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    pub(crate) days: Option<u32>,
    /// Override any scenario key by its dotted path.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(crate) set: Vec<String>,
}

/// `o2d replay` arguments.
#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// A trace written by `o2d trace` (CSV or JSON lines).
    pub(crate) trace: PathBuf,
    /// The API to load: an http:// URL (host, port and an optional base path). Required: o2d
    /// never sends a request anywhere it was not told to.
    #[arg(long)]
    pub(crate) target: String,
    /// Method and path of each request kind, a TOML file (default: POST /orders,
    /// GET /orders/{order_id}, GET /orders/{order_id}/tracking, PATCH /orders/{order_id},
    /// POST /orders/{order_id}/cancel, POST /orders/{order_id}/returns).
    #[arg(long)]
    pub(crate) routes: Option<PathBuf>,
    /// Send this many times faster than the trace's offsets say (0.001 to 1000000).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) speedup: f64,
    /// Requests per request of the trace, up to 100: 0.5 keeps half the orders (with all their
    /// requests), 2 sends every order twice (the copy's ids offset by 1,000,000,000).
    #[arg(long, default_value_t = 1.0)]
    pub(crate) rate_scale: f64,
    /// Requests in flight at most; a request due while this many are open is dropped and counted.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) max_in_flight: u64,
    /// Stop sending after this long (e.g. 10m; default: the whole trace).
    #[arg(long, value_parser = duration)]
    pub(crate) duration: Option<std::time::Duration>,
    /// A request without a full response after this long fails as timed out.
    #[arg(long, value_parser = duration, default_value = "30s")]
    pub(crate) timeout: std::time::Duration,
    /// Latency is reported over intervals of this length (whole seconds), by planned send time.
    #[arg(long, value_parser = interval, default_value = "1m")]
    pub(crate) interval: std::time::Duration,
    /// Worker threads that send and read the answers (default: all cores).
    #[arg(long, short = 't', value_parser = threads)]
    pub(crate) threads: Option<usize>,
    /// Output folder (default `results/replay-<trace name>/`).
    #[arg(long, short = 'o')]
    pub(crate) out: Option<PathBuf>,
    /// Replace an existing --out folder.
    #[arg(long)]
    pub(crate) force: bool,
    /// What to print on stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub(crate) format: FormatArg,
    /// No plan and no progress line on stderr.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// An interval of whole seconds, at least one.
fn interval(text: &str) -> Result<std::time::Duration, String> {
    let seconds = o2d::units::parse_duration_s(text)?;
    if seconds < 1.0 || seconds.fract() != 0.0 {
        return Err(format!("`{text}`: expected whole seconds, at least one, e.g. 10s or 1m"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// A positive duration such as 90s, 10m or 1.5h.
fn duration(text: &str) -> Result<std::time::Duration, String> {
    let seconds = o2d::units::parse_duration_s(text)?;
    if seconds <= 0.0 {
        return Err(format!("`{text}`: expected a positive duration, e.g. 30s or 10m"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
}

/// A moment: a date (its midnight) or a date-time (`T` or a space between, seconds optional).
fn moment(text: &str) -> Result<chrono::NaiveDateTime, String> {
    let t = text.trim();
    if let Ok(date) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(t, f).ok())
        .ok_or_else(|| {
            format!("`{text}` is not a date or a date-time: expected e.g. 2026-11-27 or 2026-11-27T12:00")
        })
}

/// The end of a window: a date-time, or a date up to the end of that day (the next midnight).
fn moment_end(text: &str) -> Result<chrono::NaiveDateTime, String> {
    let at = moment(text)?;
    let date_only = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").is_ok();
    Ok(if date_only { at + chrono::Duration::days(1) } else { at })
}

/// The length of a peak stretch, in milliseconds: whole minutes, at least one.
fn peak_length(text: &str) -> Result<u64, String> {
    let seconds = o2d::units::parse_duration_s(text)?;
    if seconds < 60.0 || seconds % 60.0 != 0.0 {
        return Err(format!("`{text}`: expected whole minutes, at least one, e.g. 15m or 1h"));
    }
    Ok(o2d::units::seconds_to_ms(seconds))
}

/// `o2d trace --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum TraceFormatArg {
    /// CSV with a header row.
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
    /// A k6 script (every request, arrival-rate stages of 10 seconds).
    K6,
}
/// `o2d trace`.
#[derive(Debug)]
pub(crate) struct Trace {
    /// The scenario (the embedded default without a file).
    pub(crate) scenario: Source,
    /// `--set`, `--seed` and `--days`.
    pub(crate) overrides: Vec<Override>,
    /// The replication traced.
    pub(crate) replication: u64,
    /// `--speedup`, positive.
    pub(crate) speedup: f64,
    /// File format.
    pub(crate) format: TraceFormat,
    /// `--kinds` as a set of bits (every kind without the flag).
    pub(crate) kinds: u8,
    /// `--from`, `--to`.
    pub(crate) window: (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>),
    /// `--peak`, ms.
    pub(crate) peak: Option<u64>,
    /// `--out` (stdout without it).
    pub(crate) out: Option<PathBuf>,
    /// `--force`.
    pub(crate) force: bool,
}

/// `o2d replay`.
#[derive(Debug)]
pub(crate) struct Replay {
    /// The trace file.
    pub(crate) trace: PathBuf,
    /// Target, routes and the replay's settings.
    pub(crate) options: o2d::replay::Options,
    /// `--routes`, when given (read after the flags are checked).
    pub(crate) routes: Option<PathBuf>,
    /// `--out`.
    pub(crate) out: Option<PathBuf>,
    /// `--force`.
    pub(crate) force: bool,
    /// `--format`.
    pub(crate) format: Format,
    /// `--quiet`.
    pub(crate) quiet: bool,
}
/// `o2d replay`: an explicit http:// target, positive speed-up and rate scale, a cap of at
/// least one request in flight.
pub(super) fn replay(a: ReplayArgs) -> Result<Replay, Error> {
    let target = o2d::replay::Target::parse(&a.target)?;
    speedup(a.speedup)?;
    if !(a.rate_scale.is_finite() && a.rate_scale > 0.0 && a.rate_scale <= MAX_RATE_SCALE) {
        return Err(Error::Usage(format!(
            "--rate-scale {}: expected a positive number up to {MAX_RATE_SCALE}, e.g. 2 (each copy of an \
             order is sent at the order's own time)",
            a.rate_scale
        )));
    }
    if a.max_in_flight == 0 {
        return Err(Error::Usage("--max-in-flight 0: expected at least 1 request in flight".into()));
    }
    let format = match a.format {
        FormatArg::Table => Format::Table,
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    };
    Ok(Replay {
        trace: a.trace,
        options: o2d::replay::Options {
            target,
            routes: Default::default(),
            scaling: o2d::replay::plan::Scaling { speedup: a.speedup, rate_scale: a.rate_scale },
            max_in_flight: a.max_in_flight,
            duration: a.duration,
            timeout: a.timeout,
            threads: a.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
            interval: a.interval,
        },
        routes: a.routes,
        out: a.out,
        force: a.force,
        format,
        quiet: a.quiet,
    })
}

/// The most copies `--rate-scale` makes of each order.
const MAX_RATE_SCALE: f64 = 100.0;

/// A `--speedup` from a thousandth (slow motion) to a million.
fn speedup(x: f64) -> Result<(), Error> {
    if x.is_finite() && (1e-3..=1e6).contains(&x) {
        Ok(())
    } else {
        Err(Error::Usage(format!("--speedup {x}: expected a number from 0.001 to 1000000, e.g. 60")))
    }
}

/// `o2d trace`: a `--speedup` in range, a window that is not empty.
pub(super) fn trace(a: TraceArgs) -> Result<Trace, Error> {
    let overrides = overrides(&a.set, None, a.seed, a.days)?;
    speedup(a.speedup)?;
    if let (Some(from), Some(to)) = (a.from, a.to)
        && to <= from
    {
        return Err(Error::Usage(format!(
            "the window is empty: --to ends it at {to}, not after --from starts it at {from} \
             (a date for --to means the end of that day)"
        )));
    }
    Ok(Trace {
        overrides,
        scenario: source(a.scenario),
        replication: a.replication,
        speedup: a.speedup,
        format: match a.format {
            TraceFormatArg::Csv => TraceFormat::Csv,
            TraceFormatArg::Jsonl => TraceFormat::Jsonl,
            TraceFormatArg::K6 => TraceFormat::K6,
        },
        kinds: if a.kinds.is_empty() { RequestKind::ALL.to_vec() } else { a.kinds }
            .iter()
            .fold(0, |set, k| set | k.bit()),
        window: (a.from, a.to),
        peak: a.peak,
        out: a.out,
        force: a.force,
    })
}
