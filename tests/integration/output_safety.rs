//! o2d never destroys what it did not write: every writing command against every kind of thing at
//! its output path, bounded reads of endless inputs, and scenario names that cannot escape `results/`.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use crate::support::{SMALL, o2d, write};

/// Two days, two replications, no warm-up: a run takes milliseconds. The target holds at any load,
/// so `capacity` ends its search quickly.
fn tiny() -> String {
    let text = SMALL.replace(
        "days = 14\nwarmup_days = 2\nreplications = 4",
        "days = 2\nwarmup_days = 0\nreplications = 2",
    );
    assert_ne!(text, SMALL, "the small scenario changed: update tiny()");
    format!("{text}\n[targets]\norders = \">= 1\"\n")
}

/// A folder with the tiny scenario (`tiny.toml`) and a marked results folder made by `o2d run`
/// (`made/`), from which shards and results folders are copied.
fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tiny.toml", &tiny());
    o2d(tmp.path()).args(["run", "tiny.toml", "--quiet", "--out", "made"]).assert().success();
    o2d(tmp.path())
        .args(["sweep", "tiny.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--quiet"])
        .args(["--shard", "0/1", "--out", "shards"])
        .assert()
        .success();
    tmp
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

/// The kinds of thing a user may name as an output.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    File,
    EmptyFile,
    ForeignFolder,
    EmptyFolder,
    ResultsFolder,
    Fifo,
    Device,
    Socket,
}

const KINDS: [Kind; 8] = [
    Kind::File,
    Kind::EmptyFile,
    Kind::ForeignFolder,
    Kind::EmptyFolder,
    Kind::ResultsFolder,
    Kind::Fifo,
    Kind::Device,
    Kind::Socket,
];

/// Makes a `kind` at `path`; `None` (with the reason printed) when this machine cannot.
fn make(kind: Kind, path: &Path, made: &Path) -> Option<()> {
    match kind {
        Kind::File => std::fs::write(path, "my thesis, chapter 1\n").unwrap(),
        Kind::EmptyFile => std::fs::write(path, "").unwrap(),
        Kind::ForeignFolder => {
            std::fs::create_dir(path).unwrap();
            std::fs::write(path.join("thesis.tex"), "\\chapter{One}\n").unwrap();
            std::fs::create_dir(path.join("figures")).unwrap();
            std::fs::write(path.join("figures/plot.csv"), "x,y\n1,2\n").unwrap();
        }
        Kind::EmptyFolder => std::fs::create_dir(path).unwrap(),
        Kind::ResultsFolder => {
            std::fs::create_dir(path).unwrap();
            for entry in std::fs::read_dir(made).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), path.join(entry.file_name())).unwrap();
            }
        }
        Kind::Fifo => {
            let ok = std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success());
            assert!(ok, "mkfifo {}", path.display());
        }
        Kind::Device => {
            if !is_root() {
                eprintln!("SKIPPED device-node case: mknod needs root");
                return None;
            }
            let ok = std::process::Command::new("mknod")
                .arg(path)
                .args(["c", "1", "3"])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!(
                    "SKIPPED device-node case: mknod failed here (a container without the capability?)"
                );
                return None;
            }
        }
        Kind::Socket => {
            std::os::unix::net::UnixListener::bind(path).unwrap();
        }
    }
    Some(())
}

/// What a path holds, without following a link at its end: the type, the inode and, for files,
/// folders and links, the contents (recursively), so "untouched" means byte-for-byte the same thing.
fn state(path: &Path) -> String {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return "nothing".into() };
    let t = meta.file_type();
    let head = format!("inode {} mode {:o}", meta.ino(), meta.mode());
    if t.is_symlink() {
        format!("{head} link to {:?}", std::fs::read_link(path).unwrap())
    } else if t.is_file() {
        format!("{head} file {:?}", std::fs::read(path).unwrap())
    } else if t.is_dir() {
        let mut names: Vec<_> = std::fs::read_dir(path).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        let inner: Vec<String> = names.iter().map(|n| format!("{n:?}: {}", state(&path.join(n)))).collect();
        format!("{head} folder [{}]", inner.join(", "))
    } else if t.is_fifo() {
        format!("{head} fifo")
    } else if t.is_char_device() {
        format!("{head} char device {}", meta.rdev())
    } else if t.is_socket() {
        format!("{head} socket")
    } else {
        format!("{head} other")
    }
}

