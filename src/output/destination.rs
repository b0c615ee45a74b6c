//! What is at an output path before o2d writes there, and the one rule for replacing it: o2d
//! replaces only what it wrote (a folder holding its `o2d-results.json` marker) or an empty folder.
//!
//! Paths are looked at with `lstat`: a link at the last component is never followed, and the
//! device and inode seen here are compared again at publication (see `atomic`).

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::scenario::name;

/// The file that marks a folder as o2d's results: the o2d version and the command that wrote it.
pub const MARKER: &str = "o2d-results.json";

/// A marker larger than this is not one o2d wrote.
const MAX_MARKER_BYTES: u64 = 64 * 1024;

/// The marker's text for `command` (`"run"`, `"sweep"`, ...): deterministic, so two runs with the
/// same seed write byte-identical folders.
pub fn marker(command: &str) -> String {
    let value = serde_json::json!({ "o2d": crate::VERSION, "command": command });
    format!("{value:#}\n")
}

/// Whether `dir/o2d-results.json` is a regular file (not a link) holding an o2d marker.
fn is_marked(dir: &Path) -> bool {
    let path = dir.join(MARKER);
    let regular = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
    regular
        && crate::input::read_bounded(&path, MAX_MARKER_BYTES)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| v.get("o2d").is_some_and(serde_json::Value::is_string))
}

/// Whether a file name in a shard folder is a shard file (`shard-K-of-N.json`), an o2d
/// temporary file (`.NAME.tmp-PID`, left by a shard being written) or the marker (which another
/// shard may be writing at this moment).
fn is_shard_entry(name: &str) -> bool {
    (name.starts_with("shard-") && name.ends_with(".json"))
        || (name.starts_with('.') && name.contains(".tmp-"))
        || name == MARKER
}

/// What a path holds, seen without following a link at its last component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Nothing is there.
    Nothing,
    /// A folder with nothing in it.
    EmptyFolder,
    /// A folder with o2d's marker.
    Results,
    /// A folder with something in it and no marker; `shards_only` when all it holds is shard files.
    Folder {
        /// Only shard files (and o2d temporary files) are in it.
        shards_only: bool,
    },
    /// A regular file.
    File {
        /// It has no bytes.
        empty: bool,
    },
    /// A named pipe.
    Fifo,
    /// A character device such as `/dev/null`.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A unix socket.
    Socket,
    /// A symbolic link (to anything, or dangling).
    Link,
}

/// What was at a path when it was checked: the kind, and the device and inode of the thing, so
/// that publication can tell whether it is still the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// What kind of thing.
    pub found: Found,
    id: Option<(u64, u64)>,
}

/// Looks at `path` without following a link at its end.
pub fn look(path: &Path) -> Result<Seen> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        // A file where a parent folder should be: nothing is there (creating the parent says why not).
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return Ok(Seen { found: Found::Nothing, id: None });
        }
        Err(e) => return Err(Error::io(format!("cannot look at {}", path.display()), e)),
    };
    let t = meta.file_type();
    let found = if t.is_symlink() {
        Found::Link
    } else if t.is_dir() {
        let entries: Vec<String> = fs::read_dir(path)
            .map_err(|e| Error::io(format!("cannot read the folder {}", path.display()), e))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        if entries.is_empty() {
            Found::EmptyFolder
        } else if is_marked(path) {
            Found::Results
        } else {
            Found::Folder { shards_only: entries.iter().all(|n| is_shard_entry(n)) }
        }
    } else if t.is_file() {
        Found::File { empty: meta.len() == 0 }
    } else if t.is_fifo() {
        Found::Fifo
    } else if t.is_char_device() {
        Found::CharDevice
    } else if t.is_block_device() {
        Found::BlockDevice
    } else {
        Found::Socket
    };
    Ok(Seen { found, id: Some((meta.dev(), meta.ino())) })
}

/// What is at `path`, in words starting with "is" ("is a named pipe (FIFO)"), for messages.
pub fn describe(path: &Path) -> Result<String> {
    Ok(is_what(look(path)?.found, path))
}

/// "a file", "a named pipe (FIFO)", ...: the kind of thing `meta` describes (links followed).
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_file() {
        "a file"
    } else if t.is_fifo() {
        "a named pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else {
        "a socket"
    }
}

/// What `found` at `path` is, in words, starting with "is".
fn is_what(found: Found, path: &Path) -> String {
    match found {
        Found::Nothing => "does not exist".into(),
        Found::EmptyFolder => "is an empty folder".into(),
        Found::Results => "is an o2d results folder".into(),
        Found::Folder { .. } => format!("is a folder o2d did not write (there is no {MARKER} in it)"),
        Found::File { empty: false } => "is a file".into(),
        Found::File { empty: true } => "is an empty file".into(),
        Found::Fifo => "is a named pipe (FIFO)".into(),
        Found::CharDevice => "is a character device".into(),
        Found::BlockDevice => "is a block device".into(),
        Found::Socket => "is a socket".into(),
        Found::Link => match fs::metadata(path) {
            Ok(m) => format!("is a symbolic link to {}", kind_of(&m)),
            Err(_) => "is a symbolic link to nothing (dangling)".into(),
        },
    }
}

/// `results/<name><suffix>`: the one place an output path is derived from a scenario name, which
/// must be a plain name (`scenario::name`), so the path stays one folder inside `results/`.
pub fn default_path(scenario: &str, suffix: &str) -> Result<PathBuf> {
    if let Some(why) = name::problem(scenario) {
        return Err(Error::Usage(format!(
            "the scenario name cannot name a results folder: {why}; {}",
            name::HELP
        )));
    }
    Ok(Path::new("results").join(format!("{scenario}{suffix}")))
}

