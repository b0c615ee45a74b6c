//! What each command does, in terms of library calls: load, run, write, print. No simulation
//! logic and no KPI arithmetic here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use o2d::error::Error;
use o2d::experiment::sweep::{self, Grid, SweepResult};
use o2d::experiment::targets::{self, Verdict};
use o2d::experiment::{self, PrecisionStop, RunOptions, RunResult};
use o2d::output::destination::{self, ResultsDir};
use o2d::output::{self, Format};
use o2d::scenario::load::Override;
use o2d::scenario::{self, Scenario, Source};

use crate::cli::{
    CapacityArgs, Cli, Command, CommonArgs, CompareArgs, FormatArg, RunArgs, SweepArgs, TraceArgs,
    TraceFormatArg,
};

/// Replications `--precision` stops at without `--max-replications`.
const DEFAULT_MAX_REPLICATIONS: u32 = 200;

/// The starter scenario `o2d init` writes.
const STARTER: &str = include_str!("../scenarios/starter.toml");

/// Runs the command the user asked for; returns the exit code.
pub fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args),
        Command::Compare(args) => compare(args),
        Command::Sweep(args) => sweep(args),
        Command::Capacity(args) => capacity(args),
        Command::Trace(args) => trace(args),
        Command::Merge { shards, out, force } => merge(&shards, out, force),
        Command::Report { dir } => report(&dir),
        Command::Validate { scenarios, set } => validate(&scenarios, &set),
        Command::Init { name, force } => init(name, force),
        Command::Schema => {
            let schema = schemars::schema_for!(o2d::scenario::RawScenario);
            println!("{}", serde_json::to_string_pretty(&schema)?);
            Ok(0)
        }
    }
}

/// The overrides a command's flags stand for: `--set` pairs, then the shortcuts.
fn overrides(common: &CommonArgs) -> Result<Vec<Override>, Error> {
    let mut out: Vec<Override> = common.set.iter().map(|s| Override::parse(s)).collect::<Result<_, _>>()?;
    let mut shortcut = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            out.push(Override { key: key.to_string(), value });
        }
    };
    shortcut("run.replications", common.replications.map(|v| v.to_string()));
    shortcut("run.seed", common.seed.map(|v| v.to_string()));
    shortcut("run.days", common.days.map(|v| v.to_string()));
    Ok(out)
}

fn source(path: Option<&PathBuf>) -> Source {
    path.map_or(Source::Default, |p| Source::File(p.clone()))
}

/// A stop flag set by Ctrl-C.
fn stop_on_ctrl_c() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    // A second handler cannot be installed; the first one's flag is enough for one run.
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed));
    stop
}

fn progress(total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} replications ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Where results go (see `out_dir`).
fn output_dir(common: &CommonArgs, scenario: &Scenario) -> Result<ResultsDir, Error> {
    out_dir(common.out.as_ref(), common.force, &scenario.name, "")
}

/// `out`, or `results/<name><suffix>/`, checked before any work: o2d replaces only a folder it
/// wrote (and one named by `--out` only with `force`) or an empty one.
fn out_dir(out: Option<&PathBuf>, force: bool, name: &str, suffix: &str) -> Result<ResultsDir, Error> {
    match out {
        None => ResultsDir::default_area(name, suffix),
        Some(dir) => ResultsDir::named(dir, force),
    }
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    }
}

/// Fails when a replication's orders, units or tickets are not all accounted for.
fn check_conservation(result: &RunResult) -> Result<(), Error> {
    for r in &result.replications {
        if !r.ledgers_hold() {
            return Err(Error::Limit(format!(
                "internal error: conservation failed in replication {}: orders {:?}, units {:?}, tickets {:?}",
                r.index, r.conservation, r.units, r.tickets
            )));
        }
    }
    Ok(())
}

