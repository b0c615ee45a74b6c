//! Turns a raw scenario into a validated `Scenario`, collecting every problem with its key path.
//! Checks live here, once; models never re-check what this accepted.

use super::customers::validate_customers;
use super::inventory::validate_inventory;
use super::staffing::validate_staffing_of;
use super::support::validate_support;
use chrono::NaiveDate;

use super::check::{Checker, Issue, num};
use super::raw::*;
use super::*;
use crate::dist::UnitKind;

/// Orders the model takes on one day at most, on the busiest day (weekday, peak and trend
/// included): beyond it a run would only end at the open-orders limit, after exhausting memory.
pub const MAX_ORDERS_PER_DAY: f64 = 50_000_000.0;

/// Simulated days at most (ten years).
pub const MAX_DAYS: u32 = 3_650;

/// Replications at most: beyond any useful precision.
pub const MAX_REPLICATIONS: u32 = 100_000;

/// Delivery attempts a carrier may make per parcel (real carriers make 1 to 5).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 100;
/// Carriers a scenario may list: every carrier id (`model::carriers::CarrierId`) fits in 16 bits.
pub const MAX_CARRIERS: usize = u16::MAX as usize;
/// Shipping options a scenario may list: every option index fits in 8 bits (`model::orders::Order`).
pub const MAX_SHIPPING_OPTIONS: usize = u8::MAX as usize;

fn day_index(start: NaiveDate, date: NaiveDate) -> i64 {
    (date - start).num_days()
}

/// Validates `raw`; `name` is the scenario's name when the file does not give one.
pub(crate) fn validate(
    raw: &RawScenario,
    name: &str,
    planner: &files::Planner,
) -> Result<Scenario, Vec<Issue>> {
    let mut c = Checker::default();
    let mut notes = Vec::new();
    let run = &raw.run;
    let start_date = c.date("run.start_date", &run.start_date);
    if run.days == 0 {
        c.fail("run.days", "must be at least 1 day");
    }
    if run.days > MAX_DAYS {
        c.fail("run.days", format!("{} days is more than the 10-year limit ({MAX_DAYS})", run.days));
    }
    if run.warmup_days >= run.days.max(1) {
        c.fail(
            "run.warmup_days",
            format!("{} warm-up days leave nothing to measure in {} days", run.warmup_days, run.days),
        );
    }
    if let Some(why) = run.name.as_deref().and_then(super::name::problem) {
        c.fail_help("run.name", why, super::name::HELP.to_string());
    }
    if run.replications == 0 {
        c.fail("run.replications", "must be at least 1");
    }
    if run.replications > MAX_REPLICATIONS {
        c.fail(
            "run.replications",
            format!("more than {MAX_REPLICATIONS} replications is beyond any useful precision"),
        );
    }
    let start = start_date.unwrap_or_default();
    if let Some(cur) = &run.currency
        && (cur.is_empty()
            || cur.chars().count() > 8
            || cur.chars().any(|ch| ch.is_whitespace() || ch.is_control()))
    {
        c.fail_help(
            "run.currency",
            format!(
                "{cur:?} is not a currency: expected a code or symbol of 1 to 8 characters, without spaces"
            ),
            "e.g. \"EUR\", \"USD\" or \"£\"".to_string(),
        );
    }

    let carriers = validate_carriers(&mut c, &raw.carriers, start, run.days);
    let mut demand = validate_demand(&mut c, &raw.demand, start, run.days, &carriers);
    let horizon = (start, run.days);
    demand.forecast =
        forecast::validate_forecast(&mut c, &raw.demand, planner.forecast.as_ref(), horizon, &mut notes);
    let calendar = calendar::validate_calendar(&mut c, raw, planner.holidays.as_ref(), horizon, &mut notes);
    demand.history = planner.history.clone();
    if raw.demand.forecast.is_some() && raw.demand.history.is_some() {
        c.fail_help(
            "demand.history",
            "a scenario gives a forecast or an order history, not both: each replaces the demand model",
            "keep `forecast` to model demand around your forecast, or `history` to replay those orders"
                .to_string(),
        );
    }
    let fulfilment = validate_fulfilment(&mut c, &raw.fulfilment, start, run.days);
    let inventory = raw.inventory.as_ref().map(|i| validate_inventory(&mut c, i, planner.catalogue.clone()));
    let returns = raw.returns.as_ref().map(|r| super::returns::validate_returns(&mut c, r));
    let support =
        raw.support.as_ref().map(|s| validate_support(&mut c, s, start, run.days, &planner.rosters));
    let staffing = validate_staffing_of(&mut c, raw.staffing.as_ref(), support.as_ref());
    let customers =
        raw.customers.as_ref().map(|r| validate_customers(&mut c, r, raw.demand.history.is_some()));
    if !c.issues.is_empty() {
        return Err(c.issues);
    }
    let mut scenario = Scenario {
        name: run.name.clone().unwrap_or_else(|| name.to_string()),
        description: run.description.clone(),
        start_date: start,
        days: run.days,
        warmup_days: run.warmup_days,
        replications: run.replications,
        seed: run.seed,
        currency: run.currency.clone(),
        demand,
        fulfilment,
        carriers,
        inventory,
        returns,
        support,
        customers,
        staffing,
        calendar,
        windows: Vec::new(),
        targets: Vec::new(),
        resolved: raw.clone(),
        notes,
    };
    scenario.windows = windows::validate_windows(&mut c, raw, start, run.days, run.warmup_days);
    scenario.targets = windows::validate_targets(&mut c, raw, &scenario.kpi_defs(), &scenario.windows);
    let notes = files::history::check(&mut c, &scenario, &raw.demand);
    scenario.notes.extend(notes);
    check_busiest_day(&mut c, &scenario);
    check_customer_base(&mut c, &scenario);
    if !c.issues.is_empty() {
        return Err(c.issues);
    }
    // Checks that need the validated demand and stock together.
    if let Some(inv) = &scenario.inventory
        && let Some(cap) = inv.capacity_units
    {
        let initial = super::derived::initial_units(&scenario, inv);
        if initial > cap {
            c.fail_help(
                "inventory.capacity_units",
                format!("{cap} units of storage cannot hold the initial stock of {initial} units"),
                "raise capacity_units or lower initial_stock".to_string(),
            );
            return Err(c.issues);
        }
    }
    scenario.resolved = raw.clone();
    scenario.notes.append(&mut c.notes);
    Ok(scenario)
}

