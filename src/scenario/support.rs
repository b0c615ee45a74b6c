//! The `[support]` section: channels, what creates contacts, agent teams and their shifts, the
//! back office, the CSAT and retention models and the service tiers; raw and validated forms.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Weekdays;
use super::check::Checker;
use crate::dist::{Dist, Quantity, RawDist, UnitKind};
use crate::kernel::Time;

mod ids;
pub use ids::{Channel, ContactType, PerChannel, PerContact};

/// Pre-sale questions an hour at most: a stream independent of orders, so the orders-per-day limit
/// does not bound it (a million an hour would fill the open-tickets limit, and memory, in hours).
pub const MAX_CONTACTS_PER_HOUR: f64 = 100_000.0;

/// `[support]`: the customer-support operation. Without this section no contact is modelled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawSupport {
    /// Channels: SLA for first response, customer patience, handle-time factor, retries.
    pub channels: RawChannels,
    /// Routing priority between channels, first served first (real-time before email by default).
    pub priority: Vec<String>,
    /// What creates contacts, one table per contact type.
    pub contacts: RawContacts,
    /// Agent teams with channel skills and weekly shifts.
    pub teams: Vec<RawTeam>,
    /// Dated extra agents (temporary peak staff).
    pub overrides: Vec<RawAgentOverride>,
    /// Cost of one agent-hour on shift.
    pub agent_wage_per_hour: f64,
    /// Occupancy staffing aims for: the daily `<channel>_agents_needed` is the agent time the
    /// day's replies took on that channel / 24 h / this.
    pub target_occupancy: f64,
    /// The back office that resolves forwarded cases (damaged, wrong item, lost, cancel after shipping).
    pub back_office: RawBackOffice,
    /// The CSAT survey model (scores 1-5; NPS from the same answers).
    pub csat: RawCsat,
    /// The customer base: repeat demand falls as customers with bad experiences leave.
    pub retention: RawRetention,
    /// Service-tier thresholds on each channel's first-response time p90, and CSAT caps.
    pub tiers: RawTiers,
}

impl Default for RawSupport {
    fn default() -> Self {
        Self {
            channels: RawChannels::default(),
            priority: Channel::DEFAULT_PRIORITY.map(|c| c.name().to_string()).to_vec(),
            contacts: RawContacts::default(),
            teams: vec![RawTeam::default()],
            overrides: vec![],
            agent_wage_per_hour: 22.0,
            target_occupancy: 0.85,
            back_office: RawBackOffice::default(),
            csat: RawCsat::default(),
            retention: RawRetention::default(),
            tiers: RawTiers::default(),
        }
    }
}

fn d(v: &str) -> Quantity {
    Quantity::Text(v.into())
}

/// `[support.channels]`: the five channels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawChannels {
    /// Email (queues without abandonment).
    pub email: RawChannel,
    /// Chat (real-time).
    pub chat: RawChannel,
    /// Phone (real-time).
    pub phone: RawChannel,
    /// Social media (queues without abandonment).
    pub social: RawChannel,
    /// SMS / WhatsApp (real-time).
    pub sms: RawChannel,
}

impl Default for RawChannels {
    fn default() -> Self {
        let channel = |sla: &str, handle_factor: f64| RawChannel {
            sla: Some(sla.into()),
            abandons: Some(false),
            handle_factor: Some(handle_factor),
            retry_rate: Some(0.0),
            retry_channel: Some("email".into()),
            ..RawChannel::default()
        };
        let live = |sla: &str, patience: &str, handle_factor: f64| RawChannel {
            abandons: Some(true),
            patience: Some(RawDist::exponential(d(patience))),
            retry_rate: Some(0.5),
            retry_delay: Some(RawDist::exponential(d("1h"))),
            ..channel(sla, handle_factor)
        };
        Self {
            email: channel("24h", 0.8),
            chat: live("5m", "4m", 1.3),
            phone: live("1m", "3m", 1.0),
            social: channel("4h", 0.8),
            sms: live("10m", "30m", 1.2),
        }
    }
}

/// `[support.channels.<name>]`: one channel. A key left out takes the channel's own default
/// (shown in the `[support.channels]` defaults above).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawChannel {
    /// First-response SLA target (a duration).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<String>,
    /// Whether customers give up waiting (real-time channels only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abandons: Option<bool>,
    /// Customer patience on real-time channels (chat, phone, sms): a customer who waits longer abandons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patience: Option<RawDist>,
    /// Handle time on this channel = the contact type's handle time x this factor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle_factor: Option<f64>,
    /// Share of customers who abandon and try again later (real-time channels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_rate: Option<f64>,
    /// Channel a retrying customer uses (also where customers write when a real-time channel is closed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_channel: Option<String>,
    /// Time from abandoning to retrying.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_delay: Option<RawDist>,
}

impl RawChannel {
    /// Fills every key left out from `d`.
    fn fill(&mut self, d: &RawChannel) {
        fill(&mut self.sla, &d.sla);
        fill(&mut self.abandons, &d.abandons);
        fill(&mut self.patience, &d.patience);
        fill(&mut self.handle_factor, &d.handle_factor);
        fill(&mut self.retry_rate, &d.retry_rate);
        fill(&mut self.retry_channel, &d.retry_channel);
        fill(&mut self.retry_delay, &d.retry_delay);
    }
}

