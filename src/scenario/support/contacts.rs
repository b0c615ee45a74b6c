//! `[support.contacts]`: one table per contact type, whose type says which keys it takes and
//! holds its defaults, the validated form, and the message for a key of another contact type.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MAX_CONTACTS_PER_HOUR;
use super::channels::channel_named;
use super::ids::{Channel, ContactType, PerChannel, PerContact};
use crate::dist::{Dist, Quantity, RawDist, UnitKind};
use crate::scenario::check::{Checker, num};

/// `[support.contacts]`: what creates contacts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawContacts {
    /// "Where is my order?": orders whose promised date passes undelivered (`late_rate`, rising by
    /// `late_rate_per_day` each day late) and a base `rate` of anxious customers on time.
    pub wismo: RawWismo,
    /// Tracking-code questions, a `rate` per parcel shipped.
    pub tracking: RawTriggered<table::Tracking>,
    /// Change delivery address or payment: succeeds only if the order has not left the warehouse.
    pub change_order: RawTriggered<table::ChangeOrder>,
    /// Cancel the order: cancelled if it has not left the warehouse, else a cancel-and-refund case
    /// for the back office.
    pub cancel_order: RawTriggered<table::CancelOrder>,
    /// Item arrived damaged, a `rate` per damaged delivery: a case for the back office.
    pub damaged: RawTriggered<table::Damaged>,
    /// Wrong item delivered, a `rate` per such delivery: a case for the back office.
    pub wrong_item: RawTriggered<table::WrongItem>,
    /// Parcel lost, a `rate` per lost parcel: a case for the back office.
    pub lost: RawTriggered<table::Lost>,
    /// Return and refund status questions, a `rate` per return (with `[returns]`).
    pub returns: RawTriggered<table::Returns>,
    /// Pre-sale questions at `per_hour`, independent of orders.
    pub presale: RawPresale,
}

impl RawContacts {
    /// Every contact type, validated.
    pub(super) fn validate(&self, c: &mut Checker) -> PerContact<Contact> {
        PerContact::from_fn(|kind| {
            let keys = match kind {
                ContactType::Wismo => self.wismo.keys(),
                ContactType::Tracking => self.tracking.keys(),
                ContactType::ChangeOrder => self.change_order.keys(),
                ContactType::CancelOrder => self.cancel_order.keys(),
                ContactType::Damaged => self.damaged.keys(),
                ContactType::WrongItem => self.wrong_item.keys(),
                ContactType::Lost => self.lost.keys(),
                ContactType::Returns => self.returns.keys(),
                ContactType::Presale => self.presale.keys(),
            };
            validate_contact(c, kind, &keys)
        })
    }
}

fn d(v: &str) -> Quantity {
    Quantity::Text(v.into())
}

fn mix(pairs: &[(Channel, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(ch, v)| (ch.name().to_string(), *v)).collect()
}

/// Handle times are lognormal with an sd of half the mean.
fn handle(mean: &str, sd: &str) -> RawDist {
    RawDist::lognormal(d(mean), d(sd))
}

fn follow_up() -> RawDist {
    RawDist::exponential(d("4h"))
}

/// Channel mixes of the defaults.
const QUICK: [(Channel, f64); 5] = [
    (Channel::Email, 0.3),
    (Channel::Chat, 0.45),
    (Channel::Phone, 0.15),
    (Channel::Social, 0.05),
    (Channel::Sms, 0.05),
];
const ORDER_CHANGE: [(Channel, f64); 3] =
    [(Channel::Email, 0.4), (Channel::Chat, 0.4), (Channel::Phone, 0.2)];
const CASE: [(Channel, f64); 3] = [(Channel::Email, 0.5), (Channel::Chat, 0.3), (Channel::Phone, 0.2)];

/// `[support.contacts.wismo]`: "where is my order?". A key left out takes the default shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawWismo {
    /// Probability that an order's customer asks before the promised date (anxious customers).
    pub rate: f64,
    /// Probability of a contact when the promised date passes undelivered.
    pub late_rate: f64,
    /// Added to `late_rate` for each further day late.
    pub late_rate_per_day: f64,
    /// Share of late orders whose customer is told proactively (no contact).
    pub proactive_share: f64,
    /// Time from the order to an anxious customer's contact.
    pub delay: RawDist,
    /// Channel mix (channel -> share; shares sum to 1).
    pub channels: BTreeMap<String, f64>,
    /// Agent handle time of one reply (times the channel's handle_factor).
    pub handle_time: RawDist,
    /// Probability that one agent reply resolves the ticket; else the customer writes back.
    pub one_touch: f64,
    /// Share resolved by self-service (tracking page, help centre) without an agent.
    pub self_service: f64,
    /// Time until the customer writes back after a reply that did not resolve the ticket.
    pub follow_up_delay: RawDist,
}