/// The names in `dir`, sorted: staging or temporary debris would show here.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

/// What the refusal message must say the thing is.
fn described(kind: Kind) -> &'static str {
    match kind {
        Kind::File => "is a file, not a results folder",
        Kind::EmptyFile => "is an empty file, not a results folder",
        Kind::ForeignFolder => "is a folder o2d did not write",
        Kind::EmptyFolder => "is an empty folder",
        Kind::ResultsFolder => "already exists and is not empty",
        Kind::Fifo => "is a named pipe (FIFO)",
        Kind::Device => "is a character device",
        Kind::Socket => "is a socket",
    }
}

/// The arguments of each command that writes a results folder, before `--out OUT`.
const FOLDER_COMMANDS: [(&str, &[&str]); 5] = [
    ("run", &["run", "tiny.toml", "--quiet"]),
    ("sweep", &["sweep", "tiny.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--quiet"]),
    ("compare", &["compare", "tiny.toml", "tiny.toml", "--quiet"]),
    ("merge", &["merge", "shards"]),
    ("capacity", &["capacity", "tiny.toml", "--quiet", "--max-multiplier", "2", "--replications", "5"]),
];

/// Runs `args` in `dir` and asserts a refusal: exit 2, a message naming `path` and saying `what`,
/// the thing at `path` exactly as before and nothing new beside it.
fn assert_refused(dir: &Path, args: &[&str], path: &str, what: &str) {
    let before = (state(&dir.join(path)), listing(dir));
    let out = o2d(dir).args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: stderr: {err}");
    assert!(err.contains(path) && err.contains(what), "{args:?}: expected `{path}` and `{what}` in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!((state(&dir.join(path)), listing(dir)), before, "{args:?} touched {path} or left debris");
}

#[test]
fn every_folder_command_refuses_what_it_did_not_write_with_or_without_force() {
    let tmp = workspace();
    let dir = tmp.path();
    for kind in KINDS {
        if matches!(kind, Kind::EmptyFolder | Kind::ResultsFolder) {
            continue; // the positive cases, below
        }
        let name = format!("{kind:?}").to_lowercase();
        if make(kind, &dir.join(&name), &dir.join("made")).is_none() {
            continue;
        }
        for (_, args) in FOLDER_COMMANDS {
            for force in [false, true] {
                let mut a = args.to_vec();
                a.extend(["--out", &name]);
                if force {
                    a.push("--force");
                }
                assert_refused(dir, &a, &name, described(kind));
            }
        }
    }
}

#[test]
fn a_link_at_the_output_path_is_refused_whatever_it_points_to_and_is_left_as_it_is() {
    let tmp = workspace();
    let dir = tmp.path();
    for kind in KINDS {
        let name = format!("{kind:?}").to_lowercase();
        if make(kind, &dir.join(&name), &dir.join("made")).is_none() {
            continue;
        }
        // `.toml`, so that `init` takes the name as it is.
        let link = format!("link-to-{name}.toml");
        std::os::unix::fs::symlink(&name, dir.join(&link)).unwrap();
        let before_target = state(&dir.join(&name));
        for (_, args) in FOLDER_COMMANDS {
            for force in [false, true] {
                let mut a = args.to_vec();
                a.extend(["--out", &link]);
                if force {
                    a.push("--force");
                }
                assert_refused(dir, &a, &link, "is a symbolic link");
            }
        }
        for args in [&["trace", "tiny.toml", "--force", "--out"][..], &["init", "--force"][..]] {
            let mut a = args.to_vec();
            a.push(&link);
            assert_refused(dir, &a, &link, "is a symbolic link");
        }
        assert_eq!(state(&dir.join(&name)), before_target, "the link's target changed");
    }
    // A dangling link too.
    std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
    assert_refused(
        dir,
        &["run", "tiny.toml", "--quiet", "--out", "dangling"],
        "dangling",
        "is a symbolic link",
    );
}

#[test]
fn an_empty_folder_is_used_and_a_marked_one_is_replaced_only_with_force() {
    let tmp = workspace();
    let dir = tmp.path();
    for (command, args) in FOLDER_COMMANDS {
        let empty = format!("empty-{command}");
        std::fs::create_dir(dir.join(&empty)).unwrap();
        let mut a = args.to_vec();
        a.extend(["--out", &empty]);
        o2d(dir).args(&a).assert().success();
        let marker = std::fs::read_to_string(dir.join(&empty).join("o2d-results.json")).unwrap();
        assert!(marker.contains(&format!("\"command\": \"{command}\"")), "{marker}");
        assert!(marker.contains(&format!("\"o2d\": \"{}\"", o2d::VERSION)), "{marker}");

        let marked = format!("marked-{command}");
        make(Kind::ResultsFolder, &dir.join(&marked), &dir.join("made"));
        let mut a = args.to_vec();
        a.extend(["--out", &marked]);
        assert_refused(dir, &a, &marked, "--force");
        a.push("--force");
        let before = listing(dir);
        o2d(dir).args(&a).assert().success();
        assert_eq!(listing(dir), before, "{command}: debris beside the replaced folder");
        assert!(dir.join(&marked).join("o2d-results.json").is_file());
    }
}

#[test]
fn an_empty_file_is_called_a_file_not_a_folder_that_is_not_empty() {
    let tmp = workspace();
    std::fs::write(tmp.path().join("empty.txt"), "").unwrap();
    assert_refused(
        tmp.path(),
        &["run", "tiny.toml", "--quiet", "--out", "empty.txt"],
        "empty.txt",
        "is an empty file, not a results folder",
    );
}

#[test]
fn running_twice_into_the_default_area_replaces_its_own_results() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tiny.toml", &tiny());
    for seed in ["1", "2"] {
        o2d(tmp.path()).args(["run", "tiny.toml", "--quiet", "--seed", seed]).assert().success();
    }
    assert_eq!(listing(&tmp.path().join("results")), ["tiny"]);
    let resolved = std::fs::read_to_string(tmp.path().join("results/tiny/scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("seed = 2"), "the second run's results are there");
    assert!(tmp.path().join("results/tiny/o2d-results.json").is_file());
}

#[test]
fn a_foreign_folder_in_the_default_area_is_refused_even_with_force() {
    let tmp = workspace();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("results")).unwrap();
    make(Kind::ForeignFolder, &dir.join("results/tiny"), &dir.join("made"));
    let before = state(&dir.join("results"));
    for force in [&[][..], &["--force"][..]] {
        let out = o2d(dir).args(["run", "tiny.toml", "--quiet"]).args(force).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("results/tiny") && err.contains("is a folder o2d did not write"), "{err}");
        assert_eq!(state(&dir.join("results")), before);
    }
}

