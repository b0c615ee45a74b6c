//! `o2d trace` as a load tester uses it: every request kind the model knows, each tied to an order
//! placed before it, counted against the tickets and the returns of the same run, and the window,
//! kind and peak selections.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use o2d::experiment::trace::{Selection, requests};
use o2d::model::trace::{Detail, RequestKind};

use crate::support::{SMALL, load_text, o2d, write};

/// SMALL with stock, returns, and support whose only contacts are about an order's progress.
fn with_requests() -> String {
    format!(
        "{SMALL}\n[inventory]\nskus = 40\n[returns]\n[support]\n\
         [support.contacts.presale]\nper_hour = 0\n\
         [support.contacts.damaged]\nrate = 0\n[support.contacts.wrong_item]\nrate = 0\n\
         [support.contacts.lost]\nrate = 0\n[support.contacts.returns]\nrate = 0\n\
         [[support.teams]]\nname = \"agents\"\nchannels = [\"email\", \"chat\", \"phone\", \"social\", \"sms\"]\n\
         [[support.teams.shifts]]\nstart = \"08:00\"\nend = \"18:00\"\nagents = 3\n"
    )
}

#[test]
fn every_request_after_checkout_is_about_an_order_placed_before_it() {
    let sc = load_text(&with_requests(), &[]);
    let stop = AtomicBool::new(false);
    // order number -> (customer, carrier, skus)
    let mut orders: HashMap<u64, (u64, u8, Vec<u32>)> = HashMap::new();
    let mut by_kind: HashMap<RequestKind, u64> = HashMap::new();
    let mut last = 0;
    let rep = requests(&sc, 0, &stop, &Selection::all(&sc), |r| {
        assert!(r.at >= last, "in order of time");
        last = r.at;
        *by_kind.entry(r.kind()).or_default() += 1;
        match r.detail {
            Detail::Order { skus, carrier, lines, .. } => {
                assert_eq!(skus.len(), usize::from(lines));
                assert!(orders.insert(r.order, (r.customer, carrier.index() as u8, skus.to_vec())).is_none());
            }
            other => {
                let (customer, carrier, skus) = orders.get(&r.order).expect("an order placed before");
                assert_eq!(r.customer, *customer, "{other:?}");
                match other {
                    Detail::Tracking { carrier: c } => assert_eq!(c.index() as u8, *carrier),
                    Detail::Return { sku, .. } => assert!(skus.contains(&sku.expect("with stock"))),
                    _ => {}
                }
            }
        }
    })
    .unwrap();
    for kind in RequestKind::ALL {
        assert!(by_kind.get(&kind).copied().unwrap_or(0) > 0, "{kind:?}: {by_kind:?}");
    }
    // Every contact this scenario creates is about an order, and each is one request.
    let after_checkout: u64 =
        [RequestKind::Status, RequestKind::Tracking, RequestKind::Change, RequestKind::Cancel]
            .iter()
            .map(|k| by_kind[k])
            .sum();
    assert_eq!(after_checkout, rep.tickets.expect("support").created);
    // Every order placed is one request.
    assert_eq!(by_kind[&RequestKind::Order], rep.conservation.placed);
}

