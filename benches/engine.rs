//! Criterion benches: the kernel alone (a hold model of a million events), the three event calendars
//! head to head, demand generation, the warehouse and the carriers in isolation, the support queue
//! alone (the M/M/c scenario of the peer comparison, a million tickets), and the default scenario
//! end to end.
//!
//! Throughput is reported as events per second (orders per second for demand, parcels for the
//! carriers, tickets for the support queue). Numbers and the
//! commands that reproduce them are in docs/performance.md.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use o2d::kernel::queue::{HeapCalendar, RadixCalendar, WheelCalendar};
use o2d::kernel::rng::{StreamRng, stream};
use o2d::kernel::{Context, Model, Simulation, Time};
use o2d::model::carriers::{CarrierState, next_pickup, on_delivery_day};
use o2d::model::demand::{Arrivals, promise};
use o2d::model::orders::{Order, Orders};
use o2d::model::warehouse::Station;
use o2d::scenario::load::Override;
use o2d::scenario::{self, Scenario, Source};
use o2d::units::seconds_to_ms;
use rand_distr::{Distribution, Exp1};

/// Events per kernel run.
const EVENTS: u64 = 1_000_000;
/// Mean delay of the hold model: one hour, in milliseconds (the kernel's unit).
const MEAN_DELAY_MS: f64 = 3_600_000.0;

/// The classic hold model: `width` events in flight; each event, when handled, schedules one
/// more at now + an exponential delay. The calendar's cost at a steady size, with no model work.
struct Hold {
    rng: StreamRng,
    width: u32,
    /// Reschedules left: the run handles exactly `width + remaining` events.
    remaining: u64,
}

impl Hold {
    fn delay(&mut self) -> Time {
        (Distribution::<f64>::sample(&Exp1, &mut self.rng) * MEAN_DELAY_MS) as Time
    }
}

impl Model for Hold {
    type Event = u32;
    fn start(&mut self, ctx: &mut Context<u32>) {
        for i in 0..self.width {
            let d = self.delay();
            ctx.schedule_at(d, i);
        }
    }
    fn handle(&mut self, ev: u32, ctx: &mut Context<u32>) {
        if self.remaining == 0 {
            return;
        }
        self.remaining -= 1;
        let d = self.delay();
        ctx.schedule_in(d, ev);
    }
}

/// Runs the hold model through `Simulation` for exactly `events` events.
fn run_hold(width: u32, events: u64) -> u64 {
    let hold = Hold { rng: stream(1, 0, "hold"), width, remaining: events - u64::from(width) };
    Simulation::new(hold, 0, u64::MAX).run()
}

fn kernel(c: &mut Criterion) {
    let mut g = c.benchmark_group("kernel");
    g.throughput(Throughput::Elements(EVENTS));
    for width in [1_000u32, 100_000] {
        g.bench_function(format!("hold_1M_events_{width}_pending"), |b| {
            b.iter(|| black_box(run_hold(width, EVENTS)))
        });
    }
    g.finish();
}

/// The same hold loop straight on a calendar (no `Simulation`), so both calendars compare on
/// equal terms whichever one the kernel is built with.
macro_rules! hold_on {
    ($cal:ty, $width:expr) => {{
        let mut rng = stream(1, 0, "hold");
        let mut delay = move || (Distribution::<f64>::sample(&Exp1, &mut rng) * MEAN_DELAY_MS) as Time;
        let mut cal = <$cal>::new();
        for i in 0..$width {
            cal.push(delay(), i);
        }
        let mut checksum = 0u64;
        for _ in 0..EVENTS {
            // Invariant: every pop is followed by a push, so the calendar never empties.
            let (now, ev) = cal.pop().expect("calendar not empty");
            checksum = checksum.wrapping_add(now);
            cal.push(now + delay(), ev);
        }
        checksum
    }};
}

fn calendars(c: &mut Criterion) {
    let mut g = c.benchmark_group("calendar");
    g.throughput(Throughput::Elements(EVENTS));
    for width in [1_000u32, 100_000] {
        g.bench_with_input(BenchmarkId::new("timing_wheel_hold_1M", width), &width, |b, &w| {
            b.iter(|| black_box(hold_on!(WheelCalendar<u32>, w)))
        });
        g.bench_with_input(BenchmarkId::new("radix_heap_hold_1M", width), &width, |b, &w| {
            b.iter(|| black_box(hold_on!(RadixCalendar<u32>, w)))
        });
        g.bench_with_input(BenchmarkId::new("binary_heap_hold_1M", width), &width, |b, &w| {
            b.iter(|| black_box(hold_on!(HeapCalendar<u32>, w)))
        });
    }
    g.finish();
}

fn default_scenario_with(sets: &[(&str, &str)]) -> Scenario {
    let overrides: Vec<Override> =
        sets.iter().map(|(k, v)| Override { key: k.to_string(), value: v.to_string() }).collect();
    scenario::load(&Source::Default, &overrides).expect("default scenario loads")
}

