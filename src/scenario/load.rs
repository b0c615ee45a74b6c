//! Loads a scenario: reads the text (refusing directories, huge or non-UTF-8 files), applies
//! `--set` overrides, deserializes with key paths and validates, locating every problem in the text.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Scenario;
use super::check::Issue;
use super::files;
use super::raw::{RawScenario, default_carriers};
use super::validate::validate;
use crate::error::{Error, Problem, Result};

/// The embedded default scenario: a retailer's November-December season.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/holiday-season.toml");

/// Scenario files larger than this are refused before parsing (a hand-written scenario is a
/// few kilobytes; this guards against a wrong file passed by mistake).
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;

/// Where a scenario comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The embedded default scenario.
    Default,
    /// A file on disk.
    File(PathBuf),
    /// Text with a display name (tests, `compare` variants).
    Text {
        /// Name shown in errors and used as the scenario name.
        name: String,
        /// The TOML text.
        text: String,
    },
}

impl Source {
    fn display(&self) -> String {
        match self {
            Source::Default => "<default:holiday-season.toml>".to_string(),
            Source::File(p) => p.display().to_string(),
            Source::Text { name, .. } => name.clone(),
        }
    }

    fn stem(&self) -> String {
        match self {
            Source::Default => "holiday-season".to_string(),
            Source::File(p) => p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            Source::Text { name, .. } => {
                Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
            }
        }
    }

    /// The scenario file, when the scenario is one (its folder is where the files it names are).
    fn file(&self) -> Option<&Path> {
        match self {
            Source::File(p) => Some(p),
            Source::Default | Source::Text { .. } => None,
        }
    }

    fn read(&self) -> Result<String> {
        match self {
            Source::Default => Ok(DEFAULT_SCENARIO.to_string()),
            Source::Text { text, .. } => Ok(text.clone()),
            Source::File(path) => read_scenario_file(path),
        }
    }
}

/// Reads a scenario file through the `MAX_SCENARIO_BYTES` limit (a pipe or `<(...)` works; an
/// endless device is refused after the limit); the text must be UTF-8.
pub fn read_scenario_file(path: &Path) -> Result<String> {
    use crate::input::{ReadError, read_bounded};
    let input = |message: String| Error::Input { path: path.to_path_buf(), message };
    let bytes = read_bounded(path, MAX_SCENARIO_BYTES).map_err(|e| {
        input(match e {
            ReadError::Io(e) => format!("cannot read the scenario: {e}"),
            ReadError::Directory => "is a directory, not a scenario file (pass a .toml file)".to_string(),
            too_large => too_large.message("scenario files", MAX_SCENARIO_BYTES),
        })
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = line_col(&String::from_utf8_lossy(&e.into_bytes()[..at]), at);
        Error::Scenario(vec![Problem {
            file: path.display().to_string(),
            line,
            column,
            key: String::new(),
            message: "not valid UTF-8 text: scenario files must be UTF-8".to_string(),
            help: Some("save the file as UTF-8 in your editor".to_string()),
        }])
    })
}

/// One `--set KEY=VALUE` override.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// Dotted key path, e.g. `demand.orders_per_day` or `carriers[0].capacity_per_day`.
    pub key: String,
    /// The value as typed: a TOML value (`5`, `0.9`, `"2h"`, `[1, 2]`) or bare text (a string).
    pub value: String,
}

impl Override {
    /// Parses `KEY=VALUE`; the key must be a well-formed dotted path.
    pub fn parse(text: &str) -> Result<Self> {
        let (key, value) = text.split_once('=').ok_or_else(|| {
            Error::Usage(format!("--set `{text}`: expected KEY=VALUE, e.g. demand.orders_per_day=5000"))
        })?;
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::Usage(format!("--set `{text}`: the key is empty")));
        }
        check_key(key).map_err(|why| Error::Usage(format!("--set `{text}`: {why}")))?;
        Ok(Self { key: key.to_string(), value: value.trim().to_string() })
    }

    /// How the problem is named in messages: the flag and its value.
    pub fn flag(&self) -> String {
        format!("--set {}={}", self.key, self.value)
    }
}

