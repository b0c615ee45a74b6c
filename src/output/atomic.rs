//! Atomic publication of a results directory: every file is written into a fresh hidden sibling
//! directory, synced, then swapped into place in one step, so readers see the old run or the new.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rustix::fs::{CWD, RenameFlags, renameat_with};

use super::destination::{self, Found, ResultsDir, Seen};
use crate::error::{Error, Result};

/// The folder `path` is in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// An error for a path that changed between o2d's check and its publication (exit 3).
fn changed(path: &Path) -> Error {
    Error::io(
        format!("{} changed while o2d was writing; nothing was replaced", path.display()),
        std::io::Error::other("the path no longer holds what was checked"),
    )
}

/// A results directory being written: files go to a hidden staging directory until `commit`.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    seen: Seen,
    staging: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Starts staging results destined for `dest`, written by `command` (named in the marker,
    /// which is the first file staged). What is at the target is checked again here, and once more
    /// at `commit`.
    pub fn new(dest: &ResultsDir, command: &str) -> Result<Self> {
        let target = dest.path();
        let seen = dest.check()?;
        let parent = parent_of(target);
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io(format!("cannot create the output folder {}", parent.display()), e))?;
        let name =
            target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "results".into());
        remove_stale(&parent, &format!(".{name}.staging-"));
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if fs::symlink_metadata(&staging).is_ok_and(|m| m.is_dir()) {
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir(&staging)
            .map_err(|e| Error::io(format!("cannot create the staging folder {}", staging.display()), e))?;
        let stage = Self { target: target.to_path_buf(), seen, staging, committed: false };
        stage.write(destination::MARKER, destination::marker(command).as_bytes())?;
        Ok(stage)
    }

    /// Writes one file into the staging directory and syncs it to disk.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.join(name);
        let ctx = || format!("cannot write {}", self.target.join(name).display());
        let mut f = fs::File::create_new(&path).map_err(|e| Error::io(ctx(), e))?;
        f.write_all(bytes).map_err(|e| Error::io(ctx(), e))?;
        f.sync_all().map_err(|e| Error::io(ctx(), e))?;
        Ok(())
    }

    /// Creates file `name` in the staging directory for writing piece by piece (a large file
    /// streamed as it is made); the caller syncs it.
    pub fn create(&self, name: &str) -> Result<fs::File> {
        fs::File::create_new(self.staging.join(name))
            .map_err(|e| Error::io(format!("cannot write {}", self.target.join(name).display()), e))
    }

    /// Opens staged file `name` for reading.
    pub fn open(&self, name: &str) -> Result<fs::File> {
        fs::File::open(self.staging.join(name))
            .map_err(|e| Error::io(format!("cannot read back {}", self.target.join(name).display()), e))
    }

    /// Removes staged file `name`.
    pub fn remove(&self, name: &str) -> Result<()> {
        fs::remove_file(self.staging.join(name))
            .map_err(|e| Error::io(format!("cannot remove {}", self.target.join(name).display()), e))
    }

    /// Publishes the staged files: an atomic exchange with the folder checked at the start (Linux
    /// `renameat2(RENAME_EXCHANGE)`), or a rename that never replaces when there was none; the old
    /// files are removed. A target that is no longer what was checked is left as it is.
    pub fn commit(mut self) -> Result<()> {
        let ctx = |what: &str| format!("cannot publish results to {} ({what})", self.target.display());
        if let Ok(dir) = fs::File::open(&self.staging) {
            let _ = dir.sync_all();
        }
        if destination::look(&self.target)? != self.seen {
            return Err(changed(&self.target));
        }
        if self.seen.found == Found::Nothing {
            renameat_with(CWD, &self.staging, CWD, &self.target, RenameFlags::NOREPLACE)
                .map_err(|e| Error::io(ctx("rename"), e.into()))?;
        } else {
            renameat_with(CWD, &self.staging, CWD, &self.target, RenameFlags::EXCHANGE)
                .map_err(|e| Error::io(ctx("exchange"), e.into()))?;
            // The staging path now holds what was at the target: it must be what was checked.
            if destination::look(&self.staging)? != self.seen {
                let _ = renameat_with(CWD, &self.staging, CWD, &self.target, RenameFlags::EXCHANGE);
                return Err(changed(&self.target));
            }
            let _ = fs::remove_dir_all(&self.staging);
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for StagedDir {
    /// An abandoned staging directory (error, interrupt) is removed: nothing partial remains.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Removes what runs killed before they could clean up left in `dir`: entries named
/// `{prefix}{pid}` whose process no longer exists (Linux `/proc`), and only what o2d leaves there:
/// a staging folder (empty, or holding the marker, its first file) or a regular temporary file,
/// never a link or a folder of other files. A live run's entries stay.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() && is_stage(&path) => {
                    let _ = fs::remove_dir_all(&path);
                }
                Ok(t) if t.is_file() => {
                    let _ = fs::remove_file(&path);
                }
                _ => {}
            }
        }
    }
}

