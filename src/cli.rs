//! Command-line definitions (clap), and the [`Options`] they become: one plain value per command,
//! its flags checked once, so the commands never see clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use o2d::error::Error;
use o2d::experiment::capacity::SearchOptions;
use o2d::experiment::staff::Method;
use o2d::experiment::sweep::parse_shard;
use o2d::output::Format;
use o2d::scenario::load::Override;
use o2d::scenario::windows::HORIZON;
use o2d::scenario::{MAX_DAYS, MAX_REPLICATIONS, Source};

mod load;
pub(crate) use load::{Replay, ReplayArgs, Trace, TraceArgs};

/// o2d: simulate an e-commerce operation from order to door, with confidence intervals.
#[derive(Debug, Parser)]
#[command(name = "o2d", version, about, long_about = None)]
pub(crate) struct Cli {
    /// What to do; without a command, `run` the embedded default scenario.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Simulate a scenario (default: the embedded holiday season) and print its KPIs.
    Run(RunArgs),
    /// Run two scenarios (or one and a changed copy, --b-set) on common random numbers and
    /// report paired KPI differences B - A.
    Compare(CompareArgs),
    /// Run a grid of parameter values ([sweep] table and/or --vary), replications per point.
    Sweep(SweepArgs),
    /// Find the largest demand multiplier at which every [targets] entry still holds.
    Capacity(CapacityArgs),
    /// Plan support staff: each hour's need by Erlang C and A, the cheapest shifts that cover
    /// it, then runs that raise the hours where a target failed until every target holds.
    Staff(StaffArgs),
    /// Write the requests one replication's customers send the shop's API (orders, status and
    /// tracking look-ups, changes, cancellations, returns) as CSV or JSON lines, for load tools.
    Trace(TraceArgs),
    /// Send the requests of a trace (`o2d trace`) to an HTTP API at their planned times, whatever
    /// the responses do, and measure latency from each planned send time, per request kind.
    Replay(ReplayArgs),
    /// Join shard files of a run or a sweep into the files one unsharded run writes.
    Merge {
        /// Shard files, or folders holding `shard-K-of-N.json` files.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder (default `results/<scenario>-merged/` for a run,
        /// `results/<scenario>-sweep-merged/` for a sweep).
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
        /// Fit the starter's [demand] to this order history (CSV with placed_at and lines).
        #[arg(long, value_name = "ORDERS.csv")]
        from_history: Option<PathBuf>,
    },
    /// Print the JSON Schema of the scenario format (for editors).
    Schema,
}

