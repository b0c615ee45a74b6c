//! Every published number is honest: the resolved scenario of each command reproduces its KPI
//! files, JSON holds real numbers, verdicts need enough replications, intervals stay in range.

use std::path::Path;

use crate::support::{SMALL, o2d, write};

/// Targets the small scenario meets at 1x (as in the capacity tests).
const TARGETS: &str = "\n[targets]\non_time_rate = \">= 0.8\"\norder_cycle_time_p90 = \"<= 4d\"\n";

/// Runs `o2d` in `dir`, failing with its stderr unless it succeeds; returns stdout.
fn ok(dir: &Path, args: &[&str]) -> String {
    let out = o2d(dir).args(args).output().unwrap();
    assert!(out.status.success(), "o2d {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The `o2d ...` command a resolved file's header says re-runs it, as arguments.
fn rerun_command(resolved: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(resolved).unwrap();
    let line = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.split_once("Re-run exactly with: o2d ").map(|(_, c)| c.to_string()))
        .unwrap_or_else(|| panic!("{} names no re-run command:\n{text}", resolved.display()));
    line.split_whitespace().map(|a| a.trim_matches('\'').to_string()).collect()
}

/// Re-runs the command a results folder's resolved file names, from inside that folder, into
/// `again`, and checks that every file in `files` comes out byte for byte the same.
fn assert_reproduces(dir: &Path, folder: &str, resolved: &str, files: &[&str]) {
    let home = dir.join(folder);
    let mut args = rerun_command(&home.join(resolved));
    args.extend(["--out", "again", "--quiet", "--force"].map(String::from));
    let out = o2d(&home).args(&args).output().unwrap();
    assert!(out.status.success(), "{folder}: o2d {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    for f in files {
        let a = std::fs::read(home.join(f)).unwrap();
        let b = std::fs::read(home.join("again").join(f)).unwrap();
        assert!(a == b, "{folder}: re-running its {resolved} changes {f}");
    }
}

/// The replication count a resolved file states in its header and the one in its body.
fn stated_replications(resolved: &Path) -> (u64, u64) {
    let text = std::fs::read_to_string(resolved).unwrap();
    let header: u64 = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.split(" replications").next().and_then(|h| h.rsplit(' ').next()?.parse().ok()))
        .unwrap_or_else(|| panic!("no replication count in the header:\n{text}"));
    let body: toml::Table = toml::from_str(&text).unwrap();
    (header, body["run"]["replications"].as_integer().unwrap() as u64)
}

#[test]
fn the_resolved_scenario_of_every_command_reproduces_its_kpi_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let s = write(d, "small.toml", &format!("{SMALL}{TARGETS}"));
    let s = s.to_str().unwrap();
    let b = write(d, "b.toml", &SMALL.replace("packers = 2", "packers = 3"));
    let b = b.to_str().unwrap();
    let flags = ["--set", "demand.orders_per_day=250", "--days", "12", "--seed", "5", "--quiet"];

    ok(d, &[&["run", s, "--replications", "3", "--out", "run"][..], &flags].concat());
    assert_reproduces(
        d,
        "run",
        "scenario.resolved.toml",
        &["kpis.csv", "replications.csv", "daily.csv", "hourly.csv"],
    );

    // Precision stops at the cap, in batches of 2: not the count the scenario file states.
    let precise = ["run", s, "--precision", "0.0001", "--max-replications", "6", "--replications", "2"];
    ok(d, &[&precise[..], &["--out", "precise"], &flags].concat());
    let (header, body) = stated_replications(&d.join("precise/scenario.resolved.toml"));
    assert_eq!((header, body), (6, 6), "header and body state the replications actually run");
    assert_reproduces(
        d,
        "precise",
        "scenario.resolved.toml",
        &["kpis.csv", "replications.csv", "daily.csv", "hourly.csv"],
    );

    // Keys in a non-alphabetical order and values in a non-canonical spelling.
    let vary = ["--vary", "fulfilment.shifts[0].pickers=3,2", "--vary", "demand.orders_per_day=250.0,300"];
    ok(d, &[&["sweep", s, "--replications", "2", "--out", "sweep"][..], &vary, &flags].concat());
    assert_reproduces(d, "sweep", "scenario.resolved.toml", &["sweep.csv", "replications.csv"]);

    for k in 0..3 {
        let shard = format!("{k}/3");
        let args =
            [&["sweep", s, "--replications", "2", "--shard", &shard, "--out", "shards"][..], &vary, &flags];
        ok(d, &args.concat());
    }
    ok(d, &["merge", "shards", "--out", "merged"]);
    assert_reproduces(d, "merged", "scenario.resolved.toml", &["sweep.csv", "replications.csv"]);

    ok(d, &[&["compare", s, b, "--replications", "3", "--out", "compare"][..], &flags].concat());
    let both = ["compare.csv", "a.kpis.csv", "b.kpis.csv"];
    assert_reproduces(d, "compare", "a.resolved.toml", &both);
    assert_reproduces(d, "compare", "b.resolved.toml", &both);

    let capacity = ["capacity", s, "--replications", "5", "--tolerance", "0.25", "--max-multiplier", "4"];
    let cap_vary = ["--vary", "fulfilment.shifts[0].packers=3,2"];
    ok(d, &[&capacity[..], &cap_vary, &["--out", "capacity"], &flags].concat());
    assert_reproduces(d, "capacity", "scenario.resolved.toml", &["capacity.csv", "capacity_steps.csv"]);
}