/// A key path split into table keys and array indices.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// Splits a dotted key path (`carriers[0].transit.mean`, or `carriers.0.transit.mean`) into its
/// keys and list indices; says what is wrong with a malformed one.
fn parse_path(path: &str) -> std::result::Result<Vec<Seg>, String> {
    let example = "e.g. demand.orders_per_day or carriers[0].share";
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if name.is_empty() && rest.is_empty() {
            return Err(format!("`{path}` has an empty part between dots: write a dotted key, {example}"));
        }
        if name.contains(']') {
            return Err(format!("`{path}` has a `]` without its `[`: write {example}"));
        }
        match name.parse::<usize>() {
            Ok(i) if rest.is_empty() => segs.push(Seg::Index(i)),
            _ if name.is_empty() && segs.is_empty() => {
                return Err(format!("`{path}` starts with an index: it must start with a key, {example}"));
            }
            _ if !name.is_empty() => segs.push(Seg::Key(name.to_string())),
            _ => {}
        }
        while !rest.is_empty() {
            let inner = rest.strip_prefix('[').and_then(|r| r.split_once(']'));
            let Some((index, after)) = inner else {
                return Err(format!("`{path}`: `{rest}` is not a list index: write {example}"));
            };
            let i = index.trim().parse::<usize>().map_err(|_| {
                format!("`[{index}]` is not a list index: indices are whole numbers from 0, e.g. carriers[0]")
            })?;
            segs.push(Seg::Index(i));
            rest = after;
        }
    }
    Ok(segs)
}

/// Checks that `key` is a well-formed dotted key path (for `--set`, `--vary` and `[sweep]` keys);
/// the error says what is wrong.
pub fn check_key(key: &str) -> std::result::Result<(), String> {
    parse_path(key).map(|_| ())
}

/// Why a sweep over `key` would be a sweep in name only (every point runs the same), if it would.
pub fn unsweepable(key: &str) -> Option<&'static str> {
    let segs = split_path(key);
    let first = |name: &str| segs.first() == Some(&Seg::Key(name.to_string()));
    let second = |name: &str| segs.get(1) == Some(&Seg::Key(name.to_string()));
    if first("run") && second("replications") {
        Some("every point runs the sweep's replications (run.replications or --replications): it cannot vary")
    } else if first("run") && (second("name") || second("description")) {
        Some("a label does not change the simulation: every point would be the same")
    } else if first("targets") {
        Some("targets judge the KPIs, they do not change them: every point would be the same")
    } else if first("sweep") {
        Some("the sweep table cannot sweep itself")
    } else {
        None
    }
}

/// A key path of this program's own making (always well formed) as segments.
fn split_path(path: &str) -> Vec<Seg> {
    parse_path(path).unwrap_or_default()
}

/// A `--set` value as TOML; text that is not a TOML value is a string, and so is a bare date or
/// time (`2026-11-01`), which the scenario always writes as a string.
fn parse_override_value(text: &str) -> toml_edit::Value {
    match text.parse::<toml_edit::Value>() {
        Ok(toml_edit::Value::Datetime(d)) => toml_edit::Value::from(d.value().to_string()),
        Ok(v) => v,
        Err(_) => toml_edit::Value::from(text),
    }
}

/// Applies overrides to the document text; returns the new text.
fn apply_overrides(text: &str, overrides: &[Override], file: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
        Error::Scenario(vec![Problem {
            file: file.to_string(),
            line,
            column,
            key: String::new(),
            message: first_line(e.message()),
            help: None,
        }])
    })?;
    for o in overrides {
        let value = parse_override_value(&o.value);
        parse_path(&o.key).and_then(|segs| set_in_table(doc.as_table_mut(), &segs, value)).map_err(
            |message| {
                Error::Scenario(vec![Problem {
                    file: o.flag(),
                    line: 0,
                    column: 0,
                    key: o.key.clone(),
                    message,
                    help: None,
                }])
            },
        )?;
    }
    Ok(doc.to_string())
}