fn demand(c: &mut Criterion) {
    let sc = default_scenario_with(&[]);
    let season = |sc: &Scenario| {
        let mut rng = stream(sc.seed, 0, "arrivals");
        let mut arrivals = Arrivals::new(sc);
        let mut n = 0u64;
        while let Some(t) = arrivals.next(&mut rng) {
            n += 1;
            black_box(t);
        }
        n
    };
    let orders = season(&sc);
    let mut g = c.benchmark_group("demand");
    g.throughput(Throughput::Elements(orders));
    g.bench_function("holiday_season_arrivals", |b| b.iter(|| black_box(season(&sc))));
    let option = &sc.demand.shipping_options[0];
    g.bench_function("holiday_season_arrivals_and_promises", |b| {
        b.iter(|| {
            let mut rng = stream(sc.seed, 0, "arrivals");
            let mut arrivals = Arrivals::new(&sc);
            let mut last = 0;
            while let Some(t) = arrivals.next(&mut rng) {
                last = promise(&sc, option, t).deliver_by;
            }
            black_box(last)
        })
    });
    g.finish();
}

fn warehouse(c: &mut Criterion) {
    // A station with 20 servers and a queue of ~1,000: enqueue, start and finish a million jobs.
    let mut g = c.benchmark_group("warehouse");
    g.throughput(Throughput::Elements(EVENTS));
    g.bench_function("station_1M_jobs", |b| {
        b.iter(|| {
            let mut s = Station::default();
            s.change_staff(20);
            for i in 0..1_000u32 {
                s.enqueue(i, i % 4 == 0);
            }
            let mut started = 0u64;
            for i in 0..EVENTS as u32 {
                s.enqueue(i, i % 4 == 0);
                while let Some(id) = s.start_next() {
                    started += u64::from(id & 1);
                }
                s.finish();
            }
            black_box(started)
        })
    });
    g.finish();
}

fn carriers(c: &mut Criterion) {
    // The default scenario's first carrier: a million parcels staged, a pickup after every
    // thousand taking what the day's capacity allows, and loss, damage and transit drawn for
    // each parcel taken.
    let sc = default_scenario_with(&[]);
    let carrier = &sc.carriers[0];
    let mut g = c.benchmark_group("carriers");
    g.throughput(Throughput::Elements(EVENTS));
    g.bench_function("stage_pickup_transit_1M_parcels", |b| {
        b.iter(|| {
            let mut rng = stream(sc.seed, 0, "carriers");
            let (mut orders, mut lane) = (Orders::default(), CarrierState::default());
            let (mut now, mut last_delivery, mut lost) = (0, 0, 0u64);
            for i in 0..EVENTS {
                let id = orders.insert(Order::default());
                lane.stage(orders.reference(id));
                if i % 1_000 == 999 {
                    // Invariant: a carrier with a pickup day picks up again within a week.
                    now = next_pickup(&sc, carrier, now, u64::MAX).expect("a next pickup");
                    for _ in 0..lane.pickup_allowance(carrier, now) {
                        // Invariant: the allowance never exceeds the parcels staged.
                        let parcel = lane.take(&orders).expect("allowance within staging");
                        lost += u64::from(rand::RngExt::random::<f64>(&mut rng) < carrier.loss_rate);
                        let transit = seconds_to_ms(carrier.transit.sample(&mut rng));
                        last_delivery = last_delivery.max(on_delivery_day(&sc, carrier, now + transit));
                        orders.remove(parcel.id);
                    }
                }
            }
            black_box((last_delivery, lost))
        })
    });
    g.finish();
}

fn support_queue(c: &mut Criterion) {
    // `benches/peers/mmc.toml`: support only, 40 agents, utilisation 0.9, 464 days of phone
    // calls = about a million tickets in one replication.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peers/mmc.toml");
    let sc = scenario::load(&Source::File(path), &[]).expect("mmc.toml loads");
    let stop = AtomicBool::new(false);
    let run = || o2d::experiment::run_replication(&sc, 0, &stop).expect("runs");
    let tickets = run().tickets.expect("support is modelled").created;
    let mut g = c.benchmark_group("support");
    g.sample_size(10);
    g.throughput(Throughput::Elements(tickets));
    g.bench_function("mmc_40_agents_utilisation_0.9_1M_tickets", |b| b.iter(|| black_box(run().events)));
    g.finish();
}

fn default_scenario(c: &mut Criterion) {
    let stop = AtomicBool::new(false);
    let mut g = c.benchmark_group("scenario");
    g.sample_size(10);
    let steady: &[(&str, &str)] = &[
        ("run.days", "30"),
        ("demand.peaks", "[]"),
        ("fulfilment.overrides", "[]"),
        ("support.overrides", "[]"),
    ];
    for (name, sets) in
        [("holiday_season_one_replication", &[][..]), ("steady_30_days_one_replication", steady)]
    {
        let sc = default_scenario_with(sets);
        let events = o2d::experiment::run_replication(&sc, 0, &stop).expect("runs").events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(name, |b| {
            b.iter(|| black_box(o2d::experiment::run_replication(&sc, 0, &stop).expect("runs").events))
        });
    }
    g.finish();
}

criterion_group!(benches, kernel, calendars, demand, warehouse, carriers, support_queue, default_scenario);
criterion_main!(benches);