#[test]
fn trace_and_init_write_a_regular_file_and_refuse_everything_else() {
    let tmp = workspace();
    let dir = tmp.path();
    let commands: [&[&str]; 2] = [&["trace", "tiny.toml", "--out"], &["init"]];
    for kind in KINDS {
        let name = format!("{kind:?}.toml").to_lowercase();
        if make(kind, &dir.join(&name), &dir.join("made")).is_none() {
            continue;
        }
        for args in commands {
            let mut a = args.to_vec();
            a.push(&name);
            match kind {
                Kind::File | Kind::EmptyFile => {
                    assert_refused(dir, &a, &name, "--force");
                }
                _ => {
                    let what = match kind {
                        Kind::EmptyFolder | Kind::ResultsFolder | Kind::ForeignFolder => "is a folder",
                        _ => described(kind),
                    };
                    assert_refused(dir, &a, &name, what);
                    a.push("--force");
                    assert_refused(dir, &a, &name, what);
                }
            }
        }
    }
    // With --force a regular file is replaced, atomically, and nothing is left beside it.
    for args in commands {
        let before = listing(dir);
        let mut a = args.to_vec();
        a.extend(["file.toml", "--force"]);
        o2d(dir).args(&a).assert().success();
        assert_eq!(listing(dir), before);
        assert_ne!(std::fs::read_to_string(dir.join("file.toml")).unwrap(), "my thesis, chapter 1\n");
    }
}