impl Default for RawWismo {
    fn default() -> Self {
        Self {
            rate: 0.01,
            late_rate: 0.25,
            late_rate_per_day: 0.15,
            proactive_share: 0.0,
            delay: RawDist::uniform(d("1d"), d("3d")),
            channels: mix(&QUICK),
            handle_time: handle("4m", "2m"),
            one_touch: 0.9,
            self_service: 0.2,
            follow_up_delay: follow_up(),
        }
    }
}

/// A contact type that follows a trigger (an order, a parcel, a delivery, a loss, a return) at a
/// `rate`; its table type gives its defaults.
pub trait ContactTable {
    /// The contact type.
    const TYPE: ContactType;
    /// Its defaults: the one place they are written.
    fn defaults() -> RawTriggered<Self>
    where
        Self: Sized;
}

/// Marker types naming the tables of the contact types that follow a trigger.
pub mod table {
    use super::*;

    /// Defines the marker type of a contact table and its defaults.
    macro_rules! contact_table {
        ($marker:ident, $defaults:expr) => {
            #[doc = concat!("The `", stringify!($marker), "` contact table.")]
            #[derive(Clone, Copy, Debug, Default, PartialEq, JsonSchema)]
            pub struct $marker;

            impl ContactTable for $marker {
                const TYPE: ContactType = ContactType::$marker;
                fn defaults() -> RawTriggered<Self> {
                    $defaults
                }
            }
        };
    }

    /// A trigger's table with no self-service.
    fn triggered<K>(
        rate: f64,
        delay: &str,
        mix_: &[(Channel, f64)],
        h: (&str, &str),
        one_touch: f64,
    ) -> RawTriggered<K> {
        RawTriggered {
            rate,
            delay: RawDist::exponential(d(delay)),
            channels: mix(mix_),
            handle_time: handle(h.0, h.1),
            one_touch,
            self_service: 0.0,
            follow_up_delay: follow_up(),
            kind: PhantomData,
        }
    }

    contact_table!(
        Tracking,
        RawTriggered { self_service: 0.3, ..triggered(0.01, "12h", &QUICK, ("3m", "90s"), 0.95) }
    );
    contact_table!(ChangeOrder, triggered(0.01, "2h", &ORDER_CHANGE, ("5m", "150s"), 0.85));
    contact_table!(CancelOrder, triggered(0.005, "4h", &ORDER_CHANGE, ("5m", "150s"), 0.9));
    contact_table!(Damaged, triggered(0.7, "6h", &CASE, ("8m", "4m"), 1.0));
    contact_table!(WrongItem, triggered(0.8, "6h", &CASE, ("8m", "4m"), 1.0));
    contact_table!(Lost, triggered(0.9, "12h", &CASE, ("8m", "4m"), 1.0));
    contact_table!(
        Returns,
        RawTriggered {
            self_service: 0.3,
            ..triggered(
                0.15,
                "5d",
                &[(Channel::Email, 0.6), (Channel::Chat, 0.3), (Channel::Phone, 0.1)],
                ("5m", "150s"),
                0.85,
            )
        }
    );
}

/// `[support.contacts.<type>]` of a type that follows a trigger. A key left out takes the type's
/// own default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, bound = "K: ContactTable")]
#[schemars(bound = "K: ContactTable + JsonSchema", rename = "RawContact_{K}")]
pub struct RawTriggered<K> {
    /// Probability that one trigger (an order, a parcel, a return, a failure) creates a contact.
    pub rate: f64,
    /// Time from the trigger to the contact.
    pub delay: RawDist,
    /// Channel mix (channel -> share; shares sum to 1).
    pub channels: BTreeMap<String, f64>,
    /// Agent handle time of one reply (times the channel's handle_factor).
    pub handle_time: RawDist,
    /// Probability that one agent reply resolves the ticket; else the customer writes back.
    pub one_touch: f64,
    /// Share resolved by self-service (tracking page, help centre) without an agent.
    pub self_service: f64,
    /// Time until the customer writes back after a reply that did not resolve the ticket.
    pub follow_up_delay: RawDist,
    #[serde(skip)]
    #[schemars(skip)]
    kind: PhantomData<K>,
}

impl<K: ContactTable> Default for RawTriggered<K> {
    fn default() -> Self {
        K::defaults()
    }
}