impl RawChannels {
    /// The table of channel `ch`.
    pub fn get(&self, ch: Channel) -> &RawChannel {
        match ch {
            Channel::Email => &self.email,
            Channel::Chat => &self.chat,
            Channel::Phone => &self.phone,
            Channel::Social => &self.social,
            Channel::Sms => &self.sms,
        }
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, default: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(default);
    }
}

/// `[support.contacts]`: what creates contacts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawContacts {
    /// "Where is my order?": orders whose promised date passes undelivered (`late_rate`, rising by
    /// `late_rate_per_day` each day late) and a base `rate` of anxious customers on time.
    pub wismo: RawContact,
    /// Tracking-code questions, a `rate` per parcel shipped.
    pub tracking: RawContact,
    /// Change delivery address or payment: succeeds only if the order has not left the warehouse.
    pub change_order: RawContact,
    /// Cancel the order: cancelled if it has not left the warehouse, else a cancel-and-refund case
    /// for the back office.
    pub cancel_order: RawContact,
    /// Item arrived damaged, a `rate` per damaged delivery: a case for the back office.
    pub damaged: RawContact,
    /// Wrong item delivered, a `rate` per such delivery: a case for the back office.
    pub wrong_item: RawContact,
    /// Parcel lost, a `rate` per lost parcel: a case for the back office.
    pub lost: RawContact,
    /// Return and refund status questions, a `rate` per return (with `[returns]`).
    pub returns: RawContact,
    /// Pre-sale questions at `per_hour`, independent of orders.
    pub presale: RawContact,
}

impl RawContacts {
    /// The table of contact type `kind`.
    pub fn get(&self, kind: ContactType) -> &RawContact {
        match kind {
            ContactType::Wismo => &self.wismo,
            ContactType::Tracking => &self.tracking,
            ContactType::ChangeOrder => &self.change_order,
            ContactType::CancelOrder => &self.cancel_order,
            ContactType::Damaged => &self.damaged,
            ContactType::WrongItem => &self.wrong_item,
            ContactType::Lost => &self.lost,
            ContactType::Returns => &self.returns,
            ContactType::Presale => &self.presale,
        }
    }
}

fn mix(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl Default for RawContacts {
    fn default() -> Self {
        // Handle times are lognormal with an sd of half the mean.
        let base =
            |rate: f64, delay: RawDist, channels: &[(&str, f64)], handle: (&str, &str), one_touch: f64| {
                RawContact {
                    rate: Some(rate),
                    delay: Some(delay),
                    channels: Some(mix(channels)),
                    handle_time: Some(RawDist::lognormal(d(handle.0), d(handle.1))),
                    one_touch: Some(one_touch),
                    self_service: Some(0.0),
                    follow_up_delay: Some(RawDist::exponential(d("4h"))),
                    ..RawContact::default()
                }
            };
        let quick = [("email", 0.3), ("chat", 0.45), ("phone", 0.15), ("social", 0.05), ("sms", 0.05)];
        let case = [("email", 0.5), ("chat", 0.3), ("phone", 0.2)];
        Self {
            wismo: RawContact {
                late_rate: Some(0.25),
                late_rate_per_day: Some(0.15),
                proactive_share: Some(0.0),
                self_service: Some(0.2),
                ..base(0.01, RawDist::uniform(d("1d"), d("3d")), &quick, ("4m", "2m"), 0.9)
            },
            tracking: RawContact {
                self_service: Some(0.3),
                ..base(0.01, RawDist::exponential(d("12h")), &quick, ("3m", "90s"), 0.95)
            },
            change_order: base(
                0.01,
                RawDist::exponential(d("2h")),
                &[("email", 0.4), ("chat", 0.4), ("phone", 0.2)],
                ("5m", "150s"),
                0.85,
            ),
            cancel_order: base(
                0.005,
                RawDist::exponential(d("4h")),
                &[("email", 0.4), ("chat", 0.4), ("phone", 0.2)],
                ("5m", "150s"),
                0.9,
            ),
            damaged: base(0.7, RawDist::exponential(d("6h")), &case, ("8m", "4m"), 1.0),
            wrong_item: base(0.8, RawDist::exponential(d("6h")), &case, ("8m", "4m"), 1.0),
            lost: base(0.9, RawDist::exponential(d("12h")), &case, ("8m", "4m"), 1.0),
            returns: RawContact {
                self_service: Some(0.3),
                ..base(
                    0.15,
                    RawDist::exponential(d("5d")),
                    &[("email", 0.6), ("chat", 0.3), ("phone", 0.1)],
                    ("5m", "150s"),
                    0.85,
                )
            },
            presale: RawContact {
                per_hour: Some(5.0),
                ..base(
                    0.0,
                    RawDist::constant(d("0s")),
                    &[("email", 0.3), ("chat", 0.5), ("social", 0.1), ("sms", 0.1)],
                    ("5m", "150s"),
                    0.9,
                )
            },
        }
    }
}

/// `[support.contacts.<type>]`: one contact type. A key left out takes the type's own default
/// (shown in the `[support.contacts]` defaults above).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawContact {
    /// Probability that one trigger (an order, a parcel, a return, a failure) creates a contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// WISMO only: probability of a contact when the promised date passes undelivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_rate: Option<f64>,
    /// WISMO only: added to `late_rate` for each further day late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_rate_per_day: Option<f64>,
    /// WISMO only: share of late orders whose customer is told proactively (no contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proactive_share: Option<f64>,
    /// Pre-sale only: contacts per hour (Poisson).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_hour: Option<f64>,
    /// Time from the trigger to the contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<RawDist>,
    /// Channel mix (channel -> share; shares sum to 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<BTreeMap<String, f64>>,
    /// Agent handle time of one reply (times the channel's handle_factor).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handle_time: Option<RawDist>,
    /// Probability that one agent reply resolves the ticket; else the customer writes back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub one_touch: Option<f64>,
    /// Share resolved by self-service (tracking page, help centre) without an agent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_service: Option<f64>,
    /// Time until the customer writes back after a reply that did not resolve the ticket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_up_delay: Option<RawDist>,
}