/// Whether a folder is one o2d staged: empty, or holding the marker as a regular file.
fn is_stage(dir: &Path) -> bool {
    let empty = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    empty || fs::symlink_metadata(dir.join(destination::MARKER)).is_ok_and(|m| m.is_file())
}

/// Writes one file atomically: a hidden temporary file in the same folder, synced, then renamed
/// over `path`. Only nothing or a regular file may be at `path`, and a regular file only with
/// `force` (`destination::check_file`), checked again just before the rename. Other files in
/// the folder are untouched (shards of a sweep share a folder).
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<()> {
    write_file_with(path, force, |f| {
        f.write_all(bytes).map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
    })
}

/// As [`write_file`], with the bytes written by `fill` into the temporary file as they come (a
/// file too large to hold in memory). An error from `fill` leaves `path` as it was.
pub fn write_file_with(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut fs::File) -> Result<()>,
) -> Result<()> {
    // Without a trailing `/`, which would make the checks follow a link.
    let path: &Path = &path.components().collect::<PathBuf>();
    let seen = destination::check_file(path, force)?;
    let dir = parent_of(path);
    fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale(&dir, &format!(".{name}.tmp-"));
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    if fs::symlink_metadata(&tmp).is_ok_and(|m| m.is_file()) {
        let _ = fs::remove_file(&tmp);
    }
    let ctx = || format!("cannot write {}", path.display());
    let mut created = false;
    let result = (|| {
        let mut f = fs::File::create_new(&tmp).map_err(|e| Error::io(ctx(), e))?;
        created = true;
        fill(&mut f)?;
        f.sync_all().map_err(|e| Error::io(ctx(), e))?;
        if destination::look(path)? != seen {
            return Err(changed(path));
        }
        let flags = if seen.found == Found::Nothing { RenameFlags::NOREPLACE } else { RenameFlags::empty() };
        renameat_with(CWD, &tmp, CWD, path, flags).map_err(|e| Error::io(ctx(), e.into()))
    })();
    if result.is_err() && created {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes one shard file into the folder the shards of a sweep share
/// (`destination::check_shard_folder`), marking the folder as o2d's if it is not yet. Shards
/// may start at once: the first creates the marker (`O_EXCL`), the others find it there.
pub fn write_shard(dir: &Path, name: &str, bytes: &[u8], command: &str) -> Result<()> {
    let seen = destination::check_shard_folder(dir)?;
    fs::create_dir_all(dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    if seen.found != Found::Results {
        let path = dir.join(destination::MARKER);
        let ctx = || format!("cannot write {}", path.display());
        match fs::File::create_new(&path) {
            Ok(mut f) => {
                f.write_all(destination::marker(command).as_bytes()).map_err(|e| Error::io(ctx(), e))?;
                f.sync_all().map_err(|e| Error::io(ctx(), e))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(ctx(), e)),
        }
    }
    write_file(&dir.join(name), bytes, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(target: &Path) -> StagedDir {
        StagedDir::new(&ResultsDir::named(target, true).unwrap(), "test").unwrap()
    }

    #[test]
    fn a_commit_replaces_the_old_files_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let first = stage(&target);
        first.write("a.csv", b"old").unwrap();
        first.write("only-old.csv", b"old").unwrap();
        first.commit().unwrap();
        let second = stage(&target);
        second.write("a.csv", b"new").unwrap();
        second.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new");
        assert!(!target.join("only-old.csv").exists());
        assert!(target.join(destination::MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn a_stage_left_by_a_killed_run_is_removed_by_the_next_run() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        // No process has a pid this large (Linux caps pids at 2^22).
        let stale = tmp.path().join(".out.staging-999999999");
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join(destination::MARKER), b"{").unwrap();
        fs::write(stale.join("kpis.csv"), b"half").unwrap();
        let s = stage(&target);
        s.write("a.csv", b"x").unwrap();
        s.commit().unwrap();
        assert!(!stale.exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_that_only_looks_like_a_stale_stage_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let mine = tmp.path().join(".out.staging-999999999");
        fs::create_dir(&mine).unwrap();
        fs::write(mine.join("notes.txt"), b"mine").unwrap();
        let s = stage(&target);
        s.commit().unwrap();
        assert_eq!(fs::read(mine.join("notes.txt")).unwrap(), b"mine");
    }

    #[test]
    fn an_abandoned_stage_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        {
            let s = stage(&target);
            s.write("a.csv", b"x").unwrap();
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_put_at_the_target_while_writing_is_left_as_it_is() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let s = stage(&target);
        s.write("a.csv", b"x").unwrap();
        fs::create_dir(&target).unwrap();
        fs::write(target.join("thesis.tex"), b"mine").unwrap();
        assert!(s.commit().is_err());
        assert_eq!(fs::read(target.join("thesis.tex")).unwrap(), b"mine");
        assert_eq!(fs::read_dir(&target).unwrap().count(), 1);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1, "no staging folder left behind");
    }
}
