//! The planner's SKU catalogue (`inventory.catalogue`): one CSV row per SKU with its name, demand
//! share or weight, and optionally its price, ABC class, initial stock and supplier lead time.

use std::collections::HashMap;
use std::sync::Arc;

use super::table::{Col, Problems, Row, Table, parse_non_negative};
use super::{Files, Found, MAX_TABLE_BYTES, issue};
use crate::error::Problem;
use crate::scenario::check::{Issue, MAX_MONEY, num};
use crate::scenario::inventory::{MAX_LEVEL_DAYS, MAX_LEVEL_UNITS, MAX_SKUS, RawInventory};

/// The scenario key that names the catalogue.
pub const KEY: &str = "inventory.catalogue";

/// Columns a catalogue may have.
pub const COLUMNS: [&str; 7] =
    ["sku", "demand_share", "weight", "unit_price", "class", "initial_stock", "lead_time_days"];

/// Shares may miss 1 by this much (rounding in a spreadsheet); they are then scaled to sum to 1.
pub const SHARE_TOLERANCE: f64 = 0.001;

/// Longest SKU name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// One SKU of the catalogue; an optional value left empty falls back to the `[inventory]` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueSku {
    /// Name, as written (unique, no spaces).
    pub name: String,
    /// Demand share, or relative weight: SKUs are ordered in proportion to it.
    pub weight: f64,
    /// Selling price of a unit.
    pub unit_price: Option<f64>,
    /// ABC class (0 = A).
    pub class: Option<u8>,
    /// Units on the shelves at the start (all warehouses together).
    pub initial_stock: Option<u64>,
    /// Mean supplier lead time, days.
    pub lead_time_days: Option<f64>,
}

/// A catalogue as read: its SKUs in file order.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    /// The file as named in messages.
    pub file: String,
    /// SKUs in file order (the model's SKU k is row k).
    pub skus: Vec<CatalogueSku>,
    /// Whether popularity came as `demand_share` (else as `weight`).
    pub shares: bool,
    /// Sum of the shares or weights.
    pub total: f64,
}

/// Reads the catalogue `raw` names, if any: checks it against the section's Zipf keys, and
/// records the file (with its hash) and the SKU count in `raw` as the resolved scenario shows them.
pub(super) fn read(
    raw: &mut Option<RawInventory>,
    files: &Files,
    issues: &mut Vec<Issue>,
    problems: &mut Vec<Problem>,
) -> Option<Arc<Catalogue>> {
    let inv = raw.as_mut()?;
    let file = inv.catalogue.clone()?;
    let (found, bytes): (Found, Vec<u8>) =
        files.read(KEY, &file, MAX_TABLE_BYTES).map_err(|e| issues.push(e)).ok()?;
    let catalogue = parse(&found.shown, &bytes[..]).map_err(|mut p| problems.append(&mut p)).ok()?;
    let before = issues.len();
    check_totals(&catalogue, issues);
    check_zipf_keys(inv, &catalogue, issues);
    if issues.len() > before {
        return None;
    }
    inv.catalogue = Some(found.pinned());
    inv.skus = catalogue.skus.len() as u32;
    Some(Arc::new(catalogue))
}

/// Shares must sum to 1 (within rounding); weights must sum to a positive, finite number.
fn check_totals(cat: &Catalogue, issues: &mut Vec<Issue>) {
    let column = if cat.shares { "demand_share" } else { "weight" };
    if !cat.total.is_finite() {
        let message = format!("the `weight` column of {} sums beyond the largest number", cat.file);
        issues.push(issue(KEY, message, Some("use relative weights such as units sold a week".into())));
    } else if cat.total <= 0.0 {
        let message = format!("every SKU of {} has {column} 0: no SKU would ever be ordered", cat.file);
        issues.push(issue(KEY, message, None));
    } else if cat.shares && (cat.total - 1.0).abs() > SHARE_TOLERANCE {
        let message = format!(
            "the `demand_share` column of {} sums to {}, not 1",
            cat.file,
            num((cat.total * 1e6).round() / 1e6)
        );
        let help = "shares are fractions of all units ordered; for relative numbers name the column `weight`";
        issues.push(issue(KEY, message, Some(help.to_string())));
    }
}

