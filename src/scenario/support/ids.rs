//! Support's typed ids: the contact channels and the contact types, each with what the model
//! needs to know about it, and the small maps (`PerChannel`, `PerContact`) keyed by them.

use std::ops::{Index, IndexMut};

/// A contact channel. Declaration order is the fixed channel order of every output (KPIs, daily
/// columns, the tier check). A new channel is a variant here, its facts in the methods below, its
/// `[support.channels.<name>]` table in `RawChannels`, and its KPI and daily column names
/// (`kpi::channel_kpis`, `kpi::channel_daily_columns`); the compiler points at each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Channel {
    /// Email.
    Email,
    /// Chat.
    Chat,
    /// Phone.
    Phone,
    /// Social media.
    Social,
    /// SMS / WhatsApp.
    Sms,
}

impl Channel {
    /// How many channels there are.
    pub const COUNT: usize = 5;
    /// Every channel, in channel order.
    pub const ALL: [Channel; Channel::COUNT] =
        [Channel::Email, Channel::Chat, Channel::Phone, Channel::Social, Channel::Sms];
    /// The routing priority a scenario gets by default: real-time channels first.
    pub const DEFAULT_PRIORITY: [Channel; Channel::COUNT] =
        [Channel::Phone, Channel::Chat, Channel::Sms, Channel::Social, Channel::Email];

    /// The name in scenario files, KPI names and daily columns.
    pub const fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Phone => "phone",
            Channel::Social => "social",
            Channel::Sms => "sms",
        }
    }

    /// The channel named `name`.
    pub fn from_name(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Every channel's name, in channel order.
    pub fn names() -> [&'static str; Channel::COUNT] {
        Channel::ALL.map(Channel::name)
    }

    /// Whether customers wait live on it and may give up (abandonment, patience, retries).
    pub const fn is_real_time(self) -> bool {
        match self {
            Channel::Chat | Channel::Phone | Channel::Sms => true,
            Channel::Email | Channel::Social => false,
        }
    }

    /// Whether an agent holds several of its conversations at once (`chat_concurrency`); a reply
    /// on any other channel takes the whole agent.
    pub const fn is_concurrent(self) -> bool {
        matches!(self, Channel::Chat)
    }

    /// Its position in channel order.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// What a contact is about. Declaration order is fixed: it keys each type's random stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ContactType {
    /// "Where is my order?".
    Wismo,
    /// Tracking-code question after shipping.
    Tracking,
    /// Change address or payment before shipping.
    ChangeOrder,
    /// Cancel the order.
    CancelOrder,
    /// Item arrived damaged.
    Damaged,
    /// Wrong item delivered.
    WrongItem,
    /// Parcel lost.
    Lost,
    /// Return or refund status.
    Returns,
    /// Pre-sale question.
    Presale,
}

impl ContactType {
    /// How many contact types there are.
    pub const COUNT: usize = 9;
    /// Every contact type, in order.
    pub const ALL: [ContactType; ContactType::COUNT] = [
        ContactType::Wismo,
        ContactType::Tracking,
        ContactType::ChangeOrder,
        ContactType::CancelOrder,
        ContactType::Damaged,
        ContactType::WrongItem,
        ContactType::Lost,
        ContactType::Returns,
        ContactType::Presale,
    ];

    /// The name in scenario files (`[support.contacts.<name>]`).
    pub const fn name(self) -> &'static str {
        match self {
            ContactType::Wismo => "wismo",
            ContactType::Tracking => "tracking",
            ContactType::ChangeOrder => "change_order",
            ContactType::CancelOrder => "cancel_order",
            ContactType::Damaged => "damaged",
            ContactType::WrongItem => "wrong_item",
            ContactType::Lost => "lost",
            ContactType::Returns => "returns",
            ContactType::Presale => "presale",
        }
    }

    /// Whether the agent's first reply opens a case for the back office.
    pub const fn is_forwarded(self) -> bool {
        matches!(self, ContactType::Damaged | ContactType::WrongItem | ContactType::Lost)
    }

    /// Whether its contacts follow orders (a `rate` per trigger); pre-sale questions arrive on
    /// their own (`per_hour`).
    pub const fn follows_orders(self) -> bool {
        !matches!(self, ContactType::Presale)
    }

    /// Its position in order (it keys the type's random stream).
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// Defines a fixed-size map from every value of an id enum to a `T`.
macro_rules! per_id_map {
    ($(#[$doc:meta])* $map:ident, $id:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub struct $map<T>([T; $id::COUNT]);

        impl<T> $map<T> {
            /// The map holding `f(id)` for every id.
            pub fn from_fn(mut f: impl FnMut($id) -> T) -> Self {
                Self(std::array::from_fn(|i| f($id::ALL[i])))
            }

            /// Every (id, value), in id order.
            pub fn iter(&self) -> impl Iterator<Item = ($id, &T)> {
                $id::ALL.into_iter().zip(&self.0)
            }

            /// Every value, in id order.
            pub fn values(&self) -> impl Iterator<Item = &T> {
                self.0.iter()
            }
        }

        impl<T> Index<$id> for $map<T> {
            type Output = T;
            #[inline(always)]
            fn index(&self, id: $id) -> &T {
                &self.0[id.index()]
            }
        }

        impl<T> IndexMut<$id> for $map<T> {
            #[inline(always)]
            fn index_mut(&mut self, id: $id) -> &mut T {
                &mut self.0[id.index()]
            }
        }
    };
}

per_id_map!(
    /// One `T` per channel, indexed by `Channel`.
    PerChannel,
    Channel
);
per_id_map!(
    /// One `T` per contact type, indexed by `ContactType`.
    PerContact,
    ContactType
);

impl PerChannel<bool> {
    /// The channels marked `true`, in channel order.
    pub fn marked(&self) -> impl Iterator<Item = Channel> + '_ {
        self.iter().filter(|&(_, &on)| on).map(|(c, _)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_sits_at_its_own_index() {
        assert!(Channel::ALL.iter().enumerate().all(|(i, c)| c.index() == i));
        assert!(ContactType::ALL.iter().enumerate().all(|(i, k)| k.index() == i));
    }

    #[test]
    fn channels_are_found_by_name() {
        assert!(Channel::ALL.iter().all(|&c| Channel::from_name(c.name()) == Some(c)));
        assert_eq!(Channel::from_name("fax"), None);
    }

    #[test]
    fn the_default_priority_lists_every_channel_once() {
        let mut p = Channel::DEFAULT_PRIORITY;
        p.sort();
        assert_eq!(p, Channel::ALL);
    }

    #[test]
    fn a_map_iterates_in_channel_order() {
        let used = PerChannel::from_fn(|c| c.is_real_time());
        assert_eq!(used.marked().collect::<Vec<_>>(), [Channel::Chat, Channel::Phone, Channel::Sms]);
        let mut n = PerChannel::<u32>::default();
        n[Channel::Sms] += 2;
        assert_eq!(n.iter().map(|(_, v)| *v).collect::<Vec<_>>(), [0, 0, 0, 0, 2]);
    }
}