/// Sets `value` at the key path `segs` below `table`, creating missing tables.
fn set_in_table(
    table: &mut dyn toml_edit::TableLike,
    segs: &[Seg],
    value: toml_edit::Value,
) -> std::result::Result<(), String> {
    match segs {
        [] | [Seg::Index(_), ..] => {
            Err("the key must be a dotted name, e.g. demand.orders_per_day".to_string())
        }
        [Seg::Key(k)] => {
            table.insert(k, toml_edit::Item::Value(value));
            Ok(())
        }
        [Seg::Key(k), Seg::Index(i), rest @ ..] => {
            let item = table.get_mut(k).ok_or_else(|| format!("there is no list `{k}` to index"))?;
            let len = match item {
                toml_edit::Item::ArrayOfTables(a) => a.len(),
                toml_edit::Item::Value(toml_edit::Value::Array(a)) => a.len(),
                _ => return Err(format!("`{k}` is not a list")),
            };
            let element: Option<&mut dyn toml_edit::TableLike> = match item {
                toml_edit::Item::ArrayOfTables(a) => {
                    a.get_mut(*i).map(|t| t as &mut dyn toml_edit::TableLike)
                }
                toml_edit::Item::Value(toml_edit::Value::Array(a)) => match a.get_mut(*i) {
                    Some(toml_edit::Value::InlineTable(t)) => Some(t as &mut dyn toml_edit::TableLike),
                    Some(_) => return Err(format!("`{k}[{i}]` is not a table")),
                    None => None,
                },
                _ => None,
            };
            let element = element.ok_or_else(|| {
                let entries = if len == 1 { "entry" } else { "entries" };
                format!("`{k}[{i}]` does not exist: the list has {len} {entries}")
            })?;
            set_in_table(element, rest, value)
        }
        [Seg::Key(k), rest @ ..] => {
            if table.get(k).is_none() {
                table.insert(k, toml_edit::Item::Table(toml_edit::Table::new()));
            }
            let sub = table
                .get_mut(k)
                .and_then(|i| i.as_table_like_mut())
                .ok_or_else(|| format!("`{k}` is a value, not a table"))?;
            set_in_table(sub, rest, value)
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Rewrites serde's type words (`u32`, `struct RawRun`, `a sequence`) in the words of the
/// scenario reference, so a message never names an internal type.
fn plain_types(message: &str) -> String {
    let mut out = message
        .replace("expected u32", "expected a whole number from 0 to 4294967295")
        // TOML integers stop at i64::MAX, so no larger u64 can be written.
        .replace("expected u64", "expected a whole number from 0 to 9223372036854775807")
        .replace("expected f64", "expected a number")
        .replace("expected a sequence", "expected a list, e.g. [1, 2]");
    if let Some(at) = out.find("expected struct Raw") {
        out.truncate(at);
        out.push_str("expected a table");
    }
    out
}

/// A parse error's message; a duplicate key is named from the text at its span.
fn parse_message(text: &str, message: &str, span: Option<std::ops::Range<usize>>) -> String {
    let message = first_line(message);
    match span.and_then(|r| text.get(r)) {
        Some(key) if message == "duplicate key" && !key.trim().is_empty() => {
            format!("duplicate key `{}`: each key may appear once in a table", key.trim())
        }
        _ => message,
    }
}

/// 1-based (line, column) of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text[..text.floor_char_boundary(at)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, column)
}

/// Finds the span of the value at `path`, or of its nearest existing ancestor.
fn locate(root: &Spanned<DeTable<'_>>, path: &str) -> Option<std::ops::Range<usize>> {
    find(root, path).map(Spanned::span)
}

/// The value at `path`, or its nearest existing ancestor.
fn find<'a, 'de>(root: &'a Spanned<DeTable<'de>>, path: &str) -> Option<&'a Spanned<DeValue<'de>>> {
    let segs = split_path(path);
    let mut best = None;
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for seg in &segs {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => t.get(k.as_str()),
            (Seg::Index(i), _, Some(v)) => v.get_ref().get(*i),
            _ => None,
        };
        let Some(next) = next else { break };
        best = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
        value = Some(next);
    }
    best
}

/// Parses an unknown-field message (`unknown field `x`, expected one of `a`, `b``) into the field
/// and the allowed names.
fn unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, tail) = rest.split_once('`')?;
    let allowed = tail.split('`').skip(1).step_by(2).map(str::to_string).collect();
    Some((field.to_string(), allowed))
}

/// A deserialization problem: span when serde knows it, key path, message, suggestion.
type SerdeProblem = (Option<std::ops::Range<usize>>, String, String, Option<String>);

/// Deserializes the raw scenario, turning serde's message into the scenario's words: unknown
/// keys get a "did you mean", type names become plain words.
fn deserialize_raw(de: toml::Deserializer<'_>) -> std::result::Result<RawScenario, SerdeProblem> {
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        let inner = e.into_inner();
        let message = plain_types(&first_line(inner.message()));
        let (key, message, help) = match unknown_field(&message) {
            Some((field, allowed)) => {
                // The path already ends in the unknown field when serde_path_to_error saw it.
                let key = if path.is_empty() || path == field || path.ends_with(&format!(".{field}")) {
                    if path.is_empty() { field.clone() } else { path.clone() }
                } else {
                    format!("{path}.{field}")
                };
                // A key of another contact type is not a typo: say whose it is.
                if let Some((message, help)) = super::support::misplaced_contact_key(&key, &field) {
                    return (inner.span(), key, message, Some(help));
                }
                let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
                let help = match crate::suggest::closest(&field, &names) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("allowed keys here: {}", names.join(", ")),
                };
                (key, format!("unknown key `{field}`"), Some(help))
            }
            None => {
                let message = message
                    .replace(
                        "data did not match any variant of untagged enum Quantity",
                        "expected a number, or a duration string such as \"4m\"",
                    )
                    .replace("data did not match any variant of untagged enum RawFile", files::NOT_A_FILE);
                (path, message, None)
            }
        };
        (inner.span(), key, message, help)
    })
}

