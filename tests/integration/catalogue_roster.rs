//! The planner's SKU catalogue and support rosters: bad cells located in the CSV with nothing
//! written, ledgers kept, names in traces, agent-hours and costs that follow the roster.

use std::path::Path;

use crate::support::{SMALL, assert_sane, o2d, run_all, write};

const CATALOGUE: &str = "sku,demand_share,unit_price,class,initial_stock,lead_time_days
TEE-BLK-M,0.5,20,,400,
MUG-WHT,0.3,12.5,,,14
LAMP-BRASS,0.2,70,A,30,30
";

const ROSTER: &str = "date,start,end,agents
2026-11-01,08:00,16:00,9
2026-11-02,08:00,16:00,3
2026-11-02,12:00,20:00,2
2026-11-03,09:00,17:00,4
2026-11-04,00:00,24:00,1
";

fn with_inventory(catalogue: &str) -> String {
    format!("{SMALL}\n[inventory]\ncatalogue = \"{catalogue}\"\nstockout = \"cancel\"\n")
}

fn with_roster(roster: &str, days: u32) -> String {
    let small = SMALL.replace("days = 14\nwarmup_days = 2", &format!("days = {days}\nwarmup_days = 1"));
    format!(
        "{small}\n[support]\n[[support.teams]]\nname = \"live\"\nroster = \"{roster}\"\n\n\
         [support.back_office]\nstaff = 0\n"
    )
}

/// Runs `o2d ARGS` in `dir` expecting a refusal: exit 2, nothing on stdout, no output folder
/// (`run` is given one to write into).
fn refused(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("out");
    let mut cmd = o2d(dir);
    cmd.args(args);
    if args[0] == "run" {
        cmd.arg("--out").arg(&out).arg("--quiet");
    }
    let got = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr).into_owned();
    assert_eq!(got.status.code(), Some(2), "{args:?}: {err}");
    assert!(got.stdout.is_empty());
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "{args:?} wrote {}", out.display());
    err
}

#[test]
fn a_bad_catalogue_cell_is_located_by_line_column_and_name_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "skus.csv", &CATALOGUE.replace("MUG-WHT,0.3,12.5,,,14", "MUG-WHT,0.3,12.5,D,,14"));
    write(tmp.path(), "s.toml", &with_inventory("skus.csv"));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.starts_with("error: skus.csv:3:18: `class`: `D` is not an ABC class"), "{err}");
    let err = refused(tmp.path(), &["validate", "s.toml"]);
    assert!(err.contains("skus.csv:3:18: `class`"), "{err}");
}

#[test]
fn a_catalogue_that_contradicts_itself_or_the_section_is_refused_at_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "short.csv", &CATALOGUE.replace("0.2,70", "0.1,70"));
    write(tmp.path(), "s.toml", &with_inventory("short.csv"));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(
        err.contains("`inventory.catalogue`: the `demand_share` column of short.csv sums to 0.9, not 1"),
        "{err}"
    );
    write(tmp.path(), "twice.csv", &format!("{CATALOGUE}TEE-BLK-M,0,1,,,\n"));
    write(tmp.path(), "s.toml", &with_inventory("twice.csv"));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.contains("twice.csv:5:1: `sku`: SKU `TEE-BLK-M` is listed twice (first on line 2)"), "{err}");
    write(tmp.path(), "skus.csv", CATALOGUE);
    write(tmp.path(), "s.toml", &format!("{}zipf_exponent = 1.2\nskus = 50\n", with_inventory("skus.csv")));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.contains("`inventory.skus`: 50 SKUs, but the catalogue skus.csv has 3"), "{err}");
    assert!(err.contains("`inventory.zipf_exponent`"), "{err}");
}

#[test]
fn a_bad_roster_cell_is_located_by_line_column_and_name_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "roster.csv", &ROSTER.replace("09:00,17:00,4", "09:00,17:00,four"));
    write(tmp.path(), "s.toml", &with_roster("roster.csv", 7));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.starts_with("error: roster.csv:5:24: `agents`: `four` is not a whole number"), "{err}");
    write(tmp.path(), "roster.csv", &ROSTER.replace("09:00,17:00", "17:00,09:00"));
    let err = refused(tmp.path(), &["validate", "s.toml"]);
    assert!(
        err.contains("roster.csv:5:18: `end`: the shift ends at 09:00 before it starts at 17:00"),
        "{err}"
    );
}

#[test]
fn a_team_gives_a_roster_or_weekly_shifts_not_both() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "roster.csv", ROSTER);
    let text = format!("{}\n[[support.teams.shifts]]\nagents = 3\n", with_roster("roster.csv", 7));
    write(tmp.path(), "s.toml", &text.replace("[support.back_office]\nstaff = 0\n", ""));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.contains("`support.teams[0].shifts`: team `live` has a roster and weekly shifts"), "{err}");
}

#[test]
fn units_are_conserved_with_a_catalogue_and_its_prices_value_lost_sales() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "skus.csv", CATALOGUE);
    let path = write(tmp.path(), "s.toml", &with_inventory("skus.csv"));
    let sc = crate::support::load(&o2d::scenario::Source::File(path), &[]);
    assert_eq!(sc.inventory.as_ref().unwrap().skus, 3);
    let result = run_all(&sc);
    assert_sane(&result);
    // The cells' 400 and 30 units, and MUG-WHT's 21 days (the section's default rule) of its
    // 300 orders x 1.92 lines x 0.3 a day.
    assert_eq!(result.replications[0].units.unwrap().initial, 400 + 3629 + 30);
    // LAMP-BRASS (30 units, 30-day lead time) sells out on the first day: with `cancel` its lost
    // sales are valued at its own price, 70.
    let lost = result.summary("lost_revenue").unwrap().mean;
    assert!(lost > 0.0 && lost.is_finite(), "lost revenue {lost}");
}

