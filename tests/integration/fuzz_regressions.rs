//! Inputs that once crashed or hung o2d (`tests/fuzz_regressions/`), run as the `scenario_run`
//! fuzz target runs them: load, and when valid, a tiny simulation that must end and balance.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

#[test]
fn every_input_that_once_broke_o2d_now_loads_or_runs_cleanly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_none_or(|x| x != "md"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        // A watchdog turns a hang into a failure (a safety net, not a timing assertion).
        let stop = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let (s, d) = (Arc::clone(&stop), Arc::clone(&done));
        let watchdog = std::thread::spawn(move || {
            for _ in 0..600 {
                if d.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            s.store(true, Ordering::Relaxed);
        });
        let outcome = o2d::experiment::tiny::check_tiny_run(&bytes, &stop);
        done.store(true, Ordering::Relaxed);
        watchdog.join().unwrap();
        if let Err(e) = outcome {
            panic!("{}: {e}", file.display());
        }
    }
}