impl RawContact {
    /// Fills every key left out from `d`.
    fn fill(&mut self, d: &RawContact) {
        fill(&mut self.rate, &d.rate);
        fill(&mut self.late_rate, &d.late_rate);
        fill(&mut self.late_rate_per_day, &d.late_rate_per_day);
        fill(&mut self.proactive_share, &d.proactive_share);
        fill(&mut self.per_hour, &d.per_hour);
        fill(&mut self.delay, &d.delay);
        fill(&mut self.channels, &d.channels);
        fill(&mut self.handle_time, &d.handle_time);
        fill(&mut self.one_touch, &d.one_touch);
        fill(&mut self.self_service, &d.self_service);
        fill(&mut self.follow_up_delay, &d.follow_up_delay);
    }
}

impl RawSupport {
    /// Fills the keys a file left out of a channel or contact table with that channel's or
    /// contact type's own defaults, so `[support.contacts.presale] per_hour = 10` keeps the
    /// pre-sale channel mix. Called before validation; the resolved scenario shows the result.
    pub fn fill_defaults(&mut self) {
        let dc = RawChannels::default();
        let ch = &mut self.channels;
        for (c, d) in [
            (&mut ch.email, &dc.email),
            (&mut ch.chat, &dc.chat),
            (&mut ch.phone, &dc.phone),
            (&mut ch.social, &dc.social),
            (&mut ch.sms, &dc.sms),
        ] {
            c.fill(d);
        }
        let dk = RawContacts::default();
        let k = &mut self.contacts;
        for (c, d) in [
            (&mut k.wismo, &dk.wismo),
            (&mut k.tracking, &dk.tracking),
            (&mut k.change_order, &dk.change_order),
            (&mut k.cancel_order, &dk.cancel_order),
            (&mut k.damaged, &dk.damaged),
            (&mut k.wrong_item, &dk.wrong_item),
            (&mut k.lost, &dk.lost),
            (&mut k.returns, &dk.returns),
            (&mut k.presale, &dk.presale),
        ] {
            c.fill(d);
        }
    }
}

/// `[[support.teams]]`: agents with channel skills.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawTeam {
    /// Name, used by overrides.
    pub name: String,
    /// Channels its agents serve.
    pub channels: Vec<String>,
    /// Chats one agent holds at once (a call, email, social or sms reply takes the whole agent).
    pub chat_concurrency: u32,
    /// Weekly shifts.
    pub shifts: Vec<RawAgentShift>,
}

impl Default for RawTeam {
    fn default() -> Self {
        Self {
            name: "agents".into(),
            channels: Channel::names().map(String::from).to_vec(),
            chat_concurrency: 2,
            shifts: vec![
                RawAgentShift {
                    start: "07:00".into(),
                    end: "15:00".into(),
                    agents: 6,
                    ..RawAgentShift::default()
                },
                RawAgentShift {
                    start: "15:00".into(),
                    end: "23:00".into(),
                    agents: 5,
                    ..RawAgentShift::default()
                },
            ],
        }
    }
}

/// `[[support.teams.shifts]]`: a weekly agent shift.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawAgentShift {
    /// Weekdays ("mon" .. "sun").
    pub days: Vec<String>,
    /// Start clock time.
    pub start: String,
    /// End clock time (after start; "24:00" for midnight).
    pub end: String,
    /// Agents on the shift.
    pub agents: u32,
}

impl Default for RawAgentShift {
    fn default() -> Self {
        Self {
            days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(String::from).to_vec(),
            start: "08:00".into(),
            end: "16:00".into(),
            agents: 5,
        }
    }
}

/// `[[support.overrides]]`: extra agents on a range of dates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawAgentOverride {
    /// First date (ISO).
    pub from: String,
    /// Last date, inclusive (ISO).
    pub to: String,
    /// Team name; empty = every team.
    pub team: String,
    /// Extra agents on each of the team's shifts on these dates.
    pub extra_agents: u32,
}

/// `[support.back_office]`: the team that resolves forwarded cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawBackOffice {
    /// Staff on each back-office shift.
    pub staff: u32,
    /// Weekdays it works.
    pub days: Vec<String>,
    /// Shift start.
    pub start: String,
    /// Shift end.
    pub end: String,
    /// Time to work one case.
    pub case_time: RawDist,
    /// Target time from hand-over to resolution.
    pub sla: String,
    /// Cost of one back-office hour.
    pub wage_per_hour: f64,
}