/// A results folder o2d may publish to: the path, and whether a marked folder there may be
/// replaced (`--force`, or o2d's own `results/` area).
#[derive(Debug, Clone)]
pub struct ResultsDir {
    path: PathBuf,
    replace_results: bool,
}

impl ResultsDir {
    /// `--out PATH`: checked now, so a refusal comes before any work; a marked folder that is not
    /// empty is replaced only with `force`.
    pub fn named(path: &Path, force: bool) -> Result<Self> {
        // Without a trailing `/`, so that a link named `out/` is looked at, not followed.
        let normal: PathBuf = path.components().collect();
        // `.`, `..` and `/` have no folder name: results cannot be swapped in there.
        if normal.file_name().is_none() {
            return Err(Error::Usage(format!(
                "--out {}: name a folder for the results, e.g. --out results/mine",
                path.display()
            )));
        }
        let dir = Self { path: normal, replace_results: force };
        dir.check()?;
        Ok(dir)
    }

    /// `results/<name><suffix>/`, o2d's own area (see `default_path`): a marked folder there is
    /// replaced without `--force`, anything else is refused as under `--out`.
    pub fn default_area(scenario: &str, suffix: &str) -> Result<Self> {
        let dir = Self { path: default_path(scenario, suffix)?, replace_results: true };
        dir.check()?;
        Ok(dir)
    }

    /// Where the results go.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks what is at the path now against the rule; returns it, to compare at publication.
    pub fn check(&self) -> Result<Seen> {
        let seen = look(&self.path)?;
        let p = self.path.display();
        match seen.found {
            Found::Nothing | Found::EmptyFolder => Ok(seen),
            Found::Results if self.replace_results => Ok(seen),
            Found::Results => Err(Error::Usage(format!(
                "{p} already exists and is not empty: pass --force to replace it, or choose another --out"
            ))),
            Found::Link => Err(Error::Usage(format!(
                "{p} {}: o2d does not write through a link, even with --force; give the folder itself \
                 as --out",
                is_what(Found::Link, &self.path)
            ))),
            found => {
                let not = if matches!(found, Found::Folder { .. }) { "" } else { ", not a results folder" };
                Err(Error::Usage(format!(
                    "{p} {}{not}: o2d replaces only a folder it wrote (one holding {MARKER}) or an empty \
                     folder, even with --force; choose another --out, or move it away yourself",
                    is_what(found, &self.path)
                )))
            }
        }
    }
}

/// Checks a single file o2d is about to write (`trace --out`, `init`, a shard file,
/// `report.html`): nothing may be there, or a regular file, which is replaced only with `force`.
pub fn check_file(path: &Path, force: bool) -> Result<Seen> {
    let seen = look(path)?;
    let p = path.display();
    match seen.found {
        Found::Nothing => Ok(seen),
        Found::File { .. } if force => Ok(seen),
        Found::File { .. } => Err(Error::Usage(format!("{p} exists: pass --force to replace it"))),
        Found::EmptyFolder | Found::Results | Found::Folder { .. } => {
            Err(Error::Usage(format!("{p} is a folder, not a file: name the file to write")))
        }
        found => Err(Error::Usage(format!(
            "{p} {}, not a regular file: o2d writes a file only where there is none, or over a regular \
             file with --force; choose another path",
            is_what(found, path)
        ))),
    }
}

/// Checks the folder a sweep shard goes to, which shards of one sweep share: nothing, an empty
/// folder, a marked folder, or a folder holding only shard files.
pub fn check_shard_folder(dir: &Path) -> Result<Seen> {
    let seen = look(dir)?;
    match seen.found {
        Found::Nothing | Found::EmptyFolder | Found::Results | Found::Folder { shards_only: true } => {
            Ok(seen)
        }
        found => Err(Error::Usage(format!(
            "{} {}: a shard folder may hold only shard files and o2d results; choose another --out",
            dir.display(),
            is_what(found, dir)
        ))),
    }
}

/// Checks that `dir` is a results folder o2d wrote (links followed: the report is written inside
/// it, never over it).
pub fn check_results_folder(dir: &Path) -> Result<()> {
    if fs::metadata(dir).is_ok_and(|m| m.is_dir()) && is_marked(dir) {
        return Ok(());
    }
    Err(Error::Input {
        path: dir.to_path_buf(),
        message: format!(
            "is not a results folder o2d wrote (there is no {MARKER} in it): o2d writes only into its \
             own results; give the folder of an o2d run, sweep or compare"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_area_is_one_folder_inside_results_or_refused() {
        assert_eq!(default_path("shop", "-sweep").unwrap(), Path::new("results/shop-sweep"));
        // A name that comes from a file name, not from `run.name`, is checked here too.
        for bad in ["", "..", "a\u{1}b"] {
            assert!(matches!(default_path(bad, ""), Err(Error::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn a_link_is_seen_as_a_link_and_a_marker_must_be_o2ds() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(MARKER), marker("run")).unwrap();
        assert_eq!(look(&dir).unwrap().found, Found::Results);
        std::os::unix::fs::symlink(&dir, tmp.path().join("link")).unwrap();
        assert_eq!(look(&tmp.path().join("link")).unwrap().found, Found::Link);
        fs::write(dir.join(MARKER), "not json").unwrap();
        assert!(matches!(look(&dir).unwrap().found, Found::Folder { .. }));
    }
}