/// The customer base at the start, and with the new customers the demand brings, must fit
/// `MAX_BASE`.
fn check_customer_base(c: &mut Checker, sc: &Scenario) {
    use super::customers::MAX_BASE;
    let Some(cu) = &sc.customers else { return };
    let mean = super::derived::mean_expected_orders(sc);
    let initial = cu.initial(mean);
    let joining = mean * f64::from(sc.days) * cu.new_share;
    if initial as f64 + joining > MAX_BASE as f64 {
        c.fail_help(
            if cu.customers.is_some() { "customers.customers" } else { "customers" },
            format!(
                "{} customers at the start and about {} joining are more than the {} a base holds",
                num(initial as f64),
                num(joining.round()),
                num(MAX_BASE as f64)
            ),
            "lower customers (or the demand), or shorten the run".to_string(),
        );
    }
}

/// Every day's expected orders (orders/day x weekday x strongest peak x trend) must stay within
/// `MAX_ORDERS_PER_DAY`; the first day beyond it is blamed on the factor that is largest that day.
fn check_busiest_day(c: &mut Checker, sc: &Scenario) {
    use super::derived::expected_orders_on;
    if let Some(f) = &sc.demand.forecast {
        return forecast::check_busiest_day(c, sc, f);
    }
    let first_too_busy = (0..sc.days)
        .map(|day| (day, expected_orders_on(sc, day)))
        .find(|(_, n)| n.is_nan() || *n > MAX_ORDERS_PER_DAY)
        .map(|(day, n)| (day, n, sc.date_of_day(day)));
    let Some((day, orders, date)) = first_too_busy else { return };
    let d = &sc.demand;
    let weekday = crate::units::weekday_index(date);
    let trend = 1.0 + d.trend_per_year * f64::from(day) / 365.0;
    let peak = d
        .peaks
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.factor_on(i64::from(day))))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let mut key = format!("demand.day_of_week[{weekday}]");
    let mut largest = d.day_of_week[weekday];
    if let Some((i, f)) = peak
        && f > largest
    {
        (key, largest) = (format!("demand.peaks[{i}].multiplier"), f);
    }
    if trend > largest {
        key = "demand.trend_per_year".to_string();
    }
    c.fail_help(
        key,
        format!(
            "{date} would expect {} orders (orders_per_day x weekday x peak x trend): beyond the \
             model's limit of {} orders a day",
            if orders.is_finite() { num(orders.round()) } else { "more".to_string() },
            num(MAX_ORDERS_PER_DAY)
        ),
        "lower orders_per_day, the trend or the peak multipliers".to_string(),
    );
}