impl Default for RawBackOffice {
    fn default() -> Self {
        Self {
            staff: 2,
            days: ["mon", "tue", "wed", "thu", "fri"].map(String::from).to_vec(),
            start: "09:00".into(),
            end: "17:00".into(),
            case_time: RawDist::lognormal(d("20m"), d("10m")),
            sla: "2d".into(),
            wage_per_hour: 25.0,
        }
    }
}

/// `[support.csat]`: the survey. Score = base − penalties + bonus + noise, rounded to 1..5.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawCsat {
    /// Share of ended tickets (resolved or abandoned) whose customer answers the survey.
    pub answer_rate: f64,
    /// Score of a ticket with nothing wrong and nothing special.
    pub base: f64,
    /// Points lost per multiple of the channel's SLA waited beyond it (first response).
    pub wait_penalty: f64,
    /// Points lost when the customer abandoned.
    pub abandon_penalty: f64,
    /// Points lost per extra exchange (the ticket reopened).
    pub reopen_penalty: f64,
    /// Points lost per day the order was late when the customer got in touch (capped at 3 days).
    pub late_penalty_per_day: f64,
    /// Points lost when a requested action failed or a back-office case missed its SLA.
    pub failure_penalty: f64,
    /// Points gained when one reply resolved it.
    pub one_touch_bonus: f64,
    /// Standard deviation of the customer's own noise (normal), in points.
    pub noise_sd: f64,
}

impl Default for RawCsat {
    fn default() -> Self {
        Self {
            answer_rate: 0.2,
            base: 4.4,
            wait_penalty: 0.6,
            abandon_penalty: 2.0,
            reopen_penalty: 0.5,
            late_penalty_per_day: 0.4,
            failure_penalty: 1.2,
            one_touch_bonus: 0.3,
            noise_sd: 0.7,
        }
    }
}

/// `[support.retention]`: a customer base whose repeat orders fall as bad experiences drive
/// customers away.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawRetention {
    /// Customers at the start.
    pub customers: u64,
    /// Share of the demand's orders placed by existing customers (the rest are new customers).
    pub repeat_share: f64,
    /// Probability that a bad experience (late, damaged, lost, abandoned contact, failed or late
    /// case) makes the customer leave for good.
    pub churn_after_bad: f64,
}

impl Default for RawRetention {
    fn default() -> Self {
        Self { customers: 100_000, repeat_share: 0.6, churn_after_bad: 0.1 }
    }
}

/// `[support.tiers]`: first-response thresholds (p90) of tiers 5, 4, 3, 2 per channel group, and
/// the CSAT a tier needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawTiers {
    /// Email: below the 1st for tier 5, below the 2nd for 4, at most the 3rd for 3, the 4th for 2.
    pub email: Vec<String>,
    /// Social, same reading.
    pub social: Vec<String>,
    /// Chat, phone and sms, same reading.
    pub real_time: Vec<String>,
    /// CSAT needed for tiers 5, 4, 3, 2 (a lower CSAT caps the tier).
    pub csat_min: Vec<f64>,
}

impl Default for RawTiers {
    fn default() -> Self {
        let v = |a: [&str; 4]| a.map(String::from).to_vec();
        Self {
            email: v(["1h", "4h", "24h", "3d"]),
            social: v(["15m", "4h", "24h", "3d"]),
            real_time: v(["1m", "5m", "10m", "60m"]),
            csat_min: vec![0.9, 0.8, 0.7, 0.5],
        }
    }
}

/// A contact type after validation.
#[derive(Clone, Debug)]
pub struct Contact {
    /// Probability per trigger.
    pub rate: f64,
    /// WISMO: probability when the promised date passes, and the rise per day late.
    pub late_rate: f64,
    /// WISMO: rise per day late.
    pub late_rate_per_day: f64,
    /// WISMO: share told proactively.
    pub proactive_share: f64,
    /// Pre-sale: contacts per hour.
    pub per_hour: f64,
    /// Delay from trigger to contact, seconds.
    pub delay: Dist,
    /// The channels with a share but the last, in channel order, with their cumulative shares.
    pub channel_mix: Vec<(Channel, f64)>,
    /// The last channel with a share: it takes every draw the others do not.
    pub last_channel: Channel,
    /// Handle time, seconds.
    pub handle_time: Dist,
    /// One-touch probability.
    pub one_touch: f64,
    /// Self-service share.
    pub self_service: f64,
    /// Customer's follow-up delay, seconds.
    pub follow_up_delay: Dist,
}

impl Contact {
    /// The channel of a customer whose uniform draw is `u` (0 <= u < 1): the first whose
    /// cumulative share exceeds it.
    #[inline(always)]
    pub fn channel_at(&self, u: f64) -> Channel {
        self.channel_mix
            .iter()
            .find(|&&(_, cumulative)| u < cumulative)
            .map_or(self.last_channel, |&(c, _)| c)
    }

    /// The one channel it uses, when it uses only one (no draw needed).
    pub fn sure_channel(&self) -> Option<Channel> {
        self.channel_mix.is_empty().then_some(self.last_channel)
    }

