//! The warehouse: stations (manual pick, automated pick, pack) whose workers come and go with the
//! shifts, queues that serve express before standard, and each day's staffing plan.

use std::collections::VecDeque;

use crate::kernel::Time;
use crate::scenario::{Fulfilment, Scenario};
use crate::units::{MS_PER_DAY, MS_PER_MIN, weekday_index};

use super::orders::OrderId;

/// A station: servers on shift, servers busy, and a two-class FIFO queue (express first).
/// A server still busy when its shift ends finishes the job in hand, then leaves.
#[derive(Debug, Default)]
pub struct Station {
    on_shift: u32,
    busy: u32,
    express: VecDeque<OrderId>,
    standard: VecDeque<OrderId>,
}

impl Station {
    /// Adds an order to the queue.
    #[inline]
    pub fn enqueue(&mut self, order: OrderId, express: bool) {
        if express { self.express.push_back(order) } else { self.standard.push_back(order) }
    }

    /// If a server is free and work waits, takes the next order (express first) and marks a
    /// server busy.
    #[inline]
    pub fn start_next(&mut self) -> Option<OrderId> {
        if self.busy >= self.on_shift {
            return None;
        }
        let next = self.express.pop_front().or_else(|| self.standard.pop_front())?;
        self.busy += 1;
        Some(next)
    }

    /// The order `k` places behind the next one to start (0: the next one), as the queue
    /// stands now.
    #[inline]
    pub fn in_line(&self, k: usize) -> Option<OrderId> {
        match self.express.get(k) {
            Some(&o) => Some(o),
            None => self.standard.get(k - self.express.len()).copied(),
        }
    }

    /// A server finished its job.
    #[inline]
    pub fn finish(&mut self) {
        debug_assert!(self.busy > 0, "finish without a busy server");
        self.busy -= 1;
    }

    /// Servers join (`delta` > 0) or leave (`delta` < 0) at a shift boundary.
    pub fn change_staff(&mut self, delta: i64) {
        self.on_shift = (i64::from(self.on_shift) + delta).max(0) as u32;
    }

    /// Orders waiting.
    pub fn queued(&self) -> usize {
        self.express.len() + self.standard.len()
    }

    /// Servers on shift.
    pub fn on_shift(&self) -> u32 {
        self.on_shift
    }

    /// Servers busy.
    pub fn busy(&self) -> u32 {
        self.busy
    }
}

/// Which station an event concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StationId {
    /// Manual picking.
    Pick,
    /// Automated picking.
    Auto,
    /// Packing.
    Pack,
}

/// One staffing change on a day: at `at`, `delta` servers join or leave `station`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffChange {
    /// When.
    pub at: Time,
    /// Where.
    pub station: StationId,
    /// How many join (+) or leave (-).
    pub delta: i64,
}

/// What day `day` looks like: staff changes to schedule, and the paid hours they imply.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayPlan {
    /// Changes to schedule, in time order.
    pub changes: Vec<StaffChange>,
    /// Worker-hours on shift (pickers + packers).
    pub worker_hours: f64,
    /// Picker-hours on shift.
    pub picker_hours: f64,
    /// Hours the automation runs.
    pub automation_hours: f64,
}