#[test]
fn report_writes_only_into_a_marked_results_folder() {
    let tmp = workspace();
    let dir = tmp.path();
    // The files of a run, but not written by o2d as a folder: no marker.
    std::fs::create_dir(dir.join("copied")).unwrap();
    for f in ["kpis.csv", "daily.csv", "scenario.resolved.toml"] {
        std::fs::copy(dir.join("made").join(f), dir.join("copied").join(f)).unwrap();
    }
    assert_refused(dir, &["report", "copied"], "copied", "o2d-results.json");
    // In a marked folder, report.html must be a file o2d may replace.
    std::fs::create_dir(dir.join("made/report.html")).unwrap();
    assert_refused(dir, &["report", "made"], "made/report.html", "is a folder");
    std::fs::remove_dir(dir.join("made/report.html")).unwrap();
    o2d(dir).args(["report", "made"]).assert().success();
    assert!(dir.join("made/report.html").is_file());
}

#[test]
fn a_shard_folder_holds_only_shards_and_o2d_results() {
    let tmp = workspace();
    let dir = tmp.path();
    let shard =
        ["sweep", "tiny.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--quiet", "--shard", "0/2"];
    make(Kind::ForeignFolder, &dir.join("thesis"), &dir.join("made"));
    let mut a = shard.to_vec();
    a.extend(["--out", "thesis"]);
    assert_refused(dir, &a, "thesis", "is a folder o2d did not write");
    make(Kind::Fifo, &dir.join("pipe"), &dir.join("made"));
    let mut a = shard.to_vec();
    a.extend(["--out", "pipe"]);
    assert_refused(dir, &a, "pipe", "is a named pipe (FIFO)");
    // A shard file's own path may not be a pipe either.
    std::fs::create_dir(dir.join("shared")).unwrap();
    make(Kind::Fifo, &dir.join("shared/shard-1-of-2.json"), &dir.join("made"));
    let mut a = shard.to_vec();
    a[6] = "1/2";
    a.extend(["--out", "shared"]);
    assert_refused(dir, &a, "shared/shard-1-of-2.json", "is a named pipe (FIFO)");
    // The shard folder of an earlier sweep takes more shards.
    let mut a = shard.to_vec();
    a.extend(["--out", "shards"]);
    o2d(dir).args(&a).assert().success();
    assert!(dir.join("shards/shard-0-of-2.json").is_file());
}

#[test]
fn schema_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    o2d(tmp.path()).arg("schema").assert().success();
    assert!(listing(tmp.path()).is_empty());
}

/// Runs `o2d ARGS` under a 1 GiB address-space limit: an unbounded read of `/dev/zero` would
/// abort on allocation failure instead of exiting 2.
fn bounded(dir: &Path, args: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("o2d");
    std::process::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("ulimit -v 1048576 && exec '{}' {args}", bin.display()))
        .output()
        .unwrap()
}

#[test]
fn validate_refuses_an_endless_device_as_too_large_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bounded(tmp.path(), "validate /dev/zero");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/zero: is too large: more than 4194304 bytes"), "{err}");
}

#[test]
fn merge_refuses_an_endless_device_as_too_large_in_bounded_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bounded(tmp.path(), "merge /dev/zero --out merged");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("/dev/zero: is too large"), "{err}");
    assert!(listing(tmp.path()).is_empty());
}

#[test]
fn a_scenario_read_from_a_pipe_runs() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "tiny.toml", &tiny());
    make(Kind::Fifo, &tmp.path().join("pipe"), tmp.path());
    let bin = assert_cmd::cargo::cargo_bin("o2d");
    // As `o2d run <(cat tiny.toml)` does: the scenario is a pipe another process writes.
    let out = std::process::Command::new("sh")
        .current_dir(tmp.path())
        .arg("-c")
        .arg(format!("cat tiny.toml > pipe & exec '{}' run pipe --quiet --out piped", bin.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("piped/kpis.csv").is_file());
}

/// The tiny scenario with `[run] name = NAME` (NAME as TOML text).
fn named(name: &str) -> String {
    tiny().replacen("[run]\n", &format!("[run]\nname = {name}\n"), 1)
}

