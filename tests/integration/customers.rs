//! The customer base as entities: who orders, what they remember, who leaves, and what it costs.

use o2d::stats::summarize;

use crate::library::csv_rows;
use crate::support::{SMALL, load_text, o2d, run_all};

/// The small scenario with support (so contacts, surveys and failed actions reach customers).
fn small_with_support(customers: &str) -> String {
    format!("{SMALL}\n[support]\n\n[customers]\n{customers}\n")
}

fn values(result: &o2d::experiment::RunResult, kpi: &str) -> Vec<f64> {
    let k = result.kpis.iter().position(|d| d.name == kpi).unwrap_or_else(|| panic!("no KPI {kpi}"));
    result.values_of(k)
}

#[test]
fn content_customers_who_never_leave_place_every_order_the_demand_model_offers() {
    // No churn and no lower rate after bad experiences: every repeat order happens, so the order
    // flow and support are the run without a customer model, draw for draw.
    let quiet =
        "new_share = 0.3\nchurn_after_bad = 0\nchurn_after_unhappy_contact = 0\nrate_drop_per_bad = 0\n";
    let with = run_all(&load_text(&small_with_support(quiet), &[("run.replications", "6")]));
    let without = run_all(&load_text(&format!("{SMALL}\n[support]\n"), &[("run.replications", "6")]));
    for (i, def) in without.kpis.iter().enumerate() {
        let k = with.kpis.iter().position(|d| d.name == def.name).unwrap();
        for (a, b) in with.replications.iter().zip(&without.replications) {
            assert!(
                a.kpis[k].to_bits() == b.kpis[i].to_bits(),
                "{}: {} with customers, {} without",
                def.name,
                a.kpis[k],
                b.kpis[i]
            );
        }
    }
    // Each order is a new customer's with probability 0.3: the repeat share's interval holds 0.7.
    let s = summarize(&values(&with, "repeat_purchase_rate"));
    assert!(s.ci95_low <= 0.7 && 0.7 <= s.ci95_high, "{s:?}");
    assert!(values(&with, "customers_lost").iter().all(|&n| n == 0.0));
    assert!(values(&with, "retention_rate").iter().all(|&r| r == 1.0));
    let (orders, new) = (values(&with, "orders"), values(&with, "customers_new"));
    assert!(orders.iter().zip(&new).all(|(o, n)| n < o), "new customers place some of the orders");
    // The margin: revenue less the goods (half of it by default) less every cost of the run.
    let [revenue, margin, fulfilment, shipping, support] =
        ["revenue", "gross_margin", "cost_fulfilment", "cost_shipping", "cost_support"]
            .map(|k| values(&with, k));
    for r in 0..revenue.len() {
        let expected = revenue[r] * 0.5 - (fulfilment[r] + shipping[r] + support[r]);
        assert!((margin[r] - expected).abs() <= 1e-6 * revenue[r], "{} vs {expected}", margin[r]);
    }
}

#[test]
fn bad_experiences_lose_customers_and_their_orders_and_the_daily_series_counts_them() {
    // A carrier that is late on most orders, customers who leave after one bad experience in two.
    let text = small_with_support("customers = 2000\nchurn_after_bad = 0.5\nrate_drop_per_bad = 0.5\n")
        .replace(
            "pickups = [\"18:00\"]",
            "pickups = [\"18:00\"]\ntransit = { dist = \"uniform\", min = \"3d\", max = \"6d\" }",
        );
    let sc = load_text(&text, &[("run.replications", "5")]);
    let hurt = run_all(&sc);
    let content = "churn_after_bad = 0\nrate_drop_per_bad = 0\nchurn_after_unhappy_contact = 0\n";
    let calm = text.replace("churn_after_bad = 0.5\nrate_drop_per_bad = 0.5\n", content);
    let calm = run_all(&load_text(&calm, &[("run.replications", "5")]));
    let lost = summarize(&values(&hurt, "customers_lost"));
    assert!(lost.ci95_low > 100.0, "customers leave: {lost:?}");
    let (a, b) = (summarize(&values(&hurt, "orders")), summarize(&values(&calm, "orders")));
    assert!(a.ci95_high < b.ci95_low, "their orders are lost: {a:?} vs {b:?}");
    let future = summarize(&values(&hurt, "lost_future_revenue"));
    assert!(future.mean > 0.0);
    // The daily series: customers here fall by those who leave and rise by those who join.
    let cols = &hurt.daily_columns;
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    for r in &hurt.replications {
        for w in r.daily.windows(2) {
            let (before, day) = (&w[0], &w[1]);
            assert_eq!(
                day[col("customers_active")],
                before[col("customers_active")] + day[col("customers_new")] - day[col("customers_lost")],
                "replication {}",
                r.index
            );
        }
    }
}

#[test]
fn a_support_retention_table_is_refused_with_the_way_to_write_it_now() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.toml"), "[support]\n\n[support.retention]\nchurn_after_bad = 0.2\n")
        .unwrap();
    let got = o2d(tmp.path()).args(["validate", "old.toml"]).output().unwrap();
    assert_eq!(got.status.code(), Some(2));
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(
        err.contains("`support.retention`") && err.contains("[customers]") && err.contains("new_share"),
        "{err}"
    );
}

