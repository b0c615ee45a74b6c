//! The `[support]` section: channels, what creates contacts, agent teams and their shifts, the
//! back office, the CSAT model and the service tiers; raw and validated forms.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Weekdays;
use super::check::Checker;
use crate::dist::{Dist, Quantity, RawDist, UnitKind};
use crate::kernel::Time;

mod channels;
mod contacts;
mod ids;
mod roster;
pub use channels::{ChannelSettings, ChannelTable, RawChannel, RawChannels};
pub(crate) use contacts::misplaced_contact_key;
pub use contacts::{Contact, ContactTable, RawContacts, RawPresale, RawTriggered, RawWismo};
pub use ids::{Channel, ContactType, PerChannel, PerContact};
pub use roster::Roster;

/// Pre-sale questions an hour at most: a stream independent of orders, so the orders-per-day limit
/// does not bound it (a million an hour would fill the open-tickets limit, and memory, in hours).
pub const MAX_CONTACTS_PER_HOUR: f64 = 100_000.0;

/// Agents one shift may have.
pub const MAX_AGENTS: u32 = 100_000;

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
    /// The CSAT survey model (scores 1-5; NPS from the same answers). Each penalty, the bonus and
    /// the noise are points of that scale, at most 4.
    pub csat: RawCsat,
    /// Moved to `[customers]`: a file that still has `[support.retention]` is refused with the
    /// way to write it now.
    #[serde(skip_serializing)]
    #[schemars(skip)]
    pub retention: Option<toml::Value>,
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
            retention: None,
            tiers: RawTiers::default(),
        }
    }
}

fn d(v: &str) -> Quantity {
    Quantity::Text(v.into())
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
    /// The team's dated shifts from a workforce tool instead of weekly `shifts`: a CSV file
    /// (path relative to the scenario file) with a row per shift: `date`, `start`, `end`, `agents`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<super::files::RawFile>,
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
            roster: None,
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
    /// Whether it works on the holidays of `[calendar]`.
    #[serde(skip_serializing_if = "is_true")]
    #[schemars(extend("default" = true))]
    pub works_holidays: bool,
}

fn is_true(x: &bool) -> bool {
    *x
}

