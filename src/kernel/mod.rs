//! The discrete-event engine: a clock, an event calendar, a horizon and a warm-up cut-off.
//! It knows no domain words; a model is anything that handles its own small `Copy` events.
//!
//! # A tour
//!
//! A model says what its events are and how it reacts to each; it schedules follow-up events
//! through the [`Context`]. The [`Simulation`] pops events in (time, insertion) order until the
//! horizon, so two events due at the same instant run first-in first-out and every run repeats.
//!
//! A model with a period (see [`Model::period`]) has the run loop call [`Model::period_starts`]
//! at each multiple of it below the horizon (0 included), **before any event due at that
//! instant**, whenever that event was scheduled: the one exception to first-in first-out. So
//! what a model does at a period boundary (close the last period's figures, then set up the next)
//! sees the state left by the events strictly before the boundary, and the events at the boundary
//! see the new period. A boundary is not counted as an event.
//!
//! ```
//! use o2d::kernel::{Context, Model, Simulation, Time};
//!
//! /// A clock that ticks every 10 time units and counts the ticks after warm-up.
//! struct Ticker { counted: u32 }
//!
//! #[derive(Clone, Copy)]
//! enum Ev { Tick }
//!
//! impl Model for Ticker {
//!     type Event = Ev;
//!     fn start(&mut self, ctx: &mut Context<Ev>) {
//!         ctx.schedule_at(0, Ev::Tick);
//!     }
//!     fn handle(&mut self, _ev: Ev, ctx: &mut Context<Ev>) {
//!         if ctx.measuring() {
//!             self.counted += 1;
//!         }
//!         ctx.schedule_in(10, Ev::Tick);
//!     }
//! }
//!
//! // Warm-up ends at t = 50, the horizon is t = 100: ticks at 50, 60, .., 90 are counted.
//! let mut sim = Simulation::new(Ticker { counted: 0 }, 50, 100);
//! let events = sim.run();
//! assert_eq!(events, 10);
//! assert_eq!(sim.model().counted, 5);
//! assert_eq!(sim.now(), 100);
//! ```

pub mod huge;
pub mod queue;
pub mod rng;

use std::sync::atomic::{AtomicBool, Ordering};

pub use queue::Calendar;

/// Simulation time: an integer count of milliseconds since the start of the run.
pub type Time = u64;

/// Starts loading the cache line holding `value`, so a read of it soon does not wait on memory.
/// A hint only: it changes no value and no result, and does nothing off x86-64.
#[inline(always)]
pub fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and reads nothing the program sees, and SSE (which has it)
    // is part of the x86-64 baseline; the pointer comes from a live reference.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// What a model does: start itself, then handle each of its events as it falls due.
pub trait Model {
    /// The model's event: a small `Copy` value (an enum holding ids), never a boxed closure.
    type Event: Copy;
    /// Schedules the model's first events.
    fn start(&mut self, ctx: &mut Context<Self::Event>);
    /// Reacts to `event` at `ctx.now()`, scheduling any follow-ups.
    fn handle(&mut self, event: Self::Event, ctx: &mut Context<Self::Event>);
    /// The length of the model's period, if it has one (read once, when the run starts; zero
    /// means none). Default: none.
    fn period(&self) -> Option<Time> {
        None
    }
    /// Period `k` starts at `ctx.now()` = k x period: called before any event due then.
    fn period_starts(&mut self, _k: u64, _ctx: &mut Context<Self::Event>) {}
    /// `event` is likely to be handled soon: start loading what it will read (see [`prefetch`]).
    /// A hint that must change nothing. Default: nothing.
    #[inline]
    fn prefetch(&self, _event: &Self::Event) {}
}

/// How many events ahead of the one being handled the model is told to prefetch: far enough for
/// a memory load to finish before its event runs, near enough that it is still in the cache.
const PREFETCH_AHEAD: usize = 8;