fn validate_demand(
    c: &mut Checker,
    d: &RawDemand,
    start: NaiveDate,
    days: u32,
    carriers: &[Carrier],
) -> Demand {
    let orders_per_day = c.non_negative("demand.orders_per_day", d.orders_per_day);
    if orders_per_day.is_finite() && orders_per_day > MAX_ORDERS_PER_DAY {
        c.fail("demand.orders_per_day", "more than 50 million orders a day is beyond the model's limits");
    }
    let mut day_of_week = [1.0; 7];
    if d.day_of_week.len() != 7 {
        c.fail(
            "demand.day_of_week",
            format!("needs 7 factors (Monday first), found {}", d.day_of_week.len()),
        );
    } else {
        for (i, f) in d.day_of_week.iter().enumerate() {
            day_of_week[i] = c.non_negative(&format!("demand.day_of_week[{i}]"), *f);
        }
    }
    let hourly_share = hourly_shares(c, d);
    let trend_per_year = d.trend_per_year;
    if c.finite("demand.trend_per_year", trend_per_year) && trend_per_year <= -1.0 {
        c.fail("demand.trend_per_year", "a trend of -100% a year or less would make demand negative");
    }

    let peaks = validate_peaks(c, d, start, days);

    c.unique("demand.peaks", ".name", "peaks", d.peaks.iter().map(|p| p.name.as_str()));

    let lines_per_order = c.dist("demand.lines_per_order", &d.lines_per_order, UnitKind::Count);
    let max_lines = super::derived::MAX_LINES_PER_ORDER;
    if lines_per_order.mean() > f64::from(max_lines) {
        // Draws are capped at the limit: a mean beyond it would silently become the limit.
        c.fail(
            "demand.lines_per_order",
            format!(
                "a mean of {} lines per order is beyond the model's limit of {max_lines} lines",
                lines_per_order.mean()
            ),
        );
    }

    let shipping_options = validate_shipping_options(c, d, carriers);

    Demand {
        orders_per_day,
        day_of_week,
        hourly_share,
        trend_per_year,
        peaks,
        lines_per_order,
        shipping_options,
        forecast: None,
        history: None,
    }
}

/// The hour-of-day shares from `demand.hourly_profile` (relative weights, 00:00 first).
fn hourly_shares(c: &mut Checker, d: &RawDemand) -> [f64; 24] {
    let mut hourly_share = [1.0 / 24.0; 24];
    if d.hourly_profile.len() != 24 {
        c.fail(
            "demand.hourly_profile",
            format!("needs 24 weights (00:00 first), found {}", d.hourly_profile.len()),
        );
    } else {
        let mut ok = true;
        for (i, w) in d.hourly_profile.iter().enumerate() {
            let before = c.issues.len();
            c.non_negative(&format!("demand.hourly_profile[{i}]"), *w);
            ok &= c.issues.len() == before;
        }
        let total: f64 = d.hourly_profile.iter().sum();
        if ok && !total.is_finite() {
            // Each weight is finite but the sum overflowed: every share would become 0 (no orders).
            c.fail(
                "demand.hourly_profile",
                "weights sum beyond the largest number: use relative weights such as 1.5",
            );
        } else if ok && total <= 0.0 {
            c.fail("demand.hourly_profile", "weights sum to 0: at least one hour must have orders");
        } else if ok {
            for (i, w) in d.hourly_profile.iter().enumerate() {
                hourly_share[i] = w / total;
            }
        }
    }
    hourly_share
}

