//! `o2d replay` against a real HTTP server on 127.0.0.1 (`order_api`): every request of the trace
//! arrives, in order, on time; a stalling server shows in the reported p99, which a closed-loop
//! measurement of the same requests hides; the in-flight cap drops rather than delays; the
//! duration bound stops the replay; bad input is refused before anything is sent.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use o2d::replay::plan::{Plan, Scaling};
use o2d::replay::routes::Routes;

use crate::order_api::{Server, Stalls};
use crate::support::{SMALL, o2d, write};

/// How far from its planned offset (after the common shift) a request may arrive, ms: loopback
/// and a shared test machine.
const TOLERANCE_MS: f64 = 100.0;

/// SMALL with stock, returns and support: every kind of request.
fn with_requests() -> String {
    format!(
        "{SMALL}\n[inventory]\nskus = 40\n[returns]\n[support]\n\
         [[support.teams]]\nname = \"agents\"\nchannels = [\"email\", \"chat\", \"phone\", \"social\", \"sms\"]\n\
         [[support.teams.shifts]]\nstart = \"08:00\"\nend = \"18:00\"\nagents = 3\n"
    )
}

/// Runs `o2d replay` with `args` in `dir`; returns replay.json.
fn replay(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = o2d(dir).arg("replay").args(args).args(["--format", "json", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The entry of `kind` in replay.json's kinds.
fn kind<'a>(report: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    report["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == kind).unwrap()
}

#[test]
fn the_server_gets_every_request_of_the_trace_in_order_at_its_planned_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write(dir, "s.toml", &with_requests());
    // Two busy days of requests, in about 4 seconds.
    o2d(dir)
        .args(["trace", "s.toml", "--from", "2026-11-05", "--to", "2026-11-06", "--speedup", "43200"])
        .args(["--out", "t.csv"])
        .assert()
        .success();
    let server = Server::start(0, Stalls::default(), true);
    let report = replay(dir, &["t.csv", "--target", &server.url(), "--out", "out", "--interval", "1s"]);
    // What the trace plans, as the library reads it.
    let routes = Routes::default();
    let scaling = Scaling { speedup: 1.0, rate_scale: 1.0 };
    let mut plan = Plan::open(&dir.join("t.csv"), scaling, &routes, "").unwrap();
    let mut planned: HashMap<(String, String, Vec<u8>), VecDeque<u64>> = HashMap::new();
    let mut kinds = std::collections::BTreeSet::new();
    let mut count = 0;
    while let Some(p) = plan.next().unwrap() {
        let method = routes.of(p.kind).method.to_string();
        let body = p.body.map(|b| b.to_vec()).unwrap_or_default();
        planned.entry((method, p.path, body)).or_default().push_back(p.at_us);
        kinds.insert(p.kind);
        count += 1;
    }
    assert_eq!(kinds.len(), 6, "every kind of request: {kinds:?}");
    assert_eq!(report["kinds"].as_array().unwrap().last().unwrap()["ok"], count);
    let received = server.received();
    assert_eq!(received.len(), count, "exactly the trace's requests");
    // Each received request is a planned one (same method, path and body), matched in order.
    let mut pairs = Vec::new();
    for r in &received {
        let key = (r.method.clone(), r.path.clone(), r.body.clone());
        let at_us = planned.get_mut(&key).and_then(VecDeque::pop_front);
        let at_us = at_us.unwrap_or_else(|| panic!("not planned: {} {}", r.method, r.path));
        pairs.push((at_us as f64 / 1000.0, r.at.as_secs_f64() * 1000.0));
    }
    assert!(planned.values().all(VecDeque::is_empty), "every planned request arrived");
    // On time: after the shift between the two clocks (the median), each within the tolerance.
    let mut shifts: Vec<f64> = pairs.iter().map(|(p, a)| a - p).collect();
    shifts.sort_by(f64::total_cmp);
    let shift = shifts[shifts.len() / 2];
    let worst = pairs.iter().map(|(p, a)| (a - p - shift).abs()).fold(0.0, f64::max);
    eprintln!("{count} requests; the farthest from its planned time arrived {worst:.2} ms off");
    assert!(worst <= TOLERANCE_MS, "{worst} ms");
    // In order: a request arrives after one planned later only when both are within the tolerance.
    for w in pairs.windows(2) {
        assert!(w[1].0 >= w[0].0 - TOLERANCE_MS, "{:?} arrived before {:?}", w[1], w[0]);
    }
    // The files agree with the printout, and the report draws the replay second by second.
    let csv = std::fs::read_to_string(dir.join("out/replay.csv")).unwrap();
    let all_row = csv.lines().find(|l| l.starts_with(",all,")).expect("the whole replay's row");
    assert_eq!(all_row.split(',').nth(2), Some(count.to_string().as_str()), "{all_row}");
    let seconds = csv.lines().filter(|l| !l.starts_with(',') && l.contains(",all,")).count();
    assert!(seconds >= 3, "{seconds} intervals of a second");
    o2d(dir).args(["report", "out"]).assert().success();
    let html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&html, opts).expect("well-formed");
    let rows = doc.descendants().filter(|n| n.attribute("data-kind").is_some()).count();
    assert_eq!(rows, 7, "six kinds and all");
    for chart in ["chart-rate", "chart-latency"] {
        assert!(doc.descendants().any(|n| n.attribute("id") == Some(chart)), "{chart}");
    }
}