    /// The channels it uses, in channel order.
    pub fn channels(&self) -> impl Iterator<Item = Channel> + '_ {
        self.channel_mix.iter().map(|&(c, _)| c).chain([self.last_channel])
    }
}

/// A channel's settings after validation.
#[derive(Clone, Debug)]
pub struct ChannelSettings {
    /// First-response SLA, ms.
    pub sla_ms: Time,
    /// Patience, seconds (real-time channels only).
    pub patience: Option<Dist>,
    /// Handle-time factor.
    pub handle_factor: f64,
    /// Retry probability after abandoning.
    pub retry_rate: f64,
    /// The channel retries use (and customers while this one is closed).
    pub retry_channel: Channel,
    /// Retry delay, seconds.
    pub retry_delay: Dist,
}

/// A team after validation.
#[derive(Clone, Debug)]
pub struct Team {
    /// Name.
    pub name: String,
    /// Which channels it serves.
    pub serves: PerChannel<bool>,
    /// Chats per agent (>= 1).
    pub chat_concurrency: u32,
    /// Weekly shifts.
    pub shifts: Vec<AgentShift>,
}

impl Team {
    /// The capacity units one reply on channel `ch` takes (an agent is `chat_concurrency` units):
    /// one on a channel whose conversations an agent holds several of at once, else a whole agent.
    #[inline(always)]
    pub fn units_per_reply(&self, ch: Channel) -> u32 {
        if ch.is_concurrent() { 1 } else { self.chat_concurrency }
    }
}

/// A weekly agent shift after validation.
#[derive(Clone, Debug)]
pub struct AgentShift {
    /// Days it works.
    pub days: Weekdays,
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight (> start).
    pub end_min: u32,
    /// Agents.
    pub agents: u32,
}

/// Dated extra agents after validation (day indices relative to the start date).
#[derive(Clone, Debug)]
pub struct AgentOverride {
    /// First day index.
    pub from_day: i64,
    /// Last day index, inclusive.
    pub to_day: i64,
    /// Team index; `None` = every team.
    pub team: Option<usize>,
    /// Extra agents per shift.
    pub extra_agents: u32,
}

/// The back office after validation.
#[derive(Clone, Debug)]
pub struct BackOffice {
    /// Staff per shift.
    pub staff: u32,
    /// Working days.
    pub days: Weekdays,
    /// Start, minutes after midnight.
    pub start_min: u32,
    /// End, minutes after midnight.
    pub end_min: u32,
    /// Case time, seconds.
    pub case_time: Dist,
    /// SLA, ms.
    pub sla_ms: Time,
    /// Wage per hour.
    pub wage_per_hour: f64,
}

/// Retention after validation.
#[derive(Clone, Debug)]
pub struct Retention {
    /// Customers at the start (>= 1).
    pub customers: u64,
    /// Share of orders by existing customers.
    pub repeat_share: f64,
    /// Churn probability after a bad experience.
    pub churn_after_bad: f64,
}

/// Tier thresholds after validation: ms for tiers 5, 4, 3, 2 by channel, and CSAT minima.
#[derive(Clone, Debug)]
pub struct Tiers {
    /// Thresholds by channel.
    pub frt_ms: PerChannel<[Time; 4]>,
    /// CSAT minima for tiers 5, 4, 3, 2.
    pub csat_min: [f64; 4],
}

/// The validated `[support]`.
#[derive(Clone, Debug)]
pub struct Support {
    /// Channel settings.
    pub channels: PerChannel<ChannelSettings>,
    /// Every channel, in routing order.
    pub priority: [Channel; Channel::COUNT],
    /// Contact types.
    pub contacts: PerContact<Contact>,
    /// Teams.
    pub teams: Vec<Team>,
    /// Dated extra agents.
    pub overrides: Vec<AgentOverride>,
    /// Agent wage.
    pub agent_wage_per_hour: f64,
    /// Target occupancy (0 < x <= 1).
    pub target_occupancy: f64,
    /// Back office.
    pub back_office: BackOffice,
    /// CSAT model (its raw values, checked).
    pub csat: RawCsat,
    /// Retention model.
    pub retention: Retention,
    /// Tiers.
    pub tiers: Tiers,
    /// Channels some contact type can use.
    pub used: PerChannel<bool>,
}

/// The channel `name` names; `None` (and a problem at `path`) when it names none.
fn channel_named(c: &mut Checker, path: &str, name: &str) -> Option<Channel> {
    let found = Channel::from_name(name);
    if found.is_none() {
        let names = Channel::names();
        let help = match crate::suggest::closest(name, &names) {
            Some(s) => format!("did you mean `{s}`? channels: {}", names.join(", ")),
            None => format!("channels: {}", names.join(", ")),
        };
        c.fail_help(path, format!("`{name}` is not a channel"), help);
    }
    found
}