/// `[support.contacts.presale]`: pre-sale questions, a Poisson stream independent of orders. A key
/// left out takes the default shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawPresale {
    /// Contacts per hour (Poisson).
    pub per_hour: f64,
    /// Time from the question to the contact.
    pub delay: RawDist,
    /// Channel mix (channel -> share; shares sum to 1).
    pub channels: BTreeMap<String, f64>,
    /// Agent handle time of one reply (times the channel's handle_factor).
    pub handle_time: RawDist,
    /// Probability that one agent reply resolves the ticket; else the customer writes back.
    pub one_touch: f64,
    /// Share resolved by self-service (tracking page, help centre) without an agent.
    pub self_service: f64,
    /// Time until the customer writes back after a reply that did not resolve the ticket.
    pub follow_up_delay: RawDist,
}

impl Default for RawPresale {
    fn default() -> Self {
        Self {
            per_hour: 5.0,
            delay: RawDist::constant(d("0s")),
            channels: mix(&[
                (Channel::Email, 0.3),
                (Channel::Chat, 0.5),
                (Channel::Social, 0.1),
                (Channel::Sms, 0.1),
            ]),
            handle_time: handle("5m", "150s"),
            one_touch: 0.9,
            self_service: 0.0,
            follow_up_delay: follow_up(),
        }
    }
}

/// One contact type's keys, whichever table holds them; `None` where the type has no such key.
struct Keys<'a> {
    rate: Option<f64>,
    /// `late_rate`, `late_rate_per_day`, `proactive_share`.
    late: Option<(f64, f64, f64)>,
    per_hour: Option<f64>,
    delay: &'a RawDist,
    channels: &'a BTreeMap<String, f64>,
    handle_time: &'a RawDist,
    one_touch: f64,
    self_service: f64,
    follow_up_delay: &'a RawDist,
}

impl RawWismo {
    fn keys(&self) -> Keys<'_> {
        Keys {
            rate: Some(self.rate),
            late: Some((self.late_rate, self.late_rate_per_day, self.proactive_share)),
            per_hour: None,
            delay: &self.delay,
            channels: &self.channels,
            handle_time: &self.handle_time,
            one_touch: self.one_touch,
            self_service: self.self_service,
            follow_up_delay: &self.follow_up_delay,
        }
    }
}

impl<K> RawTriggered<K> {
    fn keys(&self) -> Keys<'_> {
        Keys {
            rate: Some(self.rate),
            late: None,
            per_hour: None,
            delay: &self.delay,
            channels: &self.channels,
            handle_time: &self.handle_time,
            one_touch: self.one_touch,
            self_service: self.self_service,
            follow_up_delay: &self.follow_up_delay,
        }
    }
}

impl RawPresale {
    fn keys(&self) -> Keys<'_> {
        Keys {
            rate: None,
            late: None,
            per_hour: Some(self.per_hour),
            delay: &self.delay,
            channels: &self.channels,
            handle_time: &self.handle_time,
            one_touch: self.one_touch,
            self_service: self.self_service,
            follow_up_delay: &self.follow_up_delay,
        }
    }
}