/// Loads and runs a scenario with a progress bar; `precision` adds replications in batches.
fn simulate(
    scenario: &Scenario,
    common: &CommonArgs,
    precision: Option<(f64, u32)>,
    stop: &AtomicBool,
) -> Result<(RunResult, Option<PrecisionStop>)> {
    let threads = common.threads.unwrap_or(0);
    let total = precision.map_or(scenario.replications, |(_, max)| max);
    let bar = progress(u64::from(total), common.quiet);
    bar.set_message(scenario.name.clone());
    let tick = || bar.inc(1);
    let opts = RunOptions { threads, stop, on_replication_done: &tick };
    let outcome = match precision {
        None => experiment::run(scenario, &opts).map(|r| (r, None)),
        Some((p, max)) => {
            experiment::run_to_precision(scenario, &opts, p, max).map(|(r, why)| (r, Some(why)))
        }
    };
    bar.finish_and_clear();
    let (result, why) = outcome?;
    check_conservation(&result)?;
    Ok((result, why))
}

fn run(args: RunArgs) -> Result<i32> {
    let common = &args.common;
    let mut scenario = scenario::load(&source(args.scenario.as_ref()), &overrides(common)?)?;
    let out = output_dir(common, &scenario)?;
    let precision = match args.precision {
        Some(p) if !(p > 0.0 && p < 1.0) => {
            return Err(Error::Usage(format!(
                "--precision {p}: expected a share between 0 and 1, e.g. 0.01"
            ))
            .into());
        }
        Some(p) => Some((p, args.max_replications.unwrap_or(DEFAULT_MAX_REPLICATIONS))),
        None => None,
    };
    let stop = stop_on_ctrl_c();
    let (result, why) = simulate(&scenario, common, precision, &stop)?;
    scenario.replications = result.replications.len() as u32;
    output::write_results(&out, &scenario, &result)?;
    print!("{}", output::render(format(common.format), &scenario, &result)?);
    if !common.quiet {
        match why {
            Some(PrecisionStop::Reached) => {
                eprintln!("precision reached after {} replications", scenario.replications)
            }
            Some(PrecisionStop::Cap(wide)) => eprintln!(
                "stopped at --max-replications {}: still wider than the precision: {}",
                scenario.replications,
                wide.join(", ")
            ),
            None => {}
        }
        eprintln!("results written to {}", out.path().display());
    }
    if args.report {
        let path = output::report::write(out.path())?;
        if !common.quiet {
            eprintln!("report written to {}", path.display());
        }
    }
    if args.check {
        let checks = targets::check(&scenario.targets, &result);
        if checks.is_empty() {
            eprintln!("--check: the scenario has no [targets]");
        }
        let failing: Vec<String> = checks
            .iter()
            .filter(|c| c.verdict != Verdict::Pass)
            .map(|c| format!("{} {} ({})", c.target.kpi, c.target.text, c.verdict.as_str()))
            .collect();
        if !failing.is_empty() {
            eprintln!("--check: targets not met: {}", failing.join("; "));
            return Ok(1);
        }
    }
    Ok(0)
}

/// The fewest replications a command can work with, blamed on the flag or the file the count
/// came from: `compare` needs two for a paired interval, `capacity` the
/// [`targets::MIN_REPLICATIONS`] a verdict needs.
fn enough_replications(
    command: &str,
    needs: &str,
    min: usize,
    common: &CommonArgs,
    file: &Path,
    scenario: &Scenario,
) -> Result<(), Error> {
    let n = scenario.replications;
    if n as usize >= min {
        return Ok(());
    }
    let given = match common.replications {
        Some(r) => format!("--replications {r}"),
        None => format!("{}: `run.replications` = {n}", file.display()),
    };
    let count = if n == 1 { "1 replication is".to_string() } else { format!("{n} replications are") };
    Err(Error::Usage(format!(
        "{given}: {count} too few: {command} {needs} at least {min}; pass --replications {min} or more"
    )))
}