fn validate_channel(c: &mut Checker, ch: Channel, raw: &RawChannel) -> ChannelSettings {
    let path = format!("support.channels.{}", ch.name());
    let real_time = ch.is_real_time();
    let abandons = raw.abandons.unwrap_or(false);
    let retry_rate = raw.retry_rate.unwrap_or(0.0);
    if abandons && !real_time {
        c.fail_help(
            format!("{path}.abandons"),
            format!("{} is not a real-time channel: its customers do not wait on the line", ch.name()),
            "abandonment applies to chat, phone and sms".to_string(),
        );
    }
    if abandons && real_time && raw.patience.is_none() {
        c.fail(
            format!("{path}.patience"),
            "customers abandon, so give their patience (a duration distribution)",
        );
    }
    let patience = match (&raw.patience, real_time) {
        (Some(p), true) if abandons => Some(c.dist(&format!("{path}.patience"), p, UnitKind::Duration)),
        (Some(p), true) => {
            c.dist(&format!("{path}.patience"), p, UnitKind::Duration);
            None
        }
        (Some(_), false) => {
            c.fail_help(
                format!("{path}.patience"),
                format!("{} is not a real-time channel: its customers do not wait on the line", ch.name()),
                "patience applies to chat, phone and sms; remove it here".to_string(),
            );
            None
        }
        (None, _) => None,
    };
    if !real_time && retry_rate > 0.0 {
        c.fail(format!("{path}.retry_rate"), format!("{} has no abandonment, so nobody retries", ch.name()));
    }
    let retry_path = format!("{path}.retry_channel");
    ChannelSettings {
        sla_ms: c.duration_ms(&format!("{path}.sla"), raw.sla.as_deref().unwrap_or("1h")),
        patience,
        handle_factor: c.positive(&format!("{path}.handle_factor"), raw.handle_factor.unwrap_or(1.0)),
        retry_rate: c.share(&format!("{path}.retry_rate"), retry_rate),
        // An unknown name is refused; the channel itself stands in meanwhile.
        retry_channel: channel_named(c, &retry_path, raw.retry_channel.as_deref().unwrap_or("email"))
            .unwrap_or(ch),
        retry_delay: match &raw.retry_delay {
            Some(r) => c.dist(&format!("{path}.retry_delay"), r, UnitKind::Duration),
            None => Dist::constant(3_600.0),
        },
    }
}

fn validate_contact(c: &mut Checker, kind: ContactType, raw: &RawContact) -> Contact {
    let path = format!("support.contacts.{}", kind.name());
    let wismo = kind == ContactType::Wismo;
    let presale = !kind.follows_orders();
    let only = |c: &mut Checker, key: &str, present: bool, allowed: bool, owner: &str| {
        if present && !allowed {
            c.fail(format!("{path}.{key}"), format!("`{key}` applies to contacts.{owner} only"));
        }
    };
    only(c, "late_rate", raw.late_rate.is_some(), wismo, "wismo");
    only(c, "late_rate_per_day", raw.late_rate_per_day.is_some(), wismo, "wismo");
    only(c, "proactive_share", raw.proactive_share.is_some(), wismo, "wismo");
    only(c, "per_hour", raw.per_hour.is_some(), presale, "presale");
    let rate = raw.rate.unwrap_or(0.0);
    let channels = raw.channels.clone().unwrap_or_default();
    let exp = |mean: &str| RawDist::exponential(d(mean));
    if presale && rate != 0.0 {
        c.fail_help(
            format!("{path}.rate"),
            "pre-sale questions do not follow orders",
            "give their arrival rate as `per_hour`".to_string(),
        );
    }
    let mut shares = PerChannel::<f64>::default();
    if channels.is_empty() {
        c.fail(format!("{path}.channels"), "needs at least one channel with a share");
    }
    for (k, v) in &channels {
        let key = format!("{path}.channels.{k}");
        if let Some(ch) = channel_named(c, &key, k) {
            shares[ch] += c.share(&key, *v);
        }
    }
    if !channels.is_empty() {
        c.sums_to_one(&format!("{path}.channels"), shares.values().copied());
    }
    // Cumulative shares of the channels with a share; the last one takes whatever the others do
    // not, so rounding never leaves a draw without a channel.
    let mut channel_mix = Vec::new();
    let mut acc = 0.0;
    for (ch, &share) in shares.iter().filter(|(_, s)| **s > 0.0) {
        acc += share;
        channel_mix.push((ch, acc));
    }
    let last_channel = channel_mix.pop().map_or(Channel::Email, |(ch, _)| ch);
    let per_hour = raw.per_hour.map_or(0.0, |v| c.non_negative(&format!("{path}.per_hour"), v));
    if per_hour.is_finite() && per_hour > MAX_CONTACTS_PER_HOUR {
        c.fail(
            format!("{path}.per_hour"),
            format!(
                "{} contacts an hour is beyond the model's limit of {MAX_CONTACTS_PER_HOUR} an hour",
                super::check::num(per_hour)
            ),
        );
    }
    Contact {
        rate: c.share(&format!("{path}.rate"), rate),
        late_rate: raw.late_rate.map_or(0.0, |v| c.share(&format!("{path}.late_rate"), v)),
        late_rate_per_day: raw
            .late_rate_per_day
            .map_or(0.0, |v| c.share(&format!("{path}.late_rate_per_day"), v)),
        proactive_share: raw.proactive_share.map_or(0.0, |v| c.share(&format!("{path}.proactive_share"), v)),
        per_hour,
        delay: c.dist(&format!("{path}.delay"), raw.delay.as_ref().unwrap_or(&exp("1h")), UnitKind::Duration),
        channel_mix,
        last_channel,
        handle_time: c.dist(
            &format!("{path}.handle_time"),
            raw.handle_time.as_ref().unwrap_or(&exp("5m")),
            UnitKind::Duration,
        ),
        one_touch: c.share(&format!("{path}.one_touch"), raw.one_touch.unwrap_or(1.0)),
        self_service: c.share(&format!("{path}.self_service"), raw.self_service.unwrap_or(0.0)),
        follow_up_delay: c.dist(
            &format!("{path}.follow_up_delay"),
            raw.follow_up_delay.as_ref().unwrap_or(&exp("4h")),
            UnitKind::Duration,
        ),
    }
}

