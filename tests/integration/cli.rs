//! The binary as users run it: outputs, determinism across threads, reproducible resolved
//! scenarios, and bad input that exits 2 naming file, line, column and key, writing nothing.

use predicates::prelude::*;

use crate::support::{SMALL, o2d, write};

const FILES: [&str; 6] =
    ["kpis.csv", "replications.csv", "daily.csv", "hourly.csv", "engine.csv", "scenario.resolved.toml"];

#[test]
fn run_writes_every_output_and_prints_the_kpi_table() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains("on_time_rate").and(predicate::str::contains("95% CI")))
        .stdout(predicate::str::contains("engine:"));
    for f in FILES {
        assert!(tmp.path().join("results/small").join(f).is_file(), "{f} written");
    }
    let kpis = std::fs::read_to_string(tmp.path().join("results/small/kpis.csv")).unwrap();
    assert!(
        kpis.starts_with("window,kpi,mean,ci95_low,ci95_high,sd,min,max,replications,unit,ci95_clamped\n")
    );
    assert!(!kpis.contains("events"), "engine figures stay out of kpis.csv");
}

#[test]
fn same_seed_gives_the_same_bytes_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    for threads in ["1", "2"] {
        o2d(tmp.path())
            .args([
                "run",
                scenario.to_str().unwrap(),
                "--seed",
                "7",
                "--replications",
                "8",
                "--threads",
                threads,
            ])
            .args(["--out", &format!("t{threads}"), "--quiet"])
            .assert()
            .success();
    }
    for f in ["kpis.csv", "replications.csv", "daily.csv", "hourly.csv", "scenario.resolved.toml"] {
        let a = std::fs::read(tmp.path().join("t1").join(f)).unwrap();
        let b = std::fs::read(tmp.path().join("t2").join(f)).unwrap();
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn the_resolved_scenario_reproduces_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--set", "demand.orders_per_day=250", "--seed", "3"])
        .args(["--out", "first", "--quiet"])
        .assert()
        .success();
    o2d(tmp.path())
        .args(["run", "first/scenario.resolved.toml", "--out", "again", "--quiet"])
        .assert()
        .success();
    let a = std::fs::read(tmp.path().join("first/kpis.csv")).unwrap();
    let b = std::fs::read(tmp.path().join("again/kpis.csv")).unwrap();
    assert!(a == b, "re-running scenario.resolved.toml gives the same kpis.csv");
}

#[test]
fn json_output_has_kpis_with_units_and_engine_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    let out = o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--format", "json", "--quiet", "--replications", "2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "small");
    assert_eq!(v["replications"], 2);
    assert_eq!(v["kpis"]["on_time_rate"]["unit"], "ratio");
    assert_eq!(v["kpis"]["order_cycle_time_p90"]["unit"], "s");
    assert!(v["engine"]["events"].as_u64().unwrap() > 0);
}

#[test]
fn an_explicit_out_folder_is_replaced_only_if_o2d_wrote_it_and_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    std::fs::create_dir(tmp.path().join("mine")).unwrap();
    write(&tmp.path().join("mine"), "notes.txt", "keep me");
    for force in [&[][..], &["--force"][..]] {
        o2d(tmp.path())
            .args(["run", scenario.to_str().unwrap(), "--out", "mine", "--quiet"])
            .args(force)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("mine is a folder o2d did not write"));
    }
    assert_eq!(std::fs::read_to_string(tmp.path().join("mine/notes.txt")).unwrap(), "keep me");
    o2d(tmp.path()).args(["run", scenario.to_str().unwrap(), "--out", "ours", "--quiet"]).assert().success();
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--out", "ours", "--quiet"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--out", "ours", "--quiet", "--force"])
        .assert()
        .success();
    assert!(tmp.path().join("ours/kpis.csv").exists());
}