/// Checks that every `[sweep]` key names a scenario key and has values of its type, by setting
/// each value in the text and deserializing (ranges of values are checked when a sweep runs).
/// Returns (sweep key, message, suggestion) per problem.
fn check_sweep_keys(text: &str, raw: &RawScenario) -> Vec<(String, String, Option<String>)> {
    let mut problems = Vec::new();
    for (key, values) in &raw.sweep {
        if let Err(why) = check_key(key) {
            problems.push((key.clone(), why, None));
            continue;
        }
        if let Some(why) = unsweepable(key) {
            problems.push((key.clone(), format!("cannot be swept: {why}"), None));
            continue;
        }
        if let Some(v) = values.iter().enumerate().find_map(|(i, v)| values[..i].contains(v).then_some(v)) {
            problems.push((
                key.clone(),
                format!("the value {v} is listed twice: two points would be the same"),
                None,
            ));
            continue;
        }
        if values.is_empty() {
            problems.push((key.clone(), "the list of values is empty: give at least one value".into(), None));
            continue;
        }
        for value in values {
            let Ok(mut doc) = text.parse::<toml_edit::DocumentMut>() else { return problems };
            let value_text = toml::Value::try_from(value).map(|v| v.to_string()).unwrap_or_default();
            let outcome = parse_path(key)
                .and_then(|segs| set_in_table(doc.as_table_mut(), &segs, parse_override_value(&value_text)))
                .map_err(|message| (message, None))
                .and_then(|()| {
                    let text = doc.to_string();
                    let de = toml::Deserializer::parse(&text).map_err(|e| (first_line(e.message()), None))?;
                    deserialize_raw(de).map(|_| ()).map_err(|(_, _, message, help)| (message, help))
                });
            if let Err((message, help)) = outcome {
                problems.push((key.clone(), format!("sweep value {value_text}: {message}"), help));
                break;
            }
        }
    }
    problems
}

/// The override to blame for a problem at `key`: the last one that set that key, a value inside
/// it, or a table around it (`--set carriers[0].share=0` makes `carriers` all zero).
fn culprit<'o>(overrides: &'o [Override], key: &str) -> Option<&'o Override> {
    let at = split_path(key);
    if at.is_empty() {
        return None;
    }
    overrides.iter().rev().find(|o| {
        let set = split_path(&o.key);
        set.starts_with(&at) || at.starts_with(&set)
    })
}

/// The span in `root` of the problem at `key`: a `sweep["KEY"]` entry, or a dotted key path.
fn span_of(root: &Spanned<DeTable<'_>>, key: &str) -> Option<std::ops::Range<usize>> {
    match key.strip_prefix("sweep[\"").and_then(|k| k.strip_suffix("\"]")) {
        Some(k) => match root.get_ref().get("sweep").map(Spanned::get_ref) {
            Some(DeValue::Table(t)) => t.get(k).map(Spanned::span).or_else(|| locate(root, "sweep")),
            _ => locate(root, "sweep"),
        },
        None => locate(root, key),
    }
}

/// A type error at a TOML date or time written without quotes gets a message that says so.
fn unquoted_date(root: &Spanned<DeTable<'_>>, key: &str, message: String) -> String {
    match find(root, key).map(Spanned::get_ref) {
        Some(DeValue::Datetime(d)) if message.starts_with("invalid type:") => {
            // Clock times here are "HH:MM"; a date stays as written.
            let quoted = match (d.date, d.time) {
                (None, Some(t)) => format!("{:02}:{:02}", t.hour, t.minute),
                _ => d.to_string(),
            };
            format!("{d} is a TOML date or time without quotes: write it as a string, \"{quoted}\"")
        }
        _ => message,
    }
}