/// What a model sees of the engine while it handles an event: the clock and the calendar.
#[derive(Debug)]
pub struct Context<E> {
    now: Time,
    warmup_end: Time,
    horizon: Time,
    calendar: Calendar<E>,
    halted: bool,
}

impl<E> Context<E> {
    /// Stops the run after the current event (a model hit a limit it cannot go past).
    pub fn halt(&mut self) {
        self.halted = true;
    }

    /// Whether a model halted the run.
    pub fn halted(&self) -> bool {
        self.halted
    }

    /// The current simulation time.
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// The end of the run.
    #[inline]
    pub fn horizon(&self) -> Time {
        self.horizon
    }

    /// When statistics start to count.
    #[inline]
    pub fn warmup_end(&self) -> Time {
        self.warmup_end
    }

    /// Whether the warm-up is over, so statistics count.
    #[inline]
    pub fn measuring(&self) -> bool {
        self.now >= self.warmup_end
    }

    /// Schedules `event` at absolute time `time`; a time in the past is taken as now, so the
    /// clock never runs backwards.
    #[inline]
    pub fn schedule_at(&mut self, time: Time, event: E) {
        self.calendar.push(time.max(self.now), event);
    }

    /// Schedules `event` `delay` after now.
    #[inline]
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.calendar.push(self.now.saturating_add(delay), event);
    }

    /// Number of events waiting in the calendar.
    pub fn pending(&self) -> usize {
        self.calendar.len()
    }
}

/// The run was stopped from outside (Ctrl-C) before reaching its horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// A model, its clock and its calendar: runs events in order until the horizon.
#[derive(Debug)]
pub struct Simulation<M: Model> {
    model: M,
    ctx: Context<M::Event>,
    events: u64,
    started: bool,
    /// The model's period, the next period start not yet run (`Time::MAX` without a period)
    /// and its index.
    period: Time,
    next_boundary: Time,
    next_period: u64,
}

impl<M: Model> Simulation<M> {
    /// A simulation of `model` that counts statistics from `warmup_end` and stops at `horizon`.
    pub fn new(model: M, warmup_end: Time, horizon: Time) -> Self {
        let ctx = Context {
            now: 0,
            warmup_end: warmup_end.min(horizon),
            horizon,
            calendar: Calendar::new(),
            halted: false,
        };
        Self { model, ctx, events: 0, started: false, period: 0, next_boundary: Time::MAX, next_period: 0 }
    }

    /// Runs every event due before the horizon, then sets the clock to the horizon.
    /// Returns the number of events handled.
    pub fn run(&mut self) -> u64 {
        let never = AtomicBool::new(false);
        match self.run_until_stopped(&never) {
            Ok(n) | Err((n, Interrupted)) => n,
        }
    }

    /// Like [`Simulation::run`], but checks `stop` every few thousand events and returns early
    /// with [`Interrupted`] when it is set.
    pub fn run_until_stopped(&mut self, stop: &AtomicBool) -> Result<u64, (u64, Interrupted)> {
        if !self.started {
            self.started = true;
            if let Some(p) = self.model.period().filter(|&p| p > 0) {
                self.period = p;
                self.next_boundary = 0;
            }
            self.model.start(&mut self.ctx);
        }
        loop {
            let next = self.ctx.calendar.peek_time();
            let boundary = self.next_boundary;
            if boundary < self.ctx.horizon && next.is_none_or(|t| boundary <= t) {
                self.ctx.now = boundary;
                self.next_boundary = boundary.saturating_add(self.period);
                self.next_period += 1;
                self.model.period_starts(self.next_period - 1, &mut self.ctx);
                if self.ctx.halted {
                    return Ok(self.events);
                }
                continue;
            }
            let Some(time) = next else { break };
            if time >= self.ctx.horizon {
                break;
            }
            if self.events & 0xFFF == 0 && stop.load(Ordering::Relaxed) {
                return Err((self.events, Interrupted));
            }
            // Invariant: peek_time returned Some, so the calendar is not empty.
            let (time, event) = self.ctx.calendar.pop().expect("calendar not empty after peek");
            debug_assert!(time >= self.ctx.now, "time went backwards");
            self.ctx.now = time;
            self.events += 1;
            for soon in self.ctx.calendar.newly_upcoming(PREFETCH_AHEAD) {
                self.model.prefetch(soon);
            }
            self.model.handle(event, &mut self.ctx);
            if self.ctx.halted {
                return Ok(self.events);
            }
        }
        self.ctx.now = self.ctx.horizon;
        Ok(self.events)
    }