/// `skus` and `zipf_exponent` describe the generated catalogue a file replaces: a value that
/// contradicts the file would be silently ignored, so it is refused.
fn check_zipf_keys(inv: &RawInventory, cat: &Catalogue, issues: &mut Vec<Issue>) {
    let default = RawInventory::default();
    let rows = cat.skus.len();
    if inv.skus != default.skus && inv.skus as usize != rows {
        let message = format!(
            "{} SKUs, but the catalogue {} has {rows}: with a catalogue its rows are the SKUs",
            inv.skus, cat.file
        );
        issues.push(issue("inventory.skus", message, Some("remove `skus`".to_string())));
    }
    if inv.zipf_exponent != default.zipf_exponent {
        let message = format!(
            "a Zipf exponent shapes a generated catalogue; {} gives each SKU's {}",
            cat.file,
            if cat.shares { "demand_share" } else { "weight" }
        );
        issues.push(issue("inventory.zipf_exponent", message, Some("remove `zipf_exponent`".to_string())));
    }
}

/// The columns of a catalogue that were found.
struct Columns {
    sku: Col,
    popularity: Col,
    shares: bool,
    unit_price: Option<Col>,
    class: Option<Col>,
    initial_stock: Option<Col>,
    lead_time_days: Option<Col>,
}

fn columns<R: std::io::Read>(t: &Table<R>) -> Result<Columns, Problem> {
    t.refuse_unknown(&COLUMNS)?;
    let sku = t.require("sku", "each SKU's name")?;
    let popularity = match (t.column("demand_share"), t.column("weight")) {
        (Some(_), Some(w)) => {
            return Err(t.header_problem(
                w,
                "both `demand_share` and `weight`: give a SKU's popularity one way".to_string(),
                Some("keep `demand_share` (fractions summing to 1) or `weight` (relative numbers)".into()),
            ));
        }
        (Some(s), None) => s,
        (None, Some(w)) => w,
        (None, None) => t.require_any(&["demand_share", "weight"], "each SKU's share of units ordered")?,
    };
    Ok(Columns {
        sku,
        popularity,
        shares: t.column("demand_share").is_some(),
        unit_price: t.column("unit_price"),
        class: t.column("class"),
        initial_stock: t.column("initial_stock"),
        lead_time_days: t.column("lead_time_days"),
    })
}

/// Parses a catalogue; `file` names it in messages. Every bad cell is a located problem.
pub fn parse<R: std::io::Read>(file: &str, input: R) -> Result<Catalogue, Vec<Problem>> {
    let mut t = Table::new(file, input).map_err(|p| vec![p])?;
    let cols = columns(&t).map_err(|p| vec![p])?;
    let mut problems = Problems::default();
    let mut skus = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut total = 0.0;
    while let Some(row) = problems.next_row(&mut t) {
        if skus.len() >= MAX_SKUS as usize {
            let message = format!("more than {} SKUs is beyond the model's limits", num(f64::from(MAX_SKUS)));
            problems.push(row.problem(cols.sku, message, None));
            break;
        }
        if let Some(sku) = sku_of(&row, &cols, &mut first_line, &mut problems) {
            total += sku.weight;
            skus.push(sku);
        }
    }
    if skus.is_empty() && problems.0.is_empty() {
        let help = Some("add one row per SKU below the header".to_string());
        problems.push(t.header_problem(cols.sku, "the catalogue has no SKUs".to_string(), help));
    }
    problems.or(Catalogue { file: file.to_string(), skus, shares: cols.shares, total })
}

/// The SKU of one row, or `None` with its problems recorded.
fn sku_of(
    row: &Row<'_>,
    cols: &Columns,
    first_line: &mut HashMap<String, usize>,
    problems: &mut Problems,
) -> Option<CatalogueSku> {
    let name = problems.take(row.parse(cols.sku, sku_name));
    if let Some(name) = &name {
        if let Some(first) = first_line.get(name) {
            let message = format!("SKU `{name}` is listed twice (first on line {first})");
            problems.push(row.problem(cols.sku, message, Some("give each SKU one row".to_string())));
        } else {
            first_line.insert(name.clone(), row.line());
        }
    }
    let weight =
        problems.take(row.parse(cols.popularity, if cols.shares { parse_share } else { parse_non_negative }));
    let optional = |col: Option<Col>| col.filter(|c| !row.is_empty(*c));
    let unit_price = optional(cols.unit_price).map(|c| problems.take(row.parse(c, parse_price)));
    let class = optional(cols.class).map(|c| problems.take(row.parse(c, parse_class)));
    let initial_stock = optional(cols.initial_stock).map(|c| problems.take(row.parse(c, parse_units)));
    let lead_time_days = optional(cols.lead_time_days).map(|c| problems.take(row.parse(c, parse_lead_days)));
    Some(CatalogueSku {
        name: name?,
        weight: weight?,
        unit_price: unit_price.map(|v| v.ok_or(())).transpose().ok()?,
        class: class.map(|v| v.ok_or(())).transpose().ok()?,
        initial_stock: initial_stock.map(|v| v.ok_or(())).transpose().ok()?,
        lead_time_days: lead_time_days.map(|v| v.ok_or(())).transpose().ok()?,
    })
}

