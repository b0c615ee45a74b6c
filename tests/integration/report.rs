//! `o2d report` and `o2d run --report`: the page parses as XML, every chart the results call for
//! is there under its stable id, and the KPI cards carry exactly the numbers of kpis.csv.

use std::collections::BTreeSet;
use std::path::Path;

use o2d::output::report::CARDS;

use crate::support::{SMALL, o2d, write};

/// SMALL with stock and a target, so the inventory charts and the verdict appear.
fn scenario() -> String {
    format!("{SMALL}\n[inventory]\nskus = 200\n\n[targets]\non_time_rate = \">= 0.95\"\n")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Parses the page as XML (it is written as well-formed XHTML) and returns every element id.
fn element_ids(html: &str) -> BTreeSet<String> {
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(html, opts).expect("report.html is well-formed");
    doc.descendants().filter_map(|n| n.attribute("id").map(str::to_string)).collect()
}

/// The header of a CSV file.
fn header(path: &Path) -> Vec<String> {
    read(path).lines().next().unwrap_or_default().split(',').map(str::to_string).collect()
}

#[test]
fn run_report_has_every_chart_and_the_kpi_cards_equal_kpis_csv() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", &scenario());
    o2d(tmp.path()).args(["run", "small.toml", "--out", "out", "--quiet", "--report"]).assert().success();
    let out = tmp.path().join("out");
    let html = read(&out.join("report.html"));
    let ids = element_ids(&html);

    // Charts: the fulfilment ones always, inventory and support ones when daily.csv has them.
    let columns = header(&out.join("daily.csv"));
    let mut expected = vec!["chart-orders-capacity", "chart-backlog", "chart-on-time"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    assert!(columns.iter().any(|c| c == "on_hand_units"), "the scenario models stock");
    expected.extend(["chart-on-hand".to_string(), "chart-backorders".to_string()]);
    for c in &columns {
        if let Some(ch) = c.strip_suffix("_offered") {
            expected.push(format!("chart-tickets-{ch}"));
        }
        if let Some(ch) = c.strip_suffix("_frt_mean_s") {
            expected.push(format!("chart-frt-{ch}"));
        }
        if let Some(ch) = c.strip_suffix("_agents") {
            expected.push(format!("chart-agents-{ch}"));
        }
    }
    for id in &expected {
        assert!(ids.contains(id), "chart `{id}` missing; ids: {ids:?}");
    }
    assert!(ids.contains("verdict") && ids.contains("targets"));

    // Every card KPI in kpis.csv has a card whose data-value is the mean exactly as written.
    let mut rdr = csv::Reader::from_path(out.join("kpis.csv")).unwrap();
    let rows: Vec<(String, String)> = rdr
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == "all")
        .map(|r| (r[1].to_string(), r[2].to_string()))
        .collect();
    let opts = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(&html, opts).unwrap();
    let mut checked = 0;
    for (kpi, _) in CARDS {
        let card = doc.descendants().find(|n| n.attribute("id") == Some(&format!("card-{kpi}")));
        match rows.iter().find(|(k, _)| k == kpi) {
            Some((_, mean)) => {
                let card = card.unwrap_or_else(|| panic!("no card for {kpi}, which kpis.csv reports"));
                assert_eq!(card.attribute("data-value"), Some(mean.as_str()), "card {kpi}");
                let shown: f64 = mean.parse().unwrap();
                let on_card: f64 = card.attribute("data-value").unwrap().parse().unwrap();
                assert_eq!(shown, on_card);
                checked += 1;
            }
            None => assert!(card.is_none(), "card {kpi} shown but kpis.csv does not report it"),
        }
    }
    assert!(checked >= 5, "on-time, cycle time, fill, cancel and cost cards at least");
    // Absent cards are named in one line, not faked.
    if CARDS.iter().any(|(k, _)| !rows.iter().any(|(r, _)| r == k)) {
        assert!(ids.contains("not-modelled"));
    }
}

