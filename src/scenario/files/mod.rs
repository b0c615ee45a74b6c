//! The planner's own files a scenario names (a forecast, an order history, a catalogue, holidays,
//! rosters): found next to the scenario file, read through a hard byte limit, hashed so a re-run
//! can tell a changed file, and parsed as CSV with every bad cell located (see [`table`]).

pub mod catalogue;
pub mod forecast;
pub mod history;
pub mod holidays;
pub mod roster;
pub mod table;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::check::Issue;
use super::raw::RawScenario;
use crate::error::Problem;

/// Every planner file except an order history is read whole, up to this many bytes (a catalogue
/// of a million SKUs is about 60 MB).
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// A file a scenario names, as written: a path relative to the scenario file, or (as
/// `scenario.resolved.toml` writes it) a table with the absolute path and the SHA-256 of the
/// content that was run, so a re-run of a changed file is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawFile {
    /// `"forecast.csv"`: relative to the folder of the scenario file.
    Path(String),
    /// `{ path = "/abs/forecast.csv", sha256 = "..." }`.
    Pinned(PinnedFile),
}

/// A file with the hash its content must have.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PinnedFile {
    /// Path, relative to the folder of the scenario file or absolute.
    pub path: String,
    /// SHA-256 of the content, 64 hex digits.
    pub sha256: String,
}

impl RawFile {
    /// The path as written.
    pub fn path(&self) -> &str {
        match self {
            RawFile::Path(p) => p,
            RawFile::Pinned(p) => &p.path,
        }
    }

    fn sha256(&self) -> Option<&str> {
        match self {
            RawFile::Path(_) => None,
            RawFile::Pinned(p) => Some(&p.sha256),
        }
    }
}

/// The message serde gives for a value that is neither form, in the scenario reference's words.
pub const NOT_A_FILE: &str =
    "expected a file path such as \"forecast.csv\", or a table { path = \"...\", sha256 = \"...\" }";

/// Finds the files a scenario names: relative paths start in the scenario file's folder.
#[derive(Clone, Debug)]
pub struct Files {
    base: PathBuf,
}

/// A file found, checked against its pinned hash and read (whole, or opened for streaming).
#[derive(Debug)]
pub struct Found {
    /// The path as shown in messages (the scenario's folder joined with the path written).
    pub shown: String,
    /// The absolute path, as the resolved scenario records it.
    pub absolute: PathBuf,
    /// SHA-256 of the content, 64 lowercase hex digits.
    pub sha256: String,
}

impl Found {
    /// The file as `scenario.resolved.toml` records it.
    pub fn pinned(&self) -> RawFile {
        RawFile::Pinned(PinnedFile { path: self.absolute.display().to_string(), sha256: self.sha256.clone() })
    }
}

impl Files {
    /// Files named by a scenario read from `scenario_file` (`None`: the current folder).
    pub fn new(scenario_file: Option<&Path>) -> Self {
        let base = scenario_file.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
        Self { base }
    }

    /// Where `raw` points.
    pub fn path_of(&self, raw: &RawFile) -> PathBuf {
        self.base.join(raw.path())
    }

    /// Reads the file `raw` names, at scenario key `key`, whole (at most `limit` bytes), and
    /// checks a pinned hash. Problems are the scenario key's.
    pub fn read(&self, key: &str, raw: &RawFile, limit: u64) -> Result<(Found, Vec<u8>), Issue> {
        use crate::input::{ReadError, read_bounded};
        let path = self.path_of(raw);
        let bytes = read_bounded(&path, limit).map_err(|e| {
            let message = match e {
                ReadError::Io(e) => format!("cannot read {}: {}", path.display(), io_reason(&e)),
                ReadError::Directory => format!("{} is a directory, not a CSV file", path.display()),
                too_large => format!("{} {}", path.display(), too_large.message("planner files", limit)),
            };
            issue(key, message, help_for(raw))
        })?;
        let sha256 = sha256_hex(&bytes);
        let found = self.found(key, raw, &path, sha256)?;
        Ok((found, bytes))
    }

    /// Opens the file `raw` names for streaming, reading at most `limit` + 1 bytes (so an
    /// endless device is caught by the caller's count).
    pub fn open_streaming(&self, key: &str, raw: &RawFile, limit: u64) -> Result<impl Read + use<>, Issue> {
        let path = self.path_of(raw);
        let file = File::open(&path).map_err(|e| {
            issue(key, format!("cannot read {}: {}", path.display(), io_reason(&e)), help_for(raw))
        })?;
        match file.metadata() {
            Ok(m) if m.is_dir() => {
                Err(issue(key, format!("{} is a directory, not a CSV file", path.display()), None))
            }
            _ => Ok(std::io::BufReader::with_capacity(1 << 16, file.take(limit + 1))),
        }
    }

    fn found(&self, key: &str, raw: &RawFile, path: &Path, sha256: String) -> Result<Found, Issue> {
        if let Some(pinned) = raw.sha256()
            && !pinned.eq_ignore_ascii_case(&sha256)
        {
            return Err(issue(
                &format!("{key}.sha256"),
                format!(
                    "{} has changed since this scenario recorded it: its SHA-256 was {pinned}, it is now {sha256}",
                    path.display()
                ),
                Some(
                    "run the original scenario again, or remove `sha256` to accept the new content"
                        .to_string(),
                ),
            ));
        }
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Found { shown: path.display().to_string(), absolute, sha256 })
    }
}