/// Loads, overrides, deserializes and validates a scenario.
pub fn load(source: &Source, overrides: &[Override]) -> Result<Scenario> {
    let file = source.display();
    let original = source.read()?;
    let text =
        if overrides.is_empty() { original.clone() } else { apply_overrides(&original, overrides, &file)? };
    // With overrides, problems are located in the file as written (setting a key can move the
    // lines after it), or blamed on the override that caused them.
    let written = if overrides.is_empty() { None } else { DeTable::parse(&original).ok() };
    let problem =
        |range: Option<std::ops::Range<usize>>, key: String, message: String, help: Option<String>| {
            if let Some(o) = culprit(overrides, &key) {
                return Problem { file: o.flag(), line: 0, column: 0, key, message, help };
            }
            let (line, column) = match &written {
                Some(root) => span_of(root, &key).map(|r| line_col(&original, r.start)),
                None => range.map(|r| line_col(&text, r.start)),
            }
            .unwrap_or((0, 0));
            Problem { file: file.clone(), line, column, key, message, help }
        };

    let root = DeTable::parse(&text).map_err(|e| {
        let message = parse_message(&text, e.message(), e.span());
        Error::Scenario(vec![problem(e.span(), String::new(), message, None)])
    })?;
    if root.get_ref().is_empty() {
        return Err(Error::Scenario(vec![problem(
            Some(0..0),
            String::new(),
            "the scenario is empty: it has no sections or keys".to_string(),
            Some("state at least what differs from the defaults, e.g. `[demand]` with `orders_per_day`; `o2d init` writes a commented starter".to_string()),
        )]));
    }

    let de = toml::Deserializer::parse(&text).map_err(|e| {
        let message = parse_message(&text, e.message(), e.span());
        Error::Scenario(vec![problem(e.span(), String::new(), message, None)])
    })?;
    let mut raw: RawScenario = deserialize_raw(de).map_err(|(span, key, message, help)| {
        let range = span.or_else(|| locate(&root, &key));
        let message = unquoted_date(&root, &key, message);
        Error::Scenario(vec![problem(range, key, message, help)])
    })?;
    let sweep_problems = check_sweep_keys(&text, &raw);
    if !sweep_problems.is_empty() {
        return Err(Error::Scenario(
            sweep_problems
                .into_iter()
                .map(|(k, message, help)| {
                    let key = format!("sweep[\"{k}\"]");
                    problem(span_of(&root, &key), key, message, help)
                })
                .collect(),
        ));
    }
    if raw.carriers.is_empty() {
        raw.carriers = default_carriers();
    }

    let at_key = |issues: Vec<Issue>| {
        issues
            .into_iter()
            .map(|Issue { path, message, help }| problem(locate(&root, &path), path, message, help))
            .collect::<Vec<_>>()
    };
    let planner =
        files::read_all(&mut raw, &files::Files::new(source.file())).map_err(|(issues, mut inside)| {
            let mut problems = at_key(issues);
            problems.append(&mut inside);
            Error::Scenario(problems)
        })?;
    validate(&raw, &source.stem(), &planner).map_err(|issues| Error::Scenario(at_key(issues)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_with_dots_and_indices() {
        assert_eq!(
            split_path("carriers[0].transit.mean"),
            vec![
                Seg::Key("carriers".into()),
                Seg::Index(0),
                Seg::Key("transit".into()),
                Seg::Key("mean".into())
            ]
        );
        assert_eq!(
            split_path("carriers.1.share"),
            vec![Seg::Key("carriers".into()), Seg::Index(1), Seg::Key("share".into())]
        );
    }

    #[test]
    fn malformed_key_paths_are_refused_with_the_reason() {
        assert!(check_key("carriers[-1].share").unwrap_err().contains("`[-1]` is not a list index"));
        assert!(check_key("carriers[x].share").unwrap_err().contains("`[x]` is not a list index"));
        assert!(check_key("carriers[0.share").unwrap_err().contains("is not a list index"));
        assert!(check_key("demand..orders_per_day").unwrap_err().contains("empty part"));
        assert!(check_key("demand.").unwrap_err().contains("empty part"));
        assert!(check_key("[0].share").unwrap_err().contains("starts with an index"));
        assert!(check_key("carriers]0[").unwrap_err().contains("without its `[`"));
        assert_eq!(check_key("fulfilment.shifts[0].pickers"), Ok(()));
    }

    #[test]
    fn line_and_column_are_one_based() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("x", 0), (1, 1));
    }

    #[test]
    fn unknown_field_messages_are_understood() {
        let (f, allowed) = unknown_field("unknown field `ordrs`, expected one of `orders`, `peaks`").unwrap();
        assert_eq!(f, "ordrs");
        assert_eq!(allowed, vec!["orders", "peaks"]);
    }
}