/// The demand peaks, each placed on the run's days.
fn validate_peaks(c: &mut Checker, d: &RawDemand, start: NaiveDate, days: u32) -> Vec<Peak> {
    let mut peaks = Vec::new();
    for (i, p) in d.peaks.iter().enumerate() {
        let path = format!("demand.peaks[{i}]");
        let multiplier = c.non_negative(&format!("{path}.multiplier"), p.multiplier);
        if multiplier.is_finite() && multiplier > 1_000.0 {
            c.fail(format!("{path}.multiplier"), "a multiplier above 1000 is beyond the model's limits");
        }
        if p.days == 0 {
            c.fail(format!("{path}.days"), "a peak lasts at least 1 day");
        }
        if p.date.is_empty() {
            c.fail(format!("{path}.date"), "a peak needs a `date` (ISO, YYYY-MM-DD)");
            continue;
        }
        let Some(date) = c.date(&format!("{path}.date"), &p.date) else { continue };
        let first_day = day_index(start, date);
        let last_day = first_day + i64::from(p.days.max(1)) - 1;
        // Its ramps change demand too: only a peak whose ramps also miss the run changes nothing.
        let ramp = i64::from(p.ramp_days);
        let reach = (first_day - ramp, last_day + ramp);
        c.outside_horizon(&path, &format!("peak `{}` (with its ramps)", p.name), reach, start, days);
        peaks.push(Peak {
            name: p.name.clone(),
            first_day,
            days: p.days.max(1),
            multiplier,
            ramp_days: p.ramp_days,
        });
    }
    peaks
}

/// The shipping options, each with the carriers it may use (all of them when it names none).
fn validate_shipping_options(c: &mut Checker, d: &RawDemand, carriers: &[Carrier]) -> Vec<ShippingOption> {
    let mut shipping_options = Vec::new();
    if d.shipping_options.is_empty() {
        c.fail("demand.shipping_options", "needs at least one shipping option");
    }
    if d.shipping_options.len() > MAX_SHIPPING_OPTIONS {
        let n = d.shipping_options.len();
        c.fail("demand.shipping_options", format!("{n} shipping options: at most {MAX_SHIPPING_OPTIONS}"));
    }
    for (i, o) in d.shipping_options.iter().enumerate() {
        let path = format!("demand.shipping_options[{i}]");
        let share = c.share(&format!("{path}.share"), o.share);
        if o.promised_days > 365 {
            c.fail(format!("{path}.promised_days"), "a promise beyond 365 days is not a delivery promise");
        }
        let mut allowed = Vec::new();
        for (j, name) in o.carriers.iter().enumerate() {
            match carriers.iter().position(|k| &k.name == name) {
                // A carrier listed again would take its share again.
                Some(_) if o.carriers[..j].contains(name) => c.fail(
                    format!("{path}.carriers[{j}]"),
                    format!("carrier `{name}` is listed twice: each allowed carrier takes its share once"),
                ),
                Some(k) => allowed.push(k),
                None => {
                    let names: Vec<&str> = carriers.iter().map(|k| k.name.as_str()).collect();
                    c.fail_help(
                        format!("{path}.carriers[{j}]"),
                        format!("no carrier is named `{name}`"),
                        format!("carriers: {}", names.join(", ")),
                    );
                }
            }
        }
        if o.carriers.is_empty() {
            allowed = (0..carriers.len()).collect();
        } else if !allowed.is_empty() && allowed.iter().all(|&k| carriers[k].share <= 0.0) {
            c.fail_help(
                format!("{path}.carriers"),
                format!("every carrier option `{}` allows has share 0: none could be chosen", o.name),
                "allow a carrier with a positive share, or give one a share".to_string(),
            );
        }
        shipping_options.push(ShippingOption {
            name: o.name.clone(),
            share,
            promised_days: o.promised_days,
            calendar_days: o.calendar_days,
            express: o.express,
            carriers: allowed,
        });
    }
    c.unique(
        "demand.shipping_options",
        ".name",
        "shipping options",
        d.shipping_options.iter().map(|o| o.name.as_str()),
    );
    if !d.shipping_options.is_empty() {
        c.sums_to_one("demand.shipping_options", d.shipping_options.iter().map(|o| o.share));
    }
    shipping_options
}