/// `o2d run` arguments.
#[derive(Debug, Args, Default)]
pub(crate) struct RunArgs {
    /// Scenario file; none runs the embedded default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// Exit 1 unless every `[targets]` entry holds on its whole 95% interval.
    #[arg(long)]
    pub(crate) check: bool,
    /// Add replications in batches until every target KPI's 95% half-width is within this share
    /// of its mean (e.g. 0.01), or --max-replications is reached.
    #[arg(long)]
    pub(crate) precision: Option<f64>,
    /// Cap for --precision (at least 2: an interval needs two replications).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=i64::from(MAX_REPLICATIONS)), requires = "precision")]
    pub(crate) max_replications: Option<u32>,
    /// Also write report.html (as `o2d report`) into the results folder.
    #[arg(long)]
    pub(crate) report: bool,
    /// Show only these KPIs or groups in the table (comma-separated), e.g.
    /// `--kpis on_time_rate,support`; groups: delivery, inventory, returns, support, a channel
    /// (email, chat, phone, social, sms), cost. The files keep every KPI.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub(crate) kpis: Vec<String>,
    /// Show the KPIs of this window of `[[run.windows]]` in the table instead of the whole
    /// horizon's (`all`). The files keep every window.
    #[arg(long, value_name = "NAME")]
    pub(crate) window: Option<String>,
    /// Also write customers.csv into the results folder: every customer of every replication at
    /// the end (segment, orders, bad experiences, when they left, revenue). It can be large:
    /// about 32 bytes a customer a replication.
    #[arg(long)]
    pub(crate) customers_out: bool,
    /// Run only shard K of N (0-based): replications j with j mod N = K, written as
    /// `shard-K-of-N.json` into the results folder shards share; `o2d merge` joins them.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["check", "precision", "report", "customers_out"])]
    pub(crate) shard: Option<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `o2d compare` arguments.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Scenario A (the baseline).
    pub(crate) a: PathBuf,
    /// Scenario B (the change); without it, B is A with the `--b-set` changes.
    pub(crate) b: Option<PathBuf>,
    /// Override a key in B only, e.g. `--b-set 'support.teams[0].shifts[0].agents=12'`;
    /// repeatable. `--set` applies to both.
    #[arg(long = "b-set", value_name = "KEY=VALUE")]
    pub(crate) b_set: Vec<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `o2d sweep` arguments.
#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// Scenario file (its `[sweep]` table gives the grid).
    pub(crate) scenario: PathBuf,
    /// Vary a key: `KEY=V1,V2,..` or `KEY=FROM..TO:STEP`; repeatable; overrides [sweep].
    #[arg(long, value_name = "KEY=VALUES")]
    pub(crate) vary: Vec<String>,
    /// Run only shard K of N (0-based): jobs in (point, replication) order go to shard j mod N.
    #[arg(long, value_name = "K/N")]
    pub(crate) shard: Option<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `o2d capacity` arguments.
#[derive(Debug, Args)]
pub(crate) struct CapacityArgs {
    /// Scenario file (it needs a `[targets]` table).
    pub(crate) scenario: PathBuf,
    /// Bisection stops when the multipliers that hold and break are within this share.
    #[arg(long, default_value_t = 0.05)]
    pub(crate) tolerance: f64,
    /// Highest multiplier tried when doubling.
    #[arg(long, default_value_t = 64.0)]
    pub(crate) max_multiplier: f64,
    /// Search once per value: `KEY=V1,V2,..` or `KEY=FROM..TO:STEP`; repeatable (a grid).
    #[arg(long, value_name = "KEY=VALUES")]
    pub(crate) vary: Vec<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `o2d staff` arguments.
#[derive(Debug, Args)]
pub(crate) struct StaffArgs {
    /// Scenario file (its `[staffing]` table gives the goals and shift rules); none plans the
    /// embedded default scenario.
    pub(crate) scenario: Option<PathBuf>,
    /// `simulation`: the Erlang plan, and o2d's plan (email and social by deadline) corrected
    /// by simulation until every target holds; `erlang`: the Erlang plan only, as a workforce
    /// tool makes it (one run).
    #[arg(long, value_enum, default_value_t = MethodArg::Simulation)]
    pub(crate) method: MethodArg,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// `o2d staff --method` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum MethodArg {
    /// Erlang C and A per hour, then corrected by simulation.
    #[default]
    Simulation,
    /// Erlang C and A per hour only.
    Erlang,
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

/// Options shared by the commands that simulate.
#[derive(Debug, Args, Default)]
pub(crate) struct CommonArgs {
    /// Replications (overrides `run.replications`).
    #[arg(long, short = 'r', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub(crate) replications: Option<u32>,
    /// Base random seed (overrides `run.seed`), 0 to 9223372036854775807 (a TOML integer).
    #[arg(long, short = 's', value_parser = seed)]
    pub(crate) seed: Option<u64>,
    /// Worker threads, 1 to 1024 (default: all cores). Results do not depend on it.
    #[arg(long, short = 't', value_parser = threads)]
    pub(crate) threads: Option<usize>,
    /// Simulated days (overrides `run.days`).
    #[arg(long, short = 'd', value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_DAYS)))]
    pub(crate) days: Option<u32>,
    /// Override any scenario key by its dotted path, e.g. `--set carriers[0].capacity_per_day=800`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub(crate) set: Vec<String>,
    /// Output folder (default `results/<scenario>/`, replaced on each run). An existing,
    /// non-empty folder named with --out is only replaced with --force.
    #[arg(long, short = 'o')]
    pub(crate) out: Option<PathBuf>,
    /// Replace an existing --out folder.
    #[arg(long)]
    pub(crate) force: bool,
    /// What to print on stdout.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Table)]
    pub(crate) format: FormatArg,
    /// No progress bar and no notes on stderr.
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum FormatArg {
    /// A table in human units.
    #[default]
    Table,
    /// The command's main CSV file on stdout (kpis.csv for run).
    Csv,
    /// One JSON object.
    Json,
}

/// Replications `--precision` stops at without `--max-replications`.
const DEFAULT_MAX_REPLICATIONS: u32 = 200;

/// What to do, with every flag checked: one value per command.
#[derive(Debug)]
pub(crate) enum Options {
    /// `o2d run` (also without a command).
    Run(Run),
    /// `o2d compare`.
    Compare(Compare),
    /// `o2d sweep`.
    Sweep(Sweep),
    /// `o2d capacity`.
    Capacity(Capacity),
    /// `o2d staff`.
    Staff(Staff),
    /// `o2d trace`.
    Trace(Trace),
    /// `o2d replay`.
    Replay(Box<Replay>),
    /// `o2d merge`.
    Merge(Merge),
    /// `o2d report DIR`.
    Report(PathBuf),
    /// `o2d validate`.
    Validate(Validate),
    /// `o2d init`.
    Init(Init),
    /// `o2d schema`.
    Schema,
}

/// The options every simulating command shares.
#[derive(Debug)]
pub(crate) struct Common {
    /// `--set` pairs, then the `--replications`, `--seed` and `--days` shortcuts.
    pub(crate) overrides: Vec<Override>,
    /// `--replications`, when given (a count too small is blamed on it).
    pub(crate) replications: Option<u32>,
    /// Worker threads (0 = all cores).
    pub(crate) threads: usize,
    /// `--out`.
    pub(crate) out: Option<PathBuf>,
    /// `--force`.
    pub(crate) force: bool,
    /// What to print on stdout.
    pub(crate) format: Format,
    /// No progress bar and no notes on stderr.
    pub(crate) quiet: bool,
}

/// `o2d run`.
#[derive(Debug)]
pub(crate) struct Run {
    /// The scenario (the embedded default without a file).
    pub(crate) scenario: Source,
    /// `--precision` and its cap.
    pub(crate) precision: Option<(f64, u32)>,
    /// `--report`.
    pub(crate) report: bool,
    /// `--check`.
    pub(crate) check: bool,
    /// `--kpis`: the KPIs and groups the table shows (all when empty).
    pub(crate) kpis: Vec<String>,
    /// `--window`: the window the table shows (`None`: the whole horizon).
    pub(crate) window: Option<String>,
    /// `--customers-out`: also write customers.csv.
    pub(crate) customers_out: bool,
    /// `--shard K/N`.
    pub(crate) shard: Option<(usize, usize)>,
    /// The shared options.
    pub(crate) common: Common,
}

/// `o2d compare`.
#[derive(Debug)]
pub(crate) struct Compare {
    /// Scenario A.
    pub(crate) a: PathBuf,
    /// Scenario B, when given (else A with the `--b-set` changes).
    pub(crate) b: Option<PathBuf>,
    /// Changes to B only.
    pub(crate) b_set: Vec<Override>,
    /// The shared options (`--set` applies to both).
    pub(crate) common: Common,
}

/// `o2d sweep`.
#[derive(Debug)]
pub(crate) struct Sweep {
    /// The scenario file.
    pub(crate) scenario: PathBuf,
    /// `--vary` texts, checked with the scenario's `[sweep]` table.
    pub(crate) vary: Vec<String>,
    /// `--shard K/N`.
    pub(crate) shard: Option<(usize, usize)>,
    /// The shared options.
    pub(crate) common: Common,
}

/// `o2d capacity`.
#[derive(Debug)]
pub(crate) struct Capacity {
    /// The scenario file.
    pub(crate) scenario: PathBuf,
    /// `--vary` texts.
    pub(crate) vary: Vec<String>,
    /// `--tolerance` and `--max-multiplier`.
    pub(crate) search: SearchOptions,
    /// The shared options.
    pub(crate) common: Common,
}

/// `o2d staff`.
#[derive(Debug)]
pub(crate) struct Staff {
    /// The scenario (the embedded default without a file).
    pub(crate) scenario: Source,
    /// `--method`.
    pub(crate) method: Method,
    /// The shared options.
    pub(crate) common: Common,
}

/// `o2d merge`.
#[derive(Debug)]
pub(crate) struct Merge {
    /// Shard files or folders holding them.
    pub(crate) shards: Vec<PathBuf>,
    /// `--out`.
    pub(crate) out: Option<PathBuf>,
    /// `--force`.
    pub(crate) force: bool,
}

/// `o2d validate`.
#[derive(Debug)]
pub(crate) struct Validate {
    /// Scenario files.
    pub(crate) scenarios: Vec<PathBuf>,
    /// `--set` pairs.
    pub(crate) overrides: Vec<Override>,
}

/// `o2d init`.
#[derive(Debug)]
pub(crate) struct Init {
    /// The file to write, `.toml` added when it has no extension.
    pub(crate) path: PathBuf,
    /// `--force`.
    pub(crate) force: bool,
    /// `--from-history`: the order history to fit the demand to.
    pub(crate) from_history: Option<PathBuf>,
}

impl Cli {
    /// The options of the command asked for (`run` without one), every flag checked.
    pub(crate) fn options(self) -> Result<Options, Error> {
        Ok(match self.command.unwrap_or(Command::Run(RunArgs::default())) {
            Command::Run(a) => Options::Run(Run {
                scenario: source(a.scenario),
                precision: precision(a.precision, a.max_replications)?,
                report: a.report,
                check: a.check,
                kpis: a.kpis.iter().map(|k| k.trim().to_string()).collect(),
                window: a.window.filter(|w| w != HORIZON),
                customers_out: a.customers_out,
                shard: a.shard.as_deref().map(parse_shard).transpose()?,
                common: a.common.options()?,
            }),
            Command::Compare(a) => Options::Compare(compare(a)?),
            Command::Sweep(a) => Options::Sweep(Sweep {
                shard: a.shard.as_deref().map(parse_shard).transpose()?,
                scenario: a.scenario,
                vary: a.vary,
                common: a.common.options()?,
            }),
            Command::Capacity(a) => {
                let search = SearchOptions { tolerance: a.tolerance, max_multiplier: a.max_multiplier };
                let common = a.common.options()?;
                search.check()?;
                Options::Capacity(Capacity { scenario: a.scenario, vary: a.vary, search, common })
            }
            Command::Staff(a) => Options::Staff(Staff {
                scenario: source(a.scenario),
                method: match a.method {
                    MethodArg::Simulation => Method::Simulation,
                    MethodArg::Erlang => Method::Erlang,
                },
                common: a.common.options()?,
            }),
            Command::Trace(a) => Options::Trace(load::trace(a)?),
            Command::Replay(a) => Options::Replay(Box::new(load::replay(a)?)),
            Command::Merge { shards, out, force } => Options::Merge(Merge { shards, out, force }),
            Command::Report { dir } => Options::Report(dir),
            Command::Validate { scenarios, set } => {
                Options::Validate(Validate { scenarios, overrides: overrides(&set, None, None, None)? })
            }
            Command::Init { name, force, from_history } => {
                let mut path = name.unwrap_or_else(|| PathBuf::from("scenario.toml"));
                if path.extension().is_none() {
                    path.set_extension("toml");
                }
                Options::Init(Init { path, force, from_history })
            }
            Command::Schema => Options::Schema,
        })
    }
}

impl CommonArgs {
    fn options(self) -> Result<Common, Error> {
        Ok(Common {
            overrides: overrides(&self.set, self.replications, self.seed, self.days)?,
            replications: self.replications,
            threads: self.threads.unwrap_or(0),
            out: self.out,
            force: self.force,
            format: match self.format {
                FormatArg::Table => Format::Table,
                FormatArg::Csv => Format::Csv,
                FormatArg::Json => Format::Json,
            },
            quiet: self.quiet,
        })
    }
}

/// The overrides flags stand for: `--set` pairs, then the shortcuts.
fn overrides(
    set: &[String],
    replications: Option<u32>,
    seed: Option<u64>,
    days: Option<u32>,
) -> Result<Vec<Override>, Error> {
    let mut out: Vec<Override> = set.iter().map(|s| Override::parse(s)).collect::<Result<_, _>>()?;
    let shortcuts = [
        ("run.replications", replications.map(|v| v.to_string())),
        ("run.seed", seed.map(|v| v.to_string())),
        ("run.days", days.map(|v| v.to_string())),
    ];
    for (key, value) in shortcuts {
        if let Some(value) = value {
            out.push(Override { key: key.to_string(), value });
        }
    }
    Ok(out)
}

fn source(path: Option<PathBuf>) -> Source {
    path.map_or(Source::Default, Source::File)
}

/// `--precision` (a share strictly between 0 and 1) with its cap.
fn precision(precision: Option<f64>, max: Option<u32>) -> Result<Option<(f64, u32)>, Error> {
    match precision {
        Some(p) if !(p > 0.0 && p < 1.0) => {
            Err(Error::Usage(format!("--precision {p}: expected a share between 0 and 1, e.g. 0.01")))
        }
        Some(p) => Ok(Some((p, max.unwrap_or(DEFAULT_MAX_REPLICATIONS)))),
        None => Ok(None),
    }
}

/// `o2d compare`: B is a file, or A changed by `--b-set`, and always runs on A's seed and
/// replication count (common random numbers).
fn compare(a: CompareArgs) -> Result<Compare, Error> {
    let common = a.common.options()?;
    let b_set = overrides(&a.b_set, None, None, None)?;
    if a.b.is_none() && b_set.is_empty() {
        return Err(Error::Usage(format!(
            "compare {}: give a scenario B, or changes for B with --b-set KEY=VALUE",
            a.a.display()
        )));
    }
    if let Some(pinned) = b_set.iter().find(|o| o.key == "run.seed" || o.key == "run.replications") {
        return Err(Error::Usage(format!(
            "--b-set {}: B always runs on A's seed and replication count (common random numbers); \
             use --set or --seed / --replications to change both",
            pinned.key
        )));
    }
    Ok(Compare { a: a.a, b: a.b, b_set, common })
}