/// A SKU name: not empty, no spaces (trace files list a line's SKUs separated by spaces).
fn sku_name(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("the cell is empty: expected the SKU's name".to_string());
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{text}` has a space or a control character: SKU names are one word (trace files list \
             an order's SKUs separated by spaces); write e.g. `{}`",
            text.split_whitespace().collect::<Vec<_>>().join("-")
        ));
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(format!("the name has more than {MAX_NAME_CHARS} characters"));
    }
    Ok(text.to_string())
}

fn parse_share(text: &str) -> Result<f64, String> {
    let x = parse_non_negative(text)?;
    if x > 1.0 {
        return Err(format!(
            "{text} is above 1: a demand share is a fraction between 0 and 1{}",
            if x <= 100.0 { format!(" (did you mean {}?)", num(x / 100.0)) } else { String::new() }
        ));
    }
    Ok(x)
}

fn parse_price(text: &str) -> Result<f64, String> {
    let x = parse_non_negative(text)?;
    if x > MAX_MONEY {
        return Err(format!("{text} is beyond the model's limit of {MAX_MONEY:e} for one amount"));
    }
    Ok(x)
}

fn parse_class(text: &str) -> Result<u8, String> {
    match text.to_ascii_uppercase().as_str() {
        "A" => Ok(0),
        "B" => Ok(1),
        "C" => Ok(2),
        _ => Err(format!("`{text}` is not an ABC class: expected A, B or C (or leave it empty)")),
    }
}

fn parse_units(text: &str) -> Result<u64, String> {
    let n = super::table::parse_count(text)?;
    if n as f64 > MAX_LEVEL_UNITS {
        return Err(format!("{n} units is beyond the model's limit of {MAX_LEVEL_UNITS:e} a SKU"));
    }
    Ok(n)
}

fn parse_lead_days(text: &str) -> Result<f64, String> {
    let x = parse_non_negative(text)?;
    if x > MAX_LEVEL_DAYS {
        return Err(format!("{text} days is beyond the model's limit of {MAX_LEVEL_DAYS} days"));
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Catalogue, Vec<Problem>> {
        parse("skus.csv", text.as_bytes())
    }

    #[test]
    fn a_catalogue_reads_names_shares_and_optional_cells() {
        let c = parsed("sku,demand_share,unit_price,class,initial_stock,lead_time_days\nTEE-M,0.7,19.9,A,120,5\nMUG,0.3,,,,\n")
            .unwrap();
        assert!(c.shares);
        assert_eq!(c.skus.len(), 2);
        assert_eq!(c.skus[0].name, "TEE-M");
        assert_eq!(
            (c.skus[0].unit_price, c.skus[0].class, c.skus[0].initial_stock, c.skus[0].lead_time_days),
            (Some(19.9), Some(0), Some(120), Some(5.0))
        );
        assert_eq!((c.skus[1].unit_price, c.skus[1].class, c.skus[1].initial_stock), (None, None, None));
        assert!((c.total - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_repeated_name_is_refused_at_its_second_row() {
        let p = parsed("sku,weight\nA1,3\nB2,1\nA1,2\n").unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (4, 1, "sku"));
        assert!(p[0].message.contains("first on line 2"), "{}", p[0].message);
    }

    #[test]
    fn bad_cells_are_located_by_column() {
        let p = parsed("sku,weight,class\nA1,3,D\n,1,A\nB 2,1,A\n").unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (2, 6, "class"));
        assert_eq!((p[1].line, p[1].key.as_str()), (3, "sku"));
        assert!(p[1].message.contains("empty"));
        assert!(p[2].message.contains("write e.g. `B-2`"), "{}", p[2].message);
        let p = parsed("sku,demand_share\nA1,40\n").unwrap_err();
        assert!(p[0].message.contains("did you mean 0.4"), "{}", p[0].message);
    }

    #[test]
    fn popularity_comes_one_way_only() {
        let p = parsed("sku,demand_share,weight\nA1,1,1\n").unwrap_err();
        assert_eq!((p[0].line, p[0].column, p[0].key.as_str()), (1, 18, "weight"));
        let p = parsed("sku,price\nA1,1\n").unwrap_err();
        assert!(p[0].message.contains("unknown column `price`"), "{}", p[0].message);
        let p = parsed("sku,unit_price\nA1,1\n").unwrap_err();
        assert!(p[0].message.contains("no column `demand_share`"), "{}", p[0].message);
        assert!(parsed("sku,weight\n").unwrap_err()[0].message.contains("no SKUs"));
    }

    /// A scenario whose `[inventory]` names a catalogue of `csv` (plus `extra` keys), loaded.
    fn inventory_of(csv: &str, extra: &str) -> crate::scenario::inventory::Inventory {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("skus.csv");
        std::fs::write(&path, csv).unwrap();
        let text = format!("[inventory]\ncatalogue = \"{}\"\n{extra}", path.display());
        let source = crate::scenario::Source::Text { name: "t.toml".into(), text };
        let sc = crate::scenario::load(&source, &[]).unwrap_or_else(|e| panic!("{e}"));
        sc.inventory.unwrap()
    }

    #[test]
    fn shares_give_each_sku_its_popularity_and_class() {
        use crate::scenario::derived::{classes, popularity};
        let inv = inventory_of("sku,demand_share,class\nslow,0.04,\nhit,0.7,\nmid,0.2,\nlaunch,0.06,A\n", "");
        assert_eq!(inv.skus, 4);
        assert_eq!(popularity(&inv), [0.04, 0.7, 0.2, 0.06]);
        // Most popular first: hit starts at 0 (A), mid at 0.7 (A), launch at 0.9 (B, but its
        // cell says A), slow at 0.96 (C).
        assert_eq!(classes(&inv), [2, 0, 0, 0]);
        let weighted = inventory_of("sku,weight\nslow,4\nhit,70\nmid,20\nlaunch,6\n", "");
        assert_eq!(classes(&weighted), [2, 0, 0, 1]);
    }

    #[test]
    fn prices_stock_and_lead_times_come_from_the_cells_else_the_section() {
        use crate::scenario::derived::initial_stock;
        let csv = "sku,weight,unit_price,initial_stock,lead_time_days\nA1,1,9.5,101,14\nB2,1,,,\n";
        let extra = "unit_price = 30\nlead_time = { dist = \"uniform\", min = \"2d\", max = \"4d\" }\n\
                     [[inventory.warehouses]]\nname = \"n\"\nshare = 0.5\n\
                     [[inventory.warehouses]]\nname = \"s\"\nshare = 0.5\n";
        let inv = inventory_of(csv, extra);
        assert_eq!((inv.unit_price_of(0), inv.unit_price_of(1)), (9.5, 30.0));
        // A draw of 3 days (the distribution's mean) becomes 14 days; 4 days becomes 14 x 4/3.
        let day = 86_400.0;
        assert!((inv.lead_time_s(0, 3.0 * day) - 14.0 * day).abs() < 1e-6);
        assert!((inv.lead_time_s(2, 4.0 * day) - 14.0 * day * 4.0 / 3.0).abs() < 1e-6, "warehouse 2's A1");
        assert_eq!(inv.lead_time_s(1, 4.0 * day), 4.0 * day, "B2 has no lead time of its own");
        let sc = crate::scenario::load(&crate::scenario::Source::Default, &[]).unwrap();
        let stock = initial_stock(&sc, &inv);
        // A1's 101 units divided between the two warehouses in whole units.
        assert_eq!((stock[0], stock[2]), (51, 50));
        assert_eq!(stock[1], stock[3], "B2 follows the 21-day rule in both");
    }

    #[test]
    fn shares_must_sum_to_one_within_rounding() {
        let mut issues = Vec::new();
        check_totals(&parsed("sku,demand_share\nA,0.5\nB,0.4995\n").unwrap(), &mut issues);
        assert!(issues.is_empty());
        check_totals(&parsed("sku,demand_share\nA,0.5\nB,0.43\n").unwrap(), &mut issues);
        assert_eq!(issues[0].path, KEY);
        assert!(issues[0].message.contains("sums to 0.93, not 1"), "{}", issues[0].message);
        issues.clear();
        check_totals(&parsed("sku,weight\nA,5\nB,12\n").unwrap(), &mut issues);
        assert!(issues.is_empty(), "weights are relative");
    }
}