/// The routing priority: every channel once.
fn validate_priority(c: &mut Checker, raw: &[String]) -> [Channel; Channel::COUNT] {
    let mut priority = Channel::DEFAULT_PRIORITY;
    let mut seen = PerChannel::<bool>::default();
    if raw.len() != Channel::COUNT {
        c.fail_help(
            "support.priority",
            format!("lists {} channels; it must list every channel once", raw.len()),
            format!("e.g. {:?}", Channel::DEFAULT_PRIORITY.map(Channel::name)),
        );
    }
    for (i, name) in raw.iter().enumerate().take(Channel::COUNT) {
        let Some(ch) = channel_named(c, &format!("support.priority[{i}]"), name) else { continue };
        if seen[ch] {
            c.fail(format!("support.priority[{i}]"), format!("`{name}` is listed twice"));
        }
        seen[ch] = true;
        priority[i] = ch;
    }
    priority
}

/// The channels some contact can reach: those of each contact type's mix (pre-sale only when
/// questions arrive), and, for a used real-time channel, its fallback, where customers write
/// while it is closed and retry after abandoning.
fn used_channels(contacts: &PerContact<Contact>, channels: &PerChannel<ChannelSettings>) -> PerChannel<bool> {
    let mut used = PerChannel::<bool>::default();
    for (kind, contact) in contacts.iter() {
        if kind.follows_orders() || contact.per_hour > 0.0 {
            contact.channels().for_each(|ch| used[ch] = true);
        }
    }
    // Fallbacks chain, so repeat as often as there are channels.
    for _ in 0..Channel::COUNT {
        for (ch, settings) in channels.iter() {
            if used[ch] && ch.is_real_time() {
                used[settings.retry_channel] = true;
            }
        }
    }
    used
}

fn shift_bounds(c: &mut Checker, path: &str, start: &str, end: &str) -> (u32, u32) {
    let s = c.clock(&format!("{path}.start"), start);
    let e = c.clock(&format!("{path}.end"), end);
    if e <= s {
        c.fail_help(
            format!("{path}.end"),
            format!("the shift ends at {end} before it starts at {start}"),
            "end must be after start on the same day (\"24:00\" for midnight); split a night shift in two"
                .to_string(),
        );
    }
    (s, e)
}

fn tier_row(c: &mut Checker, path: &str, raw: &[String]) -> [Time; 4] {
    let mut row = [0; 4];
    if raw.len() != 4 {
        c.fail(path, format!("needs 4 thresholds (tiers 5, 4, 3, 2), got {}", raw.len()));
        return row;
    }
    for (i, t) in raw.iter().enumerate() {
        row[i] = c.duration_ms(&format!("{path}[{i}]"), t);
    }
    if row.windows(2).any(|w| w[1] < w[0]) {
        c.fail(path, "thresholds must not decrease from tier 5 to tier 2");
    }
    row
}

