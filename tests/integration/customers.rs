//! The customer base as entities: who orders, what they remember, who leaves, and what it costs.

use o2d::stats::summarize;

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
