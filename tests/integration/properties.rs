//! Invariants over random small scenarios (proptest, written as TOML text): orders and units
//! conserved, stock never negative, time never backwards, KPIs in range, same seed same numbers.

use std::sync::atomic::AtomicBool;

use o2d::experiment::{self, RunOptions, RunResult};
use o2d::kernel::{Context, Model, Simulation, Time};
use o2d::model::{Event, Operation, Outcome};
use proptest::prelude::*;

use crate::support::{assert_sane, load_text};

/// The knobs a random scenario turns; `toml()` writes it as a scenario file.
#[derive(Debug, Clone)]
struct Knobs {
    days: u32,
    warmup: bool,
    seed: u64,
    orders_per_day: u32,
    express_share: f64,
    peak: Option<(u32, f64)>,
    shift_start_h: u32,
    shift_hours: u32,
    pickers: u32,
    packers: u32,
    automation_share: f64,
    carriers: Vec<(f64, Option<u32>, f64)>,
    inventory: Option<(u32, u32, &'static str)>,
    returns: bool,
}

impl Knobs {
    fn toml(&self) -> String {
        let mut t = format!(
            "[run]\nstart_date = \"2026-11-02\"\ndays = {}\nwarmup_days = {}\nreplications = 2\nseed = {}\n\n\
             [demand]\norders_per_day = {}\n",
            self.days,
            u32::from(self.warmup && self.days > 1),
            self.seed,
            self.orders_per_day
        );
        if let Some((day, multiplier)) = self.peak {
            let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()
                + chrono::Days::new(u64::from(day % self.days));
            t += &format!("\n[[demand.peaks]]\nname = \"p\"\ndate = \"{date}\"\nmultiplier = {multiplier}\n");
        }
        t += &format!(
            "\n[[demand.shipping_options]]\nname = \"standard\"\nshare = {}\n\
             \n[[demand.shipping_options]]\nname = \"express\"\nshare = {}\npromised_days = 1\nexpress = true\n",
            1.0 - self.express_share,
            self.express_share
        );
        t += &format!(
            "\n[[fulfilment.shifts]]\nname = \"day\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\n\
             start = \"{:02}:00\"\nend = \"{:02}:00\"\npickers = {}\npackers = {}\n",
            self.shift_start_h,
            self.shift_start_h + self.shift_hours,
            self.pickers,
            self.packers
        );
        if self.automation_share > 0.0 {
            t += &format!(
                "\n[fulfilment.automation]\nshare = {}\nlines_per_hour = 400\n",
                self.automation_share
            );
        }
        for (i, (share, capacity, loss)) in self.carriers.iter().enumerate() {
            t += &format!("\n[[carriers]]\nname = \"c{i}\"\nshare = {share}\nloss_rate = {loss}\n");
            if let Some(c) = capacity {
                t += &format!("capacity_per_day = {c}\n");
            }
        }
        if let Some((skus, cover_days, stockout)) = self.inventory {
            t += &format!(
                "\n[inventory]\nskus = {skus}\ninitial_stock = \"{cover_days}d\"\nstockout = \"{stockout}\"\n\
                 lead_time = {{ dist = \"exponential\", mean = \"2d\" }}\n"
            );
        }
        if self.returns {
            t += "\n[returns]\n";
        }
        t
    }
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (1u32..=10, any::<bool>(), any::<u64>(), 0u32..=1500, 0.0f64..=1.0),
        (proptest::option::of((0u32..10, 1.0f64..6.0)), 0u32..=16, 1u32..=8, 0u32..=6, 0u32..=5),
        (
            prop_oneof![Just(0.0), 0.0f64..=1.0],
            proptest::collection::vec((0.1f64..=1.0, proptest::option::of(1u32..=800), 0.0f64..=0.2), 1..=3),
            proptest::option::of((
                1u32..=300,
                0u32..=30,
                prop_oneof![Just("backorder"), Just("cancel"), Just("split")],
            )),
            any::<bool>(),
        ),
    )
        .prop_map(|(run, staff, rest)| Knobs {
            days: run.0,
            warmup: run.1,
            seed: run.2,
            orders_per_day: run.3,
            express_share: run.4,
            peak: staff.0,
            shift_start_h: staff.1,
            shift_hours: staff.2,
            pickers: staff.3,
            packers: staff.4,
            automation_share: rest.0,
            carriers: rest.1,
            inventory: rest.2,
            returns: rest.3,
        })
}

/// The operation, watched: counts any event handled at a time earlier than the one before.
struct Watched<'s> {
    op: Operation<'s>,
    last: Time,
    backwards: u64,
}

impl Model for Watched<'_> {
    type Event = Event;

    fn start(&mut self, ctx: &mut Context<Event>) {
        self.op.start(ctx);
    }

    fn handle(&mut self, event: Event, ctx: &mut Context<Event>) {
        if ctx.now() < self.last {
            self.backwards += 1;
        }
        self.last = ctx.now();
        self.op.handle(event, ctx);
    }

    fn period(&self) -> Option<Time> {
        self.op.period()
    }

    fn period_starts(&mut self, k: u64, ctx: &mut Context<Event>) {
        if ctx.now() < self.last {
            self.backwards += 1;
        }
        self.last = ctx.now();
        self.op.period_starts(k, ctx);
    }
}

fn run(text: &str, threads: usize) -> (o2d::scenario::Scenario, RunResult) {
    let sc = load_text(text, &[]);
    let stop = AtomicBool::new(false);
    let result = experiment::run(
        &sc,
        &RunOptions { threads, stop: &stop, on_replication_done: &|| {}, on_customers: None },
    )
    .unwrap_or_else(|e| panic!("the run finishes: {e}\n{text}"));
    (sc, result)
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_small_scenarios_keep_every_invariant(k in knobs()) {
        let text = k.toml();
        let (sc, one_thread) = run(&text, 1);
        assert_sane(&one_thread);

        // Time never goes backwards, and replication 0 watched is replication 0 as run.
        let watched = Watched { op: Operation::new(&sc, 0), last: 0, backwards: 0 };
        let mut sim = Simulation::new(watched, sc.warmup_end(), sc.horizon());
        sim.run();
        prop_assert!(sim.now() <= sc.horizon());
        let watched = sim.into_model();
        prop_assert_eq!(watched.backwards, 0, "time went backwards");
        let outcome: Outcome = watched.op.finish();
        let values: Vec<f64> = outcome.kpis.iter().map(|(_, v)| *v).collect();
        prop_assert_eq!(bits(&values), bits(&one_thread.replications[0].kpis));

        // Same seed, same numbers, whatever the thread count.
        let (_, two_threads) = run(&text, 2);
        for (a, b) in one_thread.replications.iter().zip(&two_threads.replications) {
            prop_assert_eq!(bits(&a.kpis), bits(&b.kpis));
            prop_assert_eq!(a.conservation, b.conservation);
            for (ra, rb) in a.daily.iter().zip(&b.daily) {
                prop_assert_eq!(bits(ra), bits(rb));
            }
        }
    }
}