#[test]
fn a_window_and_kinds_select_rows_of_the_full_trace() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", &with_requests());
    let trace = |args: &[&str]| -> Vec<String> {
        let out = o2d(tmp.path()).args(["trace", "s.toml"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
    };
    let full = trace(&[]);
    assert_eq!(full[0].split(',').nth(2), Some("kind"));
    // Rows without their replay offset, which counts from the window's start.
    let strip = |row: &str| {
        let mut cells: Vec<&str> = row.split(',').collect();
        cells.remove(1);
        cells.join(",")
    };
    let part = trace(&["--from", "2026-11-05T12:00", "--to", "2026-11-09", "--kinds", "status,return"]);
    let expected: Vec<String> = full[1..]
        .iter()
        .filter(|r| r.as_str() >= "2026-11-05T12:00" && r.as_str() < "2026-11-10")
        .filter(|r| [",status,", ",return,"].iter().any(|k| r.contains(k)))
        .map(|r| strip(r))
        .collect();
    assert!(expected.len() > 10, "{}", expected.len());
    assert_eq!(part[1..].iter().map(|r| strip(r)).collect::<Vec<_>>(), expected);
    // Offsets count from the start of the window.
    let first: Vec<&str> = part[1].split(',').collect();
    let at = chrono::NaiveDateTime::parse_from_str(first[0], "%Y-%m-%dT%H:%M:%S%.3f").unwrap();
    let since = (at - chrono::NaiveDateTime::parse_from_str("2026-11-05T12:00", "%Y-%m-%dT%H:%M").unwrap())
        .num_milliseconds();
    assert_eq!(first[1].parse::<f64>().unwrap(), since as f64 / 1000.0);
}

#[test]
fn the_peak_is_the_busiest_stretch_of_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", &with_requests());
    let rows = |args: &[&str]| -> Vec<String> {
        let out = o2d(tmp.path()).args(["trace", "s.toml"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().skip(1).map(str::to_string).collect()
    };
    let full = rows(&["--kinds", "order"]);
    let peak = rows(&["--kinds", "order", "--peak", "30m"]);
    // Count the orders of every 30-minute stretch starting on a whole minute.
    let minute = |row: &String| {
        let at = chrono::NaiveDateTime::parse_from_str(&row[..23], "%Y-%m-%dT%H:%M:%S%.3f").unwrap();
        (at - chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap().and_hms_opt(0, 0, 0).unwrap())
            .num_minutes()
    };
    let mut per_minute = vec![0_usize; 14 * 24 * 60];
    for r in &full {
        per_minute[minute(r) as usize] += 1;
    }
    let best = per_minute.windows(30).map(|w| w.iter().sum::<usize>()).max().unwrap();
    assert_eq!(peak.len(), best);
    let (a, b) = (minute(&peak[0]), minute(peak.last().unwrap()));
    assert!(b - a < 30, "{a} .. {b}");
    // Offsets count from the start of the stretch.
    let offsets: Vec<f64> = peak.iter().map(|r| r.split(',').nth(1).unwrap().parse().unwrap()).collect();
    assert!(offsets.iter().all(|&o| (0.0..1800.0).contains(&o)), "{offsets:?}");
}

#[test]
fn a_full_trace_replays_as_the_order_history_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", &with_requests());
    for (name, kinds) in [("all.csv", "order,status,tracking,change,cancel,return"), ("orders.csv", "order")]
    {
        o2d(tmp.path()).args(["trace", "s.toml", "--kinds", kinds, "--out", name]).assert().success();
    }
    let kpis = |file: &str| {
        let replay = with_requests().replace("orders_per_day = 300", &format!("history = \"{file}\""));
        write(tmp.path(), "r.toml", &replay);
        let out = o2d(tmp.path())
            .args(["run", "r.toml", "--replications", "2", "--format", "csv", "--quiet", "--out"])
            .arg(format!("run-{file}"))
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        std::fs::read_to_string(tmp.path().join(format!("run-{file}")).join("kpis.csv")).unwrap()
    };
    let (all, orders) = (kpis("all.csv"), kpis("orders.csv"));
    assert!(all.contains("orders,"));
    assert_eq!(all, orders);
}

#[test]
fn bad_selections_are_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "s.toml", SMALL);
    for (args, says) in [
        (&["--kinds", "orders"][..], "not a request kind"),
        (&["--from", "2027-01-01"][..], "outside the horizon"),
        (&["--from", "2026-11-05", "--to", "2026-11-04"][..], "not after --from"),
        (&["--from", "27/11/2026"][..], "not a date"),
        (&["--peak", "90s"][..], "whole minutes"),
        (&["--speedup", "1e-300"][..], "--speedup"),
        (&["--format", "k6"][..], "covers at most a day"),
        (
            &["--from", "2026-11-05T10:00", "--to", "2026-11-05T10:30", "--peak", "1h"][..],
            "longer than the window",
        ),
    ] {
        let out = o2d(tmp.path()).args(["trace", "s.toml", "--out", "t.csv"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!tmp.path().join("t.csv").exists(), "nothing written");
    }
}

