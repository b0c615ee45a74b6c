//! Tickets by reason: each contact type's tickets, per order, first response and resolution, in
//! the KPIs and the daily series; the types' tickets add up to `tickets` in both.

use std::collections::HashMap;

use crate::library::csv_rows;
use crate::support::o2d;

const REASONS: [&str; 9] = [
    "wismo",
    "tracking",
    "change_order",
    "cancel_order",
    "damaged",
    "wrong_item",
    "lost",
    "returns",
    "presale",
];

#[test]
fn the_tickets_of_every_contact_type_add_up_to_tickets_per_replication_and_per_day() {
    let tmp = tempfile::tempdir().unwrap();
    let got =
        o2d(tmp.path()).args(["run", "--days", "21", "-r", "3", "--quiet", "--out", "out"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let mut per_rep: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for r in csv_rows(&tmp.path().join("out/replications.csv")).into_iter().filter(|r| r["window"] == "all") {
        per_rep
            .entry(r["replication"].clone())
            .or_default()
            .insert(r["kpi"].clone(), r["value"].parse().unwrap_or(f64::NAN));
    }
    assert_eq!(per_rep.len(), 3);
    for (rep, kpis) in &per_rep {
        let by_reason: f64 = REASONS.iter().map(|r| kpis[&format!("{r}_tickets")]).sum();
        assert_eq!(by_reason, kpis["tickets"], "replication {rep}");
        assert!(kpis["tickets"] > 1_000.0, "replication {rep}: a test with tickets");
        let wismo = kpis["wismo_per_order"];
        assert!((wismo - kpis["wismo_tickets"] / kpis["orders"]).abs() < 1e-12, "replication {rep}");
    }
    let daily = csv_rows(&tmp.path().join("out/daily.csv"));
    assert_eq!(daily.len(), 3 * 21);
    for row in &daily {
        let by_reason: u64 =
            REASONS.iter().map(|r| row[&format!("{r}_tickets")].parse::<u64>().unwrap()).sum();
        assert_eq!(
            by_reason,
            row["tickets"].parse::<u64>().unwrap(),
            "{} day {}",
            row["replication"],
            row["day"]
        );
    }
}