#[test]
fn a_scenario_name_that_is_not_a_plain_name_is_refused_at_its_place_in_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Other scenarios' results, and a folder outside results/, that a bad name would replace.
    std::fs::create_dir_all(dir.join("results/other")).unwrap();
    std::fs::write(dir.join("results/other/kpis.csv"), "kpi\n").unwrap();
    std::fs::create_dir(dir.join("victim")).unwrap();
    std::fs::write(dir.join("victim/precious.txt"), "keep me\n").unwrap();
    let victim = dir.join("victim").display().to_string();
    let before = (state(&dir.join("results")), state(&dir.join("victim")));
    let victim_toml = format!("{victim:?}");
    for name in
        ["\"\"", &victim_toml, "\"../escaped\"", "\"a/b\"", "'a\\b'", "\".\"", "\"..\"", "\"tab\\there\""]
    {
        let file = write(dir, "bad.toml", &named(name));
        let commands: [&[&str]; 4] = [
            &["run", "bad.toml", "--quiet"],
            &["validate", "bad.toml"],
            &["sweep", "bad.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--quiet"],
            &["capacity", "bad.toml", "--quiet"],
        ];
        for command in commands {
            let out = o2d(dir).args(command).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "name = {name}, {command:?}: {err}");
            assert!(err.contains("bad.toml:3:8: `run.name`: "), "name = {name}: {err}");
            assert!(err.contains("help: "), "a suggestion: {err}");
        }
        std::fs::remove_file(&file).unwrap();
        assert!(!dir.join("escaped").exists() && !dir.join("a").exists());
        assert_eq!((state(&dir.join("results")), state(&dir.join("victim"))), before, "name = {name}");
    }
    // One a little too long for a folder name.
    let file = write(dir, "long.toml", &named(&format!("\"{}\"", "x".repeat(101))));
    o2d(dir).arg("validate").arg(&file).assert().code(2);
    let fine = write(dir, "fine.toml", &named("\"black-friday 2026\""));
    o2d(dir).arg("validate").arg(&fine).assert().success();
}

#[test]
fn merge_refuses_a_shard_whose_scenario_is_not_a_plain_name() {
    let tmp = workspace();
    let dir = tmp.path();
    let shard = dir.join("shards/shard-0-of-1.json");
    let text = std::fs::read_to_string(&shard).unwrap();
    assert!(text.contains("\"scenario\":\"tiny\""));
    let absolute = dir.join("abs").display().to_string();
    for bad in ["", "../escaped", &absolute, ".."] {
        std::fs::write(&shard, text.replace("\"scenario\":\"tiny\"", &format!("\"scenario\":{bad:?}")))
            .unwrap();
        let before = listing(dir);
        let out = o2d(dir).args(["merge", "shards"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {err}");
        assert!(err.contains("shard-0-of-1.json") && err.contains("scenario"), "{err}");
        assert_eq!(listing(dir), before, "{bad:?}: something was written");
        assert!(!dir.join("results").exists());
    }
}

#[test]
fn shards_started_at_once_into_a_new_folder_all_write_and_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "tiny.toml", &tiny());
    let bin = assert_cmd::cargo::cargo_bin("o2d");
    for round in 0..5 {
        let shards = format!("shards{round}");
        // As a batch system starts an array: every shard at once, into a folder none has made yet.
        let children: Vec<_> = (0..4)
            .map(|k| {
                std::process::Command::new(&bin)
                    .current_dir(dir)
                    .args(["sweep", "tiny.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--quiet"])
                    .args(["--shard", &format!("{k}/4"), "--out", &shards])
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let mut names = listing(&dir.join(&shards));
        names.retain(|n| n != "o2d-results.json");
        assert_eq!(
            names,
            ["shard-0-of-4.json", "shard-1-of-4.json", "shard-2-of-4.json", "shard-3-of-4.json"]
        );
        o2d(dir).args(["merge", &shards, "--out", &format!("merged{round}")]).assert().success();
    }
}

#[test]
fn merge_refuses_a_pipe_in_a_shard_folder_instead_of_waiting_on_it() {
    let tmp = workspace();
    let dir = tmp.path();
    make(Kind::Fifo, &dir.join("shards/shard-9-of-9.json"), dir);
    // The timeout is a safety net for the old behaviour (waiting for a writer forever), not a
    // timing assertion.
    let out = o2d(dir)
        .args(["merge", "shards", "--out", "merged"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("shard-9-of-9.json") && err.contains("is a named pipe (FIFO)"), "{err}");
}