/// The staffing plan of day `day`: every shift working that day (its weekdays unless the day is a
/// holiday it does not work, or opened by an override) with its pickers and packers plus the
/// extra staff of overrides covering the day.
pub fn plan_day(scenario: &Scenario, day: u32, plan: &mut DayPlan) {
    plan.changes.clear();
    plan.worker_hours = 0.0;
    plan.picker_hours = 0.0;
    plan.automation_hours = 0.0;
    let f: &Fulfilment = &scenario.fulfilment;
    let weekday = weekday_index(scenario.date_of_day(day));
    let day_start = u64::from(day) * MS_PER_DAY;
    let day_i = i64::from(day);
    let holiday = scenario.calendar.is_holiday(u64::from(day));
    for (si, shift) in f.shifts.iter().enumerate() {
        let covering = f
            .overrides
            .iter()
            .filter(|o| o.from_day <= day_i && day_i <= o.to_day && o.shift.is_none_or(|s| s == si));
        let opened = covering.clone().any(|o| o.open_extra_days);
        let works = shift.days[weekday] && (shift.works_holidays || !holiday);
        if !works && !opened {
            continue;
        }
        let pickers = shift.pickers + covering.clone().map(|o| o.extra_pickers).sum::<u32>();
        let packers = shift.packers + covering.map(|o| o.extra_packers).sum::<u32>();
        let start = day_start + u64::from(shift.start_min) * MS_PER_MIN;
        let end = day_start + u64::from(shift.end_min) * MS_PER_MIN;
        let hours = f64::from(shift.end_min - shift.start_min) / 60.0;
        for (station, n) in [(StationId::Pick, pickers), (StationId::Pack, packers)] {
            if n > 0 {
                plan.changes.push(StaffChange { at: start, station, delta: i64::from(n) });
                plan.changes.push(StaffChange { at: end, station, delta: -i64::from(n) });
            }
        }
        plan.worker_hours += hours * f64::from(pickers + packers);
        plan.picker_hours += hours * f64::from(pickers);
    }
    let a = &f.automation;
    if a.share > 0.0 && a.days[weekday] {
        let start = day_start + u64::from(a.start_min) * MS_PER_MIN;
        let end = day_start + u64::from(a.end_min) * MS_PER_MIN;
        plan.changes.push(StaffChange { at: start, station: StationId::Auto, delta: 1 });
        plan.changes.push(StaffChange { at: end, station: StationId::Auto, delta: -1 });
        plan.automation_hours = f64::from(a.end_min - a.start_min) / 60.0;
    }
    // Leavers before joiners at the same instant, so back-to-back shifts hand over cleanly.
    plan.changes.sort_by_key(|c| (c.at, c.delta > 0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_that_does_not_work_holidays_stays_closed_unless_an_override_opens_it() {
        // 2026-11-02 is a Monday and a holiday; the late shift does not work holidays.
        let text = "[run]\nstart_date = \"2026-11-02\"\n[calendar]\nholidays = [\"2026-11-02\"]\n\
                    [[fulfilment.shifts]]\nname = \"early\"\n\
                    [[fulfilment.shifts]]\nname = \"late\"\nstart = \"16:00\"\nend = \"20:00\"\nworks_holidays = false\n";
        let source = |extra: &str| crate::scenario::Source::Text {
            name: "t.toml".into(),
            text: format!("{text}{extra}"),
        };
        let sc = crate::scenario::load(&source(""), &[]).unwrap();
        let mut plan = DayPlan::default();
        plan_day(&sc, 0, &mut plan);
        assert_eq!(plan.worker_hours, 8.0 * 15.0, "only the early shift works the holiday");
        plan_day(&sc, 1, &mut plan);
        assert_eq!(plan.worker_hours, 8.0 * 15.0 + 4.0 * 15.0, "both work the Tuesday after");
        let opened = "[[fulfilment.overrides]]\nfrom = \"2026-11-02\"\nto = \"2026-11-02\"\nshift = \"late\"\n\
                      open_extra_days = true\n";
        let sc = crate::scenario::load(&source(opened), &[]).unwrap();
        plan_day(&sc, 0, &mut plan);
        assert_eq!(plan.worker_hours, 8.0 * 15.0 + 4.0 * 15.0, "the override opens it on the holiday");
    }

    #[test]
    fn a_station_serves_express_first_and_never_exceeds_its_staff() {
        let mut s = Station::default();
        s.enqueue(1, false);
        s.enqueue(2, true);
        s.enqueue(3, false);
        let line: Vec<_> = (0..4).map(|k| s.in_line(k)).collect();
        assert_eq!(line, [Some(2), Some(1), Some(3), None], "the order they will start in");
        assert_eq!(s.start_next(), None, "nobody on shift");
        s.change_staff(2);
        assert_eq!(s.start_next(), Some(2));
        assert_eq!(s.start_next(), Some(1));
        assert_eq!(s.start_next(), None, "both servers busy");
        s.change_staff(-2);
        s.finish();
        assert_eq!(s.start_next(), None, "shift over: the finishing worker leaves");
        assert_eq!(s.queued(), 1);
    }
}