#[test]
fn the_k6_script_sends_every_request_of_the_trace_in_order_at_the_trace_s_rate() {
    if std::process::Command::new("node").arg("--version").output().is_err() {
        eprintln!("node not found: the k6 script is not exercised (CI installs it)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "s.toml", &with_requests());
    let window = ["--from", "2026-11-05", "--to", "2026-11-07", "--speedup", "600"];
    for (format, out) in [("csv", "t.csv"), ("k6", "t.js")] {
        o2d(dir).args(["trace", "s.toml", "--format", format, "--out", out]).args(window).assert().success();
    }
    // k6's modules as stand-ins that record what the script asks for; each iteration is run.
    let script = std::fs::read_to_string(dir.join("t.js")).unwrap();
    let body: String = script
        .lines()
        .filter(|l| !l.starts_with("import "))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("export default function", "function iteration")
        .replace("export const options", "const options");
    let harness = format!(
        "const calls = [];\n\
         const __ENV = {{ BASE_URL: 'http://api.test' }};\n\
         const http = {{ request: (method, url, body) => calls.push([method, url, body]) }};\n\
         const exec = {{ scenario: {{ iterationInTest: 0 }} }};\n\
         class SharedArray {{ constructor(name, make) {{ return make(); }} }}\n\
         {body}\n\
         for (let i = 0; i <= requests.length; i++) {{ exec.scenario.iterationInTest = i; iteration(); }}\n\
         const t = options.scenarios.trace;\n\
         console.log(JSON.stringify({{ calls, stages: t.stages, unit: t.timeUnit, start: t.startRate }}));\n"
    );
    write(dir, "harness.js", &harness);
    let out = std::process::Command::new("node").arg(dir.join("harness.js")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ran: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // What `o2d replay` would send for the same trace.
    let routes = o2d::replay::routes::Routes::default();
    let scaling = o2d::replay::plan::Scaling { speedup: 1.0, rate_scale: 1.0 };
    let mut plan = o2d::replay::plan::Plan::open(&dir.join("t.csv"), scaling, &routes, "").unwrap();
    let mut expected = Vec::new();
    let mut per_stage: Vec<u64> = Vec::new();
    while let Some(p) = plan.next().unwrap() {
        let body = p.body.map(|b| serde_json::Value::String(String::from_utf8(b.to_vec()).unwrap()));
        let method = routes.of(p.kind).method.to_string();
        expected.push(serde_json::json!([method, format!("http://api.test{}", p.path), body]));
        let stage = (p.at_us / 10_000_000) as usize;
        per_stage.resize(per_stage.len().max(stage + 1), 0);
        per_stage[stage] += 1;
    }
    assert!(expected.len() > 300, "{}", expected.len());
    assert_eq!(ran["calls"].as_array().unwrap(), &expected);
    assert_eq!(ran["unit"], "10s");
    // k6 ramps the rate linearly from each stage's target to the next over the stage's duration:
    // the iterations it starts in each 10 seconds are the trace's requests in them.
    let mut rate = ran["start"].as_f64().unwrap();
    let mut started = Vec::new();
    let (mut clock, mut in_window) = (0.0, 0.0);
    for stage in ran["stages"].as_array().unwrap() {
        let target = stage["target"].as_f64().unwrap();
        let seconds: f64 = stage["duration"].as_str().unwrap().trim_end_matches('s').parse().unwrap();
        in_window += (rate + target) / 2.0 * seconds / 10.0;
        (rate, clock) = (target, clock + seconds);
        if clock > 0.0 && clock % 10.0 == 0.0 && seconds > 0.0 {
            started.push(in_window.round() as u64);
            in_window = 0.0;
        }
    }
    assert_eq!(started, per_stage, "each 10 seconds start the trace's requests in them");
}
