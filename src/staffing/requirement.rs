//! What each hour of the horizon needs on each support channel, read off a simulated run rather
//! than assumed: on a live channel, Erlang C (and Erlang A where customers abandon) on the hour's
//! arrival rate and the channel's handle time. Email and social are sized one of two ways
//! ([`Sizing`]): as a workforce tool sizes them, Erlang C in each hour of operation with the
//! channel's `sla` as the answer time; or as work that may wait until its `sla` (a deadline, not a
//! queue to answer at once). The contacts come from the simulated operation (late orders raise
//! them), so even the first figure knows the peak; what Erlang cannot know is the queue an hour
//! inherits from the hours before.

use crate::experiment::RunResult;
use crate::scenario::Scenario;
use crate::scenario::support::{Channel, Support};

use super::erlang::{Goal, agents_needed};

/// Seconds in an interval of the hourly series.
const HOUR_S: f64 = 3_600.0;

/// What staffing must achieve on every channel, beyond the scenario's own settings (each
/// channel's `sla` is the answer time, `support.target_occupancy` the highest occupancy).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Service {
    /// Share of contacts answered within the channel's `sla` (e.g. 0.8).
    pub level: f64,
    /// Highest share of contacts abandoned on channels where customers give up (e.g. 0.05).
    pub abandonment: f64,
}

/// How the channels whose contacts may wait (email, social) are sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizing {
    /// As a workforce tool sizes every channel: Erlang C in each hour on its own, with the
    /// channel's `sla` as the answer time and no queue carried in from the hour before.
    PerHour,
    /// As work due by its deadline: the hour's agent-hours at the target occupancy, to be done by
    /// the end of the channel's `sla`, whatever hour that falls in.
    ByDeadline,
}

/// One channel's need in one hour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    /// Day index of the horizon.
    pub day: u32,
    /// Hour of the day, 0..24.
    pub hour: u32,
    /// The channel.
    pub channel: Channel,
    /// Contacts offered in the hour, the mean over the run's replications.
    pub offered: f64,
    /// The channel's agent time per answered contact over the run, seconds (a chat divided by
    /// the concurrency its agents work at).
    pub handle_s: f64,
    /// Whether the need is work that may wait until `wait_h` hours after this one
    /// ([`Sizing::ByDeadline`] on email and social), not agents in this very hour.
    pub waits: bool,
    /// Agents a live channel needs in this very hour: what Erlang C (and A) asks for, raised
    /// where a verification run found the hour short (0 on a channel whose work may wait).
    pub agents: u32,
    /// On a channel whose work may wait: agent-hours of the hour's contacts at the target
    /// occupancy, raised where a verification run found them late (0 on a live channel).
    pub work_h: f64,
    /// On a channel whose work may wait: hours after this one by whose end it must be done (its
    /// `sla` in whole hours, rounded down, less the hour it arrives in; 0 on a live channel).
    pub wait_h: u32,
}

impl Need {
    /// Whether the need is agents in this very hour (Erlang C and A), not work that may wait.
    pub fn is_live(&self) -> bool {
        !self.waits
    }

    /// This need raised by `rounds` steps of `step` (a share): a live channel's agents by the
    /// share (at least one agent a step), work that may wait by the share of its agent-hours.
    pub fn raised(&self, rounds: u32, step: f64) -> Need {
        let factor = 1.0 + step * f64::from(rounds);
        let mut n = *self;
        if self.is_live() {
            let by_share = (f64::from(self.agents) * factor).ceil() as u32;
            n.agents = by_share.max(self.agents + rounds);
        } else {
            n.work_h = self.work_h * factor;
        }
        n
    }
}

/// The goal of `channel` under `service`.
pub fn goal(support: &Support, channel: Channel, service: Service) -> Goal {
    let settings = &support.channels[channel];
    Goal {
        service_level: service.level,
        answer_s: settings.sla_ms as f64 / 1_000.0,
        max_occupancy: support.target_occupancy,
        abandonment: settings.patience.as_ref().map(|p| (service.abandonment, p.mean())),
    }
}

/// The hours after the one a contact of `channel` arrives in by whose end it is answered in
/// time, whenever in its hour it arrived: its `sla` in whole hours less one (0 under two hours).
pub fn wait_hours(support: &Support, channel: Channel) -> u32 {
    ((support.channels[channel].sla_ms / 3_600_000) as u32).saturating_sub(1)
}

/// The concurrency agents work `channel` at: the highest of the teams that serve it (1 but for
/// chat).
fn concurrency(support: &Support, channel: Channel) -> f64 {
    if channel != Channel::Chat {
        return 1.0;
    }
    support
        .teams
        .iter()
        .filter(|t| t.serves[channel])
        .map(|t| f64::from(t.chat_concurrency.max(1)))
        .fold(1.0, f64::max)
}

/// The index of the column called `name`.
fn column(names: &[impl AsRef<str>], name: &str) -> Option<usize> {
    names.iter().position(|n| n.as_ref() == name)
}

/// Every hour's need on every channel the scenario uses, from `result`, a run of `scenario`, with
/// email and social sized by `sizing`. `open`: the hours of the day a shift may cover (the hours
/// of operation): a channel sized hour by hour needs no one outside them, and what arrives there
/// is left to the next shift. Empty without `[support]`.
pub fn needs(
    scenario: &Scenario,
    result: &RunResult,
    service: Service,
    sizing: Sizing,
    open: &[bool; 24],
) -> Vec<Need> {
    let Some(support) = &scenario.support else { return Vec::new() };
    let reps = result.replications.len().max(1) as f64;
    let mut needs = Vec::new();
    for channel in support.used.marked() {
        let ch = channel.name();
        let (Some(offered), Some(workload), Some(answered)) = (
            column(&result.hourly_columns, &format!("{ch}_offered")),
            column(&result.daily_columns, &format!("{ch}_workload_h")),
            column(&result.daily_columns, &format!("{ch}_answered")),
        ) else {
            continue;
        };
        let total =
            |col: usize| -> f64 { result.replications.iter().flat_map(|r| &r.daily).map(|d| d[col]).sum() };
        let answered_n = total(answered);
        let handle_s = if answered_n > 0.0 {
            total(workload) * HOUR_S / answered_n / concurrency(support, channel)
        } else {
            0.0
        };
        let goal = goal(support, channel, service);
        let waits = sizing == Sizing::ByDeadline && !channel.is_real_time();
        let wait_h = wait_hours(support, channel);
        for i in 0..24 * scenario.days as usize {
            let contacts = result.replications.iter().map(|r| r.hourly[offered][i]).sum::<f64>() / reps;
            // Outside the hours a shift may cover the channel is closed: its contacts there wait
            // for the next shift without adding to any hour's need.
            let staffed = waits || open[i % 24];
            needs.push(Need {
                day: (i / 24) as u32,
                hour: (i % 24) as u32,
                channel,
                offered: contacts,
                handle_s,
                waits,
                agents: if waits || !staffed { 0 } else { agents_needed(contacts, HOUR_S, handle_s, &goal) },
                work_h: if waits { contacts * handle_s / HOUR_S / support.target_occupancy } else { 0.0 },
                wait_h: if waits { wait_h } else { 0 },
            });
        }
    }
    needs
}