/// A trace of `n` status look-ups at `per_s` a second.
fn steady_trace(dir: &Path, name: &str, n: u64, per_s: f64) {
    let mut text = String::from("replay_offset_s,kind,order_id,customer_id\n");
    for i in 0..n {
        text.push_str(&format!("{},status,{},{}\n", i as f64 / per_s, i + 1, i + 1));
    }
    write(dir, name, &text);
}

/// Percentile `q` of `xs`, sorted.
fn percentile(xs: &mut [f64], q: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[((xs.len() as f64 * q).ceil() as usize).clamp(1, xs.len()) - 1]
}

/// Sends the `n` requests of `steady_trace` one at a time over one connection (each when the one
/// before is answered, or at its planned time if later), timing each from its actual send, the way
/// a closed-loop load tool measures: milliseconds.
fn closed_loop(addr: std::net::SocketAddr, n: u64, per_s: f64) -> Vec<f64> {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.set_nodelay(true).unwrap();
    let start = Instant::now();
    let mut latencies = Vec::new();
    let mut buf = Vec::new();
    for i in 0..n {
        let planned = start + Duration::from_secs_f64(i as f64 / per_s);
        if let Some(wait) = planned.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let sent = Instant::now();
        write!(stream, "GET /orders/{} HTTP/1.1\r\nHost: {addr}\r\n\r\n", i + 1).unwrap();
        // Read the head, then the body its Content-Length announces.
        buf.clear();
        let mut byte = [0u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            buf.push(byte[0]);
        }
        let head = String::from_utf8_lossy(&buf).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
            .unwrap();
        let mut body = vec![0u8; length];
        stream.read_exact(&mut body).unwrap();
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    latencies
}

#[test]
fn a_stalling_server_shows_in_the_p99_that_a_closed_loop_hides() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Each second, the requests of its first 100 ms wait 200 ms: a tenth of them.
    let stall = Duration::from_millis(200);
    let stalls = Stalls { stall, every: Duration::from_secs(1), window: Duration::from_millis(100) };
    let (n, per_s) = (2000, 400.0);
    steady_trace(dir, "steady.csv", n, per_s);
    let server = Server::start(0, stalls, false);
    let report = replay(dir, &["steady.csv", "--target", &server.url(), "--out", "out"]);
    let open_p99 = kind(&report, "status")["p99_ms"].as_f64().unwrap();
    let mut closed = closed_loop(server.addr, n, per_s);
    let closed_p99 = percentile(&mut closed, 0.99);
    eprintln!("p99 with a 200 ms stall: o2d replay {open_p99:.1} ms, closed loop {closed_p99:.1} ms");
    assert_eq!(kind(&report, "status")["ok"], n);
    assert!(open_p99 >= 200.0, "the replay reports the stall: p99 {open_p99} ms");
    assert!(closed_p99 < 200.0, "a closed loop hides it: p99 {closed_p99} ms");
}

#[test]
fn requests_beyond_the_in_flight_cap_are_dropped_not_delayed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Every request waits 300 ms: 200 a second keep about 60 in flight.
    let stalls = Stalls {
        stall: Duration::from_millis(300),
        every: Duration::from_millis(10),
        window: Duration::from_millis(10),
    };
    steady_trace(dir, "steady.csv", 400, 200.0);
    let server = Server::start(0, stalls, true);
    let report =
        replay(dir, &["steady.csv", "--target", &server.url(), "--max-in-flight", "10", "--out", "o"]);
    let status = kind(&report, "status");
    let (sent, dropped) = (status["sent"].as_u64().unwrap(), status["dropped"].as_u64().unwrap());
    assert_eq!(sent + dropped, 400);
    assert!(dropped > 200, "{status}");
    assert_eq!(server.received().len() as u64, sent);
    // Nothing waited for room: every request sent left on time.
    assert_eq!(status["late"], 0, "{status}");
}

#[test]
fn the_duration_bound_stops_the_replay() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    steady_trace(dir, "steady.csv", 100, 20.0);
    let server = Server::start(0, Stalls::default(), true);
    let started = Instant::now();
    let report = replay(dir, &["steady.csv", "--target", &server.url(), "--duration", "1s", "--out", "o"]);
    assert!(started.elapsed() < Duration::from_secs(4), "{:?}", started.elapsed());
    assert_eq!(report["cut_short"], true);
    // Planned before 1 s: offsets 0, 0.05, .., 0.95.
    assert_eq!(server.received().len(), 20);
    assert_eq!(report["trace_requests"], 100);
}

