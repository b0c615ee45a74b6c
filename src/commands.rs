//! What each command does, in terms of library calls: load, run, write, print. No simulation
//! logic and no KPI arithmetic here.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use o2d::error::Error;
use o2d::experiment::{self, RunOptions};
use o2d::output::{self, Format};
use o2d::scenario::load::Override;
use o2d::scenario::{self, Scenario, Source};

use crate::cli::{Cli, Command, CommonArgs, FormatArg, RunArgs};

/// The starter scenario `o2d init` writes.
const STARTER: &str = include_str!("../scenarios/starter.toml");

/// Runs the command the user asked for; returns the exit code.
pub fn dispatch(cli: Cli) -> Result<i32> {
    match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args),
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

/// Where results go, refusing to replace a folder the user named unless `--force`.
fn output_dir(common: &CommonArgs, scenario: &Scenario) -> Result<PathBuf, Error> {
    match &common.out {
        None => Ok(Path::new("results").join(&scenario.name)),
        Some(dir) => {
            let occupied =
                dir.is_file() || std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
            if occupied && !common.force {
                return Err(Error::Usage(format!(
                    "{} already exists and is not empty: pass --force to replace it, or choose another --out",
                    dir.display()
                )));
            }
            Ok(dir.clone())
        }
    }
}

fn format(f: FormatArg) -> Format {
    match f {
        FormatArg::Table => Format::Table,
        FormatArg::Csv => Format::Csv,
        FormatArg::Json => Format::Json,
    }
}

fn run(args: RunArgs) -> Result<i32> {
    let common = &args.common;
    let scenario = scenario::load(&source(args.scenario.as_ref()), &overrides(common)?)?;
    let out = output_dir(common, &scenario)?;
    let threads = common.threads.unwrap_or(0);
    let stop = stop_on_ctrl_c();
    let bar = progress(u64::from(scenario.replications), common.quiet);
    bar.set_message(scenario.name.clone());
    let tick = || bar.inc(1);
    let result = experiment::run(&scenario, &RunOptions { threads, stop: &stop, on_replication_done: &tick });
    bar.finish_and_clear();
    let result = result?;
    for r in &result.replications {
        if !r.conservation.holds() || r.units.is_some_and(|u| !u.holds()) {
            return Err(Error::Limit(format!(
                "internal error: conservation failed in replication {}: orders {:?}, units {:?}",
                r.index, r.conservation, r.units
            ))
            .into());
        }
    }
    output::write_results(&out, &scenario, &result)?;
    print!("{}", output::render(format(common.format), &scenario, &result)?);
    if !common.quiet {
        eprintln!("results written to {}", out.display());
    }
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
    if path.exists() && !force {
        return Err(Error::Usage(format!("{} exists: pass --force to overwrite it", path.display())).into());
    }
    std::fs::write(&path, STARTER).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    eprintln!("wrote {}; try: o2d validate {0} && o2d run {0}", path.display());
    Ok(0)
}
