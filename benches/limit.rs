//! How far o2d is from the practical limit: the peer comparison's M/M/c (c = 40, utilisation 0.9,
//! 90 calls an hour, 24-minute exponential handle times) as a hand-written Rust loop with no o2d
//! code (a binary heap of departures, a FIFO of waiting arrival times, SplitMix64, inverse-CDF
//! exponentials, the mean wait and nothing else), and then o2d on `benches/peers/mmc.toml` with
//! the same number of tickets, one thread. Timed in CPU seconds (this machine is shared); the
//! ratio is measured in one run.
//!
//! `cargo bench --bench limit -- [TICKETS] [RUNS]` (defaults 1,000,000 and 3).

mod common;

use common::cpu_seconds;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use o2d::scenario::load::Override;
use o2d::scenario::{self, Source};

/// Arrivals an hour (lambda).
const PER_HOUR: f64 = 90.0;
/// Mean handle time, hours (1 / mu).
const HANDLE_H: f64 = 0.4;
/// Agents (c).
const AGENTS: usize = 40;
/// Times the bare loop runs for each o2d run.
const BARE_REPEATS: u64 = 10;

/// SplitMix64: one add and three xor-shift-multiplies a draw.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        // 53 random bits in (0, 1].
        ((z >> 11) + 1) as f64 / (1u64 << 53) as f64
    }

    fn exp(&mut self, mean: f64) -> f64 {
        -mean * self.next_f64().ln()
    }
}

/// The M/M/c of `tickets` arrivals; returns the mean wait in hours. Times are in hours, kept as
/// integer nanohours in the heap so it orders without floats.
fn bare_mmc(tickets: u64, seed: u64) -> f64 {
    let mut rng = SplitMix64(seed);
    let mut busy: BinaryHeap<Reverse<u64>> = BinaryHeap::with_capacity(AGENTS);
    let mut waiting: VecDeque<u64> = VecDeque::new();
    let scale = 1e9;
    let mut next_arrival = (rng.exp(1.0 / PER_HOUR) * scale) as u64;
    let (mut arrived, mut wait_sum) = (0u64, 0u64);
    loop {
        let departure = busy.peek().map(|r| r.0);
        if arrived < tickets && departure.is_none_or(|d| next_arrival <= d) {
            let now = next_arrival;
            arrived += 1;
            if busy.len() < AGENTS {
                busy.push(Reverse(now + (rng.exp(HANDLE_H) * scale) as u64));
            } else {
                waiting.push_back(now);
            }
            next_arrival = now + (rng.exp(1.0 / PER_HOUR) * scale) as u64;
        } else if let Some(now) = departure {
            busy.pop();
            if let Some(at) = waiting.pop_front() {
                wait_sum += now - at;
                busy.push(Reverse(now + (rng.exp(HANDLE_H) * scale) as u64));
            }
        } else {
            break;
        }
    }
    wait_sum as f64 / scale / tickets as f64
}

/// CPU seconds of `f`, with its result.
fn timed<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let start = cpu_seconds();
    let out = f();
    (cpu_seconds() - start, out)
}

fn main() {
    // `cargo bench` passes `--bench`; keep only our positional arguments.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let tickets: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let runs: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    // mmc.toml with the days that bring `tickets` calls at 90 an hour (2,160 a day), plus its
    // warm-up day.
    let days = tickets.div_ceil(2_160) + 1;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/mmc.toml");
    let overrides = [Override::parse(&format!("run.days={days}")).expect("a valid override")];
    let sc = scenario::load(&Source::File(path), &overrides).expect("mmc.toml loads");
    let stop = AtomicBool::new(false);
    for run in 0..runs {
        // The bare loop is fast enough for the CPU clock's 10 ms ticks to matter: it runs
        // BARE_REPEATS times (other seeds) and its time a ticket is the average.
        let (bare_s, wait_h) = timed(|| {
            let waits: Vec<f64> = (0..BARE_REPEATS)
                .map(|i| black_box(bare_mmc(tickets, u64::from(run) * 100 + i + 1)))
                .collect();
            waits.iter().sum::<f64>() / waits.len() as f64
        });
        let bare_s = bare_s / BARE_REPEATS as f64;
        let (o2d_s, rep) =
            timed(|| o2d::experiment::run_replication(&sc, u64::from(run), &stop).expect("runs"));
        let o2d_tickets = rep.tickets.expect("support is modelled").created;
        let bare_rate = tickets as f64 / bare_s.max(0.01);
        let o2d_rate = o2d_tickets as f64 / o2d_s.max(0.01);
        println!(
            "run {run}: bare loop {tickets} tickets in {bare_s:.3} CPU-s ({bare_rate:.0}/s, mean wait {:.1} s); \
             o2d {o2d_tickets} tickets in {o2d_s:.2} CPU-s ({o2d_rate:.0}/s); o2d takes {:.2}x the bare loop's time a ticket",
            wait_h * 3_600.0,
            bare_rate / o2d_rate
        );
    }
}
