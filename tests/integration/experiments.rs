//! Experiments as users run them: paired comparisons beat unpaired ones, sharded sweeps merge
//! into exactly the unsharded files, targets are judged on intervals, precision runs repeat.

use predicates::prelude::*;

use o2d::experiment::RunResult;
use o2d::stats::{paired_difference, summarize};

use crate::support::{SMALL, load_text, o2d, run_all, write};

const GRID: &str = r#"
[sweep]
"fulfilment.shifts[0].pickers" = [2, 3, 4]
"fulfilment.shifts[0].packers" = [2, 3, 4, 5]
"#;

#[test]
fn four_shards_merge_into_exactly_the_unsharded_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "grid.toml", &format!("{SMALL}{GRID}"));
    let s = scenario.to_str().unwrap();
    o2d(tmp.path()).args(["sweep", s, "--replications", "3", "--out", "whole", "--quiet"]).assert().success();
    for k in 0..4 {
        o2d(tmp.path())
            .args([
                "sweep",
                s,
                "--replications",
                "3",
                "--shard",
                &format!("{k}/4"),
                "--out",
                "shards",
                "--quiet",
            ])
            .assert()
            .success();
    }
    o2d(tmp.path()).args(["merge", "shards", "--out", "merged"]).assert().success();
    for f in ["sweep.csv", "replications.csv", "scenario.resolved.toml"] {
        let a = std::fs::read(tmp.path().join("whole").join(f)).unwrap();
        let b = std::fs::read(tmp.path().join("merged").join(f)).unwrap();
        assert!(a == b, "{f} differs between the merged shards and the unsharded sweep");
    }
    let sweep = std::fs::read_to_string(tmp.path().join("whole/sweep.csv")).unwrap();
    assert!(sweep.starts_with("point,fulfilment.shifts[0].packers,fulfilment.shifts[0].pickers,kpi,mean,"));
    assert_eq!(
        sweep.lines().filter(|l| l.contains(",on_time_rate,")).count(),
        12,
        "one row per point and KPI"
    );
    // A missing shard is refused.
    std::fs::remove_file(tmp.path().join("shards/shard-2-of-4.json")).unwrap();
    o2d(tmp.path())
        .args(["merge", "shards", "--out", "bad"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 2/4 is missing"));
}

#[test]
fn a_vary_range_replaces_the_sweep_table() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "grid.toml", SMALL);
    let out = o2d(tmp.path())
        .args(["sweep", scenario.to_str().unwrap(), "--vary", "demand.orders_per_day=100..300:100"])
        .args(["--replications", "2", "--format", "csv", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let points: Vec<&str> = csv.lines().filter(|l| l.contains(",orders,")).collect();
    assert_eq!(points.len(), 3);
    assert!(points[0].starts_with("0,100,") && points[2].starts_with("2,300,"));
}

fn run(text: &str, sets: &[(&str, &str)]) -> RunResult {
    run_all(&load_text(text, sets))
}

fn values(r: &RunResult, kpi: &str) -> Vec<f64> {
    r.values_of(r.kpis.iter().position(|d| d.name == kpi).unwrap())
}

#[test]
fn paired_intervals_are_much_narrower_than_unpaired_for_a_small_staffing_change() {
    // One more packer on a busy line: common random numbers make the two runs see the same
    // orders, so the paired difference cancels the day-to-day noise both share.
    let a = run(SMALL, &[("demand.orders_per_day", "500"), ("run.replications", "10")]);
    let b = run(
        SMALL,
        &[
            ("demand.orders_per_day", "500"),
            ("run.replications", "10"),
            ("fulfilment.shifts[0].packers", "3"),
        ],
    );
    // On-time rate is the KPI the planner asks about; with common random numbers both runs see
    // the same orders, transit times and failed attempts, so only the packing changes.
    let (va, vb) = (values(&a, "on_time_rate"), values(&b, "on_time_rate"));
    let paired = paired_difference(&va, &vb);
    let (sa, sb) = (summarize(&va), summarize(&vb));
    // Welch-style unpaired half-width with the same t quantile, for comparison.
    let t = (paired.ci95_high - paired.mean) / (paired.sd / (va.len() as f64).sqrt());
    let unpaired = t * (sa.sd.powi(2) / va.len() as f64 + sb.sd.powi(2) / vb.len() as f64).sqrt();
    let paired_half = paired.ci95_high - paired.mean;
    assert!(paired.ci95_low > 0.0, "the extra packer raises the on-time rate: {paired:?}");
    assert!(paired_half < 0.5 * unpaired, "paired half-width {paired_half} vs unpaired {unpaired}");
}

#[test]
fn check_exits_1_on_a_failing_or_inconclusive_target_and_0_when_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    // A target at the mean of the orders KPI lies inside its interval, whatever the numbers are.
    let base = write(tmp.path(), "base.toml", SMALL);
    let out = o2d(tmp.path())
        .args(["run", base.to_str().unwrap(), "--out", "base", "--replications", "6", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let orders_mean = v["kpis"]["orders"]["mean"].as_f64().unwrap().round();
    let straddling = format!("orders = \">= {orders_mean}\"");
    let cases = [
        ("holds", "on_time_rate = \">= 0.5\"".to_string(), 0, "pass"),
        ("fails", "on_time_rate = \">= 0.999\"".to_string(), 1, "fail"),
        ("straddles", straddling, 1, "inconclusive"),
    ];
    for (name, target, code, verdict) in cases {
        let scenario = write(tmp.path(), &format!("{name}.toml"), &format!("{SMALL}\n[targets]\n{target}\n"));
        let out = o2d(tmp.path())
            .args(["run", scenario.to_str().unwrap(), "--check", "--out", name, "--replications", "6"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{name}: {stdout}");
        assert!(stdout.contains(verdict), "{name}: the table says {verdict}: {stdout}");
    }
}

#[test]
fn precision_stops_at_the_same_replication_count_for_the_same_seed() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "p.toml", &format!("{SMALL}\n[targets]\non_time_rate = \">= 0.5\"\n"));
    let count = |out: &str| {
        let o = o2d(tmp.path())
            .args(["run", scenario.to_str().unwrap(), "--precision", "0.002", "--max-replications", "40"])
            .args(["--replications", "4", "--out", out, "--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success());
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (v["replications"].as_u64().unwrap(), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (a, why) = count("a");
    let (b, _) = count("b");
    assert_eq!(a, b, "same seed, same count");
    assert!(a > 4 && a % 4 == 0, "batches of 4: {a}");
    assert!(why.contains("precision reached") || why.contains("--max-replications"), "{why}");
}

#[test]
fn run_shards_merge_into_exactly_the_unsharded_run_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // The default scenario (windows, support, customers), shortened.
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--days", "21", "--replications", "5", "--quiet"];
        args.extend_from_slice(extra);
        o2d(d).args(&args).assert().success();
    };
    run(&["--out", "whole"]);
    for k in 0..3 {
        let threads = if k == 1 { "1" } else { "2" };
        run(&["--shard", &format!("{k}/3"), "--threads", threads, "--out", "shards"]);
    }
    o2d(d).args(["merge", "shards", "--out", "merged"]).assert().success();
    for f in ["kpis.csv", "replications.csv", "daily.csv", "hourly.csv", "scenario.resolved.toml"] {
        let a = std::fs::read(d.join("whole").join(f)).unwrap();
        let b = std::fs::read(d.join("merged").join(f)).unwrap();
        assert!(a == b, "{f} differs between the merged shards and the unsharded run");
    }
    // The merged folder is a run's: the report reads it.
    o2d(d).args(["report", "merged"]).assert().success();
    // A shard given twice, one missing, or a sweep's shard among them is refused; nothing written.
    std::fs::copy(d.join("shards/shard-1-of-3.json"), d.join("again.json")).unwrap();
    o2d(d)
        .args(["merge", "shards", "again.json", "--out", "refused"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("are both shard 1/3"));
    std::fs::remove_file(d.join("shards/shard-1-of-3.json")).unwrap();
    o2d(d)
        .args(["merge", "shards", "--out", "refused"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard 1/3 is missing"));
    let scenario = write(d, "grid.toml", &format!("{SMALL}{GRID}"));
    let s = scenario.to_str().unwrap();
    o2d(d).args(["sweep", s, "-r", "2", "--shard", "0/2", "--out", "sweep", "--quiet"]).assert().success();
    o2d(d)
        .args(["merge", "again.json", "sweep/shard-0-of-2.json", "--out", "refused"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a shard of a run and"));
    assert!(!d.join("refused").exists(), "nothing written");
    // A shard is a run's replications only: what judges or writes the whole run is refused.
    o2d(d).args(["run", "--shard", "0/2", "--check"]).assert().code(2);
}

#[test]
fn merge_refuses_a_tampered_run_shard_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    for k in 0..2 {
        o2d(d)
            .args(["run", "--days", "10", "--replications", "2", "--quiet", "--shard", &format!("{k}/2")])
            .args(["--out", "shards"])
            .assert()
            .success();
    }
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit, &str); 5] = [
        ("a day missing", |v| drop(v["runs"][0]["daily"].as_array_mut().unwrap().pop()), "has 9 days"),
        ("a negative first KPI", |v| v["runs"][0]["kpis"][0] = (-3.0).into(), "outside its range"),
        ("another replication", |v| v["runs"][0]["index"] = 0.into(), "holds replications [0]"),
        ("an edited scenario", |v| v["resolved_toml"] = "[run]\ndays = 3\n".into(), "edited after the run"),
        ("another o2d", |v| v["o2d"] = "0.0.1".into(), "o2d 0.0.1"),
    ];
    for (i, (what, edit, says)) in cases.iter().enumerate() {
        let dir = d.join(format!("case{i}"));
        std::fs::create_dir(&dir).unwrap();
        for f in ["shard-0-of-2.json", "shard-1-of-2.json"] {
            std::fs::copy(d.join("shards").join(f), dir.join(f)).unwrap();
        }
        let path = dir.join("shard-1-of-2.json");
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        edit(&mut v);
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        let out = o2d(d).args(["merge", &format!("case{i}"), "--out", "refused"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert!(err.contains(says) && err.contains("shard-1-of-2.json"), "{what}: {err}");
        assert!(!d.join("refused").exists(), "{what}: nothing written");
    }
}