#[test]
fn sweep_and_compare_folders_get_their_own_charts() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.toml", &scenario());
    write(tmp.path(), "b.toml", &scenario().replace("pickers = 2", "pickers = 3"));
    let quick = ["--replications", "3", "--days", "10", "--quiet"];
    o2d(tmp.path())
        .args(["sweep", "a.toml", "--vary", "fulfilment.shifts[0].pickers=2,3", "--out", "sw"])
        .args(quick)
        .assert()
        .success();
    o2d(tmp.path()).args(["report", "sw"]).assert().success();
    let ids = element_ids(&read(&tmp.path().join("sw/report.html")));
    for id in ["sweep-on_time_rate", "sweep-cost_per_order_delivered", "cheapest", "sweep-points"] {
        assert!(ids.contains(id), "sweep report lacks `{id}`: {ids:?}");
    }

    o2d(tmp.path()).args(["compare", "a.toml", "b.toml", "--out", "cmp"]).args(quick).assert().success();
    o2d(tmp.path()).args(["report", "cmp"]).assert().success();
    let ids = element_ids(&read(&tmp.path().join("cmp/report.html")));
    assert!(ids.contains("chart-compare") && ids.contains("compare-table"), "{ids:?}");
}

#[test]
fn a_folder_without_results_is_bad_input_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    o2d(tmp.path()).args(["report", "empty"]).assert().code(2).stderr(predicates::str::contains("kpis.csv"));
    assert_eq!(std::fs::read_dir(&empty).unwrap().count(), 0, "nothing written");
    o2d(tmp.path()).args(["report", "missing"]).assert().code(2);
    assert!(!tmp.path().join("missing").exists());
    // kpis.csv without the resolved scenario it came from: refused, nothing written.
    let half = tmp.path().join("half");
    std::fs::create_dir(&half).unwrap();
    std::fs::write(half.join("kpis.csv"), "kpi,mean,ci95_low,ci95_high,sd,min,max,replications,unit\n")
        .unwrap();
    o2d(tmp.path())
        .args(["report", "half"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("scenario.resolved.toml"));
    assert!(!half.join("report.html").exists());
    // Something else called kpis.csv: refused, nothing written.
    std::fs::write(half.join("kpis.csv"), "hello world\n").unwrap();
    o2d(tmp.path()).args(["report", "half"]).assert().code(2).stderr(predicates::str::contains("kpi"));
    assert!(!half.join("report.html").exists());
}

/// Support's daily columns and KPIs bring their cards and charts with them. This fixture appends
/// such columns to a real run.
#[test]
fn support_columns_and_kpis_bring_their_cards_and_charts() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "small.toml", &scenario());
    o2d(tmp.path())
        .args(["run", "small.toml", "--out", "out", "--quiet", "--replications", "3"])
        .assert()
        .success();
    let out = tmp.path().join("out");
    o2d(tmp.path()).args(["report", "out"]).assert().success();
    let before = element_ids(&read(&out.join("report.html")));
    assert!(before.contains("support-not-modelled") && !before.contains("chart-frt-chat"));

    let daily = read(&out.join("daily.csv"));
    let mut lines = daily.lines();
    let mut text = format!(
        "{},chat_offered,chat_answered,chat_abandoned,chat_frt_mean_s,chat_agents,chat_occupancy\n",
        lines.next().unwrap()
    );
    for (i, line) in lines.enumerate() {
        let n = 100 + (i % 7) * 10;
        text.push_str(&format!("{line},{n},{},{},{},12,0.8\n", n - 5, 5, 40 + i % 5));
    }
    std::fs::write(out.join("daily.csv"), text).unwrap();
    let mut kpis = read(&out.join("kpis.csv"));
    kpis.push_str(
        "all,chat_frt_p90,95.5,80.25,110.75,5,70,120,3,s,false\nall,service_tier,4,4,4,0,4,4,3,number,false\n",
    );
    std::fs::write(out.join("kpis.csv"), kpis).unwrap();

    o2d(tmp.path()).args(["report", "out"]).assert().success();
    let html = read(&out.join("report.html"));
    let ids = element_ids(&html);
    for id in [
        "chart-tickets-chat",
        "chart-frt-chat",
        "chart-agents-chat",
        "card-chat_frt_p90",
        "card-service_tier",
    ] {
        assert!(ids.contains(id), "`{id}` missing: {ids:?}");
    }
    assert!(!ids.contains("support-not-modelled"));
    assert!(html.contains(r#"id="card-chat_frt_p90" data-kpi="chat_frt_p90" data-value="95.5""#));
    assert!(html.contains("above average"), "tier 4 is named");
}
