//! How many requests a second `o2d replay` sends with correct timing from one thread: the test
//! order API (`tests/integration/order_api.rs`) on 127.0.0.1 on a thread of its own, and steady
//! traces of status look-ups at rising rates, each replayed with `--threads 1`. A rate is held
//! when every request is answered, none is dropped and fewer than 1% leave more than 10 ms after
//! their planned time. Wall-clock figures: run it on an otherwise idle machine.
//!
//! `cargo bench --bench replay -- [SECONDS] [RATE...]` (defaults 5 s and 5,000 to 40,000 a second);
//! `cargo bench -- --test` runs one short rate.

#[allow(dead_code)]
#[path = "../tests/integration/order_api.rs"]
mod order_api;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use o2d::replay::plan::Scaling;
use o2d::replay::routes::Routes;
use o2d::replay::{Options, Target, replay};

/// CPU seconds of the calling thread (the sender: `--threads 1` runs on it) and of the process's
/// other threads (the server's, the client's resolver), from `/proc/self/task` (100 ticks/s).
fn thread_cpu() -> (f64, f64) {
    let me = std::process::id().to_string();
    let (mut mine, mut others) = (0.0, 0.0);
    for task in std::fs::read_dir("/proc/self/task").into_iter().flatten().flatten() {
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        let f: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        let cpu = (ticks(11) + ticks(12)) / 100.0;
        if task.file_name().to_string_lossy() == me { mine += cpu } else { others += cpu }
    }
    (mine, others)
}

fn main() {
    let test_mode = std::env::args().any(|a| a == "--test");
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let seconds: f64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(if test_mode { 0.5 } else { 5.0 });
    let mut rates: Vec<f64> = args.iter().skip(1).filter_map(|a| a.parse().ok()).collect();
    if rates.is_empty() {
        rates = if test_mode { vec![1_000.0] } else { vec![5_000.0, 10_000.0, 20_000.0, 30_000.0, 40_000.0] };
    }
    let server = order_api::Server::start(0, order_api::Stalls::default(), false);
    let dir = tempfile::tempdir().expect("temp dir");
    println!("rate/s  sent/s  late  dropped  failed  p50 ms  p99 ms  p99.9 ms  held  sender CPU  others CPU");
    for rate in rates {
        let n = (rate * seconds) as u64;
        let path = dir.path().join(format!("steady-{rate}.csv"));
        let mut text = String::from("replay_offset_s,kind,order_id,customer_id\n");
        for i in 0..n {
            text.push_str(&format!("{},status,{},{}\n", i as f64 / rate, i + 1, i + 1));
        }
        std::fs::write(&path, text).expect("write trace");
        let options = Options {
            target: Target::parse(&server.url()).expect("target"),
            routes: Routes::default(),
            scaling: Scaling { speedup: 1.0, rate_scale: 1.0 },
            max_in_flight: 10_000,
            duration: None,
            timeout: Duration::from_secs(10),
            threads: 1,
            interval: Duration::from_secs(60),
        };
        let stop = AtomicBool::new(false);
        let before = thread_cpu();
        let r = replay(&path, &options, &stop, &mut |_, _| {}).expect("replays");
        let after = thread_cpu();
        let all = r.kinds.last().expect("all kinds");
        let c = all.counts;
        let held = c.ok == n && c.dropped == 0 && (c.late as f64) < 0.01 * n as f64;
        let ms = |x: Option<f64>| x.map_or("-".into(), |v| format!("{v:.2}"));
        println!(
            "{rate:>6.0}  {:>6.0}  {:>4}  {:>7}  {:>6}  {:>6}  {:>6}  {:>8}  {:>4}  {:>8.2} s  {:>8.2} s",
            c.sent as f64 / r.elapsed_s.max(seconds),
            c.late,
            c.dropped,
            c.failed + c.not_ok,
            ms(all.latency.p50_ms),
            ms(all.latency.p99_ms),
            ms(all.latency.p999_ms),
            if held { "yes" } else { "no" },
            after.0 - before.0,
            after.1 - before.1
        );
        assert!(!test_mode || held, "the short test rate is held");
    }
}