fn file_stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn compare(args: CompareArgs) -> Result<i32> {
    let common = &args.common;
    let base = overrides(common)?;
    let a = scenario::load(&Source::File(args.a.clone()), &base)?;
    enough_replications("compare", "judges paired 95% intervals, which need", 2, common, &args.a, &a)?;
    let b_path = args.b.clone().unwrap_or_else(|| args.a.clone());
    let b_set: Vec<Override> = args.b_set.iter().map(|s| Override::parse(s)).collect::<Result<_, _>>()?;
    if args.b.is_none() && b_set.is_empty() {
        return Err(Error::Usage(format!(
            "compare {}: give a scenario B, or changes for B with --b-set KEY=VALUE",
            args.a.display()
        ))
        .into());
    }
    if let Some(pinned) = b_set.iter().find(|o| o.key == "run.seed" || o.key == "run.replications") {
        return Err(Error::Usage(format!(
            "--b-set {}: B always runs on A's seed and replication count (common random numbers); \
             use --set or --seed / --replications to change both",
            pinned.key
        ))
        .into());
    }
    // B runs on A's seed and replication count: common random numbers, pair by pair.
    let mut b_overrides = base.clone();
    b_overrides.extend(b_set);
    b_overrides.push(Override { key: "run.seed".into(), value: a.seed.to_string() });
    b_overrides.push(Override { key: "run.replications".into(), value: a.replications.to_string() });
    let b = scenario::load(&Source::File(b_path.clone()), &b_overrides)?;
    // The label B goes by in the outputs: its own name, or A's with a mark for the changes.
    let (b_label, b_stem) = match &args.b {
        Some(path) => (b.name.clone(), file_stem(path)),
        None => (format!("{} (--b-set)", b.name), format!("{}-changed", file_stem(&args.a))),
    };
    let name = format!("compare-{}-vs-{b_stem}", file_stem(&args.a));
    let out = out_dir(common.out.as_ref(), common.force, &name, "")?;
    let stop = stop_on_ctrl_c();
    let (ra, _) = simulate(&a, common, None, &stop)?;
    let (rb, _) = simulate(&b, common, None, &stop)?;
    let rows = experiment::compare::compare(&ra, &rb);
    let stage = output::atomic::StagedDir::new(&out, "compare")?;
    stage.write("compare.csv", &experiment::compare::compare_csv(&rows)?)?;
    stage.write("a.kpis.csv", &output::kpis_csv(&ra)?)?;
    stage.write("b.kpis.csv", &output::kpis_csv(&rb)?)?;
    let rerun = "compare a.resolved.toml b.resolved.toml";
    stage.write("a.resolved.toml", output::resolved_toml_for(&a, rerun)?.as_bytes())?;
    stage.write("b.resolved.toml", output::resolved_toml_for(&b, rerun)?.as_bytes())?;
    stage.commit()?;
    match common.format {
        FormatArg::Json => {
            print!("{}", experiment::compare::compare_json(&a.name, &b_label, a.seed, a.replications, &rows))
        }
        FormatArg::Csv => print!("{}", String::from_utf8_lossy(&experiment::compare::compare_csv(&rows)?)),
        FormatArg::Table => {
            print!("{}", output::table::render_compare(&a.name, &b_label, a.replications, &rows))
        }
    }
    if !common.quiet {
        eprintln!("results written to {}", out.path().display());
    }
    Ok(0)
}