/// The planner's files a scenario names, each read and checked cell by cell.
#[derive(Clone, Debug, Default)]
pub struct Planner {
    /// The SKU catalogue (`inventory.catalogue`).
    pub catalogue: Option<std::sync::Arc<catalogue::Catalogue>>,
    /// Each support team's roster (`support.teams[i].roster`), by team; `None`: weekly shifts.
    pub rosters: Vec<Option<std::sync::Arc<roster::RosterFile>>>,
    /// `demand.forecast`, read onto the run's days.
    pub forecast: Option<forecast::ForecastFile>,
    /// `calendar.holidays_file`.
    pub holidays: Option<holidays::HolidaysFile>,
    /// The order history `demand.history` replays, as checked at load.
    pub history: Option<history::History>,
}

/// Reads every file `raw` names, and rewrites each reference in `raw` as the resolved scenario
/// records it (absolute path and hash). Problems of the scenario's keys (a missing file, a
/// changed hash) are issues; problems inside a file are located in it.
pub fn read_all(raw: &mut RawScenario, files: &Files) -> Result<Planner, (Vec<Issue>, Vec<Problem>)> {
    let mut planner = Planner::default();
    let (mut issues, mut problems) = (Vec::new(), Vec::new());
    let mut found = Collect { issues: &mut issues, problems: &mut problems };
    let window = forecast::Window::of(&raw.run);
    planner.forecast = found.read(files, "demand.forecast", &mut raw.demand.forecast, |shown, bytes| {
        forecast::read(shown, bytes, window)
    });
    if let Some(calendar) = &mut raw.calendar {
        planner.holidays =
            found.read(files, "calendar.holidays_file", &mut calendar.holidays_file, holidays::read);
    }
    planner.catalogue = catalogue::read(&mut raw.inventory, files, &mut issues, &mut problems);
    planner.rosters = roster::read(&mut raw.support, files, &mut issues, &mut problems);
    // After the catalogue, whose SKUs a history's `skus` must name.
    if let Some(file) = raw.demand.history.clone() {
        match history::read(raw, files, &file, planner.catalogue.as_deref()) {
            Ok(Some((found, h))) => {
                raw.demand.history = Some(found.pinned());
                planner.history = Some(h);
            }
            Ok(None) => {}
            Err((mut i, mut p)) => {
                issues.append(&mut i);
                problems.append(&mut p);
            }
        }
    }
    if issues.is_empty() && problems.is_empty() { Ok(planner) } else { Err((issues, problems)) }
}

/// Reads files whole and collects what goes wrong: issues at scenario keys, problems in files.
struct Collect<'a> {
    issues: &'a mut Vec<Issue>,
    problems: &'a mut Vec<Problem>,
}

impl Collect<'_> {
    /// Reads the file `slot` names at scenario key `key` (if it names one) through
    /// [`MAX_TABLE_BYTES`], parses it with `parse`, and pins `slot` to the file read.
    fn read<T>(
        &mut self,
        files: &Files,
        key: &str,
        slot: &mut Option<RawFile>,
        parse: impl FnOnce(&str, &[u8]) -> Result<T, Vec<Problem>>,
    ) -> Option<T> {
        let raw = slot.as_ref()?;
        match files.read(key, raw, MAX_TABLE_BYTES) {
            Err(issue) => {
                self.issues.push(issue);
                None
            }
            Ok((found, bytes)) => {
                *slot = Some(found.pinned());
                parse(&found.shown, &bytes).map_err(|mut p| self.problems.append(&mut p)).ok()
            }
        }
    }
}

fn issue(key: &str, message: String, help: Option<String>) -> Issue {
    Issue { path: key.to_string(), message, help }
}

fn help_for(raw: &RawFile) -> Option<String> {
    Some(format!(
        "paths are relative to the folder of the scenario file; `{}` was looked for there",
        raw.path()
    ))
}

/// The reason of an I/O error without Rust's "(os error 2)".
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Lowercase hex digits of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// SHA-256 of `bytes`, as lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_sha256() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn a_pinned_file_whose_content_changed_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("s.toml");
        std::fs::write(tmp.path().join("f.csv"), "date,orders\n").unwrap();
        let files = Files::new(Some(&scenario));
        let (found, _) = files.read("demand.forecast", &RawFile::Path("f.csv".into()), 100).unwrap();
        let RawFile::Pinned(mut pinned) = found.pinned() else { panic!("pinned") };
        assert!(Path::new(&pinned.path).is_absolute());
        assert!(files.read("demand.forecast", &RawFile::Pinned(pinned.clone()), 100).is_ok());
        pinned.sha256 = sha256_hex(b"other");
        let e = files.read("demand.forecast", &RawFile::Pinned(pinned), 100).unwrap_err();
        assert_eq!(e.path, "demand.forecast.sha256");
        assert!(e.message.contains("has changed"), "{}", e.message);
    }

    #[test]
    fn a_missing_file_says_where_it_was_looked_for() {
        let files = Files::new(Some(Path::new("scenarios/x.toml")));
        let e = files.read("demand.forecast", &RawFile::Path("nope.csv".into()), 100).unwrap_err();
        assert!(e.message.contains("scenarios/nope.csv: no such file"), "{}", e.message);
    }
}