#[test]
fn routes_rate_scale_and_a_dead_target_do_what_they_say() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    steady_trace(dir, "steady.csv", 50, 500.0);
    write(
        dir,
        "routes.toml",
        "[status]\nmethod = \"GET\"\npath = \"/v2/orders/{order_id}?customer={customer_id}\"\n",
    );
    let server = Server::start(0, Stalls::default(), true);
    let url = format!("{}/shop", server.url());
    let report = replay(
        dir,
        &["steady.csv", "--target", &url, "--routes", "routes.toml", "--rate-scale", "2", "--out", "o"],
    );
    let received = server.received();
    assert_eq!(received.len(), 100, "each order twice");
    assert!(received.iter().any(|r| r.path == "/shop/v2/orders/7?customer=7"));
    assert!(received.iter().any(|r| r.path == "/shop/v2/orders/1000000007?customer=1000000007"));
    // The server does not know the path: every answer is a 404, counted as not ok.
    assert_eq!(kind(&report, "status")["not_ok"], 100);
    // Nobody listens: every request fails to connect, and the replay still reports.
    let port = server.addr.port();
    drop(server);
    let report =
        replay(dir, &["steady.csv", "--target", &format!("http://127.0.0.1:{port}"), "--out", "dead"]);
    assert_eq!(kind(&report, "status")["failed"], 50);
    assert_eq!(kind(&report, "all")["failures"]["connection"], 50);
}

#[test]
fn bad_input_is_refused_before_anything_is_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    steady_trace(dir, "steady.csv", 5, 10.0);
    write(dir, "bad.csv", "replay_offset_s,kind,order_id,customer_id\n0,status,1,1\n0.5,stats,2,2\n");
    write(dir, "late.csv", "replay_offset_s,kind,order_id,customer_id\n1,status,1,1\n0.5,status,2,2\n");
    write(
        dir,
        "bad.jsonl",
        "{\"replay_offset_s\":0,\"kind\":\"order\",\"order_id\":1,\"customer_id\":1}\n{\"replay_offset_s\":\"x\"}\n",
    );
    write(dir, "routes.toml", "[status]\npath = \"/orders/{id}\"\n");
    write(dir, "not-a-url.toml", "[order]\npath = \"/o<x>\"\n");
    write(dir, "far.csv", "replay_offset_s,kind,order_id,customer_id\n0,status,1,1\n1e300,status,2,2\n");
    write(
        dir,
        "big-ids.csv",
        "replay_offset_s,kind,order_id,customer_id\n0,status,1,1\n1,status,1000000000,3\n",
    );
    write(
        dir,
        "garbage.jsonl",
        "{\"replay_offset_s\":0,\"kind\":\"status\",\"order_id\":1,\"customer_id\":1} x\n",
    );
    let server = Server::start(0, Stalls::default(), true);
    let url = server.url();
    for (args, says) in [
        (vec!["steady.csv"], "--target"),
        (vec!["steady.csv", "--target", "https://shop.test"], "HTTPS is not supported"),
        (vec!["bad.csv", "--target", &url], "bad.csv:3"),
        (vec!["bad.csv", "--target", &url], "not a request kind"),
        (vec!["late.csv", "--target", &url], "time order"),
        (vec!["bad.jsonl", "--target", &url], "bad.jsonl:2"),
        (vec!["missing.csv", "--target", &url], "missing.csv"),
        (vec!["steady.csv", "--target", &url, "--routes", "routes.toml"], "routes.toml:2"),
        (vec!["steady.csv", "--target", &url, "--routes", "not-a-url.toml"], "not a URL path"),
        (vec!["steady.csv", "--target", "http://127.0.0.1:99999"], "not a port"),
        (vec!["far.csv", "--target", &url], "more than a year"),
        (vec!["steady.csv", "--target", &url, "--speedup", "1e-300"], "--speedup"),
        (vec!["big-ids.csv", "--target", &url, "--rate-scale", "2"], "would collide"),
        (vec!["steady.csv", "--target", &url, "--rate-scale", "1000"], "--rate-scale"),
        (vec!["garbage.jsonl", "--target", &url], "garbage.jsonl:1:"),
        (vec!["steady.csv", "--target", &url, "--speedup", "0"], "--speedup"),
        (vec!["steady.csv", "--target", &url, "--max-in-flight", "0"], "--max-in-flight"),
    ] {
        let out = o2d(dir).arg("replay").args(&args).args(["--out", "o"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!dir.join("o").exists(), "{args:?}: nothing written");
    }
    assert!(server.received().is_empty(), "nothing sent");
}
