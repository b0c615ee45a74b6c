//! The scenario reference and KPI table in Markdown, generated from the JSON Schema of the raw types
//! and the KPI definitions (a test keeps docs/scenarios.md and docs/kpis.md in step). Text only.

use serde_json::Value;

/// The Markdown reference of every section and key: default and meaning.
pub fn markdown() -> String {
    let schema = serde_json::to_value(schemars::schema_for!(super::RawScenario)).unwrap_or_default();
    let defs = schema.get("$defs").cloned().unwrap_or_default();
    let mut out = String::new();
    section(&mut out, &schema, &defs, "", false);
    out
}

fn resolve<'a>(v: &'a Value, defs: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => defs.get(r.trim_start_matches("#/$defs/")).unwrap_or(v),
        None => v,
    }
}

/// The definition a property refers to, through arrays and optional wrappers.
fn target<'a>(prop: &'a Value, defs: &'a Value) -> (&'a Value, bool) {
    if let Some(items) = prop.get("items") {
        return (resolve(items, defs), true);
    }
    if let Some(any) = prop.get("anyOf").and_then(Value::as_array)
        && let Some(first) = any.iter().find(|v| v.get("$ref").is_some())
    {
        return (resolve(first, defs), false);
    }
    (resolve(prop, defs), false)
}

/// A table of keys of its own (a distribution, which has `dist`, is one key's value instead).
fn is_section(def: &Value) -> bool {
    def.get("properties").is_some_and(|p| p.get("dist").is_none())
}

fn section(out: &mut String, def: &Value, defs: &Value, path: &str, array: bool) {
    let Some(props) = def.get("properties").and_then(Value::as_object) else { return };
    let mut nested = Vec::new();
    let mut rows = Vec::new();
    for (key, prop) in props {
        let (t, is_array) = target(prop, defs);
        let child = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
        if is_section(t) {
            nested.push((child, t, is_array, prop));
            continue;
        }
        let meaning = prop.get("description").and_then(Value::as_str).unwrap_or("").replace('\n', " ");
        let default = prop.get("default").map(literal).unwrap_or_else(|| "(none)".to_string());
        rows.push(format!("| `{key}` | `{default}` | {meaning} |\n"));
    }
    if !path.is_empty() {
        let header = if array { format!("[[{path}]]") } else { format!("[{path}]") };
        out.push_str(&format!("#### `{header}`\n\n"));
        if let Some(d) = def.get("description").and_then(Value::as_str) {
            out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
        }
        if !rows.is_empty() {
            out.push_str("| key | default | meaning |\n|---|---|---|\n");
            for r in rows {
                out.push_str(&r);
            }
            out.push('\n');
        }
    } else if !rows.is_empty() {
        out.push_str("#### top level\n\n| key | default | meaning |\n|---|---|---|\n");
        for r in rows {
            out.push_str(&r);
        }
        out.push('\n');
    }
    for (child, t, is_array, prop) in nested {
        let mut t = t.clone();
        if let (Some(obj), Some(d)) = (t.as_object_mut(), prop.get("description")) {
            obj.insert("description".into(), d.clone());
        }
        section(out, &t, defs, &child, is_array);
    }
}

/// A default value written as TOML would write it, compactly.
fn literal(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let names: Vec<String> = items
                .iter()
                .map(|i| i.get("name").and_then(Value::as_str).unwrap_or("?").to_string())
                .collect();
            format!("{} entries: {}", items.len(), names.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(literal).collect::<Vec<_>>().join(", ")),
        Value::Object(map) if map.is_empty() => "{}".to_string(),
        Value::Object(map) => {
            let fields: Vec<String> = map.iter().map(|(k, v)| format!("{k} = {}", literal(v))).collect();
            format!("{{ {} }}", fields.join(", "))
        }
        other => other.to_string(),
    }
}

/// The KPI definitions in Markdown.
pub fn kpi_markdown() -> String {
    use crate::kpi::{
        CUSTOMER_KPIS, FULFILMENT_KPIS, INVENTORY_KPIS, RETURNS_KPIS, SUPPORT_KPIS, channel_kpis, reason_kpis,
    };
    let per_channel = channel_kpis(super::support::Channel::Chat);
    let per_reason = reason_kpis(super::support::ContactType::Wismo);
    let groups = [
        ("always", FULFILMENT_KPIS),
        ("`[inventory]`", INVENTORY_KPIS),
        ("`[customers]`", CUSTOMER_KPIS),
        ("`[returns]`", RETURNS_KPIS),
        ("`[support]`", SUPPORT_KPIS),
        (
            "`[support]`, per contact type (`wismo_` shown; also `tracking_`, `change_order_`, `cancel_order_`, `damaged_`, `wrong_item_`, `lost_`, `returns_`, `presale_`)",
            per_reason,
        ),
        (
            "`[support]`, per channel used (`chat_` shown; also `email_`, `phone_`, `social_`, `sms_`; abandonment on real-time channels only)",
            per_channel,
        ),
    ];
    let mut out = String::from("| KPI | unit | reported | definition |\n|---|---|---|---|\n");
    for (when, defs) in groups {
        for d in defs {
            out.push_str(&format!("| `{}` | {} | {when} | {} |\n", d.name, d.unit.as_str(), d.definition));
        }
    }
    out
}
