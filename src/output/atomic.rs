//! Atomic publication of a results directory: every file is written into a fresh hidden sibling
//! directory, synced, then swapped into place in one step, so readers see the old run or the new.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A results directory being written: files go to a hidden staging directory until `commit`.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Starts staging results destined for `target`.
    pub fn new(target: &Path) -> Result<Self> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| Error::io(format!("cannot create the output folder {}", parent.display()), e))?;
        let name =
            target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "results".into());
        remove_stale(&parent, &format!(".{name}.staging-"));
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            let _ = fs::remove_dir_all(&staging);
        }
        fs::create_dir(&staging)
            .map_err(|e| Error::io(format!("cannot create the staging folder {}", staging.display()), e))?;
        Ok(Self { target: target.to_path_buf(), staging, committed: false })
    }

    /// Writes one file into the staging directory and syncs it to disk.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let path = self.staging.join(name);
        let ctx = || format!("cannot write {}", self.target.join(name).display());
        let mut f = fs::File::create(&path).map_err(|e| Error::io(ctx(), e))?;
        f.write_all(bytes).map_err(|e| Error::io(ctx(), e))?;
        f.sync_all().map_err(|e| Error::io(ctx(), e))?;
        Ok(())
    }

    /// Publishes the staged files: an atomic exchange with an existing target (Linux
    /// `renameat2(RENAME_EXCHANGE)`), or a rename when there is none; the old files are removed.
    pub fn commit(mut self) -> Result<()> {
        let ctx = |what: &str| format!("cannot publish results to {} ({what})", self.target.display());
        if let Ok(dir) = fs::File::open(&self.staging) {
            let _ = dir.sync_all();
        }
        if self.target.exists() {
            rustix::fs::renameat_with(
                rustix::fs::CWD,
                &self.staging,
                rustix::fs::CWD,
                &self.target,
                rustix::fs::RenameFlags::EXCHANGE,
            )
            .map_err(|e| Error::io(ctx("exchange"), e.into()))?;
            // The staging path now holds the previous run.
            let _ = fs::remove_dir_all(&self.staging);
        } else {
            fs::rename(&self.staging, &self.target).map_err(|e| Error::io(ctx("rename"), e))?;
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
/// `{prefix}{pid}` whose process no longer exists (Linux `/proc`). A live run's entries stay.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else { continue };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    }
}

/// Writes one file atomically: a hidden temporary file in the same folder, synced, then renamed
/// over `path`. Other files in the folder are untouched (shards of a sweep share a folder).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale(&dir, &format!(".{name}.tmp-"));
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let ctx = || format!("cannot write {}", path.display());
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(|e| Error::io(ctx(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_commit_replaces_the_old_files_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        let first = StagedDir::new(&target).unwrap();
        first.write("a.csv", b"old").unwrap();
        first.write("only-old.csv", b"old").unwrap();
        first.commit().unwrap();
        let second = StagedDir::new(&target).unwrap();
        second.write("a.csv", b"new").unwrap();
        second.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"new");
        assert!(!target.join("only-old.csv").exists());
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
        fs::write(stale.join("kpis.csv"), b"half").unwrap();
        let s = StagedDir::new(&target).unwrap();
        s.write("a.csv", b"x").unwrap();
        s.commit().unwrap();
        assert!(!stale.exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_abandoned_stage_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("out");
        {
            let s = StagedDir::new(&target).unwrap();
            s.write("a.csv", b"x").unwrap();
        }
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
