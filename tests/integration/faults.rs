//! Faults from outside: a run killed at random moments, a full disk, an unwritable path, Ctrl-C
//! and an occupied results folder. Each must leave whole old results or whole new ones, never a mix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{o2d, write};

/// A scenario that takes a moment to run (about 12 KiB of results).
const MEDIUM: &str = r#"
[run]
start_date = "2026-11-02"
days = 30
replications = 4
seed = 1

[demand]
orders_per_day = 3000

[[carriers]]
name = "parcel"
"#;

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("o2d")
}

/// Every file of a results folder with its bytes; `engine.csv` holds wall-clock figures, so
/// only its line count is kept (a whole file has the same number of lines every run).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let bytes = std::fs::read(entry.path()).unwrap();
        let bytes = if name == "engine.csv" {
            format!(
                "{} lines, ends with newline: {}",
                bytes.split(|b| *b == b'\n').count(),
                bytes.ends_with(b"\n")
            )
            .into_bytes()
        } else {
            bytes
        };
        files.insert(name, bytes);
    }
    files
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

fn run_into(dir: &Path, scenario: &Path, seed: &str, out: &Path) -> Command {
    let mut cmd = Command::new(binary());
    cmd.current_dir(dir)
        .arg("run")
        .arg(scenario)
        .args(["--seed", seed, "--threads", "1", "--quiet", "--force", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for `child` with a generous safety net (not a timing assertion).
fn wait_at_most(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the process did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Entries of `dir` other than the ones named: leftovers such as staging folders.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_results_or_the_new_ones_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenario = write(dir, "medium.toml", MEDIUM);
    // Known-good copies of the old run (seed 1) and of the new one (seed 2).
    assert!(run_into(dir, &scenario, "1", &dir.join("old")).status().unwrap().success());
    let started = Instant::now();
    assert!(run_into(dir, &scenario, "2", &dir.join("new")).status().unwrap().success());
    let full_run_ms = started.elapsed().as_millis().max(50) as u64;
    let (old, new) = (snapshot(&dir.join("old")), snapshot(&dir.join("new")));
    assert_ne!(old, new, "the two seeds must give different results for the test to mean anything");

    let target = dir.join("target");
    let mut rng = 0x9E37_79B9_7F4A_7C15_u64;
    let (mut saw_old, mut saw_new) = (0, 0);
    for round in 0..20 {
        let _ = std::fs::remove_dir_all(&target);
        copy_dir(&dir.join("old"), &target);
        // xorshift: a fixed sequence of kill moments spread over the run and a little after it.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let sleep_ms = rng % (full_run_ms + full_run_ms / 4);
        let mut child = run_into(dir, &scenario, "2", &target).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(sleep_ms));
        let _ = child.kill(); // SIGKILL; an error means it had already finished
        wait_at_most(&mut child, Duration::from_secs(120));
        let now = snapshot(&target);
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!(
                "round {round} (killed after {sleep_ms} ms): the folder holds neither the old nor the new \
                 results: {:?}",
                now.keys().collect::<Vec<_>>()
            );
        }
    }
    eprintln!("kill test: {saw_old} rounds left the old results, {saw_new} the new ones");
    // A run that completes afterwards clears what killed runs left behind.
    assert!(run_into(dir, &scenario, "2", &target).status().unwrap().success());
    assert_eq!(snapshot(&target), new);
    let left = others(dir, &["medium.toml", "old", "new", "target"]);
    assert!(left.is_empty(), "staging folders of killed runs were not cleaned up: {left:?}");
}

/// A small tmpfs mounted for the test and unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path) -> Option<Self> {
        std::fs::create_dir_all(at).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| Self(at.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_exits_3_with_a_clear_message_and_no_partial_output() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "medium.toml", MEDIUM);
    let Some(disk) = SmallDisk::mount(&tmp.path().join("disk")) else {
        eprintln!("SKIPPED a_full_disk_exits_3...: cannot mount a tmpfs here (needs root)");
        return;
    };
    let out = o2d(tmp.path())
        // 150 days x 8 replications: daily.csv alone is about 100 KiB, more than the disk holds.
        .args(["run", scenario.to_str().unwrap(), "--days", "150", "--replications", "8"])
        .args(["--quiet", "--out", "disk/results"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "stderr: {err}");
    assert!(err.starts_with("error: cannot write disk/results/"), "{err}");
    assert_eq!(err.matches("No space left on device").count(), 1, "said once: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        others(&disk.0, &[]).is_empty(),
        "partial output left on the full disk: {:?}",
        others(&disk.0, &[])
    );
}

#[test]
fn an_output_path_that_cannot_be_created_exits_3_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", crate::support::SMALL);
    write(tmp.path(), "a-file", "not a folder");
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--quiet", "--out", "a-file/results"])
        .assert()
        .code(3)
        .stderr(predicates::str::starts_with("error: cannot create the output folder a-file"));
    assert_eq!(std::fs::read_to_string(tmp.path().join("a-file")).unwrap(), "not a folder");
    assert_eq!(others(tmp.path(), &["small.toml", "a-file"]), Vec::<String>::new());
}

#[test]
fn ctrl_c_stops_a_long_run_with_exit_130_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // The default scenario for years, with many replications: minutes of work if not stopped.
    let mut child = Command::new(binary())
        .current_dir(tmp.path())
        .args(["run", "--days", "3000", "--replications", "500", "--threads", "2", "--out", "results"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Give it time to load the scenario and install its handler, then press Ctrl-C.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the long run ended before Ctrl-C");
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(130), "stderr: {err}");
    assert_eq!(err, "error: interrupted: stopped before the end, nothing was written\n");
    assert!(others(tmp.path(), &[]).is_empty(), "something was written: {:?}", others(tmp.path(), &[]));
}

#[test]
fn previous_results_survive_a_run_without_force_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", crate::support::SMALL);
    o2d(tmp.path()).args(["run", scenario.to_str().unwrap(), "--quiet", "--out", "mine"]).assert().success();
    let before = snapshot(&tmp.path().join("mine"));
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--quiet", "--seed", "9", "--out", "mine"])
        .assert()
        .code(2)
        .stderr("error: mine already exists and is not empty: pass --force to replace it, or choose another --out\n");
    assert_eq!(snapshot(&tmp.path().join("mine")), before);
    assert_eq!(others(tmp.path(), &["small.toml", "mine"]), Vec::<String>::new());
}

#[test]
fn the_current_folder_or_the_root_is_refused_as_an_output_folder_even_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", crate::support::SMALL);
    for out in [".", "..", "/"] {
        o2d(tmp.path())
            .args(["run", scenario.to_str().unwrap(), "--quiet", "--force", "--out", out])
            .assert()
            .code(2)
            .stderr(format!("error: --out {out}: name a folder for the results, e.g. --out results/mine\n"));
    }
    assert_eq!(others(tmp.path(), &["small.toml"]), Vec::<String>::new());
}
