//! Fuzz target: whatever validates is simulated, shrunk to a tiny run (3 days, 1 replication,
//! bounded demand) so each input takes milliseconds; ledgers must hold and KPIs stay in range.
#![no_main]

use std::sync::atomic::AtomicBool;

use libfuzzer_sys::fuzz_target;
use o2d::scenario::{Source, load};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::Text { name: "fuzz.toml".to_string(), text: text.to_string() };
    let Ok(mut scenario) = load(&source, &[]) else { return };
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
    let stop = AtomicBool::new(false);
    match o2d::experiment::run_replication(&scenario, 0, &stop) {
        Ok(r) => {
            let ledgers = (r.conservation, r.units, r.tickets);
            assert!(r.ledgers_hold(), "orders, units or tickets not conserved: {ledgers:?}");
            for (def, v) in o2d::experiment::kpi_defs(&scenario).iter().zip(&r.kpis) {
                assert!(v.is_nan() || def.admits(*v), "{} = {v} is out of range", def.name);
            }
        }
        // A documented model limit is an answer, not a crash.
        Err(o2d::Error::Limit(_)) => {}
        Err(e) => panic!("unexpected error from a valid scenario: {e}"),
    }
});
