//! Quantities worked out from a validated scenario alone, shared by validation and the model:
//! expected orders a day, the lines-per-order cap, each SKU's demand and ABC class, initial stock.

use crate::units::weekday_index;

use super::inventory::Inventory;
use super::{Demand, Scenario};

/// Largest number of lines one order may have: a sampled value above is capped.
pub const MAX_LINES_PER_ORDER: u16 = 999;

/// Expected orders a day over the whole horizon (the mean of `expected_orders_on`).
pub fn mean_expected_orders(scenario: &Scenario) -> f64 {
    let total: f64 = (0..scenario.days).map(|d| expected_orders_on(scenario, d)).sum();
    total / f64::from(scenario.days.max(1))
}

/// Expected orders on day `day` of the scenario: the orders a replayed history places that day,
/// the forecast's day total, else base x weekday x strongest peak x trend.
pub fn expected_orders_on(scenario: &Scenario, day: u32) -> f64 {
    let d: &Demand = &scenario.demand;
    if let Some(h) = &d.history {
        return h.orders_on(day);
    }
    if let Some(f) = &d.forecast {
        return f.on(day);
    }
    let weekday = weekday_index(scenario.date_of_day(day));
    // Overlapping peaks do not multiply: the strongest surge applies (or, with no surge, the
    // deepest dip, e.g. a multiplier of 0.3 on a public holiday).
    let factors = d.peaks.iter().map(|p| p.factor_on(i64::from(day)));
    let surge = factors.clone().fold(1.0, f64::max);
    let peak = if surge > 1.0 { surge } else { factors.fold(1.0, f64::min) };
    let trend = 1.0 + d.trend_per_year * f64::from(day) / 365.0;
    d.orders_per_day * d.day_of_week[weekday] * peak * trend.max(0.0)
}

/// Mean orders on an ordinary day: orders/day x the mean weekday factor, or the forecast's mean
/// over the horizon.
pub fn ordinary_orders_per_day(scenario: &Scenario) -> f64 {
    let d = &scenario.demand;
    match &d.forecast {
        Some(f) => f.day_total.iter().sum::<f64>() / f.day_total.len().max(1) as f64,
        None => d.orders_per_day * (d.day_of_week.iter().sum::<f64>() / 7.0),
    }
}

/// Mean daily demand of each SKU: ordinary orders/day x mean lines (or a replayed history's
/// lines a day) x the SKU's popularity.
pub fn daily_demand_by_sku(scenario: &Scenario, inv: &Inventory) -> Vec<f64> {
    let weights = popularity(inv);
    let total: f64 = weights.iter().sum();
    let units = match &scenario.demand.history {
        Some(h) => h.lines_per_day(),
        None => ordinary_orders_per_day(scenario) * scenario.demand.lines_per_order.mean().max(1.0),
    };
    weights.iter().map(|w| units * w / total).collect()
}

/// Relative popularity of each SKU: a catalogue's shares or weights in its row order, else Zipf
/// (SKU k in proportion to 1/k^s, most popular first).
pub fn popularity(inv: &Inventory) -> Vec<f64> {
    if let Some(cat) = &inv.catalogue {
        return cat.skus.iter().map(|s| s.weight).collect();
    }
    (1..=inv.skus).map(|k| 1.0 / f64::from(k).powf(inv.zipf_exponent)).collect()
}

/// The ABC class of each SKU (0 = A): a catalogue's `class` where given, else the class its
/// share of demand starts in, counting from the most popular SKU (ties in catalogue order).
pub fn classes(inv: &Inventory) -> Vec<u8> {
    let weights = popularity(inv);
    let total: f64 = weights.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    if inv.catalogue.is_some() {
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
    }
    let mut classes = vec![2; weights.len()];
    let mut cumulative = 0.0;
    for k in order {
        let starts_at = cumulative;
        cumulative += weights[k] / total;
        classes[k] = if starts_at < inv.abc_shares[0] {
            0
        } else if starts_at < inv.abc_shares[1] {
            1
        } else {
            2
        };
    }
    if let Some(cat) = &inv.catalogue {
        for (class, sku) in classes.iter_mut().zip(&cat.skus) {
            *class = sku.class.unwrap_or(*class);
        }
    }
    classes
}

/// Mean daily demand at each stock location (warehouse w's SKUs come after warehouse w-1's):
/// the SKU's demand x the warehouse's share of customers.
pub fn daily_demand_by_location(scenario: &Scenario, inv: &Inventory) -> Vec<f64> {
    let per_sku = daily_demand_by_sku(scenario, inv);
    inv.warehouse_shares.iter().flat_map(|share| per_sku.iter().map(move |d| d * share)).collect()
}

/// The ABC class of each stock location: its SKU's class.
pub fn location_classes(inv: &Inventory) -> Vec<u8> {
    let c = classes(inv);
    inv.warehouse_shares.iter().flat_map(|_| c.iter().copied()).collect()
}

/// Initial units at each stock location: a catalogue's `initial_stock` where given (divided
/// among the warehouses by their shares, whole units summing to it), else the section's rule.
pub fn initial_stock(scenario: &Scenario, inv: &Inventory) -> Vec<i64> {
    let mut units: Vec<i64> = daily_demand_by_location(scenario, inv)
        .iter()
        .zip(location_classes(inv))
        .map(|(d, class)| inv.initial_stock[class as usize].units(*d).max(0))
        .collect();
    if let Some(cat) = &inv.catalogue {
        let n = cat.skus.len();
        for (k, sku) in cat.skus.iter().enumerate() {
            let Some(total) = sku.initial_stock else { continue };
            // Cumulative rounding: each warehouse gets whole units and the parts sum to `total`.
            let (mut cumulative, mut given) = (0.0, 0i64);
            for (w, share) in inv.warehouse_shares.iter().enumerate() {
                cumulative += share;
                let upto = if w + 1 == inv.warehouse_shares.len() {
                    total as i64
                } else {
                    ((total as f64 * cumulative).round() as i64).min(total as i64)
                };
                units[w * n + k] = (upto - given).max(0);
                given = given.max(upto);
            }
        }
    }
    units
}

/// Total initial units, for the capacity check.
pub fn initial_units(scenario: &Scenario, inv: &Inventory) -> u64 {
    initial_stock(scenario, inv).iter().map(|u| *u as u64).sum()
}
