//! The KPI table a planner reads: the targets' verdicts first, KPIs grouped (delivery, inventory,
//! returns, support, each channel, cost), `--kpis` to choose rows, the currency on the cost group.

use crate::support::o2d;

fn table(args: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let got = o2d(tmp.path())
        .arg("run")
        .args(["-r", "2", "--days", "14", "--out", "out"])
        .args(args)
        .output()
        .unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    String::from_utf8(got.stdout).unwrap()
}

#[test]
fn targets_come_first_then_each_group_once_in_order() {
    let out = table(&["--set", "run.currency=EUR"]);
    let at = |line: &str| {
        out.lines().position(|l| l == line).unwrap_or_else(|| panic!("no line {line:?}:\n{out}"))
    };
    let targets = out.lines().position(|l| l.starts_with("targets (judged")).expect("targets");
    let header = out.lines().position(|l| l.starts_with("KPI ")).expect("header");
    assert!(targets < header, "{out}");
    let groups =
        ["delivery", "support", "email", "chat", "phone", "social", "sms", "customers", "cost (EUR)"].map(at);
    assert!(groups.windows(2).all(|w| w[0] < w[1]), "groups out of order: {groups:?}\n{out}");
    let rows_after = |g: usize| out.lines().skip(g + 1).take_while(|l| l.starts_with("  ")).count();
    assert!(out.lines().nth(groups[8] + 1).unwrap().trim_start().starts_with("cost_"), "{out}");
    // Costs, and the customers' revenue, margin and the revenue of those who left.
    assert_eq!(rows_after(groups[8]), 7, "every money KPI under cost:\n{out}");
    assert!(!out.contains("0ms"), "a time under a second reads `< 1 s`:\n{out}");
    assert!(out.contains("tier ") && out.contains(" of 5"), "{out}");
    let engine = out.lines().find(|l| l.starts_with("engine: ")).unwrap();
    assert!(engine.split(' ').nth(1).unwrap().contains(','), "thousands separators: {engine}");
}

#[test]
fn kpis_chooses_rows_by_name_or_group() {
    let out = table(&["--kpis", "on_time_rate,chat"]);
    let kpi_rows = out.lines().skip_while(|l| !l.starts_with("KPI ")).filter(|l| l.starts_with("  "));
    let names: Vec<&str> = kpi_rows.filter_map(|l| l.split_whitespace().next()).collect();
    assert!(names.contains(&"on_time_rate") && names.contains(&"chat_tickets"), "{out}");
    assert!(names.iter().all(|n| *n == "on_time_rate" || n.starts_with("chat_")), "{names:?}");
}

#[test]
fn an_unknown_kpi_name_is_refused_before_the_run_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let got = o2d(tmp.path()).args(["run", "--kpis", "on_time_rat", "--out", "out"]).output().unwrap();
    assert_eq!(got.status.code(), Some(2));
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(err.contains("`on_time_rat`") && err.contains("did you mean `on_time_rate`?"), "{err}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn the_note_on_cut_intervals_comes_only_with_a_row_that_shows_one() {
    // With two replications lost_rate's interval reaches below 0 and is cut; orders' is not.
    let note = "^ interval cut at the KPI's range";
    let out = table(&["--kpis", "lost_rate"]);
    let row = out.lines().find(|l| l.trim_start().starts_with("lost_rate ")).unwrap();
    assert!(row.contains('^') && out.contains(note), "{out}");
    let out = table(&["--kpis", "orders"]);
    assert!(!out.contains(note), "no row shown is cut, so no note:\n{out}");
}
