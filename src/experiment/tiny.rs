//! The check the `scenario_run` fuzz target makes of each input, shared with the test that replays
//! the inputs that once broke o2d (`tests/integration/fuzz_regressions.rs`), so the two cannot
//! drift apart.

use std::sync::atomic::AtomicBool;

use crate::error::Error;
use crate::scenario::support::ContactType;
use crate::scenario::{Scenario, Source, load};

/// Shrinks a scenario to a tiny run so any input takes milliseconds: 3 days without warm-up, one
/// replication, at most 300 orders a day, peaks at most 5x, at most 50 pre-sale questions an hour.
fn shrink(scenario: &mut Scenario) {
    scenario.days = scenario.days.min(3);
    scenario.warmup_days = 0;
    scenario.replications = 1;
    scenario.demand.orders_per_day = scenario.demand.orders_per_day.min(300.0);
    if let Some(f) = &mut scenario.demand.forecast {
        // Every day and hour by one factor, so the busiest day has at most 300 orders.
        let busiest = f.day_total.iter().cloned().fold(0.0, f64::max);
        let factor = if busiest > 300.0 { 300.0 / busiest } else { 1.0 };
        f.day_total.iter_mut().for_each(|x| *x *= factor);
        f.hours.iter_mut().flatten().flatten().for_each(|x| *x *= factor);
    }
    for peak in &mut scenario.demand.peaks {
        peak.multiplier = peak.multiplier.min(5.0);
    }
    if let Some(s) = &mut scenario.support {
        let presale = ContactType::Presale;
        s.contacts[presale].per_hour = s.contacts[presale].per_hour.min(50.0);
    }
}

/// Loads `bytes` as a scenario file and, when it is valid, runs it shrunk to a tiny run: orders,
/// units and tickets must be conserved and every KPI in its range. Input that does not load and a
/// documented model limit are answers, not failures. `Err` says what broke; a run stopped through
/// `stop` (a watchdog) counts as broken, since it did not end by itself.
pub fn check_tiny_run(bytes: &[u8], stop: &AtomicBool) -> Result<(), String> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Ok(()) };
    let source = Source::Text { name: "fuzz.toml".to_string(), text: text.to_string() };
    let Ok(mut scenario) = load(&source, &[]) else { return Ok(()) };
    shrink(&mut scenario);
    match super::run_replication(&scenario, 0, stop) {
        Ok(r) if !r.ledgers_hold() => {
            Err(format!("orders, units or tickets not conserved: {:?}", (r.conservation, r.units, r.tickets)))
        }
        Ok(r) => {
            for (def, v) in super::kpi_defs(&scenario).iter().zip(&r.kpis) {
                if !(v.is_nan() || def.admits(*v)) {
                    return Err(format!("{} = {v} is out of range", def.name));
                }
            }
            Ok(())
        }
        Err(Error::Limit(_)) => Ok(()),
        Err(Error::Interrupted) => Err("stopped before the end: the run did not finish".to_string()),
        Err(e) => Err(format!("a valid scenario failed: {e}")),
    }
}