impl Default for RawAgentShift {
    fn default() -> Self {
        Self {
            days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(String::from).to_vec(),
            start: "08:00".into(),
            end: "16:00".into(),
            agents: 5,
            works_holidays: true,
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
    /// Dated shifts from a roster file (then `shifts` is empty).
    pub roster: Option<Roster>,
}

impl Team {
    /// The shifts the team works on day `day` (index from the start date), a `weekday`
    /// (Monday = 0): its weekly shifts of that weekday, or its roster's shifts of that date.
    /// (`holiday`: whether the day is a holiday of `[calendar]`; a roster's rows are dated, so
    /// they work whatever the day.)
    pub fn shifts_on(&self, day: u32, weekday: usize, holiday: bool) -> impl Iterator<Item = &AgentShift> {
        let dated = self.roster.as_ref().map_or(&[][..], |r| r.on(day));
        self.shifts.iter().filter(move |s| s.days[weekday] && (s.works_holidays || !holiday)).chain(dated)
    }

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
    /// Works on the holidays of `[calendar]`.
    pub works_holidays: bool,
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
    /// Tiers.
    pub tiers: Tiers,
    /// Channels some contact type can use.
    pub used: PerChannel<bool>,
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

/// Validates `[support]`; `start` is the scenario's start date (for dated overrides and rosters),
/// `rosters` each team's roster file as read.
pub(crate) fn validate_support(
    c: &mut Checker,
    s: &RawSupport,
    start: NaiveDate,
    horizon: u32,
    rosters: &[Option<std::sync::Arc<super::files::roster::RosterFile>>],
) -> Support {
    let channels = s.channels.validate(c);
    let priority = channels::validate_priority(c, &s.priority);
    let contacts = s.contacts.validate(c);
    let mut teams = validate_teams(c, &s.teams);
    for (ti, team) in teams.iter_mut().enumerate() {
        if let Some(Some(file)) = rosters.get(ti) {
            team.roster = Some(roster::in_horizon(
                c,
                &format!("support.teams[{ti}].roster"),
                team,
                file,
                start,
                horizon,
            ));
        }
    }
    let overrides = validate_overrides(c, s, start, horizon);
    let back_office = validate_back_office(c, &s.back_office);
    let csat = validate_csat(c, &s.csat);
    if s.retention.is_some() {
        c.fail_help(
            "support.retention",
            "the customer base moved to its own section, [customers], where customers are entities \
             with segments, purchase rates and a memory of their experiences",
            "replace [support.retention] with [customers]: `customers` keeps its meaning (leave it out \
             to size the base to the demand), `repeat_share` becomes `new_share` = 1 - repeat_share, \
             and `churn_after_bad` keeps its meaning"
                .to_string(),
        );
    }
    let tiers = validate_tiers(c, &s.tiers);
    let used = channels::used_channels(&contacts, &channels);
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
        tiers,
        used,
    }
}

fn validate_teams(c: &mut Checker, raw: &[RawTeam]) -> Vec<Team> {
    let mut teams = Vec::new();
    for (ti, t) in raw.iter().enumerate() {
        let path = format!("support.teams[{ti}]");
        let mut serves = PerChannel::<bool>::default();
        for (i, name) in t.channels.iter().enumerate() {
            let Some(ch) = channels::channel_named(c, &format!("{path}.channels[{i}]"), name) else {
                continue;
            };
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
                if sh.agents > MAX_AGENTS {
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
                    works_holidays: sh.works_holidays,
                }
            })
            .collect();
        teams.push(Team {
            name: t.name.clone(),
            serves,
            chat_concurrency: t.chat_concurrency.max(1),
            shifts,
            roster: None,
        });
    }
    c.unique("support.teams", ".name", "teams", raw.iter().map(|t| t.name.as_str()));
    if teams.len() > 250 {
        c.fail("support.teams", "more than 250 teams");
    }
    teams
}

/// Dated extra agents; `start` is the scenario's start date.
fn validate_overrides(c: &mut Checker, s: &RawSupport, start: NaiveDate, horizon: u32) -> Vec<AgentOverride> {
    s.overrides
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
                    c.outside_horizon(&path, "the override", days, start, horizon);
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
        .collect()
}

fn validate_back_office(c: &mut Checker, bo: &RawBackOffice) -> BackOffice {
    let (bo_start, bo_end) = shift_bounds(c, "support.back_office", &bo.start, &bo.end);
    BackOffice {
        staff: bo.staff,
        days: c.weekdays("support.back_office.days", &bo.days),
        start_min: bo_start,
        end_min: bo_end,
        case_time: c.dist("support.back_office.case_time", &bo.case_time, UnitKind::Duration),
        sla_ms: c.duration_ms("support.back_office.sla", &bo.sla),
        wage_per_hour: c.money("support.back_office.wage_per_hour", bo.wage_per_hour),
    }
}

/// Points between the lowest and the highest survey score (1 to 5 stars): no penalty, bonus or
/// noise can mean more than that.
const CSAT_SCALE_POINTS: f64 = 4.0;

fn validate_csat(c: &mut Checker, k: &RawCsat) -> RawCsat {
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
        let path = format!("{p}.{key}");
        // A value that is not finite has had its error from `non_negative`.
        if c.non_negative(&path, v) > CSAT_SCALE_POINTS && v.is_finite() {
            c.fail_help(
                path,
                format!(
                    "{} points is more than the whole survey scale ({CSAT_SCALE_POINTS} points, 1 to 5 stars)",
                    crate::scenario::check::num(v)
                ),
                format!("use a value from 0 to {CSAT_SCALE_POINTS}"),
            );
        }
    }
    c.share(&format!("{p}.answer_rate"), k.answer_rate);
    if c.finite(&format!("{p}.base"), k.base) && !(1.0..=5.0).contains(&k.base) {
        c.fail(format!("{p}.base"), format!("{} is not a score between 1 and 5", k.base));
    }
    k.clone()
}

fn validate_tiers(c: &mut Checker, t: &RawTiers) -> Tiers {
    let email = tier_row(c, "support.tiers.email", &t.email);
    let social = tier_row(c, "support.tiers.social", &t.social);
    let live = tier_row(c, "support.tiers.real_time", &t.real_time);
    let mut csat_min = [0.0; 4];
    if t.csat_min.len() != 4 {
        c.fail("support.tiers.csat_min", "needs 4 values (tiers 5, 4, 3, 2)");
    } else {
        for (i, v) in t.csat_min.iter().enumerate() {
            csat_min[i] = c.share(&format!("support.tiers.csat_min[{i}]"), *v);
        }
    }
    let frt_ms = PerChannel::from_fn(|ch| match ch {
        Channel::Email => email,
        Channel::Social => social,
        Channel::Chat | Channel::Phone | Channel::Sms => live,
    });
    Tiers { frt_ms, csat_min }
}