/// A target on the wage bill, which is the same in every replication (the staff on shift does
/// not depend on the random numbers): its 95% interval has zero width.
const TIED_TARGET: &str = "\n[targets]\ncost_fulfilment = \"<= 1000000\"\n";

#[test]
fn a_target_met_by_two_tied_replications_is_inconclusive_and_by_five_it_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let s = write(d, "tied.toml", &format!("{SMALL}{TIED_TARGET}"));
    let s = s.to_str().unwrap();
    let out = o2d(d)
        .args(["run", s, "--check", "--report", "--replications", "2", "--out", "two"])
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "two replications cannot pass a target: {table}");
    assert!(table.contains("inconclusive") && table.contains("at least 5 replications"), "{table}");
    let report = std::fs::read_to_string(d.join("two/report.html")).unwrap();
    assert!(report.contains("data-verdict=\"inconclusive\""), "the report judges as --check does");
    let out = o2d(d).args(["run", s, "--check", "--replications", "5", "--out", "five"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn capacity_refuses_fewer_replications_than_a_verdict_needs_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let s = write(d, "small.toml", &format!("{SMALL}{TARGETS}"));
    o2d(d)
        .args(["capacity", s.to_str().unwrap(), "--replications", "2", "--out", "cap", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("2 replications"))
        .stderr(predicates::str::contains("at least 5"))
        .stderr(predicates::str::contains("--replications 5"));
    assert!(!d.join("cap").exists(), "nothing written");
}

#[test]
fn compare_calls_a_difference_significant_only_from_five_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = write(d, "a.toml", SMALL);
    let b = write(d, "b.toml", &SMALL.replace("packers = 2", "packers = 3"));
    let judged = |reps: &str| {
        let args = ["compare", a.to_str().unwrap(), b.to_str().unwrap(), "--replications", reps];
        let out = ok(d, &[&args[..], &["--format", "json", "--quiet", "--force", "--out", "cmp"]].concat());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        // One more packer raises the wage bill by the same amount in every replication.
        let c = v["kpis"]["cost_fulfilment"].clone();
        assert_eq!(c["diff_ci95_low"], c["diff_ci95_high"], "a tied, zero-width interval: {c}");
        (c["excludes_zero"].clone(), c["significant"].clone())
    };
    assert_eq!(judged("2"), (true.into(), false.into()), "two pairs are too few to judge");
    assert_eq!(judged("5"), (true.into(), true.into()));
    let table = ok(
        d,
        &[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--replications",
            "2",
            "--quiet",
            "--force",
            "--out",
            "cmp",
        ],
    );
    assert!(!table.lines().any(|l| l.starts_with("cost_fulfilment") && l.ends_with('*')), "{table}");
    assert!(table.contains("at least 5"), "the table says why nothing is marked: {table}");
}

/// Two shards of a small sweep (2 points x 2 replications) in `dir/shards`.
fn two_shards(dir: &Path) {
    let s = write(dir, "grid.toml", SMALL);
    for k in 0..2 {
        let shard = format!("{k}/2");
        let args = ["sweep", s.to_str().unwrap(), "--vary", "fulfilment.shifts[0].pickers=2,3"];
        ok(
            dir,
            &[&args[..], &["--replications", "2", "--days", "5", "--shard", &shard, "--out", "shards"]]
                .concat(),
        );
    }
}

/// Edits one shard file's JSON in place.
fn tamper(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    edit(&mut v);
    std::fs::write(path, serde_json::to_vec(&v).unwrap()).unwrap();
}

/// The index of KPI `name` in a shard's KPI list.
fn kpi_index(v: &serde_json::Value, name: &str) -> usize {
    v["kpis"].as_array().unwrap().iter().position(|k| k[0] == name).unwrap()
}

#[test]
fn merge_refuses_every_kind_of_tampered_shard_naming_the_file_and_writes_nothing() {
    type Edit = Box<dyn Fn(&Path)>;
    let one = |edit: fn(&mut serde_json::Value)| -> Edit {
        Box::new(move |shards: &Path| tamper(&shards.join("shard-1-of-2.json"), edit))
    };
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "a short KPI list",
            one(|v| drop(v["results"][0]["kpis"].as_array_mut().unwrap().pop())),
            "KPI values",
        ),
        (
            "a mismatched grid key",
            one(|v| v["grid"]["keys"][0] = "fulfilment.shifts[0].packers".into()),
            "grid",
        ),
        ("a shard count of 0", one(|v| v["shard"] = serde_json::json!([0, 0])), "shard count"),
        ("another o2d version", one(|v| v["o2d"] = "0.0.1".into()), "o2d 0.0.1"),
        ("another seed", one(|v| v["seed"] = 12.into()), "seed"),
        ("huge replications", one(|v| v["replications"] = 4_000_000_000u64.into()), "replications"),
        ("an unparsable resolved TOML", one(|v| v["resolved_toml"] = "[run\nseed = ".into()), "resolved"),
        (
            "a resolved TOML edited after the run",
            one(|v| {
                let t = v["resolved_toml"]
                    .as_str()
                    .unwrap()
                    .replace("orders_per_day = 300.0", "orders_per_day = 900.0");
                v["resolved_toml"] = t.into();
            }),
            "hash",
        ),
        (
            "NaN in a ratio KPI",
            one(|v| {
                let k = kpi_index(v, "on_time_rate");
                v["results"][0]["kpis"][k] = "NaN".into()
            }),
            "shard",
        ),
        (
            "a ratio KPI above 1",
            one(|v| {
                let k = kpi_index(v, "on_time_rate");
                v["results"][0]["kpis"][k] = 1.5.into()
            }),
            "on_time_rate",
        ),
        (
            "a negative count",
            one(|v| {
                let k = kpi_index(v, "orders");
                v["results"][0]["kpis"][k] = (-3.0).into()
            }),
            "orders",
        ),
        ("a job of another shard", one(|v| v["results"][0]["job"]["replication"] = 0.into()), "shard 0/2"),
        (
            "a job missing from its shard",
            one(|v| drop(v["results"].as_array_mut().unwrap().pop())),
            "missing",
        ),
        (
            "a job twice",
            one(|v| {
                let r = v["results"][0].clone();
                v["results"].as_array_mut().unwrap().push(r)
            }),
            "twice",
        ),
        (
            "no scenario hash",
            one(|v| drop(v.as_object_mut().unwrap().remove("scenario_hash"))),
            "scenario_hash",
        ),
        (
            "a duplicated shard",
            Box::new(|shards: &Path| {
                std::fs::copy(shards.join("shard-1-of-2.json"), shards.join("shard-1-of-2-again.json"))
                    .unwrap();
            }),
            "shard-1-of-2-again.json",
        ),
        (
            "a missing shard",
            Box::new(|shards: &Path| std::fs::remove_file(shards.join("shard-1-of-2.json")).unwrap()),
            "shard 1/2 is missing",
        ),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    two_shards(d);
    ok(d, &["merge", "shards", "--out", "merged"]);
    for (i, (what, edit, says)) in cases.iter().enumerate() {
        let shards = format!("shards{i}");
        std::fs::create_dir(d.join(&shards)).unwrap();
        for f in ["shard-0-of-2.json", "shard-1-of-2.json"] {
            std::fs::copy(d.join("shards").join(f), d.join(&shards).join(f)).unwrap();
        }
        edit(&d.join(&shards));
        let out = o2d(d).args(["merge", &shards, "--out", "refused"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(says), "{what}: the message says `{says}`: {err}");
        if *what != "a missing shard" {
            assert!(err.contains(&format!("{shards}/shard-")), "{what}: the message names the file: {err}");
        }
        assert!(!d.join("refused").exists(), "{what}: nothing written");
    }
}

/// Fails on any string in `v` that is a number in disguise (`"1006"`, `"NaN"`, `"inf"`).
fn assert_typed(what: &str, v: &serde_json::Value, at: &str) {
    match v {
        serde_json::Value::String(s) => {
            assert!(
                s.trim().parse::<f64>().is_err(),
                "{what}: {at} is the string {s:?}, not a number or null"
            );
        }
        serde_json::Value::Array(a) => {
            a.iter().enumerate().for_each(|(i, x)| assert_typed(what, x, &format!("{at}[{i}]")))
        }
        serde_json::Value::Object(o) => {
            o.iter().for_each(|(k, x)| assert_typed(what, x, &format!("{at}.{k}")))
        }
        _ => {}
    }
}

/// A KPI summary in JSON: numbers or null, the count an integer.
fn assert_summary(what: &str, row: &serde_json::Value) {
    for f in ["mean", "ci95_low", "ci95_high", "sd", "min", "max"] {
        assert!(row[f].is_number() || row[f].is_null(), "{what}: {f} = {}", row[f]);
    }
    assert!(row["replications"].is_u64(), "{what}: replications = {}", row["replications"]);
}

#[test]
fn every_json_output_holds_numbers_as_numbers_and_null_for_undefined() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // No orders at all on the second point: its rates are undefined (null), never "NaN".
    let s = write(d, "small.toml", &format!("{SMALL}{TARGETS}"));
    let s = s.to_str().unwrap();
    let b = write(d, "b.toml", &SMALL.replace("packers = 2", "packers = 3"));
    let json = |args: &[&str]| -> serde_json::Value {
        let out = ok(d, &[args, &["--format", "json", "--quiet", "--force", "--days", "6"]].concat());
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
    };

    let run = json(&["run", s, "--out", "run"]);
    assert_typed("run", &run, "");
    assert_summary("run", &run["kpis"]["on_time_rate"]);

    let sweep =
        json(&["sweep", s, "--vary", "demand.orders_per_day=0,300", "--replications", "2", "--out", "sweep"]);
    assert_typed("sweep", &sweep, "");
    let rows = sweep.as_array().unwrap();
    assert!(rows.iter().all(|r| r["point"].is_u64() && r["demand.orders_per_day"].is_number()), "{sweep}");
    rows.iter().for_each(|r| assert_summary("sweep", r));
    let undefined = rows.iter().find(|r| r["point"] == 0 && r["kpi"] == "on_time_rate").unwrap();
    assert!(undefined["mean"].is_null(), "no orders: the on-time rate is undefined: {undefined}");

    let compare = json(&["compare", s, b.to_str().unwrap(), "--out", "compare"]);
    assert_typed("compare", &compare, "");
    assert!(compare["kpis"]["orders"]["a_mean"].is_number(), "{compare}");

    let capacity = json(&[
        "capacity",
        s,
        "--replications",
        "5",
        "--max-multiplier",
        "2",
        "--vary",
        "fulfilment.shifts[0].pickers=2,3",
        "--out",
        "capacity",
    ]);
    assert_typed("capacity", &capacity, "");
    assert!(capacity["points"][1]["values"][0][1].is_number(), "{}", capacity["points"][1]);

    ok(
        d,
        &[
            "sweep",
            s,
            "--vary",
            "demand.orders_per_day=0,300",
            "--replications",
            "2",
            "--shard",
            "0/1",
            "--out",
            "shards",
            "--quiet",
        ],
    );
    let shard: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("shards/shard-0-of-1.json")).unwrap()).unwrap();
    assert_typed("shard file", &shard, "");
}