/// Validates `[support]`; `start` is the scenario's start date (for dated overrides).
pub(crate) fn validate_support(c: &mut Checker, s: &RawSupport, start: NaiveDate, horizon: u32) -> Support {
    let channels = PerChannel::from_fn(|ch| validate_channel(c, ch, s.channels.get(ch)));
    let priority = validate_priority(c, &s.priority);
    let contacts = PerContact::from_fn(|kind| validate_contact(c, kind, s.contacts.get(kind)));
    let mut teams = Vec::new();
    for (ti, t) in s.teams.iter().enumerate() {
        let path = format!("support.teams[{ti}]");
        let mut serves = PerChannel::<bool>::default();
        for (i, name) in t.channels.iter().enumerate() {
            let Some(ch) = channel_named(c, &format!("{path}.channels[{i}]"), name) else { continue };
            if serves[ch] {
                c.fail(format!("{path}.channels[{i}]"), format!("`{name}` is listed twice"));
            }
            serves[ch] = true;
        }
        if t.channels.is_empty() {
            c.fail(format!("{path}.channels"), format!("team `{}` serves no channel", t.name));
        }
        if t.chat_concurrency == 0 {
            c.fail_help(
                format!("{path}.chat_concurrency"),
                "0 chats at once would leave chats unanswered forever",
                "use 1 for one chat at a time".to_string(),
            );
        }
        if t.chat_concurrency > 20 {
            c.fail(
                format!("{path}.chat_concurrency"),
                format!("{} chats at once is beyond any agent", t.chat_concurrency),
            );
        }
        let shifts = t
            .shifts
            .iter()
            .enumerate()
            .map(|(si, sh)| {
                let sp = format!("{path}.shifts[{si}]");
                let (start_min, end_min) = shift_bounds(c, &sp, &sh.start, &sh.end);
                if sh.agents > 100_000 {
                    c.fail(
                        format!("{sp}.agents"),
                        format!("{} agents is beyond the model's range", sh.agents),
                    );
                }
                AgentShift {
                    days: c.weekdays(&format!("{sp}.days"), &sh.days),
                    start_min,
                    end_min,
                    agents: sh.agents,
                }
            })
            .collect();
        teams.push(Team {
            name: t.name.clone(),
            serves,
            chat_concurrency: t.chat_concurrency.max(1),
            shifts,
        });
    }
    c.unique("support.teams", ".name", "teams", s.teams.iter().map(|t| t.name.as_str()));
    if teams.len() > 250 {
        c.fail("support.teams", "more than 250 teams");
    }
    let overrides = s
        .overrides
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let path = format!("support.overrides[{i}]");
            let from = c.date(&format!("{path}.from"), &o.from);
            let to = c.date(&format!("{path}.to"), &o.to);
            if let (Some(f), Some(t)) = (from, to) {
                if t < f {
                    c.fail(format!("{path}.to"), format!("{} is before {}", o.to, o.from));
                } else {
                    let days = ((f - start).num_days(), (t - start).num_days());
                    c.within_horizon(&format!("{path}.from"), "the override", days, start, horizon);
                }
            }
            let team = if o.team.is_empty() {
                None
            } else {
                let found = s.teams.iter().position(|t| t.name == o.team);
                if found.is_none() {
                    let names: Vec<&str> = s.teams.iter().map(|t| t.name.as_str()).collect();
                    let help = match crate::suggest::closest(&o.team, &names) {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => format!("teams: {}", names.join(", ")),
                    };
                    c.fail_help(format!("{path}.team"), format!("no team is named `{}`", o.team), help);
                }
                found
            };
            let idx = |d: Option<NaiveDate>| d.map_or(0, |d| (d - start).num_days());
            AgentOverride { from_day: idx(from), to_day: idx(to), team, extra_agents: o.extra_agents }
        })
        .collect();
    let bo = &s.back_office;
    let (bo_start, bo_end) = shift_bounds(c, "support.back_office", &bo.start, &bo.end);
    let back_office = BackOffice {
        staff: bo.staff,
        days: c.weekdays("support.back_office.days", &bo.days),
        start_min: bo_start,
        end_min: bo_end,
        case_time: c.dist("support.back_office.case_time", &bo.case_time, UnitKind::Duration),
        sla_ms: c.duration_ms("support.back_office.sla", &bo.sla),
        wage_per_hour: c.money("support.back_office.wage_per_hour", bo.wage_per_hour),
    };
    let k = &s.csat;
    let p = "support.csat";
    for (key, v) in [
        ("wait_penalty", k.wait_penalty),
        ("abandon_penalty", k.abandon_penalty),
        ("reopen_penalty", k.reopen_penalty),
        ("late_penalty_per_day", k.late_penalty_per_day),
        ("failure_penalty", k.failure_penalty),
        ("one_touch_bonus", k.one_touch_bonus),
        ("noise_sd", k.noise_sd),
    ] {
        c.non_negative(&format!("{p}.{key}"), v);
    }
    c.share(&format!("{p}.answer_rate"), k.answer_rate);
    let csat = k.clone();
    if c.finite(&format!("{p}.base"), k.base) && !(1.0..=5.0).contains(&k.base) {
        c.fail(format!("{p}.base"), format!("{} is not a score between 1 and 5", k.base));
    }
    let r = &s.retention;
    if r.customers == 0 {
        c.fail("support.retention.customers", "must be at least 1");
    }
    let retention = Retention {
        customers: r.customers.max(1),
        repeat_share: c.share("support.retention.repeat_share", r.repeat_share),
        churn_after_bad: c.share("support.retention.churn_after_bad", r.churn_after_bad),
    };
    let email = tier_row(c, "support.tiers.email", &s.tiers.email);
    let social = tier_row(c, "support.tiers.social", &s.tiers.social);
    let live = tier_row(c, "support.tiers.real_time", &s.tiers.real_time);
    let mut csat_min = [0.0; 4];
    if s.tiers.csat_min.len() != 4 {
        c.fail("support.tiers.csat_min", "needs 4 values (tiers 5, 4, 3, 2)");
    } else {
        for (i, v) in s.tiers.csat_min.iter().enumerate() {
            csat_min[i] = c.share(&format!("support.tiers.csat_min[{i}]"), *v);
        }
    }
    let frt_ms = PerChannel::from_fn(|ch| match ch {
        Channel::Email => email,
        Channel::Social => social,
        Channel::Chat | Channel::Phone | Channel::Sms => live,
    });
    let tiers = Tiers { frt_ms, csat_min };
    let used = used_channels(&contacts, &channels);
    Support {
        channels,
        priority,
        contacts,
        teams,
        overrides,
        agent_wage_per_hour: c.money("support.agent_wage_per_hour", s.agent_wage_per_hour),
        target_occupancy: {
            let o = c.share("support.target_occupancy", s.target_occupancy);
            if o <= 0.0 {
                c.fail("support.target_occupancy", "must be above 0");
            }
            o
        },
        back_office,
        csat,
        retention,
        tiers,
        used,
    }
}
