//! `o2d trace`: one replication run by the same code as `o2d run`, with an observer that sees
//! every request its customers send the shop's API, in order of time (warm-up included): the
//! selection of a window and of request kinds, and the search for the busiest stretch. Records
//! only; the output layer writes them as they come.

use std::sync::atomic::AtomicBool;

use chrono::NaiveDateTime;

use crate::error::{Error, Result};
use crate::kernel::Time;
use crate::model::trace::{Request, RequestKind};
use crate::scenario::Scenario;
use crate::units::MS_PER_MIN;

use super::{Replication, trace_replication};

/// Which requests a trace keeps: those of `kinds` sent in `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Start of the window, engine time (included).
    pub from: Time,
    /// End of the window, engine time (excluded).
    pub to: Time,
    /// The kinds kept, as a set of [`RequestKind::bit`]s.
    pub kinds: u8,
}

impl Selection {
    /// Every request of the horizon.
    pub fn all(scenario: &Scenario) -> Self {
        Self { from: 0, to: scenario.horizon(), kinds: RequestKind::ALL.iter().fold(0, |s, k| s | k.bit()) }
    }

    /// The requests of `kinds` from `from` (else the start) to `to` (else the end of the
    /// horizon), the window cut to the horizon; a window wholly outside it is refused.
    pub fn window(
        scenario: &Scenario,
        from: Option<NaiveDateTime>,
        to: Option<NaiveDateTime>,
        kinds: u8,
    ) -> Result<Self> {
        let midnight = scenario.start_date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let horizon = scenario.horizon();
        let engine = |at: NaiveDateTime| (at - midnight).num_milliseconds().clamp(0, horizon as i64) as Time;
        let selection = Self { from: from.map_or(0, engine), to: to.map_or(horizon, engine), kinds };
        if selection.from >= selection.to {
            let last = scenario.date_of_day(scenario.days.saturating_sub(1));
            let shown = |at: Option<NaiveDateTime>| at.map_or("..".to_string(), |t| t.to_string());
            return Err(Error::Usage(format!(
                "the window --from {} --to {} is outside the horizon, {} to the end of {last}",
                shown(from),
                shown(to),
                scenario.start_date
            )));
        }
        Ok(selection)
    }

    /// Whether `request` is kept.
    pub fn keeps(&self, request: &Request<'_>) -> bool {
        (self.from..self.to).contains(&request.at) && self.kinds & request.kind().bit() != 0
    }
}

/// Runs replication `index` of `scenario` exactly as `o2d run` does and hands `each` every request
/// of `selection`, in order of time. Returns the replication's own results.
pub fn requests<'s>(
    scenario: &'s Scenario,
    index: u64,
    stop: &AtomicBool,
    selection: &'s Selection,
    mut each: impl FnMut(&Request<'_>) + 's,
) -> Result<Replication> {
    let observer = Box::new(move |r: &Request<'_>| {
        if selection.keeps(r) {
            each(r);
        }
    });
    trace_replication(scenario, index, stop, observer)
}

/// The busiest stretch of `length` (a whole number of minutes, at least one) within `selection`'s
/// window, by the number of its requests, starting on a whole minute of the window: the earliest
/// of the busiest; `None` when the window holds no request. The stretch ends at the window's end
/// at the latest.
pub fn busiest(
    scenario: &Scenario,
    index: u64,
    stop: &AtomicBool,
    selection: &Selection,
    length: Time,
) -> Result<Option<(Time, Time)>> {
    let minutes = selection.to.saturating_sub(selection.from).div_ceil(MS_PER_MIN) as usize;
    let mut per_minute = vec![0_u64; minutes];
    requests(scenario, index, stop, selection, |r| {
        per_minute[((r.at - selection.from) / MS_PER_MIN) as usize] += 1;
    })?;
    let width = ((length / MS_PER_MIN) as usize).clamp(1, minutes.max(1));
    let Some(start) = busiest_start(&per_minute, width) else { return Ok(None) };
    let from = selection.from + start as Time * MS_PER_MIN;
    Ok(Some((from, (from + width as Time * MS_PER_MIN).min(selection.to))))
}

/// The first index where `width` consecutive counts add up to the most, if any count is positive.
fn busiest_start(counts: &[u64], width: usize) -> Option<usize> {
    let mut sum: u64 = counts.iter().take(width).sum();
    let (mut best, mut best_sum) = (0, sum);
    for start in 1..=counts.len().saturating_sub(width) {
        sum = sum + counts[start + width - 1] - counts[start - 1];
        if sum > best_sum {
            (best, best_sum) = (start, sum);
        }
    }
    (best_sum > 0).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::busiest_start;

    #[test]
    fn the_busiest_stretch_is_the_first_with_the_most_requests() {
        assert_eq!(busiest_start(&[1, 0, 3, 1, 0, 4, 0], 2), Some(2));
        assert_eq!(busiest_start(&[1, 0, 3, 1, 0, 4, 0], 1), Some(5));
        assert_eq!(busiest_start(&[2, 2, 2], 2), Some(0));
        assert_eq!(busiest_start(&[2, 2, 2], 3), Some(0));
        assert_eq!(busiest_start(&[0, 0], 1), None);
        assert_eq!(busiest_start(&[], 1), None);
    }
}