/// The keys `[support.contacts.<kind>]` takes, in the order of its table type.
fn keys_of(kind: ContactType) -> Vec<String> {
    let schema = match kind {
        ContactType::Wismo => schemars::schema_for!(RawWismo),
        ContactType::Presale => schemars::schema_for!(RawPresale),
        // Every type that follows a trigger has the same keys.
        _ => schemars::schema_for!(RawTriggered<table::Tracking>),
    };
    let value = serde_json::to_value(schema).unwrap_or_default();
    value
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// For `field`, unknown at `key` (`support.contacts.<kind>.<field>`) but a key of another
/// contact type: why this type does not take it, and the keys it does take.
pub(crate) fn misplaced_contact_key(key: &str, field: &str) -> Option<(String, String)> {
    let table = key.strip_prefix("support.contacts.")?.strip_suffix(field)?.strip_suffix('.')?;
    let kind = ContactType::ALL.into_iter().find(|k| k.name() == table)?;
    let owners: Vec<ContactType> =
        ContactType::ALL.into_iter().filter(|&k| keys_of(k).iter().any(|f| f == field)).collect();
    let why = match owners.as_slice() {
        [] => return None,
        [only] => format!("it applies to contacts.{} only", only.name()),
        _ if !kind.follows_orders() => "pre-sale questions do not follow orders".to_string(),
        _ => format!("contacts.{table} does not take it"),
    };
    let mut help = format!("contacts.{table} takes {}", keys_of(kind).join(", "));
    if !kind.follows_orders() && field == "rate" {
        help = format!("give their arrival rate as `per_hour`; {help}");
    }
    Some((format!("unknown key `{field}`: {why}"), help))
}

/// A contact type after validation.
#[derive(Clone, Debug)]
pub struct Contact {
    /// Probability per trigger (0 for pre-sale questions).
    pub rate: f64,
    /// WISMO: probability when the promised date passes (0 for other types).
    pub late_rate: f64,
    /// WISMO: rise per day late.
    pub late_rate_per_day: f64,
    /// WISMO: share told proactively.
    pub proactive_share: f64,
    /// Pre-sale: contacts per hour (0 for other types).
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

/// The channels with a share but the last, with cumulative shares, and the last one.
fn validate_mix(
    c: &mut Checker,
    path: &str,
    channels: &BTreeMap<String, f64>,
) -> (Vec<(Channel, f64)>, Channel) {
    let mut shares = PerChannel::<f64>::default();
    if channels.is_empty() {
        c.fail(format!("{path}.channels"), "needs at least one channel with a share");
    }
    for (k, v) in channels {
        let key = format!("{path}.channels.{k}");
        if let Some(ch) = channel_named(c, &key, k) {
            shares[ch] += c.share(&key, *v);
        }
    }
    if !channels.is_empty() {
        c.sums_to_one(&format!("{path}.channels"), shares.values().copied());
    }
    // The last channel with a share takes whatever the others do not, so rounding never leaves
    // a draw without a channel.
    let mut mix = Vec::new();
    let mut acc = 0.0;
    for (ch, &share) in shares.iter().filter(|(_, s)| **s > 0.0) {
        acc += share;
        mix.push((ch, acc));
    }
    // An empty mix is refused above; email stands in meanwhile.
    let last = mix.pop().map_or(Channel::Email, |(ch, _)| ch);
    (mix, last)
}

fn validate_contact(c: &mut Checker, kind: ContactType, raw: &Keys<'_>) -> Contact {
    let path = format!("support.contacts.{}", kind.name());
    let (channel_mix, last_channel) = validate_mix(c, &path, raw.channels);
    let per_hour = raw.per_hour.map_or(0.0, |v| c.non_negative(&format!("{path}.per_hour"), v));
    if per_hour.is_finite() && per_hour > MAX_CONTACTS_PER_HOUR {
        c.fail(
            format!("{path}.per_hour"),
            format!(
                "{} contacts an hour is beyond the model's limit of {MAX_CONTACTS_PER_HOUR} an hour",
                num(per_hour)
            ),
        );
    }
    let mut share = |key: &str, v: f64| c.share(&format!("{path}.{key}"), v);
    let rate = raw.rate.map_or(0.0, |v| share("rate", v));
    let (late_rate, late_rate_per_day, proactive_share) = raw.late.map_or((0.0, 0.0, 0.0), |(l, d, p)| {
        (share("late_rate", l), share("late_rate_per_day", d), share("proactive_share", p))
    });
    Contact {
        rate,
        late_rate,
        late_rate_per_day,
        proactive_share,
        per_hour,
        delay: c.dist(&format!("{path}.delay"), raw.delay, UnitKind::Duration),
        channel_mix,
        last_channel,
        handle_time: c.dist(&format!("{path}.handle_time"), raw.handle_time, UnitKind::Duration),
        one_touch: c.share(&format!("{path}.one_touch"), raw.one_touch),
        self_service: c.share(&format!("{path}.self_service"), raw.self_service),
        follow_up_delay: c.dist(&format!("{path}.follow_up_delay"), raw.follow_up_delay, UnitKind::Duration),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wismo_key_in_another_contact_table_says_whose_it_is() {
        let (message, help) =
            misplaced_contact_key("support.contacts.tracking.late_rate", "late_rate").unwrap();
        assert_eq!(message, "unknown key `late_rate`: it applies to contacts.wismo only");
        assert!(help.starts_with("contacts.tracking takes rate, delay, channels"), "{help}");
    }

    #[test]
    fn a_rate_for_presale_questions_points_to_per_hour() {
        let (message, help) = misplaced_contact_key("support.contacts.presale.rate", "rate").unwrap();
        assert_eq!(message, "unknown key `rate`: pre-sale questions do not follow orders");
        assert!(
            help.starts_with("give their arrival rate as `per_hour`; contacts.presale takes per_hour"),
            "{help}"
        );
    }

    #[test]
    fn a_key_no_contact_type_takes_is_left_to_the_usual_message() {
        assert_eq!(misplaced_contact_key("support.contacts.tracking.rte", "rte"), None);
        assert_eq!(misplaced_contact_key("demand.late_rate", "late_rate"), None);
    }
}
