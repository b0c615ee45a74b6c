//! Every file o2d writes and everything it prints: one module per command's outputs (written
//! atomically into a results folder), the table for people, the report, and the one exporter.

pub mod atomic;
pub mod capacity;
pub mod compare;
pub mod customers;
pub mod destination;
pub(crate) mod export;
pub mod replay;
pub mod report;
pub mod run;
pub mod staff;
pub mod sweep;
pub(crate) mod table;
pub mod trace;

use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// What `--format` prints to stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A table for people, in human units.
    #[default]
    Table,
    /// The command's main CSV file.
    Csv,
    /// One JSON document.
    Json,
}

/// The scenario with every default filled in, the o2d version, and the command (after `o2d `)
/// that re-runs it exactly. The `[run]` values come from the scenario as it ran (a precision run
/// changes its replications), and the header is written from the same values as the body, so
/// the two cannot disagree.
pub fn resolved_toml_for(scenario: &Scenario, rerun: &str) -> Result<String> {
    let raw = resolved_raw(scenario);
    let body = toml::to_string(&raw)
        .map_err(|e| Error::io("cannot format the resolved scenario", std::io::Error::other(e)))?;
    Ok(format!(
        "# Resolved by o2d {}: every key with its value, defaults filled in.\n\
         # Seed {}, {} replications. Re-run exactly with: o2d {rerun}\n\n{body}",
        crate::VERSION,
        raw.run.seed,
        raw.run.replications
    ))
}

/// The scenario as it ran: the file with every default filled in, and the run's name,
/// replications, seed, days and warm-up (which flags and `--precision` may have changed).
pub(crate) fn resolved_raw(scenario: &Scenario) -> crate::scenario::RawScenario {
    let mut raw = scenario.resolved.clone();
    raw.run.name = Some(scenario.name.clone());
    raw.run.replications = scenario.replications;
    raw.run.seed = scenario.seed;
    raw.run.days = scenario.days;
    raw.run.warmup_days = scenario.warmup_days;
    raw
}

/// Writes `o2d init`'s starter scenario to `path` atomically (over a file only with `force`).
pub fn write_starter(path: &std::path::Path, force: bool) -> Result<()> {
    atomic::write_file(path, STARTER.as_bytes(), force)
}

/// Writes `o2d init --from-history`'s starter to `path` atomically: the demand fitted to the
/// history at `history`, which the starter names relative to its own folder.
pub fn write_fitted_starter(
    path: &std::path::Path,
    fitted: &crate::scenario::fit::Fitted,
    history: &std::path::Path,
    force: bool,
) -> Result<()> {
    let text = crate::scenario::fit::starter(fitted, &relative_to(path, history));
    atomic::write_file(path, text.as_bytes(), force)
}

/// `target` as a path from the folder of `file` (absolute when they share no folder).
fn relative_to(file: &std::path::Path, target: &std::path::Path) -> String {
    use std::path::{Component, PathBuf};
    let absolute = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let from: PathBuf = absolute(file).parent().map(PathBuf::from).unwrap_or_default();
    let to = absolute(target);
    let (from, to): (Vec<Component>, Vec<Component>) =
        (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return to.iter().collect::<PathBuf>().display().to_string();
    }
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    rel.extend(&to[common..]);
    rel.display().to_string()
}

/// The starter scenario `o2d init` writes.
const STARTER: &str = include_str!("../../scenarios/starter.toml");

/// The JSON Schema of the scenario format, as `o2d schema` prints it.
pub fn schema() -> Result<String> {
    let schema = schemars::schema_for!(crate::scenario::RawScenario);
    let mut text = serde_json::to_string_pretty(&schema).map_err(|e| export::format_error("JSON", e))?;
    text.push('\n');
    Ok(text)
}

/// Writes `shard` (shard `k` of `n`, by `command`) as JSON into `dir` as `shard-K-of-N.json`;
/// refuses a shard bigger than `o2d merge` reads. Returns the file's path.
pub fn write_shard_file(
    dir: &std::path::Path,
    (k, n): (usize, usize),
    shard: &impl serde::Serialize,
    command: &str,
) -> Result<std::path::PathBuf> {
    let name = crate::experiment::sweep::shard_file_name(k, n);
    let json = serde_json::to_vec(shard).map_err(|e| export::format_error("JSON", e))?;
    if json.len() as u64 > crate::input::MAX_SHARD_BYTES {
        return Err(Error::Limit(format!(
            "shard {k}/{n} is {} bytes, more than o2d merge reads ({} bytes): use more shards",
            json.len(),
            crate::input::MAX_SHARD_BYTES
        )));
    }
    atomic::write_shard(dir, &name, &json, command)?;
    Ok(dir.join(name))
}
