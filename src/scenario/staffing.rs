//! `[staffing]`: what `o2d staff` plans to (a service level every hour, an abandonment cap) and
//! the shifts it may plan (lengths, the hours they may fall in, breaks, headcount). Raw and
//! validated forms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{Checker, num};
use crate::staffing::plan::ShiftRules;
use crate::units::{self, DURATION_HELP};

/// Verification rounds a plan may take at most (each runs every replication).
pub const MAX_ROUNDS: u32 = 20;

/// `[staffing]`: the goals and shift rules of `o2d staff`; optional: without it `o2d staff`
/// plans with these defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawStaffing {
    /// Share of each hour's contacts that its agents should answer within the channel's `sla`
    /// (Erlang C's service level; in o2d's plan, on real-time channels only); also the share each
    /// hour must reach when the plan is corrected for a support target that names no threshold
    /// of its own.
    pub service_level: f64,
    /// Highest share of contacts any hour may lose to abandonment on channels where customers
    /// give up (Erlang A).
    pub abandonment: f64,
    /// Shift lengths a plan may use, whole hours, a break included, e.g. `["4h", "8h"]`.
    pub shift_lengths: Vec<String>,
    /// The earliest a shift may start, on the hour.
    pub earliest_start: String,
    /// The latest a shift may end, on the hour (`"24:00"`: midnight).
    pub latest_end: String,
    /// Shifts this long or longer have an unpaid hour's break in their middle; absent: no breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub break_from: Option<String>,
    /// Fewest agents of each team on shift in every hour a shift may cover.
    pub min_agents: u32,
    /// Most agents of a team on shift in any hour; absent: no cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_agents: Option<u32>,
    /// Rounds of o2d's plan at most: the first runs its plan as sized, each further one the
    /// plan with the hours raised where a target failed (the Erlang plan runs once beside them).
    pub max_rounds: u32,
}

impl Default for RawStaffing {
    fn default() -> Self {
        Self {
            service_level: 0.8,
            abandonment: 0.05,
            shift_lengths: vec!["4h".into(), "6h".into(), "8h".into()],
            earliest_start: "06:00".into(),
            latest_end: "24:00".into(),
            break_from: Some("6h".into()),
            min_agents: 0,
            max_agents: None,
            max_rounds: 6,
        }
    }
}

/// The validated `[staffing]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Staffing {
    /// Service level each hour is sized to (0 < x < 1).
    pub service_level: f64,
    /// Abandonment cap per hour (0 < x < 1).
    pub abandonment: f64,
    /// The shifts a plan may use (the wage is `support.agent_wage_per_hour`).
    pub rules: ShiftRules,
    /// Rounds of o2d's plan at most (1 ..= [`MAX_ROUNDS`]).
    pub max_rounds: u32,
}

/// Whole hours in `text`, a duration of `path`, from 1 to 24 (`None` after an error).
fn whole_hours(c: &mut Checker, path: &str, text: &str) -> Option<u32> {
    let s = match units::parse_duration_s(text) {
        Ok(s) => s,
        Err(e) => {
            c.fail_help(path, e, format!("write {DURATION_HELP}"));
            return None;
        }
    };
    let h = s / 3_600.0;
    if h.fract() != 0.0 || !(1.0..=24.0).contains(&h) {
        c.fail_help(
            path,
            format!("`{text}` is not a whole number of hours from 1h to 24h: plans are made hour by hour"),
            format!("e.g. \"{}h\"", h.round().clamp(1.0, 24.0)),
        );
        return None;
    }
    Some(h as u32)
}

/// The hour of clock time `text` of `path`, which must be on the hour.
fn on_the_hour(c: &mut Checker, path: &str, text: &str) -> u32 {
    let min = c.clock(path, text);
    if !min.is_multiple_of(60) {
        c.fail_help(
            path,
            format!("`{text}` is not on the hour: plans are made hour by hour"),
            format!("e.g. \"{:02}:00\"", min / 60),
        );
    }
    min / 60
}

