//! What each command does, as a table of contents: load the scenario, run the experiment, write
//! and print its outputs. No simulation, no KPI arithmetic and no file format here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use o2d::error::Error;
use o2d::experiment::capacity::{self as capacity_search, Step};
use o2d::experiment::sweep::{self as sweep_grid, Grid, SweepResult};
use o2d::experiment::targets::{self, Verdict};
use o2d::experiment::{self, CustomersSink, PrecisionStop, RunOptions, RunResult};
use o2d::model::customers::CustomerBase;
use o2d::output::destination::{self, ResultsDir};
use o2d::output::{self, atomic};
use o2d::scenario::{self, Scenario, Source};

use crate::cli::{self, Common, Options};

/// Runs the command asked for; returns the exit code.
pub(crate) fn dispatch(options: Options) -> Result<i32> {
    match options {
        Options::Run(o) => run(o),
        Options::Compare(o) => compare(o),
        Options::Sweep(o) => sweep(o),
        Options::Capacity(o) => capacity(o),
        Options::Staff(o) => staff(o),
        Options::Trace(o) => trace(o),
        Options::Replay(o) => replay(o),
        Options::Merge(o) => merge(o),
        Options::Report(dir) => report(&dir),
        Options::Validate(o) => validate(o),
        Options::Init(o) => init(o),
        Options::Schema => {
            print!("{}", output::schema()?);
            Ok(0)
        }
    }
}

