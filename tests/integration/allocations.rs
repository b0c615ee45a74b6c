//! No allocation per event: a counting global allocator (per thread, so parallel tests do not
//! disturb it) shows a run's allocations do not grow with the events it handles.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::AtomicBool;

use o2d::scenario::load::Override;
use o2d::scenario::{self, Source};

use crate::support::{SMALL, trace};

/// The system allocator, counting allocations made by each thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counter is a
// const-initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as ours.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations and events of one replication of the scenario `text`, for
/// `days` days (run on this thread).
fn allocations_and_events(days: u32, text: &str) -> (u64, u64) {
    let text = text.to_string();
    // SMALL's 300 orders a day, which its staff keep up with: the orders open stay bounded, so
    // every allocation that grows with the horizon is one per event, per order or per day.
    let sets = [("run.days", days.to_string())];
    let overrides: Vec<Override> =
        sets.iter().map(|(k, v)| Override { key: k.to_string(), value: v.clone() }).collect();
    let sc = scenario::load(&Source::Text { name: "alloc.toml".into(), text }, &overrides).expect("loads");
    let stop = AtomicBool::new(false);
    let before = ALLOCATIONS.with(Cell::get);
    let rep = o2d::experiment::run_replication(&sc, 0, &stop).expect("runs");
    (ALLOCATIONS.with(Cell::get) - before, rep.events)
}

fn assert_no_allocation_per_event(sections: &str) {
    assert_no_allocation_per_event_in(&format!("{SMALL}\n{sections}"));
}

fn assert_no_allocation_per_event_in(sections: &str) {
    let (short_allocs, short_events) = allocations_and_events(28, sections);
    let (long_allocs, long_events) = allocations_and_events(112, sections);
    let extra_events = long_events - short_events;
    let extra_allocs = long_allocs.saturating_sub(short_allocs);
    assert!(extra_events > 50_000, "the longer run handles many more events: {extra_events}");
    // Per-day rows (a few small vectors a day) and amortised growth of queues (per-SKU waiting
    // lines included) are allowed: 16 a day for the 84 extra days. One allocation per event or
    // per order would be tens of thousands.
    assert!(
        extra_allocs < 84 * 16,
        "{sections:?}: {extra_allocs} more allocations for {extra_events} more events \
         ({short_allocs} -> {long_allocs})"
    );
}

#[test]
fn fulfilment_allocates_per_day_at_most_not_per_event() {
    assert_no_allocation_per_event("");
}

#[test]
fn inventory_allocates_per_day_at_most_not_per_event() {
    assert_no_allocation_per_event("[inventory]\nskus = 200\n");
}

#[test]
fn returns_allocate_per_day_at_most_not_per_event() {
    assert_no_allocation_per_event("[returns]\n");
}

#[test]
fn history_replay_allocates_per_day_at_most_not_per_order() {
    // A 112-day history of the small scenario's orders (the 28-day run ignores the rest).
    let tmp = tempfile::tempdir().unwrap();
    let long = format!("{SMALL}\n[inventory]\nskus = 200\n");
    let sets = [Override { key: "run.days".into(), value: "112".into() }];
    let sc = scenario::load(&Source::Text { name: "gen.toml".into(), text: long }, &sets).expect("loads");
    let stop = AtomicBool::new(false);
    let csv = trace(&sc, 0, &stop, Default::default());
    let path = tmp.path().join("orders.csv");
    std::fs::write(&path, csv).unwrap();
    let history = format!("history = \"{}\"", path.display());
    assert_no_allocation_per_event_in(
        &format!("{SMALL}\n[inventory]\nskus = 200\n").replace("orders_per_day = 300", &history),
    );
}