fn validate_fulfilment(c: &mut Checker, f: &RawFulfilment, start: NaiveDate, horizon: u32) -> Fulfilment {
    let mut shifts = Vec::new();
    for (i, s) in f.shifts.iter().enumerate() {
        let path = format!("fulfilment.shifts[{i}]");
        let days = c.weekdays(&format!("{path}.days"), &s.days);
        let start_min = c.clock(&format!("{path}.start"), &s.start);
        let end_min = c.clock(&format!("{path}.end"), &s.end);
        if end_min <= start_min {
            c.fail_help(
                format!("{path}.end"),
                format!("shift `{}` ends at {} before it starts at {}", s.name, s.end, s.start),
                "a shift runs within one day: split a night shift in two (e.g. 22:00-24:00 and 00:00-06:00)"
                    .to_string(),
            );
        }
        shifts.push(Shift {
            name: s.name.clone(),
            days,
            start_min,
            end_min,
            pickers: s.pickers,
            packers: s.packers,
            works_holidays: s.works_holidays,
        });
    }
    c.unique("fulfilment.shifts", ".name", "shifts", f.shifts.iter().map(|s| s.name.as_str()));
    let pick_rate_per_hour = c.positive("fulfilment.pick_rate_per_hour", f.pick_rate_per_hour);
    let pack_rate_per_hour = c.positive("fulfilment.pack_rate_per_hour", f.pack_rate_per_hour);
    let cutoff_min = c.clock("fulfilment.same_day_cutoff", &f.same_day_cutoff);
    let wrong_item_rate = c.share("fulfilment.wrong_item_rate", f.wrong_item_rate);
    let wrong_address_rate = c.share("fulfilment.wrong_address_rate", f.wrong_address_rate);
    let damaged_packing_rate = c.share("fulfilment.damaged_packing_rate", f.damaged_packing_rate);
    let wage_per_hour = c.money("fulfilment.wage_per_hour", f.wage_per_hour);

    let a = &f.automation;
    let automation = Automation {
        share: c.share("fulfilment.automation.share", a.share),
        lines_per_hour: c.non_negative("fulfilment.automation.lines_per_hour", a.lines_per_hour),
        start_min: c.clock("fulfilment.automation.start", &a.start),
        end_min: c.clock("fulfilment.automation.end", &a.end),
        days: c.weekdays("fulfilment.automation.days", &a.days),
        wrong_item_rate: c.share("fulfilment.automation.wrong_item_rate", a.wrong_item_rate),
        cost_per_line: c.money("fulfilment.automation.cost_per_line", a.cost_per_line),
    };
    if automation.share > 0.0 && automation.lines_per_hour <= 0.0 {
        c.fail(
            "fulfilment.automation.lines_per_hour",
            "automation takes a share of lines but picks 0 lines per hour: set a rate, or share = 0",
        );
    }
    if automation.share > 0.0 && automation.end_min <= automation.start_min {
        c.fail("fulfilment.automation.end", "automation stops before it starts");
    }

    let mut overrides = Vec::new();
    for (i, o) in f.overrides.iter().enumerate() {
        let path = format!("fulfilment.overrides[{i}]");
        let from = c.date(&format!("{path}.from"), &o.from);
        let to = c.date(&format!("{path}.to"), &o.to);
        let shift = if o.shift.is_empty() {
            None
        } else {
            let pos = f.shifts.iter().position(|s| s.name == o.shift);
            if pos.is_none() {
                let names: Vec<&str> = f.shifts.iter().map(|s| s.name.as_str()).collect();
                c.fail_help(
                    format!("{path}.shift"),
                    format!("no shift is named `{}`", o.shift),
                    format!("shifts: {} (or leave `shift` out for every shift)", names.join(", ")),
                );
            }
            pos
        };
        if let (Some(from), Some(to)) = (from, to) {
            if to < from {
                c.fail(format!("{path}.to"), format!("{} is before `from` {}", o.to, o.from));
            } else {
                let days = (day_index(start, from), day_index(start, to));
                c.outside_horizon(&path, "the override", days, start, horizon);
            }
            overrides.push(StaffOverride {
                from_day: day_index(start, from),
                to_day: day_index(start, to),
                shift,
                extra_pickers: o.extra_pickers,
                extra_packers: o.extra_packers,
                open_extra_days: o.open_extra_days,
            });
        }
    }

    Fulfilment {
        shifts,
        pick_rate_per_hour,
        pack_rate_per_hour,
        cutoff_min,
        wrong_item_rate,
        wrong_address_rate,
        damaged_packing_rate,
        wage_per_hour,
        automation,
        overrides,
    }
}