fn sweep(args: SweepArgs) -> Result<i32> {
    let common = &args.common;
    let src = Source::File(args.scenario.clone());
    let base = overrides(common)?;
    let mut scenario = scenario::load(&src, &base)?;
    // The grid as its resolved scenario states it (keys sorted, values as TOML writes them), so
    // re-running that file repeats the sweep point for point.
    let grid = Grid::new(&scenario.resolved.sweep, &args.vary)?.canonical()?;
    let shard = args.shard.as_deref().map(sweep::parse_shard).transpose()?;
    let points = sweep::load_points(&src, &base, &grid)?;
    let all = sweep::jobs(grid.points(), scenario.replications);
    let jobs = match shard {
        Some((k, n)) => sweep::shard(&all, k, n),
        None => all,
    };
    let out = match (shard, &common.out) {
        // Shards of one sweep share a folder: each writes its own file, nothing else is replaced.
        (Some((k, n)), dir) => {
            let dir = match dir {
                Some(dir) => dir.clone(),
                None => destination::default_path(&scenario.name, "-sweep")?,
            };
            destination::check_shard_folder(&dir)?;
            SweepOut::Shard { dir, k, n }
        }
        (None, dir) => SweepOut::Whole(out_dir(dir.as_ref(), common.force, &scenario.name, "-sweep")?),
    };
    let stop = stop_on_ctrl_c();
    let bar = progress(jobs.len() as u64, common.quiet);
    bar.set_message(format!("{} ({} points)", scenario.name, grid.points()));
    let tick = || bar.inc(1);
    let results = sweep::run_jobs(&points, &jobs, common.threads.unwrap_or(0), &stop, &tick);
    bar.finish_and_clear();
    scenario.resolved.sweep = grid.table();
    let resolved_toml = output::resolved_toml_for(&scenario, "sweep scenario.resolved.toml")?;
    let result = SweepResult {
        o2d: o2d::VERSION.to_string(),
        scenario: scenario.name.clone(),
        grid: grid.clone(),
        kpis: sweep::kpi_names(&points[0].kpi_defs()),
        replications: scenario.replications,
        seed: scenario.seed,
        scenario_hash: sweep::scenario_hash(&resolved_toml),
        shard: shard.unwrap_or((0, 1)),
        resolved_toml,
        results: results?,
    };
    match out {
        SweepOut::Shard { dir: shard_dir, k, n } => {
            let name = sweep::shard_file_name(k, n);
            let json = serde_json::to_vec(&result)?;
            if json.len() as u64 > o2d::input::MAX_SHARD_BYTES {
                return Err(Error::Limit(format!(
                    "shard {k}/{n} is {} bytes, more than o2d merge reads ({} bytes): use more shards",
                    json.len(),
                    o2d::input::MAX_SHARD_BYTES
                ))
                .into());
            }
            output::atomic::write_shard(&shard_dir, &name, &json)?;
            if !common.quiet {
                eprintln!(
                    "shard {k}/{n}: {} jobs written to {}",
                    jobs.len(),
                    shard_dir.join(&name).display()
                );
            }
        }
        SweepOut::Whole(out) => {
            write_sweep(&out, &result, "sweep")?;
            print_sweep(common, &result)?;
            if !common.quiet {
                eprintln!("results written to {}", out.path().display());
            }
        }
    }
    Ok(0)
}

/// Where a sweep writes: one shard file into a folder shards share, or a whole results folder.
enum SweepOut {
    Shard { dir: PathBuf, k: usize, n: usize },
    Whole(ResultsDir),
}

/// Writes the files of a whole sweep (from one run or merged shards): identical either way, but
/// for the command named in the marker.
fn write_sweep(out: &ResultsDir, result: &SweepResult, command: &str) -> Result<()> {
    let stage = output::atomic::StagedDir::new(out, command)?;
    stage.write("sweep.csv", &sweep::sweep_csv(result)?)?;
    stage.write("replications.csv", &sweep::replications_csv(result)?)?;
    stage.write("scenario.resolved.toml", result.resolved_toml.as_bytes())?;
    stage.commit()?;
    Ok(())
}

fn print_sweep(common: &CommonArgs, result: &SweepResult) -> Result<()> {
    match common.format {
        FormatArg::Csv => print!("{}", String::from_utf8_lossy(&sweep::sweep_csv(result)?)),
        FormatArg::Json => print!("{}", sweep::sweep_json(result)?),
        FormatArg::Table => print!("{}", output::table::render_sweep(result)),
    }
    Ok(())
}