/// Validates `[staffing]` (the defaults when the file has none); `wage`: what an agent-hour
/// costs (`support.agent_wage_per_hour`).
fn validate_staffing(c: &mut Checker, r: &RawStaffing, wage: f64) -> Staffing {
    let p = "staffing";
    for (key, x) in [("service_level", r.service_level), ("abandonment", r.abandonment)] {
        if !(x > 0.0 && x < 1.0) {
            c.fail_help(
                format!("{p}.{key}"),
                format!("{} is not a share strictly between 0 and 1", num(x)),
                if key == "service_level" { "e.g. 0.8 (80% within the sla)" } else { "e.g. 0.05" }
                    .to_string(),
            );
        }
    }
    if r.shift_lengths.is_empty() {
        c.fail_help(
            format!("{p}.shift_lengths"),
            "needs at least one length",
            "e.g. [\"4h\", \"8h\"]".into(),
        );
    }
    let lengths_h: Vec<u32> = r
        .shift_lengths
        .iter()
        .enumerate()
        .filter_map(|(i, t)| whole_hours(c, &format!("{p}.shift_lengths[{i}]"), t))
        .collect();
    let earliest = on_the_hour(c, &format!("{p}.earliest_start"), &r.earliest_start);
    let latest = on_the_hour(c, &format!("{p}.latest_end"), &r.latest_end);
    if earliest >= latest {
        c.fail_help(
            format!("{p}.latest_end"),
            format!("{} is not after earliest_start {}: no shift fits", r.latest_end, r.earliest_start),
            "e.g. earliest_start = \"06:00\", latest_end = \"24:00\"".into(),
        );
    } else if let Some(&shortest) = lengths_h.iter().min()
        && shortest > latest - earliest
    {
        c.fail_help(
            format!("{p}.shift_lengths"),
            format!(
                "the shortest shift, {shortest}h, does not fit between {} and {}",
                r.earliest_start, r.latest_end
            ),
            "add a shorter length, or widen the hours".into(),
        );
    }
    let break_from_h = r.break_from.as_ref().and_then(|t| whole_hours(c, &format!("{p}.break_from"), t));
    if let Some(b) = break_from_h
        && b < 3
    {
        c.fail_help(
            format!("{p}.break_from"),
            format!("{b}h: a break in the middle of a shift that short leaves hardly any work"),
            "breaks from 3h up, e.g. \"6h\"; leave break_from out for no breaks".into(),
        );
    }
    if let Some(max) = r.max_agents
        && (max == 0 || max < r.min_agents)
    {
        c.fail_help(
            format!("{p}.max_agents"),
            format!("{max} is below min_agents {} or 0: no plan can hold it", r.min_agents),
            "raise max_agents, or leave it out for no cap".into(),
        );
    }
    if !(1..=MAX_ROUNDS).contains(&r.max_rounds) {
        c.fail_help(
            format!("{p}.max_rounds"),
            format!("{} rounds: o2d's plan runs at least once, so 1 to {MAX_ROUNDS}", r.max_rounds),
            "e.g. 6".into(),
        );
    }
    Staffing {
        service_level: r.service_level,
        abandonment: r.abandonment,
        rules: ShiftRules {
            lengths_h,
            earliest_start_h: earliest,
            latest_end_h: latest,
            break_from_h,
            wage_per_hour: wage,
            min_agents: r.min_agents,
            max_agents: r.max_agents,
        },
        max_rounds: r.max_rounds,
    }
}

/// Validates `[staffing]` against `[support]`: its defaults with support, an error without it.
pub(super) fn validate_staffing_of(
    c: &mut Checker,
    raw: Option<&RawStaffing>,
    support: Option<&super::support::Support>,
) -> Option<Staffing> {
    match (raw, support) {
        (r, Some(s)) => {
            Some(validate_staffing(c, r.unwrap_or(&RawStaffing::default()), s.agent_wage_per_hour))
        }
        (Some(_), None) => {
            c.fail_help(
                "staffing",
                "plans support staff, and this scenario models no support",
                "add a [support] table, or leave [staffing] out".to_string(),
            );
            None
        }
        (None, None) => None,
    }
}