fn run(o: cli::Run) -> Result<i32> {
    let common = &o.common;
    let mut scenario = scenario::load(&o.scenario, &common.overrides)?;
    notes(&scenario, common.quiet);
    output::run::check_shown(&scenario.kpi_defs(), &o.kpis).map_err(Error::Usage)?;
    output::run::check_window(&scenario, o.window.as_deref()).map_err(Error::Usage)?;
    if o.customers_out && scenario.customers.is_none() {
        return Err(Error::Usage(
            "--customers-out writes customers.csv, the customer base of each replication, and this \
             scenario models no customers: add a [customers] table (o2d schema lists its keys)"
                .into(),
        )
        .into());
    }
    if let Some(shard) = o.shard {
        return run_shard(&scenario, common, shard);
    }
    let out = out_dir(common, &scenario.name, "")?;
    // The results folder is staged before the run: customers.csv streams into it.
    let stage = output::run::stage(&out)?;
    let customers = o.customers_out.then(|| output::customers::CustomersCsv::new(&stage, &scenario));
    let write_base =
        customers.as_ref().map(|c| move |index: u64, base: &CustomerBase| c.replication(index, base));
    let sink = write_base.as_ref().map(|f| -> CustomersSink<'_> { f });
    let (result, why) = simulate(&scenario, common, o.precision, &stop_on_ctrl_c(), sink)?;
    if let Some(c) = customers {
        c.finish(result.replications.iter().map(|r| r.index))?;
    }
    scenario.replications = result.replications.len() as u32;
    output::run::write(stage, &scenario, &result)?;
    let shown = output::run::Shown { kpis: &o.kpis, window: o.window.as_deref() };
    print!("{}", output::run::render(common.format, &scenario, &result, &shown)?);
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
    if o.report {
        let path = output::report::write(out.path())?;
        if !common.quiet {
            eprintln!("report written to {}", path.display());
        }
    }
    Ok(if o.check { check_targets(&scenario, &result) } else { 0 })
}

/// `o2d run --shard K/N`: the shard's replications, written as a shard file into the folder the
/// shards share (`--out`, or the run's results folder); nothing else there is replaced.
fn run_shard(scenario: &Scenario, common: &Common, (k, n): (usize, usize)) -> Result<i32> {
    let dir = match &common.out {
        Some(dir) => dir.clone(),
        None => destination::default_path(&scenario.name, "")?,
    };
    destination::check_shard_folder(&dir)?;
    let indices = experiment::run_shard::indices(scenario.replications, k, n);
    let stop = stop_on_ctrl_c();
    let bar = progress(indices.len() as u64, common.quiet);
    bar.set_message(format!("{} (shard {k}/{n})", scenario.name));
    let tick = || bar.inc(1);
    let opts =
        RunOptions { threads: common.threads, stop: &stop, on_replication_done: &tick, on_customers: None };
    let started = std::time::Instant::now();
    let reps = experiment::run_replications(scenario, &indices, &opts)?;
    bar.finish_and_clear();
    let result = experiment::summarise(scenario, reps, started, common.threads);
    result.check_ledgers()?;
    let shard = experiment::run_shard::RunShard::new(
        scenario,
        (k, n),
        output::run::resolved_toml(scenario)?,
        &result,
    );
    let path = output::write_shard_file(&dir, (k, n), &shard, "run --shard")?;
    if !common.quiet {
        eprintln!("shard {k}/{n}: {} replications written to {}", indices.len(), path.display());
    }
    Ok(0)
}

fn compare(o: cli::Compare) -> Result<i32> {
    let common = &o.common;
    let a = scenario::load(&Source::File(o.a.clone()), &common.overrides)?;
    notes(&a, common.quiet);
    enough_replications("compare", "judges paired 95% intervals, which need", 2, common, &o.a, &a)?;
    let b_path = o.b.clone().unwrap_or_else(|| o.a.clone());
    let b = experiment::compare::load_b(&Source::File(b_path), &common.overrides, &o.b_set, &a)?;
    let (b_label, folder) = output::compare::names(&o.a, o.b.as_deref(), &b);
    let out = out_dir(common, &folder, "")?;
    let stop = stop_on_ctrl_c();
    let (a_result, _) = simulate(&a, common, None, &stop, None)?;
    let (b_result, _) = simulate(&b, common, None, &stop, None)?;
    let rows = experiment::compare::compare(&a_result, &b_result);
    let compared = output::compare::Compared {
        a: &a,
        b: &b,
        b_label: &b_label,
        a_result: &a_result,
        b_result: &b_result,
        rows: &rows,
    };
    output::compare::write(&out, &compared)?;
    print!("{}", output::compare::render(common.format, &compared)?);
    written(common, &out);
    Ok(0)
}

fn sweep(o: cli::Sweep) -> Result<i32> {
    let common = &o.common;
    let src = Source::File(o.scenario.clone());
    let mut scenario = scenario::load(&src, &common.overrides)?;
    notes(&scenario, common.quiet);
    // The grid as its resolved scenario states it (keys sorted, values as TOML writes them), so
    // re-running that file repeats the sweep point for point.
    let grid = Grid::new(&scenario.resolved.sweep, &o.vary)?.canonical()?;
    let points = sweep_grid::load_points(&src, &common.overrides, &grid)?;
    let all = sweep_grid::jobs(grid.points(), scenario.replications);
    let jobs = match o.shard {
        Some((k, n)) => sweep_grid::shard(&all, k, n),
        None => all,
    };
    let out = match (o.shard, &common.out) {
        // Shards of one sweep share a folder: each writes its own file, nothing else is replaced.
        (Some(_), dir) => {
            let dir = match dir {
                Some(dir) => dir.clone(),
                None => destination::default_path(&scenario.name, "-sweep")?,
            };
            destination::check_shard_folder(&dir)?;
            SweepOut::Shard(dir)
        }
        (None, _) => SweepOut::Whole(out_dir(common, &scenario.name, "-sweep")?),
    };
    let stop = stop_on_ctrl_c();
    let bar = progress(jobs.len() as u64, common.quiet);
    bar.set_message(format!("{} ({} points)", scenario.name, grid.points()));
    let results = sweep_grid::run_jobs(&points, &jobs, common.threads, &stop, &|| bar.inc(1));
    bar.finish_and_clear();
    scenario.resolved.sweep = grid.table();
    let resolved_toml = output::resolved_toml_for(&scenario, "sweep scenario.resolved.toml")?;
    let result = SweepResult::new(&scenario, grid, &points, o.shard, resolved_toml, results?);
    match out {
        SweepOut::Shard(dir) => {
            let path = output::sweep::write_shard(&dir, &result)?;
            if !common.quiet {
                let (k, n) = result.shard;
                eprintln!("shard {k}/{n}: {} jobs written to {}", jobs.len(), path.display());
            }
        }
        SweepOut::Whole(out) => {
            output::sweep::write(&out, &result, "sweep")?;
            print!("{}", output::sweep::render(common.format, &result)?);
            written(common, &out);
        }
    }
    Ok(0)
}

/// Where a sweep writes: one shard file into a folder shards share, or a whole results folder.
enum SweepOut {
    Shard(PathBuf),
    Whole(ResultsDir),
}

fn capacity(o: cli::Capacity) -> Result<i32> {
    let common = &o.common;
    let src = Source::File(o.scenario.clone());
    let scenario = scenario::load(&src, &common.overrides)?;
    notes(&scenario, common.quiet);
    capacity_search::scalable(&scenario)?;
    let grid = if o.vary.is_empty() { None } else { Some(Grid::new(&Default::default(), &o.vary)?) };
    let points = capacity_search::point_overrides(&src, &common.overrides, grid.as_ref())?;
    // After the flags, so a wrong flag is named first; a scenario without targets is refused by
    // the search itself, with that reason.
    if !scenario.targets.is_empty() {
        enough_replications(
            "capacity",
            "judges every target at every step, and a pass or fail needs",
            targets::MIN_REPLICATIONS,
            common,
            &o.scenario,
            &scenario,
        )?;
    }
    let out = out_dir(common, &scenario.name, "-capacity")?;
    let stop = stop_on_ctrl_c();
    let bar = progress(u64::from(scenario.replications), common.quiet);
    let tick = || bar.inc(1);
    let opts =
        RunOptions { threads: common.threads, stop: &stop, on_replication_done: &tick, on_customers: None };
    let on_step = |p: usize, s: &Step| {
        bar.reset();
        if !common.quiet {
            let verdict = if s.holds { "holds" } else { "breaks" };
            bar.suspend(|| {
                eprintln!(
                    "capacity: point {p}: {:.3}x ({:.0} orders/day): {verdict}",
                    s.multiplier, s.orders_per_day
                )
            });
        }
    };
    let found = capacity_search::search_grid(&src, grid.as_ref(), &points, &opts, o.search, &on_step)?;
    bar.finish_and_clear();
    let searched = output::capacity::Searched {
        scenario: &scenario,
        keys: grid.as_ref().map_or(&[], |g| &g.keys),
        values: grid.as_ref().map_or(&[], |g| &g.values),
        search: o.search,
        points: &found,
    };
    output::capacity::write(&out, &searched)?;
    print!("{}", output::capacity::render(common.format, &searched)?);
    written(common, &out);
    Ok(0)
}

/// The progress of `o2d staff`: a bar per run, a line per round judged.
struct StaffProgress {
    bar: ProgressBar,
    quiet: bool,
}

impl experiment::staff::Progress for StaffProgress {
    fn run_starts(&self, stage: experiment::staff::Stage, replications: u32) {
        self.bar.reset();
        self.bar.set_length(u64::from(replications));
        self.bar.set_message(stage.to_string());
    }

    fn replication_done(&self) {
        self.bar.inc(1);
    }

    fn round_done(&self, stage: experiment::staff::Stage, r: &experiment::staff::Round) {
        if self.quiet {
            return;
        }
        let met = r.checks.iter().filter(|c| c.verdict == Verdict::Pass).count();
        let next = if r.raised > 0 { format!("; raising {} channel-hours", r.raised) } else { String::new() };
        self.bar.suspend(|| {
            eprintln!(
                "staff: {stage}: {:.0} agent-hours, {met} of {} targets met{next}",
                r.agent_hours,
                r.checks.len()
            )
        });
    }
}

fn staff(o: cli::Staff) -> Result<i32> {
    let common = &o.common;
    let scenario = scenario::load(&o.scenario, &common.overrides)?;
    notes(&scenario, common.quiet);
    // Refused before the output folder is chosen, so nothing is written.
    experiment::staff::staffing_of(&scenario)?;
    let file = match &o.scenario {
        Source::File(p) => p.clone(),
        _ => PathBuf::from("the default scenario"),
    };
    enough_replications(
        "staff",
        "judges every target each round, and a pass or fail needs",
        targets::MIN_REPLICATIONS,
        common,
        &file,
        &scenario,
    )?;
    let out = out_dir(common, &scenario.name, "-staff")?;
    let stop = stop_on_ctrl_c();
    let progress =
        StaffProgress { bar: progress(u64::from(scenario.replications), common.quiet), quiet: common.quiet };
    let staffed = experiment::staff::staff(&scenario, o.method, common.threads, &stop, &progress)?;
    progress.bar.finish_and_clear();
    let w = output::staff::Written { scenario: &scenario, method: o.method, staffed: &staffed };
    output::staff::write(&out, &w)?;
    print!("{}", output::staff::render(common.format, &w)?);
    written(common, &out);
    Ok(0)
}

fn trace(o: cli::Trace) -> Result<i32> {
    use experiment::trace::{Selection, busiest, requests};
    use output::trace::{TraceWriter, Written};
    let scenario = scenario::load(&o.scenario, &o.overrides)?;
    notes(&scenario, false);
    if let Some(out) = &o.out {
        destination::check_file(out, o.force)?;
    }
    let stop = stop_on_ctrl_c();
    let mut selection = Selection::window(&scenario, o.window.0, o.window.1, o.kinds)?;
    if let Some(length) = o.peak {
        if length > selection.to - selection.from {
            return Err(Error::Usage("--peak is longer than the window traced".to_string()).into());
        }
        match busiest(&scenario, o.replication, &stop, &selection, length)? {
            Some((from, to)) => {
                let show = |t| output::trace::timestamp(&scenario, t);
                eprintln!("busiest stretch of replication {}: {} to {}", o.replication, show(from), show(to));
                (selection.from, selection.to) = (from, to);
            }
            None => eprintln!("no request of the kinds asked for in the window: the trace is empty"),
        }
    }
    if o.format == output::trace::TraceFormat::K6 {
        output::trace::k6_fits(selection.to - selection.from, o.speedup)?;
    }
    let origin = (o.window.0.is_some() || o.peak.is_some()).then_some(selection.from);
    let about = output::trace::about(&scenario, o.replication, &selection, o.speedup);
    let write = |out: &mut dyn std::io::Write| -> o2d::error::Result<Written> {
        let out = std::io::BufWriter::new(out);
        let mut writer = TraceWriter::new(&scenario, o.format, o.speedup, origin, about.clone(), out);
        requests(&scenario, o.replication, &stop, &selection, |r| writer.push(r))?;
        Ok(writer.finish()?.1)
    };
    match &o.out {
        Some(path) => {
            let mut written = Written::default();
            atomic::write_file_with(path, o.force, |f| {
                written = write(f)?;
                Ok(())
            })?;
            eprintln!("{}", output::trace::summary(&written, o.replication, path));
        }
        None => match write(&mut std::io::stdout().lock()) {
            // A closed pipe (`| head`) is not an error worth reporting.
            Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::BrokenPipe => {}
            other => {
                other?;
            }
        },
    }
    Ok(0)
}

fn replay(o: Box<cli::Replay>) -> Result<i32> {
    use o2d::replay::{self as load, plan, routes::Routes};
    let mut options = o.options;
    if let Some(path) = &o.routes {
        options.routes = Routes::read(path)?;
    }
    let stem = o.trace.file_stem().map_or("trace".into(), |s| s.to_string_lossy().into_owned());
    let out = dir_for(o.out.as_ref(), o.force, &format!("replay-{stem}"), "")?;
    // The whole trace is read before anything is sent: a bad row stops the replay unsent.
    let planned = plan::check(&o.trace, options.scaling, &options.routes, &options.target.base)?;
    if planned.requests() == 0 {
        return Err(Error::Usage(format!("{} plans no request: nothing to replay", o.trace.display())).into());
    }
    let until = options.duration.map_or(String::new(), |d| format!(", stopping after {} s", d.as_secs_f64()));
    if !o.quiet {
        eprintln!(
            "replaying {}: {} requests to {} over {:.1} s, at most {} a second{until}",
            o.trace.display(),
            planned.requests(),
            options.target.url,
            planned.last_at_us as f64 / 1e6,
            planned.peak_per_s,
        );
    }
    let stop = stop_on_ctrl_c();
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |elapsed: f64, live: o2d::replay::collect::Live| {
        // On a terminal one line kept up to date; in a log a line every 10 seconds.
        if o.quiet || (!terminal && !(elapsed as u64).is_multiple_of(10)) {
            return;
        }
        let p99 = live.p99_recent_ms.map_or("-".to_string(), |x| format!("{x:.1} ms"));
        let line = format!(
            "{elapsed:>6.0} s: sent {}, in flight {}, errors {}, dropped {}, p99 of the last 10 s {p99}",
            live.sent, live.in_flight, live.errors, live.dropped
        );
        if terminal { eprint!("\r{line:<100}") } else { eprintln!("{line}") }
    };
    let replayed = load::replay(&o.trace, &options, &stop, &mut progress)?;
    if terminal && !o.quiet {
        eprint!("\r{:<100}\r", "");
    }
    let trace = o.trace.display().to_string();
    let w =
        output::replay::Written { trace: &trace, options: &options, planned: &planned, replayed: &replayed };
    output::replay::write(&out, &w)?;
    print!("{}", output::replay::render(o.format, &w)?);
    if !o.quiet {
        eprintln!("results written to {}", out.path().display());
    }
    Ok(0)
}

fn merge(o: cli::Merge) -> Result<i32> {
    let files = shard_files(&o.shards)?;
    let mut runs = Vec::new();
    let mut sweeps = Vec::new();
    for f in &files {
        match sweep_grid::read_any_shard(f)? {
            sweep_grid::Shard::Run(r) => runs.push((f.clone(), *r)),
            sweep_grid::Shard::Sweep(s) => sweeps.push((f.clone(), *s)),
        }
    }
    if let (Some((run, _)), Some((sweep, _))) = (runs.first(), sweeps.first()) {
        return Err(Error::Usage(format!(
            "{} is a shard of a run and {} of a sweep: merge the shards of one run or one sweep",
            run.display(),
            sweep.display()
        ))
        .into());
    }
    let out = if runs.is_empty() {
        let merged = sweep_grid::merge(sweeps)?;
        let out = dir_for(o.out.as_ref(), o.force, &merged.scenario, "-sweep-merged")?;
        output::sweep::write(&out, &merged, "merge")?;
        out
    } else {
        let merged = experiment::run_shard::merge(runs)?;
        let out = dir_for(o.out.as_ref(), o.force, &merged.scenario.name, "-merged")?;
        let stage = output::run::stage(&out)?;
        output::run::write_with(stage, &merged.scenario, &merged.result, &merged.resolved_toml)?;
        out
    };
    eprintln!("merged {} shard files into {}", files.len(), out.path().display());
    Ok(0)
}

fn report(dir: &Path) -> Result<i32> {
    let path = output::report::write(dir)?;
    eprintln!("report written to {}", path.display());
    Ok(0)
}

fn validate(o: cli::Validate) -> Result<i32> {
    let mut failed = 0;
    for file in &o.scenarios {
        match scenario::load(&Source::File(file.clone()), &o.overrides) {
            Ok(s) => {
                println!(
                    "ok: {} ({} days from {}, {} replications)",
                    file.display(),
                    s.days,
                    s.start_date,
                    s.replications
                );
                notes(&s, false);
            }
            Err(e) => {
                failed += 1;
                let text = e.to_string();
                eprintln!("{}", if text.starts_with("error:") { text } else { format!("error: {text}") });
            }
        }
    }
    if failed > 0 {
        eprintln!("{failed} of {} scenario files have problems", o.scenarios.len());
        return Ok(2);
    }
    Ok(0)
}

fn init(o: cli::Init) -> Result<i32> {
    if let Some(history) = &o.from_history {
        // Refused before the history is read, as the write itself would refuse it.
        destination::check_file(&o.path, o.force)?;
        let fitted = scenario::files::history::fit(history)?;
        output::write_fitted_starter(&o.path, &fitted, history, o.force)?;
        eprintln!(
            "fitted [demand] to {} orders on {} days ({} peaks and dips)",
            fitted.orders,
            fitted.days,
            fitted.peaks.len()
        );
        eprintln!("wrote {}; try: o2d validate {0} && o2d run {0}", o.path.display());
        return Ok(0);
    }
    output::write_starter(&o.path, o.force)?;
    eprintln!("wrote {}; try: o2d validate {0} && o2d run {0}", o.path.display());
    Ok(0)
}

/// Prints what validation accepted but the user should know, one `note:` line each.
fn notes(scenario: &Scenario, quiet: bool) {
    if !quiet {
        for note in &scenario.notes {
            eprintln!("note: {note}");
        }
    }
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

/// `--out`, or `results/<name><suffix>/`, checked before any work (see [`dir_for`]).
fn out_dir(common: &Common, name: &str, suffix: &str) -> Result<ResultsDir, Error> {
    dir_for(common.out.as_ref(), common.force, name, suffix)
}

/// `out`, or `results/<name><suffix>/`: o2d replaces only a folder it wrote (and one named by
/// `--out` only with `force`) or an empty one.
fn dir_for(out: Option<&PathBuf>, force: bool, name: &str, suffix: &str) -> Result<ResultsDir, Error> {
    match out {
        None => ResultsDir::default_area(name, suffix),
        Some(dir) => ResultsDir::named(dir, force),
    }
}

/// "results written to DIR", unless `--quiet`.
fn written(common: &Common, out: &ResultsDir) {
    if !common.quiet {
        eprintln!("results written to {}", out.path().display());
    }
}

/// Runs a scenario with a progress bar; `precision` adds replications in batches.
fn simulate(
    scenario: &Scenario,
    common: &Common,
    precision: Option<(f64, u32)>,
    stop: &AtomicBool,
    on_customers: Option<CustomersSink<'_>>,
) -> Result<(RunResult, Option<PrecisionStop>)> {
    let total = precision.map_or(scenario.replications, |(_, max)| max);
    let bar = progress(u64::from(total), common.quiet);
    bar.set_message(scenario.name.clone());
    let tick = || bar.inc(1);
    let opts = RunOptions { threads: common.threads, stop, on_replication_done: &tick, on_customers };
    let outcome = match precision {
        None => experiment::run(scenario, &opts).map(|r| (r, None)),
        Some((p, max)) => {
            experiment::run_to_precision(scenario, &opts, p, max).map(|(r, why)| (r, Some(why)))
        }
    };
    bar.finish_and_clear();
    let (result, why) = outcome?;
    result.check_ledgers()?;
    Ok((result, why))
}

/// `--check`: 0 when every target passes, else 1, naming the targets not met on stderr.
fn check_targets(scenario: &Scenario, result: &RunResult) -> i32 {
    let checks = targets::check(&scenario.targets, result);
    if checks.is_empty() {
        eprintln!("--check: the scenario has no [targets]");
    }
    let failing: Vec<String> = checks
        .iter()
        .filter(|c| c.verdict != Verdict::Pass)
        .map(|c| format!("{} {} ({})", c.target.label(), c.target.text, c.verdict.as_str()))
        .collect();
    if failing.is_empty() {
        return 0;
    }
    eprintln!("--check: targets not met: {}", failing.join("; "));
    1
}

/// The fewest replications a command can work with, blamed on the flag or the file the count
/// came from: `compare` needs two for a paired interval, `capacity` the
/// [`targets::MIN_REPLICATIONS`] a verdict needs.
fn enough_replications(
    command: &str,
    needs: &str,
    min: usize,
    common: &Common,
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

/// The shard files named: each file as given, and the `shard-*` files of each folder, sorted.
fn shard_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for p in inputs {
        if !p.is_dir() {
            files.push(p.clone());
            continue;
        }
        let mut found: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|f| f.file_name().is_some_and(|n| n.to_string_lossy().starts_with("shard-")))
            .collect();
        found.sort();
        // A pipe or a device found in a folder would be waited on, or read, forever.
        if let Some(f) = found.iter().find(|f| !std::fs::metadata(f).is_ok_and(|m| m.is_file())) {
            let message = format!("{}, not a shard file", destination::describe(f)?);
            return Err(Error::Input { path: f.clone(), message });
        }
        files.extend(found);
    }
    Ok(files)
}
