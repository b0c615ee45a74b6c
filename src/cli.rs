//! Command-line definitions (clap) and nothing else: flags become an `Options` value so the rest
//! of the program never sees clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use o2d::scenario::{MAX_DAYS, MAX_REPLICATIONS};

/// o2d: simulate an e-commerce operation from order to door, with confidence intervals.
#[derive(Debug, Parser)]
#[command(name = "o2d", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a command, `run` the embedded default scenario.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario (default: the embedded holiday season) and print its KPIs.
    Run(RunArgs),
    /// Run two scenarios (or one and a changed copy, --b-set) on common random numbers and
    /// report paired KPI differences B - A.
    Compare(CompareArgs),
    /// Run a grid of parameter values ([sweep] table and/or --vary), replications per point.
    Sweep(SweepArgs),
    /// Find the largest demand multiplier at which every [targets] entry still holds.
    Capacity(CapacityArgs),
    /// Write the order arrival stream of one replication (CSV or JSON lines) for load tools.
    Trace(TraceArgs),
    /// Join shard files of a sweep into the files one unsharded run writes.
    Merge {
        /// Shard files, or folders holding `shard-K-of-N.json` files.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder (default `results/<scenario>-sweep-merged/`).
        #[arg(long, short = 'o')]
        out: Option<PathBuf>,
        /// Replace an existing --out folder.
        #[arg(long)]
        force: bool,
    },
    /// Write report.html (charts, KPI cards, verdict) beside the results of run, sweep or compare.
    Report {
        /// A results folder written by `o2d run`, `o2d sweep` or `o2d compare`.
        dir: PathBuf,
    },
    /// Parse and check scenario files; report every problem; write nothing.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        /// Override a key by its dotted path, e.g. `--set demand.orders_per_day=5000`.
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Write a commented starter scenario.
    Init {
        /// File to write (default `scenario.toml`; `.toml` is added when missing).
        name: Option<PathBuf>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of the scenario format (for editors).
    Schema,
}

/// `o2d run` arguments.
#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// Scenario file; none runs the embedded default scenario.
    pub scenario: Option<PathBuf>,
    /// Exit 1 unless every `[targets]` entry holds on its whole 95% interval.
    #[arg(long)]
    pub check: bool,
    /// Add replications in batches until every target KPI's 95% half-width is within this share
    /// of its mean (e.g. 0.01), or --max-replications is reached.
    #[arg(long)]
    pub precision: Option<f64>,
    /// Cap for --precision (at least 2: an interval needs two replications).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=i64::from(MAX_REPLICATIONS)), requires = "precision")]
    pub max_replications: Option<u32>,
    /// Also write report.html (as `o2d report`) into the results folder.
    #[arg(long)]
    pub report: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `o2d compare` arguments.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario A (the baseline).
    pub a: PathBuf,
    /// Scenario B (the change); without it, B is A with the `--b-set` changes.
    pub b: Option<PathBuf>,
    /// Override a key in B only, e.g. `--b-set 'support.teams[0].shifts[0].agents=12'`;
    /// repeatable. `--set` applies to both.
    #[arg(long = "b-set", value_name = "KEY=VALUE")]
    pub b_set: Vec<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `o2d sweep` arguments.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (its `[sweep]` table gives the grid).
    pub scenario: PathBuf,
    /// Vary a key: `KEY=V1,V2,..` or `KEY=FROM..TO:STEP`; repeatable; overrides [sweep].
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    /// Run only shard K of N (0-based): jobs in (point, replication) order go to shard j mod N.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `o2d capacity` arguments.
#[derive(Debug, Args)]
pub struct CapacityArgs {
    /// Scenario file (it needs a `[targets]` table).
    pub scenario: PathBuf,
    /// Bisection stops when the multipliers that hold and break are within this share.
    #[arg(long, default_value_t = 0.05)]
    pub tolerance: f64,
    /// Highest multiplier tried when doubling.
    #[arg(long, default_value_t = 64.0)]
    pub max_multiplier: f64,
    /// Search once per value: `KEY=V1,V2,..` or `KEY=FROM..TO:STEP`; repeatable (a grid).
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `o2d trace` arguments.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Scenario file; none traces the embedded default scenario.
    pub scenario: Option<PathBuf>,
    /// Replication to trace (0-based).
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    /// Compress time for replay: `replay_offset_s = (timestamp - first timestamp) / speedup`.
    #[arg(long, default_value_t = 1.0)]
    pub speedup: f64,
    /// File format.
    #[arg(long, short = 'f', value_enum, default_value_t = TraceFormatArg::Csv)]
    pub format: TraceFormatArg,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing --out file.
    #[arg(long)]
    pub force: bool,
    /// Base random seed (overrides `run.seed`), 0 to 9223372036854775807 (a TOML integer).
    #[arg(long, short = 's', value_parser = seed)]
    pub seed: Option<u64>,
    /// Simulated days (overrides `run.days`).
    #[arg(long, short = 'd', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    pub days: Option<u32>,
    /// Override any scenario key by its dotted path.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

/// A seed: any whole number a scenario file can hold (TOML integers stop at i64::MAX), so the
/// resolved scenario reproduces the run.
fn seed(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(s) if s <= i64::MAX as u64 => Ok(s),
        _ => Err(format!("expected a whole number from 0 to {}", i64::MAX)),
    }
}

/// Worker threads: at least one, and no more than any machine has cores (a million threads
/// would only exhaust the system).
fn threads(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(t) if (1..=1024).contains(&t) => Ok(t),
        _ => Err("expected a whole number from 1 to 1024 (leave --threads out for all cores)".to_string()),
    }
}

/// `o2d trace --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TraceFormatArg {
    /// CSV with a header row.
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// Options shared by the commands that simulate.
#[derive(Debug, Args, Default)]
pub struct CommonArgs {
    /// Replications (overrides `run.replications`).
    #[arg(long, short = 'r', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub replications: Option<u32>,
    /// Base random seed (overrides `run.seed`), 0 to 9223372036854775807 (a TOML integer).
    #[arg(long, short = 's', value_parser = seed)]
    pub seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: all cores). Results do not depend on it.
    #[arg(long, short = 't', value_parser = threads)]
    pub threads: Option<usize>,
    /// Simulated days (overrides `run.days`).
    #[arg(long, short = 'd', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    pub days: Option<u32>,
    /// Override any scenario key by its dotted path, e.g. `--set carriers[0].capacity_per_day=800`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Output folder (default `results/<scenario>/`, replaced on each run). An existing,
    /// non-empty folder named with --out is only replaced with --force.
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
    /// Replace an existing --out folder.
    #[arg(long)]
    pub force: bool,
    /// What to print on stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,
    /// No progress bar and no notes on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormatArg {
    /// A table in human units.
    #[default]
    Table,
    /// kpis.csv on stdout.
    Csv,
    /// One JSON object.
    Json,
}