/// The range of a KPI's values by its unit (and `nps`), as the README states it.
fn range_of(kpi: &str, unit: &str) -> (f64, f64) {
    match (kpi, unit) {
        (_, "ratio") => (0.0, 1.0),
        ("nps", _) => (-100.0, 100.0),
        ("gross_margin", _) => (f64::NEG_INFINITY, f64::INFINITY),
        _ => (0.0, f64::INFINITY),
    }
}

#[test]
fn intervals_from_two_replications_stay_inside_each_kpi_s_range_and_say_they_were_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let s = write(d, "small.toml", SMALL);
    let s = s.to_str().unwrap();
    let out = ok(d, &["run", s, "--replications", "2", "--format", "json", "--quiet", "--out", "run"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut cut = Vec::new();
    for (kpi, row) in v["kpis"].as_object().unwrap() {
        let (lo, hi) = range_of(kpi, row["unit"].as_str().unwrap());
        if let (Some(l), Some(h)) = (row["ci95_low"].as_f64(), row["ci95_high"].as_f64()) {
            assert!(lo <= l && h <= hi, "{kpi}: interval {l} .. {h} outside {lo} .. {hi}");
        }
        if row["ci95_clamped"] == true {
            cut.push(kpi.clone());
        }
    }
    // Lost parcels are rare: with two replications the Student-t interval reaches below 0.
    assert!(cut.contains(&"lost_rate".to_string()), "the cut intervals are marked: {cut:?}");
    let kpis = std::fs::read_to_string(d.join("run/kpis.csv")).unwrap();
    assert!(kpis.lines().next().unwrap().ends_with(",unit,ci95_clamped"), "{kpis}");
    assert!(
        kpis.lines()
            .any(|l| l.starts_with("all,lost_rate,0.") && l.contains(",0.0,") && l.ends_with(",true")),
        "{kpis}"
    );
    let table = ok(d, &["run", s, "--replications", "2", "--quiet", "--force", "--out", "run"]);
    let lost = table.lines().find(|l| l.trim_start().starts_with("lost_rate")).unwrap();
    assert!(lost.contains("0.0% .. ") && lost.contains('^'), "{lost}");
    assert!(table.contains("^ interval cut at the KPI's range"), "{table}");

    let sweep = ok(
        d,
        &[
            "sweep",
            s,
            "--vary",
            "demand.orders_per_day=200,300",
            "--replications",
            "2",
            "--format",
            "json",
            "--quiet",
            "--out",
            "sweep",
        ],
    );
    let rows: serde_json::Value = serde_json::from_str(&sweep).unwrap();
    for r in rows.as_array().unwrap() {
        let (lo, hi) = range_of(r["kpi"].as_str().unwrap(), r["unit"].as_str().unwrap());
        if let (Some(l), Some(h)) = (r["ci95_low"].as_f64(), r["ci95_high"].as_f64()) {
            assert!(lo <= l && h <= hi, "sweep {r}");
        }
    }
    assert!(
        rows.as_array().unwrap().iter().any(|r| r["ci95_clamped"] == true),
        "sweep rows mark cut intervals"
    );
}
