//! Fuzz target: whatever validates is simulated, shrunk to a tiny run (3 days, 1 replication,
//! bounded demand) so each input takes milliseconds; ledgers must hold and KPIs stay in range
//! (`o2d::experiment::tiny::check_tiny_run`, which the regression test replays too).
#![no_main]

use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let stop = AtomicBool::new(false);
    if let Err(e) = o2d::experiment::tiny::check_tiny_run(data, &stop) {
        panic!("{e}");
    }
});