#[test]
fn the_resolved_scenario_pins_the_files_and_refuses_a_changed_one() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "skus.csv", CATALOGUE);
    write(tmp.path(), "roster.csv", ROSTER);
    let text = format!("{}\n[inventory]\ncatalogue = \"skus.csv\"\n", with_roster("roster.csv", 7));
    write(tmp.path(), "s.toml", &text);
    let got = o2d(tmp.path()).args(["run", "s.toml", "--out", "r", "--replications", "2"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let resolved = std::fs::read_to_string(tmp.path().join("r/scenario.resolved.toml")).unwrap();
    assert!(resolved.contains("sha256"), "{resolved}");
    assert!(resolved.contains("skus = 3"), "the SKU count is the catalogue's: {resolved}");
    let again = o2d(tmp.path()).args(["run", "r/scenario.resolved.toml", "--out", "r2"]).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    let kpis = |d: &str| std::fs::read_to_string(tmp.path().join(d).join("kpis.csv")).unwrap();
    assert_eq!(kpis("r"), kpis("r2"), "the resolved scenario reproduces the run");
    write(tmp.path(), "roster.csv", &ROSTER.replace(",9\n", ",8\n"));
    let err = refused(tmp.path(), &["run", "r/scenario.resolved.toml"]);
    assert!(err.contains("`support.teams[0].roster.sha256`"), "{err}");
}

#[test]
fn agent_hours_and_costs_follow_the_roster_and_tickets_are_conserved() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "roster.csv", ROSTER);
    let path = write(tmp.path(), "s.toml", &with_roster("roster.csv", 4));
    let sc = crate::support::load(&o2d::scenario::Source::File(path), &[]);
    assert!(
        sc.notes.iter().any(|n| n.contains("1 shift of") && n.contains("line 2, 2026-11-01")),
        "{:?}",
        sc.notes
    );
    let result = run_all(&sc);
    assert_sane(&result);
    let col = result.daily_columns.iter().position(|c| *c == "agent_hours").unwrap();
    // 2026-11-02: 3 x 8 h + 2 x 8 h; 11-03: 4 x 8 h; 11-04: 1 x 24 h; 11-05: nobody.
    let expected = [40.0, 32.0, 24.0, 0.0];
    for r in &result.replications {
        let hours: Vec<f64> = r.daily.iter().map(|d| d[col]).collect();
        assert_eq!(hours, expected);
    }
    let wage = sc.support.as_ref().unwrap().agent_wage_per_hour;
    let cost = result.summary("cost_support").unwrap().mean;
    assert!(
        (cost - (32.0 + 24.0) * wage).abs() < 1e-9,
        "cost {cost}: the measured days' roster hours x wage"
    );
}

#[test]
fn days_without_shifts_and_rows_outside_the_horizon_are_noted_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "roster.csv", ROSTER);
    write(tmp.path(), "s.toml", &with_roster("roster.csv", 5));
    let got = o2d(tmp.path()).args(["validate", "s.toml"]).output().unwrap();
    let err = String::from_utf8_lossy(&got.stderr);
    assert!(got.status.success(), "{err}");
    assert!(err.contains("note: `support.teams[0].roster`: 1 shift of"), "{err}");
    assert!(
        err.contains(
            "has no shift on 2 of the 5 days (2026-11-05, 2026-11-06): nobody of team `live` works then"
        ),
        "{err}"
    );
    write(tmp.path(), "late.csv", "date,start,end,agents\n2027-01-04,08:00,16:00,3\n");
    write(tmp.path(), "s.toml", &with_roster("late.csv", 5));
    let err = refused(tmp.path(), &["run", "s.toml"]);
    assert!(err.contains("team `live` would never work"), "{err}");
}

#[test]
fn trace_names_the_catalogue_s_skus() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "skus.csv", CATALOGUE);
    write(tmp.path(), "s.toml", &with_inventory("skus.csv"));
    let got = o2d(tmp.path()).args(["trace", "s.toml", "--out", "t.csv"]).output().unwrap();
    assert!(got.status.success(), "{}", String::from_utf8_lossy(&got.stderr));
    let rows = crate::library::csv_rows(&tmp.path().join("t.csv"));
    let names = ["TEE-BLK-M", "MUG-WHT", "LAMP-BRASS"];
    assert!(rows.iter().all(|r| r["skus"].split(' ').all(|s| names.contains(&s))));
    assert!(names.iter().all(|n| rows.iter().any(|r| r["skus"].contains(n))), "every SKU is ordered");
}

#[test]
fn a_catalogue_and_a_roster_give_the_same_bytes_on_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "skus.csv", CATALOGUE);
    write(tmp.path(), "roster.csv", ROSTER);
    let text = format!("{}\n[inventory]\ncatalogue = \"skus.csv\"\n", with_roster("roster.csv", 7));
    write(tmp.path(), "s.toml", &text);
    for threads in ["1", "3"] {
        let got = o2d(tmp.path())
            .args(["run", "s.toml", "--quiet", "--threads", threads, "--out", threads])
            .output();
        assert!(got.unwrap().status.success());
    }
    for file in ["kpis.csv", "replications.csv", "daily.csv"] {
        let read = |d: &str| std::fs::read(tmp.path().join(d).join(file)).unwrap();
        assert_eq!(read("1"), read("3"), "{file} differs between 1 and 3 threads");
    }
}
