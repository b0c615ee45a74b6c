//! Inputs that once crashed or hung o2d (`tests/fuzz_regressions/`), run as the `scenario_run`
//! fuzz target runs them: load, and when valid, a tiny simulation that must end and balance.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use o2d::scenario::{Source, load};

/// What `fuzz/fuzz_targets/scenario_run.rs` does with one input (kept in step with it).
fn load_and_run_tiny(bytes: &[u8], stop: &AtomicBool) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let source = Source::Text { name: "fuzz.toml".to_string(), text: text.to_string() };
    let Ok(mut scenario) = load(&source, &[]) else { return Ok(()) };
    scenario.days = scenario.days.min(3);
    scenario.warmup_days = 0;
    scenario.replications = 1;
    scenario.demand.orders_per_day = scenario.demand.orders_per_day.min(300.0);
    for peak in &mut scenario.demand.peaks {
        peak.multiplier = peak.multiplier.min(5.0);
    }
    if let Some(s) = &mut scenario.support {
        let presale = o2d::scenario::support::contact::PRESALE as usize;
        s.contacts[presale].per_hour = s.contacts[presale].per_hour.min(50.0);
    }
    match o2d::experiment::run_replication(&scenario, 0, stop) {
        Ok(r) if !r.ledgers_hold() => {
            Err(format!("orders, units or tickets not conserved: {:?}", (r.conservation, r.units, r.tickets)))
        }
        Ok(r) => {
            for (def, v) in o2d::experiment::kpi_defs(&scenario).iter().zip(&r.kpis) {
                if !(v.is_nan() || def.admits(*v)) {
                    return Err(format!("{} = {v} is out of range", def.name));
                }
            }
            Ok(())
        }
        Err(o2d::Error::Limit(_)) => Ok(()),
        Err(o2d::Error::Interrupted) => Err("did not finish within the watchdog's minute".to_string()),
        Err(e) => Err(format!("a valid scenario failed: {e}")),
    }
}

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
        let outcome = load_and_run_tiny(&bytes, &stop);
        done.store(true, Ordering::Relaxed);
        watchdog.join().unwrap();
        if let Err(e) = outcome {
            panic!("{}: {e}", file.display());
        }
    }
}