fn merge(inputs: &[PathBuf], out: Option<PathBuf>, force: bool) -> Result<i32> {
    let mut files = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shard-")))
                .collect();
            found.sort();
            // A pipe or a device found in a folder would be waited on, or read, forever.
            if let Some(f) = found.iter().find(|f| !std::fs::metadata(f).is_ok_and(|m| m.is_file())) {
                let message = format!("{}, not a shard file", destination::describe(f)?);
                return Err(Error::Input { path: f.clone(), message }.into());
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut shards = Vec::new();
    for f in &files {
        let limit = o2d::input::MAX_SHARD_BYTES;
        let bytes = o2d::input::read_bounded(f, limit)
            .map_err(|e| Error::Input { path: f.clone(), message: e.message("shard files", limit) })?;
        let shard: SweepResult = serde_json::from_slice(&bytes)
            .map_err(|e| Error::Input { path: f.clone(), message: format!("not an o2d shard file: {e}") })?;
        // The name becomes a folder name: a shard file is input like any other.
        if let Some(why) = o2d::scenario::name::problem(&shard.scenario) {
            let message =
                format!("\"scenario\": `{}` {why}; not an o2d shard file", shard.scenario.escape_debug());
            return Err(Error::Input { path: f.clone(), message }.into());
        }
        shards.push((f.clone(), shard));
    }
    let merged = sweep::merge(shards)?;
    let out = out_dir(out.as_ref(), force, &merged.scenario, "-sweep-merged")?;
    write_sweep(&out, &merged, "merge")?;
    eprintln!("merged {} shard files into {}", files.len(), out.path().display());
    Ok(0)
}

fn report(dir: &Path) -> Result<i32> {
    let path = output::report::write(dir)?;
    eprintln!("report written to {}", path.display());
    Ok(0)
}

fn validate(files: &[PathBuf], set: &[String]) -> Result<i32> {
    let overrides: Vec<Override> = set.iter().map(|s| Override::parse(s)).collect::<Result<_, _>>()?;
    let mut failed = 0;
    for file in files {
        match scenario::load(&Source::File(file.clone()), &overrides) {
            Ok(s) => println!(
                "ok: {} ({} days from {}, {} replications)",
                file.display(),
                s.days,
                s.start_date,
                s.replications
            ),
            Err(e) => {
                failed += 1;
                let text = e.to_string();
                eprintln!("{}", if text.starts_with("error:") { text } else { format!("error: {text}") });
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} scenario files have problems", files.len());
        return Ok(2);
    }
    Ok(0)
}

fn init(name: Option<PathBuf>, force: bool) -> Result<i32> {
    let mut path = name.unwrap_or_else(|| PathBuf::from("scenario.toml"));
    if path.extension().is_none() {
        path.set_extension("toml");
    }
    output::atomic::write_file(&path, STARTER.as_bytes(), force)?;
    eprintln!("wrote {}; try: o2d validate {0} && o2d run {0}", path.display());
    Ok(0)
}

fn capacity(args: CapacityArgs) -> Result<i32> {
    use o2d::experiment::capacity::{self, CapacityPoint, SearchOptions};
    let common = &args.common;
    let src = Source::File(args.scenario.clone());
    let base = overrides(common)?;
    let scenario = scenario::load(&src, &base)?;
    let grid = if args.vary.is_empty() { None } else { Some(Grid::new(&Default::default(), &args.vary)?) };
    let keys = grid.as_ref().map_or(vec![], |g| g.keys.clone());
    let points = grid.as_ref().map_or(1, Grid::points);
    // Every point loads (and is checked) before anything runs.
    let point_overrides: Vec<Vec<Override>> = (0..points)
        .map(|p| {
            let mut o = base.clone();
            if let Some(g) = &grid {
                sweep::load_point(&src, &base, g, p)?;
                o.extend(g.overrides(p));
            }
            Ok(o)
        })
        .collect::<Result<_, Error>>()?;
    let search = SearchOptions { tolerance: args.tolerance, max_multiplier: args.max_multiplier };
    search.check()?;
    // After the flags, so a wrong flag is named first; a scenario without targets is refused by
    // the search itself, with that reason.
    if !scenario.targets.is_empty() {
        enough_replications(
            "capacity",
            "judges every target at every step, and a pass or fail needs",
            targets::MIN_REPLICATIONS,
            common,
            &args.scenario,
            &scenario,
        )?;
    }
    let out = out_dir(common.out.as_ref(), common.force, &scenario.name, "-capacity")?;
    let stop = stop_on_ctrl_c();
    let bar = progress(u64::from(scenario.replications), common.quiet);
    let tick = || bar.inc(1);
    let opts = RunOptions { threads: common.threads.unwrap_or(0), stop: &stop, on_replication_done: &tick };
    let quiet = common.quiet;
    let mut found = Vec::new();
    for (p, o) in point_overrides.iter().enumerate() {
        let values: Vec<(String, String)> = grid.as_ref().map_or(vec![], |g| {
            g.keys.iter().cloned().zip(g.point(p).iter().map(|v| v.to_string())).collect()
        });
        let on_step = |s: &capacity::Step| {
            bar.reset();
            if !quiet {
                bar.suspend(|| {
                    eprintln!(
                        "capacity: point {p}: {:.3}x ({:.0} orders/day): {}",
                        s.multiplier,
                        s.orders_per_day,
                        if s.holds { "holds" } else { "breaks" }
                    )
                });
            }
        };
        let c = capacity::search(&src, o, &opts, search, &on_step)?;
        found.push(CapacityPoint { point: p, values, capacity: c });
    }
    bar.finish_and_clear();
    let stage = output::atomic::StagedDir::new(&out, "capacity")?;
    stage.write("capacity.csv", &capacity::capacity_csv(&keys, &found)?)?;
    stage.write("capacity_steps.csv", &capacity::steps_csv(&keys, &found)?)?;
    let mut rerun = format!(
        "capacity scenario.resolved.toml --tolerance {} --max-multiplier {}",
        args.tolerance, args.max_multiplier
    );
    for (k, values) in keys.iter().zip(grid.as_ref().map_or(&vec![], |g| &g.values)) {
        rerun.push_str(&format!(" --vary '{k}={}'", values.join(",")));
    }
    stage.write("scenario.resolved.toml", output::resolved_toml_for(&scenario, &rerun)?.as_bytes())?;
    stage.commit()?;
    match common.format {
        FormatArg::Table => {
            print!("{}", output::table::render_capacity(&scenario, &keys, &found, search.tolerance))
        }
        FormatArg::Csv => print!("{}", String::from_utf8_lossy(&capacity::capacity_csv(&keys, &found)?)),
        FormatArg::Json => print!("{}", capacity::capacity_json(&scenario, search, &found)?),
    }
    if !quiet {
        eprintln!("results written to {}", out.path().display());
    }
    Ok(0)
}

fn trace(args: TraceArgs) -> Result<i32> {
    use o2d::output::trace::{self, TraceFormat};
    let common = CommonArgs { seed: args.seed, days: args.days, set: args.set.clone(), ..Default::default() };
    let scenario = scenario::load(&source(args.scenario.as_ref()), &overrides(&common)?)?;
    if let Some(out) = &args.out {
        destination::check_file(out, args.force)?;
    }
    let format = match args.format {
        TraceFormatArg::Csv => TraceFormat::Csv,
        TraceFormatArg::Jsonl => TraceFormat::Jsonl,
    };
    let stop = stop_on_ctrl_c();
    let t = trace::trace(&scenario, args.replication, args.speedup, format, &stop)?;
    match &args.out {
        Some(path) => {
            output::atomic::write_file(path, &t.bytes, args.force)?;
            eprintln!("{} orders of replication {} written to {}", t.rows, args.replication, path.display());
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            if let Err(e) = stdout.write_all(&t.bytes).and_then(|_| stdout.flush())
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                return Err(Error::io("cannot write the trace to stdout", e).into());
            }
        }
    }
    Ok(0)
}