fn validate_carriers(c: &mut Checker, raw: &[RawCarrier], start: NaiveDate, horizon: u32) -> Vec<Carrier> {
    let mut out = Vec::new();
    if raw.len() > MAX_CARRIERS {
        c.fail("carriers", format!("{} carriers: at most {MAX_CARRIERS}", raw.len()));
    }
    for (i, k) in raw.iter().enumerate() {
        let path = format!("carriers[{i}]");
        let share = c.non_negative(&format!("{path}.share"), k.share);
        let mut pickups_min: Vec<u32> =
            k.pickups.iter().enumerate().map(|(j, t)| c.clock(&format!("{path}.pickups[{j}]"), t)).collect();
        pickups_min.sort_unstable();
        pickups_min.dedup();
        if pickups_min.is_empty() {
            c.fail(format!("{path}.pickups"), "a carrier needs at least one pickup time");
        }
        let pickup_days = c.weekdays(&format!("{path}.pickup_days"), &k.pickup_days);
        let delivery_days = c.weekdays(&format!("{path}.delivery_days"), &k.delivery_days);
        if !pickup_days.iter().any(|d| *d) {
            c.fail(format!("{path}.pickup_days"), "a carrier needs at least one pickup day");
        }
        if !delivery_days.iter().any(|d| *d) {
            c.fail(format!("{path}.delivery_days"), "a carrier needs at least one delivery day");
        }
        if k.capacity_per_day == Some(0) {
            c.fail_help(
                format!("{path}.capacity_per_day"),
                "0 parcels a day: the carrier would never take a parcel",
                "leave capacity_per_day out for no limit; cut days with [[carriers.disruptions]]".to_string(),
            );
        }
        if k.max_attempts == 0 {
            c.fail(format!("{path}.max_attempts"), "at least 1 delivery attempt");
        }
        let mut disruptions = Vec::new();
        for (j, d) in k.disruptions.iter().enumerate() {
            let dpath = format!("{path}.disruptions[{j}]");
            let from = c.date(&format!("{dpath}.from"), &d.from);
            let to = c.date(&format!("{dpath}.to"), &d.to);
            if let (Some(from), Some(to)) = (from, to) {
                if to < from {
                    c.fail(format!("{dpath}.to"), format!("{} is before `from` {}", d.to, d.from));
                } else {
                    let days = (day_index(start, from), day_index(start, to));
                    c.outside_horizon(&dpath, "the disruption", days, start, horizon);
                }
                disruptions.push(CarrierDisruption {
                    from_day: day_index(start, from),
                    to_day: day_index(start, to),
                    capacity_per_day: d.capacity_per_day,
                });
            }
        }
        // Bounds the events one parcel can cause: with failed_attempt_rate = 1 and a 0s
        // reattempt_delay, billions of attempts would run at one instant and never end.
        if k.max_attempts > MAX_DELIVERY_ATTEMPTS {
            c.fail(
                format!("{path}.max_attempts"),
                format!("{} attempts is beyond the model's limit of {MAX_DELIVERY_ATTEMPTS}", k.max_attempts),
            );
        }
        out.push(Carrier {
            name: k.name.clone(),
            share,
            pickups_min,
            pickup_days,
            capacity_per_day: k.capacity_per_day,
            transit: c.dist(&format!("{path}.transit"), &k.transit, UnitKind::Duration),
            delivery_days,
            loss_rate: c.share(&format!("{path}.loss_rate"), k.loss_rate),
            damage_rate: c.share(&format!("{path}.damage_rate"), k.damage_rate),
            failed_attempt_rate: c.share(&format!("{path}.failed_attempt_rate"), k.failed_attempt_rate),
            reattempt_delay_ms: c.duration_ms(&format!("{path}.reattempt_delay"), &k.reattempt_delay),
            max_attempts: k.max_attempts.max(1),
            cost_per_parcel: c.money(&format!("{path}.cost_per_parcel"), k.cost_per_parcel),
            disruptions,
        });
    }
    c.unique("carriers", ".name", "carriers", raw.iter().map(|k| k.name.as_str()));
    if !raw.is_empty() && raw.iter().all(|k| k.share <= 0.0) {
        c.fail("carriers", "every carrier has share 0: at least one needs a positive share");
    }
    let total: f64 = raw.iter().map(|k| k.share).sum();
    if raw.iter().all(|k| k.share.is_finite()) && total.is_infinite() {
        // The sum overflowed: every parcel would go to the last carrier.
        c.fail(
            "carriers",
            "the shares sum beyond the largest number: use relative shares such as 0.6 and 0.4",
        );
    }
    out
}