    /// The current time (the horizon once the run is over).
    pub fn now(&self) -> Time {
        self.ctx.now
    }

    /// Events handled so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The model, to read its state.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model and its context, e.g. to close statistics at the end of the run.
    pub fn parts_mut(&mut self) -> (&mut M, &mut Context<M::Event>) {
        (&mut self.model, &mut self.ctx)
    }

    /// Gives the model back.
    pub fn into_model(self) -> M {
        self.model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records the order it sees events in.
    struct Recorder {
        seen: Vec<(Time, u32)>,
    }

    impl Model for Recorder {
        type Event = u32;
        fn start(&mut self, ctx: &mut Context<u32>) {
            ctx.schedule_at(20, 1);
            ctx.schedule_at(10, 2);
            ctx.schedule_at(20, 3);
            ctx.schedule_at(500, 99);
        }
        fn handle(&mut self, ev: u32, ctx: &mut Context<u32>) {
            self.seen.push((ctx.now(), ev));
            if ev == 2 {
                // Scheduling into the past is clamped to now.
                ctx.schedule_at(0, 4);
            }
        }
    }

    #[test]
    fn events_run_in_time_then_insertion_order_and_stop_at_the_horizon() {
        let mut sim = Simulation::new(Recorder { seen: vec![] }, 0, 100);
        assert_eq!(sim.run(), 4);
        assert_eq!(sim.model().seen, vec![(10, 2), (10, 4), (20, 1), (20, 3)]);
        assert_eq!(sim.now(), 100);
    }

    /// Has a period of 100; at each period start records it, and at the first one schedules an
    /// event at the next boundary (so it was scheduled long before that boundary runs).
    struct Periodic {
        seen: Vec<(Time, &'static str)>,
    }

    impl Model for Periodic {
        type Event = &'static str;
        fn start(&mut self, ctx: &mut Context<&'static str>) {
            ctx.schedule_at(100, "event at 100, scheduled at the start");
            ctx.schedule_at(150, "event at 150");
        }
        fn handle(&mut self, ev: &'static str, ctx: &mut Context<&'static str>) {
            self.seen.push((ctx.now(), ev));
        }
        fn period(&self) -> Option<Time> {
            Some(100)
        }
        fn period_starts(&mut self, k: u64, ctx: &mut Context<&'static str>) {
            self.seen.push((ctx.now(), ["period 0", "period 1", "period 2", "period 3"][k as usize]));
            if k == 1 {
                ctx.schedule_at(100, "event at 100, scheduled by period 1");
            }
        }
    }

    #[test]
    fn a_period_starts_before_every_event_due_at_its_boundary_and_runs_below_the_horizon_even_without_events()
    {
        let mut sim = Simulation::new(Periodic { seen: vec![] }, 0, 400);
        assert_eq!(sim.run(), 3, "period starts are not counted as events");
        assert_eq!(
            sim.model().seen,
            vec![
                (0, "period 0"),
                (100, "period 1"),
                (100, "event at 100, scheduled at the start"),
                (100, "event at 100, scheduled by period 1"),
                (150, "event at 150"),
                (200, "period 2"),
                (300, "period 3"),
            ]
        );
        assert_eq!(sim.now(), 400);
    }

    #[test]
    fn a_set_stop_flag_interrupts_the_run() {
        let mut sim = Simulation::new(Recorder { seen: vec![] }, 0, 100);
        let stop = AtomicBool::new(true);
        assert_eq!(sim.run_until_stopped(&stop), Err((0, Interrupted)));
    }
}