#[test]
fn init_writes_a_starter_that_validates_and_schema_prints_json() {
    let tmp = tempfile::tempdir().unwrap();
    o2d(tmp.path()).args(["init", "mine"]).assert().success();
    o2d(tmp.path())
        .args(["validate", "mine.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("ok: mine.toml"));
    o2d(tmp.path()).args(["init", "mine"]).assert().code(2);
    let out = o2d(tmp.path()).arg("schema").output().unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema["properties"]["demand"].is_object());
}

/// Each bad scenario: (file text, expected line, key, words in the message).
const BAD: &[(&str, &str, usize, &str, &str)] = &[
    (
        "unknown-key",
        "[demand]\nordrs_per_day = 5\n",
        2,
        "demand.ordrs_per_day",
        "did you mean `orders_per_day`?",
    ),
    ("wrong-type", "[demand]\norders_per_day = \"many\"\n", 2, "demand.orders_per_day", "invalid type"),
    ("negative-rate", "[demand]\norders_per_day = -5.0\n", 2, "demand.orders_per_day", "negative"),
    (
        "bad-duration",
        "[[carriers]]\nname = \"x\"\nreattempt_delay = \"5 minutes\"\n",
        3,
        "carriers[0].reattempt_delay",
        "not a duration",
    ),
    ("empty", "", 1, "", "empty"),
    (
        "negative-lead-time",
        "[inventory]\nlead_time = { dist = \"constant\", value = \"-3d\" }\n",
        2,
        "inventory.lead_time.value",
        "negative",
    ),
    (
        "s-above-S",
        "[inventory]\npolicy = { kind = \"s_S\", reorder_point = 50, order_up_to = 20 }\n",
        2,
        "inventory.policy.reorder_point",
        "s is above S",
    ),
    (
        "capacity-below-initial-stock",
        "[inventory]\nskus = 10\ninitial_stock = 100\ncapacity_units = 500\n",
        4,
        "inventory.capacity_units",
        "cannot hold the initial stock of 1000 units",
    ),
    (
        "abc-shares-above-one",
        "[inventory]\nabc_shares = [0.8, 95]\n",
        2,
        "inventory.abc_shares[1]",
        "did you mean 0.95?",
    ),
    (
        "shipping-shares-not-summing-to-one",
        "[[demand.shipping_options]]\nname = \"a\"\nshare = 0.5\n",
        1,
        "demand.shipping_options",
        "shares sum to 0.5, not 1",
    ),
];

#[test]
fn bad_scenarios_exit_2_naming_file_line_and_key_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text, line, key, words) in BAD {
        let file = format!("{name}.toml");
        write(tmp.path(), &file, text);
        for cmd in [vec!["validate", file.as_str()], vec!["run", file.as_str()]] {
            let out = o2d(tmp.path()).args(&cmd).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}: exit 2, got {stderr}");
            assert!(stderr.contains(&format!("{file}:{line}:")), "{name}: names file and line: {stderr}");
            if !key.is_empty() {
                assert!(stderr.contains(&format!("`{key}`")), "{name}: names the key {key}: {stderr}");
            }
            assert!(stderr.contains(words), "{name}: says `{words}`: {stderr}");
            assert!(!stderr.contains("panicked"), "{name}: no panic");
        }
    }
    assert!(!tmp.path().join("results").exists(), "nothing written");
}

#[test]
fn set_on_a_key_that_does_not_exist_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--set", "demand.orders_per_dy=5"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--set demand.orders_per_dy=5")
                .and(predicate::str::contains("orders_per_day")),
        );
}

#[test]
fn compare_with_b_set_runs_a_changed_copy_and_refuses_what_would_break_the_pairing() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "small.toml", SMALL);
    let file = scenario.to_str().unwrap();
    o2d(tmp.path())
        .args(["compare", file, "--quiet", "--format", "csv", "--replications", "3"])
        .args(["--b-set", "demand.orders_per_day=800", "--out", "cmp"])
        .assert()
        .success()
        .stdout(predicate::str::is_match("\norders,count,[0-9.]+,[0-9.]+,[0-9.]+,").unwrap());
    let resolved_b = std::fs::read_to_string(tmp.path().join("cmp/b.resolved.toml")).unwrap();
    assert!(resolved_b.contains("orders_per_day = 800"), "B carries its change:\n{resolved_b}");
    // Nothing to compare: B would be A.
    o2d(tmp.path())
        .args(["compare", file, "--out", "none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--b-set KEY=VALUE"));
    // B's seed and replications are A's: common random numbers, pair by pair.
    for key in ["run.seed=3", "run.replications=4"] {
        o2d(tmp.path())
            .args(["compare", file, "--b-set", key, "--out", "none"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("B always runs on A's seed"));
    }
    assert!(!tmp.path().join("none").exists());
}
