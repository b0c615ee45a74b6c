//! The kernel hold model as a plain program, timed by CPU time as well as wall time, for a shared
//! and noisy machine where criterion's wall clock mostly measures the neighbours (and for callgrind).
//!
//! `cargo bench --bench hold -- [sim|wheel|radix|heap] [PENDING] [EVENTS] [RUNS]`; prints one line per run.

mod common;

use common::cpu_seconds;
use std::hint::black_box;
use std::time::Instant;

use o2d::kernel::queue::{HeapCalendar, RadixCalendar, WheelCalendar};
use o2d::kernel::rng::{StreamRng, stream};
use o2d::kernel::{Context, Model, Simulation, Time};
use rand_distr::{Distribution, Exp1};

/// Mean delay of the hold model: one hour, in milliseconds (the kernel's unit).
const MEAN_DELAY_MS: f64 = 3_600_000.0;

fn delay(rng: &mut StreamRng) -> Time {
    (Distribution::<f64>::sample(&Exp1, rng) * MEAN_DELAY_MS) as Time
}

/// Pop one, push one at now + an exponential delay, with `width` events pending.
struct Hold {
    rng: StreamRng,
    width: u32,
    remaining: u64,
}

impl Model for Hold {
    type Event = u32;
    fn start(&mut self, ctx: &mut Context<u32>) {
        for i in 0..self.width {
            let d = delay(&mut self.rng);
            ctx.schedule_at(d, i);
        }
    }
    fn handle(&mut self, ev: u32, ctx: &mut Context<u32>) {
        if self.remaining > 0 {
            self.remaining -= 1;
            let d = delay(&mut self.rng);
            ctx.schedule_in(d, ev);
        }
    }
}

macro_rules! hold_on {
    ($cal:ty, $width:expr, $events:expr) => {{
        let mut rng = stream(1, 0, "hold");
        let mut cal = <$cal>::new();
        for i in 0..$width {
            cal.push(delay(&mut rng), i);
        }
        for _ in 0..$events {
            // Invariant: every pop is followed by a push, so the calendar never empties.
            let (now, ev) = cal.pop().expect("calendar not empty");
            cal.push(now + delay(&mut rng), ev);
        }
        $events
    }};
}

fn main() {
    // `cargo bench` passes `--bench`; keep only our positional arguments.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let which = args.first().map_or("sim", String::as_str).to_string();
    let width: u32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let events: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let runs: u32 = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(3);
    for _ in 0..runs {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let n = match which.as_str() {
            "radix" => hold_on!(RadixCalendar<u32>, width, events),
            "wheel" => hold_on!(WheelCalendar<u32>, width, events),
            "heap" => hold_on!(HeapCalendar<u32>, width, events),
            _ => {
                let hold = Hold { rng: stream(1, 0, "hold"), width, remaining: events - u64::from(width) };
                Simulation::new(hold, 0, u64::MAX).run()
            }
        };
        black_box(n);
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        println!(
            "{which} pending={width} events={n} wall_s={wall:.3} cpu_s={cpu:.2} events_per_wall_s={:.0} events_per_cpu_s={:.0}",
            n as f64 / wall,
            n as f64 / cpu.max(0.01)
        );
    }
}