#[test]
fn a_trace_names_the_real_customer_of_each_order_and_repeat_customers_come_back() {
    let tmp = tempfile::tempdir().unwrap();
    let got = o2d(tmp.path()).args(["trace", "--days", "10"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let mut rdr = csv::Reader::from_reader(got.stdout.as_slice());
    let col = rdr.headers().unwrap().iter().position(|h| h == "customer_id").unwrap();
    let mut seen = std::collections::HashMap::<u64, u32>::new();
    let mut orders = 0;
    for row in rdr.records() {
        *seen.entry(row.unwrap()[col].parse().unwrap()).or_default() += 1;
        orders += 1;
    }
    let repeat = seen.values().filter(|&&n| n > 1).count();
    assert!(seen.len() < orders && repeat > 100, "{} customers for {orders} orders", seen.len());
    // New customers join after the base at the start: their numbers are the largest.
    assert!(seen.keys().all(|&id| id >= 1), "customer numbers start at 1");
}

#[test]
fn customers_csv_lists_every_customer_of_every_replication_and_agrees_with_the_daily_series() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        small_with_support("customers = 3000\nchurn_after_bad = 0.3\nchurn_after_unhappy_contact = 0.5\n");
    std::fs::write(tmp.path().join("c.toml"), text).unwrap();
    let run = |threads: &str, out: &str| {
        o2d(tmp.path())
            .args([
                "run",
                "c.toml",
                "-r",
                "3",
                "--threads",
                threads,
                "--quiet",
                "--customers-out",
                "--out",
                out,
            ])
            .assert()
            .success();
    };
    run("1", "one");
    run("2", "two");
    let bytes = |dir: &str| std::fs::read(tmp.path().join(dir).join("customers.csv")).unwrap();
    assert_eq!(bytes("one"), bytes("two"), "the same bytes whatever the thread count");
    let out = tmp.path().join("two");
    let names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "no part file is left: {names:?}");
    let customers = csv_rows(&out.join("customers.csv"));
    let daily = csv_rows(&out.join("daily.csv"));
    let num = |row: &std::collections::HashMap<String, String>, col: &str| -> f64 {
        let v = &row[col];
        if v.is_empty() { 0.0 } else { v.parse().unwrap_or_else(|e| panic!("{col} = {v}: {e}")) }
    };
    let segments = ["new", "returning", "loyal"];
    for rep in ["0", "1", "2"] {
        let mine: Vec<_> = customers.iter().filter(|c| c["replication"] == rep).collect();
        let days: Vec<_> = daily.iter().filter(|d| d["replication"] == rep).collect();
        let sum = |col: &str| days.iter().map(|d| num(d, col)).sum::<f64>();
        // Ids run 1, 2, ... in the order customers joined: the base at the start, then newcomers.
        assert!(mine.iter().enumerate().all(|(i, c)| c["customer_id"] == (i + 1).to_string()));
        let joined = mine.iter().filter(|c| !c["joined_on"].is_empty()).count() as f64;
        let churned = mine.iter().filter(|c| !c["churned_on"].is_empty()).count() as f64;
        assert_eq!(mine.len() as f64 - joined, 3000.0, "the base at the start");
        assert_eq!(joined, sum("customers_new"), "replication {rep}: newcomers");
        assert_eq!(churned, sum("customers_lost"), "replication {rep}: customers who left");
        assert!(churned > 0.0, "some leave");
        // Every order placed is some customer's.
        let placed: f64 = mine.iter().map(|c| num(c, "orders_in_run")).sum();
        assert_eq!(placed, sum("orders"), "replication {rep}: orders");
        let last = days.last().unwrap();
        assert_eq!(mine.len() as f64 - churned, num(last, "customers_active"));
        for s in segments {
            let of = |c: &&&std::collections::HashMap<String, String>| c["segment"] == s;
            let here = mine.iter().filter(of).filter(|c| c["churned_on"].is_empty()).count() as f64;
            let left = mine.iter().filter(of).filter(|c| !c["churned_on"].is_empty()).count() as f64;
            assert_eq!(
                here,
                num(last, &format!("customers_active_{s}")),
                "replication {rep}: {s} at the end"
            );
            assert_eq!(left, sum(&format!("customers_lost_{s}")), "replication {rep}: {s} who left");
        }
        for c in &mine {
            assert!(num(c, "bad_remembered") <= num(c, "bad_experiences").max(7.0));
            assert!(num(c, "orders_in_run") <= num(c, "orders"));
            assert_eq!(num(c, "revenue") > 0.0, num(c, "orders_in_run") > 0.0, "{c:?}");
        }
    }
    // The daily series by segment adds up to the whole base.
    for d in &daily {
        let active: f64 = segments.iter().map(|s| num(d, &format!("customers_active_{s}"))).sum();
        let lost: f64 = segments.iter().map(|s| num(d, &format!("customers_lost_{s}"))).sum();
        assert_eq!(active, num(d, "customers_active"));
        assert_eq!(lost, num(d, "customers_lost"));
    }
}

#[test]
fn customers_out_on_a_scenario_without_customers_is_refused_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("s.toml"), SMALL).unwrap();
    let got = o2d(tmp.path()).args(["run", "s.toml", "--customers-out", "--out", "out"]).output().unwrap();
    assert_eq!(got.status.code(), Some(2));
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(err.contains("[customers]"), "{err}");
    assert!(!tmp.path().join("out").exists());
}
