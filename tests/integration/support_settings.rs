//! Support settings as a planner writes them: each channel and contact type keeps its own
//! defaults for the keys a table leaves out, the resolved scenario states them, and the model
//! runs on exactly those values.

use o2d::scenario::support::{Channel, ContactType, RawChannels, RawContacts, RawSupport};

use crate::support::load_text;

const PARTIAL: &str = r#"
[run]
days = 3

[support.channels.chat]
sla = "2m"

[support.contacts.presale]
per_hour = 10

[support.contacts.tracking]
channels = { email = 1.0 }
"#;

#[test]
fn a_table_left_partly_out_keeps_its_own_channel_and_contact_defaults() {
    let sc = load_text(PARTIAL, &[]);
    let resolved = sc.resolved.support.expect("support is modelled");
    let (channels, contacts) = (RawChannels::default(), RawContacts::default());
    assert_eq!(resolved.channels.chat.sla, "2m");
    // Chat's own patience and retries, not those of another channel or a shared fallback.
    assert_eq!(resolved.channels.chat.patience, channels.chat.patience);
    assert_eq!(resolved.channels.chat.retry_delay, channels.chat.retry_delay);
    assert_eq!(resolved.contacts.presale.per_hour, 10.0);
    assert_eq!(resolved.contacts.presale.channels, contacts.presale.channels);
    assert_eq!(resolved.contacts.tracking.rate, contacts.tracking.rate);
    assert_eq!(resolved.contacts.tracking.self_service, contacts.tracking.self_service);
}

#[test]
fn an_empty_support_section_resolves_to_the_documented_defaults() {
    let sc = load_text("[run]\ndays = 3\n\n[support]\n", &[]);
    assert_eq!(sc.resolved.support, Some(RawSupport::default()));
}

#[test]
fn the_model_runs_on_the_defaults_the_file_types_state() {
    let sc = load_text("[run]\ndays = 3\n\n[support]\n", &[]);
    let s = sc.support.expect("support is modelled");
    let raw = RawSupport::default();
    assert_eq!(s.contacts[ContactType::Presale].per_hour, raw.contacts.presale.per_hour);
    assert_eq!(s.contacts[ContactType::Wismo].late_rate, raw.contacts.wismo.late_rate);
    assert_eq!(s.contacts[ContactType::Lost].one_touch, raw.contacts.lost.one_touch);
    assert_eq!(s.channels[Channel::Phone].handle_factor, raw.channels.phone.handle_factor);
    assert!(s.channels[Channel::Email].patience.is_none() && s.channels[Channel::Sms].patience.is_some());
    // Only the types that follow orders have a rate; only pre-sale questions an hourly rate.
    assert_eq!(s.contacts[ContactType::Presale].rate, 0.0);
    assert_eq!(s.contacts[ContactType::Tracking].per_hour, 0.0);
}

#[test]
fn the_resolved_file_states_each_contact_types_own_keys_only() {
    let sc = load_text(PARTIAL, &[]);
    let text = toml::to_string(&sc.resolved).unwrap();
    let table = |name: &str| {
        let start =
            text.find(&format!("[support.contacts.{name}]\n")).unwrap_or_else(|| panic!("{name} table"));
        let rest = &text[start + 1..];
        rest[..rest.find("\n[").unwrap_or(rest.len())].to_string()
    };
    assert!(table("wismo").contains("late_rate = 0.25"), "{}", table("wismo"));
    assert!(!table("tracking").contains("late_rate"), "{}", table("tracking"));
    assert!(table("presale").contains("per_hour = 10.0") && !table("presale").contains("rate = "));
}
