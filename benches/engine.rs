//! Criterion benches: the kernel alone (schedule and pop a million events) and the default
//! scenario end to end (one replication). Throughput is reported as events per second.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use o2d::kernel::{Context, Model, Simulation};
use o2d::scenario::{self, Source};

/// A model that keeps `width` events in flight, each rescheduling itself with a pseudo-random
/// delay: the calendar's cost with a realistic heap size and no model work.
struct Churn {
    state: u64,
    width: u32,
    /// Reschedules left: the run handles exactly `width + remaining` events.
    remaining: u64,
}

impl Model for Churn {
    type Event = u32;
    fn start(&mut self, ctx: &mut Context<u32>) {
        for i in 0..self.width {
            ctx.schedule_at(u64::from(i), i);
        }
    }
    fn handle(&mut self, ev: u32, ctx: &mut Context<u32>) {
        if self.remaining == 0 {
            return;
        }
        self.remaining -= 1;
        // xorshift: cheap, deterministic delays from 0 to ~1 s.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        ctx.schedule_in(self.state % 1_000, ev);
    }
}

fn kernel(c: &mut Criterion) {
    let mut g = c.benchmark_group("kernel");
    const EVENTS: u64 = 1_000_000;
    g.throughput(Throughput::Elements(EVENTS));
    for width in [1_000u32, 100_000] {
        g.bench_function(format!("schedule_pop_1M_events_{width}_pending"), |b| {
            b.iter(|| black_box(run_events(width, EVENTS)))
        });
    }
    g.finish();
}

/// Runs the churn model for exactly `events` events.
fn run_events(width: u32, events: u64) -> u64 {
    let churn = Churn { state: 0x9E37_79B9, width, remaining: events - u64::from(width) };
    Simulation::new(churn, 0, u64::MAX).run()
}

fn default_scenario(c: &mut Criterion) {
    let sc = scenario::load(&Source::Default, &[]).expect("default scenario loads");
    let stop = AtomicBool::new(false);
    let events = o2d::experiment::run_replication(&sc, 0, &stop).expect("runs").events;
    let mut g = c.benchmark_group("scenario");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events));
    g.bench_function("holiday_season_one_replication", |b| {
        b.iter(|| black_box(o2d::experiment::run_replication(&sc, 0, &stop).expect("runs").events))
    });
    g.finish();
}

criterion_group!(benches, kernel, default_scenario);
criterion_main!(benches);
