//! `[support.channels]`: each channel's table with its own defaults, the validated settings, the
//! routing priority, and which channels a scenario's contacts can reach.

use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::contacts::Contact;
use super::ids::{Channel, PerChannel, PerContact};
use crate::dist::{Dist, Quantity, RawDist, UnitKind};
use crate::kernel::Time;
use crate::scenario::check::Checker;

/// The channel whose `[support.channels.<name>]` table a type is; it gives the table's defaults.
pub trait ChannelTable {
    /// The channel.
    const CHANNEL: Channel;
}

/// Defines a marker type per channel table.
macro_rules! channel_tables {
    ($($marker:ident),* $(,)?) => {$(
        #[doc = concat!("The `", stringify!($marker), "` channel's table.")]
        #[derive(Clone, Copy, Debug, Default, PartialEq, JsonSchema)]
        pub struct $marker;

        impl ChannelTable for $marker {
            const CHANNEL: Channel = Channel::$marker;
        }
    )*};
}

/// Marker types naming each channel's table.
pub mod table {
    use super::{Channel, ChannelTable, JsonSchema};
    channel_tables!(Email, Chat, Phone, Social, Sms);
}

/// `[support.channels]`: one table per channel.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RawChannels {
    /// Email (queues without abandonment).
    pub email: RawChannel<table::Email>,
    /// Chat (real-time).
    pub chat: RawChannel<table::Chat>,
    /// Phone (real-time).
    pub phone: RawChannel<table::Phone>,
    /// Social media (queues without abandonment).
    pub social: RawChannel<table::Social>,
    /// SMS / WhatsApp (real-time).
    pub sms: RawChannel<table::Sms>,
}

impl RawChannels {
    /// Every channel's settings, validated.
    pub(super) fn validate(&self, c: &mut Checker) -> PerChannel<ChannelSettings> {
        PerChannel::from_fn(|ch| match ch {
            Channel::Email => validate_channel(c, &self.email),
            Channel::Chat => validate_channel(c, &self.chat),
            Channel::Phone => validate_channel(c, &self.phone),
            Channel::Social => validate_channel(c, &self.social),
            Channel::Sms => validate_channel(c, &self.sms),
        })
    }
}

/// `[support.channels.<name>]`: one channel. A key left out takes this channel's own default.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, bound = "C: ChannelTable")]
#[schemars(bound = "C: ChannelTable + JsonSchema", rename = "RawChannel_{C}")]
pub struct RawChannel<C> {
    /// First-response SLA target (a duration).
    pub sla: String,
    /// Whether customers give up waiting (real-time channels only).
    pub abandons: bool,
    /// Customer patience on real-time channels (chat, phone, sms): a customer who waits longer abandons.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patience: Option<RawDist>,
    /// Handle time on this channel = the contact type's handle time x this factor.
    pub handle_factor: f64,
    /// Share of customers who abandon and try again later (real-time channels).
    pub retry_rate: f64,
    /// Channel a retrying customer uses (also where customers write when a real-time channel is closed).
    pub retry_channel: String,
    /// Time from abandoning to retrying (real-time channels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_delay: Option<RawDist>,
    #[serde(skip)]
    #[schemars(skip)]
    channel: PhantomData<C>,
}

fn d(v: &str) -> Quantity {
    Quantity::Text(v.into())
}

impl<C: ChannelTable> Default for RawChannel<C> {
    /// The channel's defaults: the one place they are written.
    fn default() -> Self {
        let queued = |sla: &str, handle_factor: f64| RawChannel {
            sla: sla.into(),
            abandons: false,
            patience: None,
            handle_factor,
            retry_rate: 0.0,
            retry_channel: Channel::Email.name().into(),
            retry_delay: None,
            channel: PhantomData,
        };
        let live = |sla: &str, patience: &str, handle_factor: f64| RawChannel {
            abandons: true,
            patience: Some(RawDist::exponential(d(patience))),
            retry_rate: 0.5,
            retry_delay: Some(RawDist::exponential(d("1h"))),
            ..queued(sla, handle_factor)
        };
        match C::CHANNEL {
            Channel::Email => queued("24h", 0.8),
            Channel::Chat => live("5m", "4m", 1.3),
            Channel::Phone => live("1m", "3m", 1.0),
            Channel::Social => queued("4h", 0.8),
            Channel::Sms => live("10m", "30m", 1.2),
        }
    }
}

/// A channel's settings after validation.
#[derive(Clone, Debug)]
pub struct ChannelSettings {
    /// First-response SLA, ms.
    pub sla_ms: Time,
    /// Patience, seconds (real-time channels whose customers abandon).
    pub patience: Option<Dist>,
    /// Handle-time factor.
    pub handle_factor: f64,
    /// Retry probability after abandoning.
    pub retry_rate: f64,
    /// The channel retries use (and customers while this one is closed).
    pub retry_channel: Channel,
    /// Retry delay, seconds (real-time channels).
    pub retry_delay: Option<Dist>,
}

/// The channel `name` names; `None` (and a problem at `path`) when it names none.
pub(super) fn channel_named(c: &mut Checker, path: &str, name: &str) -> Option<Channel> {
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

fn validate_channel<C: ChannelTable>(c: &mut Checker, raw: &RawChannel<C>) -> ChannelSettings {
    let ch = C::CHANNEL;
    let path = format!("support.channels.{}", ch.name());
    let real_time = ch.is_real_time();
    let not_live =
        || format!("{} is not a real-time channel: its customers do not wait on the line", ch.name());
    if raw.abandons && !real_time {
        c.fail_help(
            format!("{path}.abandons"),
            not_live(),
            "abandonment applies to chat, phone and sms".to_string(),
        );
    }
    if raw.abandons && real_time && raw.patience.is_none() {
        c.fail(
            format!("{path}.patience"),
            "customers abandon, so give their patience (a duration distribution)",
        );
    }
    let patience = match (&raw.patience, real_time) {
        (Some(p), true) if raw.abandons => Some(c.dist(&format!("{path}.patience"), p, UnitKind::Duration)),
        (Some(p), true) => {
            c.dist(&format!("{path}.patience"), p, UnitKind::Duration);
            None
        }
        (Some(_), false) => {
            let help = "patience applies to chat, phone and sms; remove it here".to_string();
            c.fail_help(format!("{path}.patience"), not_live(), help);
            None
        }
        (None, _) => None,
    };
    if !real_time && raw.retry_rate > 0.0 {
        c.fail(format!("{path}.retry_rate"), format!("{} has no abandonment, so nobody retries", ch.name()));
    }
    let retry_path = format!("{path}.retry_channel");
    ChannelSettings {
        sla_ms: c.duration_ms(&format!("{path}.sla"), &raw.sla),
        patience,
        handle_factor: c.positive(&format!("{path}.handle_factor"), raw.handle_factor),
        retry_rate: c.share(&format!("{path}.retry_rate"), raw.retry_rate),
        // An unknown name is refused; the channel itself stands in meanwhile.
        retry_channel: channel_named(c, &retry_path, &raw.retry_channel).unwrap_or(ch),
        retry_delay: raw
            .retry_delay
            .as_ref()
            .map(|r| c.dist(&format!("{path}.retry_delay"), r, UnitKind::Duration)),
    }
}

/// The routing priority: every channel once.
pub(super) fn validate_priority(c: &mut Checker, raw: &[String]) -> [Channel; Channel::COUNT] {
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
pub(super) fn used_channels(
    contacts: &PerContact<Contact>,
    channels: &PerChannel<ChannelSettings>,
) -> PerChannel<bool> {
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
