//! Customer support against queueing theory (Erlang C, Erlang A, Little's law) and as planners
//! use it: late orders raise contacts, zero agents do not hang, tickets are all accounted for.

use o2d::experiment::RunResult;
// Erlang C and A as the staffing planner computes them, checked there against closed forms.
use o2d::staffing::erlang::{abandonment, wait_probability};
use o2d::stats::{paired_difference, summarize_at};

use crate::support::{SMALL, load_text, o2d, run_all, write};

fn run(text: &str, sets: &[(&str, &str)]) -> RunResult {
    let r = run_all(&load_text(text, sets));
    for rep in &r.replications {
        let ledger = rep.tickets.expect("support modelled");
        assert!(ledger.holds(), "tickets conserved and Little's law on the sample path: {ledger:?}");
        assert!(rep.conservation.holds(), "orders conserved: {:?}", rep.conservation);
    }
    r
}

fn values(r: &RunResult, kpi: &str) -> Vec<f64> {
    let k = r.kpis.iter().position(|d| d.name == kpi).unwrap_or_else(|| panic!("no KPI {kpi}"));
    r.values_of(k)
}

/// A support-only M/M/c (+M) scenario: Poisson pre-sale calls on the phone, exponential handle
/// times, `c` agents on a 24-hour shift every day, no orders.
pub(crate) fn mmc(
    per_hour: f64,
    mean_handle_min: f64,
    agents: u32,
    days: u32,
    patience_min: Option<f64>,
) -> String {
    let abandon = match patience_min {
        Some(p) => format!(
            "abandons = true\npatience = {{ dist = \"exponential\", mean = \"{p}m\" }}\nretry_rate = 0.0"
        ),
        None => "abandons = false".to_string(),
    };
    format!(
        r#"
[run]
start_date = "2026-11-02"
days = {days}
warmup_days = 1
replications = 10
seed = 2024

[demand]
orders_per_day = 0

[support.channels.phone]
sla = "0s"
handle_factor = 1.0
{abandon}

[support.contacts.presale]
per_hour = {per_hour}
channels = {{ phone = 1.0 }}
handle_time = {{ dist = "exponential", mean = "{mean_handle_min}m" }}
one_touch = 1.0
self_service = 0.0

[[support.teams]]
name = "agents"
channels = ["phone"]

[[support.teams.shifts]]
start = "00:00"
end = "24:00"
agents = {agents}
"#
    )
}

/// Asserts that the replication mean of `xs` is within the 99% Student-t interval of `theory`.
/// The tolerance is the interval's half-width: nothing is added to it.
fn within_ci(what: &str, xs: &[f64], theory: f64) {
    let s = summarize_at(xs, 0.99);
    assert!(
        s.ci95_low <= theory && theory <= s.ci95_high,
        "{what}: simulated {:.5} (99% CI {:.5} .. {:.5}) vs theory {theory:.5}",
        s.mean,
        s.ci95_low,
        s.ci95_high
    );
}

fn check_erlang_c(c: u32, rho: f64, days: u32) {
    let mean_handle_min = 6.0;
    let mu = 60.0 / mean_handle_min; // per hour
    let lambda = rho * f64::from(c) * mu;
    let r = run(&mmc(lambda, mean_handle_min, c, days, None), &[]);
    let a = lambda / mu;
    let pw = wait_probability(c, a);
    let wq_s = pw / (f64::from(c) * mu - lambda) * 3_600.0;
    let waited: Vec<f64> = values(&r, "phone_sla_attainment").iter().map(|x| 1.0 - x).collect();
    within_ci(&format!("P(wait) c={c} rho={rho}"), &waited, pw);
    within_ci(&format!("mean wait c={c} rho={rho}"), &values(&r, "phone_frt_mean"), wq_s);
    // Little's law against theory: time-average queue length Lq = λ Wq.
    let horizon_ms = f64::from(days) * 86_400_000.0;
    let lq: Vec<f64> =
        r.replications.iter().map(|rep| rep.tickets.unwrap().queue_area_ms as f64 / horizon_ms).collect();
    within_ci(&format!("Lq c={c} rho={rho}"), &lq, lambda / 3_600.0 * wq_s);
}

#[test]
fn erlang_c_wait_probability_and_mean_wait_c1_rho050() {
    check_erlang_c(1, 0.5, 60);
}

#[test]
fn erlang_c_wait_probability_and_mean_wait_c1_rho085() {
    check_erlang_c(1, 0.85, 200);
}

#[test]
fn erlang_c_wait_probability_and_mean_wait_c20_rho070() {
    check_erlang_c(20, 0.7, 30);
}

#[test]
fn erlang_c_wait_probability_and_mean_wait_c20_rho095() {
    check_erlang_c(20, 0.95, 60);
}

#[test]
fn erlang_a_abandonment_c20_offered_load_one() {
    // 20 agents, 6-minute calls, 200 calls an hour (offered load 1.0), patience 5 minutes.
    let (c, mean_handle_min, lambda, patience_min) = (20, 6.0, 200.0, 5.0);
    let r = run(&mmc(lambda, mean_handle_min, c, 30, Some(patience_min)), &[]);
    let theory = abandonment(c, lambda, 60.0 / mean_handle_min, 60.0 / patience_min);
    within_ci("P(abandon) Erlang A", &values(&r, "phone_abandonment_rate"), theory);
    assert!(theory > 0.03 && theory < 0.3, "a case where abandonment matters: {theory}");
}

/// SMALL with support: every contact type on, a modest team.
fn small_with_support() -> String {
    format!(
        "{SMALL}\n[support]\n[[support.teams]]\nname = \"agents\"\nchannels = [\"email\", \"chat\", \"phone\", \"social\", \"sms\"]\n\
         [[support.teams.shifts]]\nstart = \"08:00\"\nend = \"18:00\"\nagents = 2\n"
    )
}

#[test]
fn late_orders_raise_wismo_contacts_slow_first_responses_and_lower_csat() {
    let base = small_with_support();
    let sets = [("run.replications", "10"), ("demand.orders_per_day", "400")];
    let a = run(&base, &sets);
    let slow =
        [sets[0], sets[1], ("carriers[0].transit", "{ dist = \"lognormal\", mean = \"4d\", sd = \"1d\" }")];
    let b = run(&base, &slow);
    let diff = |kpi: &str| paired_difference(&values(&a, kpi), &values(&b, kpi));
    let on_time = diff("on_time_rate");
    assert!(on_time.ci95_high < 0.0, "slower transit makes orders late: {on_time:?}");
    let tpo = diff("tickets_per_order");
    assert!(tpo.ci95_low > 0.0, "more tickets per order: {tpo:?}");
    let frt = diff("frt_p90");
    assert!(frt.ci95_low > 0.0, "first responses slower: {frt:?}");
    let csat = diff("csat");
    assert!(csat.ci95_high < 0.0, "CSAT falls: {csat:?}");
}

#[test]
fn zero_agents_queue_every_ticket_without_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let text = small_with_support().replace("agents = 2", "agents = 0");
    let scenario = write(tmp.path(), "nobody.toml", &text);
    let out = o2d(tmp.path())
        .args(["run", scenario.to_str().unwrap(), "--replications", "2", "--format", "json", "--out", "o"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &v["kpis"];
    assert!(k["tickets"]["mean"].as_f64().unwrap() > 0.0);
    assert!(k["backlog_end"]["mean"].as_f64().unwrap() > 0.0, "tickets wait in the queue");
    assert!(k["frt_mean"]["mean"].is_null(), "nobody answered, so no first response: {}", k["frt_mean"]);
    assert_eq!(k["service_tier"]["mean"].as_f64(), Some(1.0), "unacceptable");
    assert_eq!(k["agent_occupancy"]["mean"], serde_json::Value::Null, "no agent time on shift");
}

#[test]
fn every_ticket_is_counted_once_in_the_default_scenario() {
    let text = include_str!("../../scenarios/holiday-season.toml");
    let r = run(text, &[("run.replications", "2")]);
    assert!(values(&r, "tickets").iter().all(|&t| t > 0.0));
}

#[test]
fn support_bad_input_names_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "patience_on_email",
            "[support.channels.email]\npatience = { dist = \"exponential\", mean = \"1h\" }\n",
            "support.channels.email.patience",
        ),
        (
            "mix",
            "[support.contacts.wismo]\nchannels = { email = 0.5, chat = 0.2 }\n",
            "support.contacts.wismo.channels",
        ),
        (
            "shift",
            "[[support.teams]]\nname = \"a\"\nchannels = [\"chat\"]\n[[support.teams.shifts]]\nstart = \"18:00\"\nend = \"09:00\"\nagents = 3\n",
            "support.teams[0].shifts[0].end",
        ),
        (
            "concurrency",
            "[[support.teams]]\nname = \"a\"\nchannels = [\"chat\"]\nchat_concurrency = 0\n",
            "support.teams[0].chat_concurrency",
        ),
        ("channel", "[[support.teams]]\nname = \"a\"\nchannels = [\"chta\"]\n", "did you mean `chat`"),
    ];
    for (name, body, needle) in cases {
        let f = write(tmp.path(), &format!("{name}.toml"), &format!("[support]\n{body}"));
        let out = o2d(tmp.path()).args(["validate", f.to_str().unwrap()]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(needle), "{name}: {err}");
        assert!(err.contains(&format!("{name}.toml:")), "{name}: the file is named: {err}");
    }
}

#[test]
fn twenty_percent_more_agents_cut_chat_first_response_in_the_understaffed_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let base = include_str!("../../scenarios/support-staffing.toml");
    let a = write(tmp.path(), "a.toml", base);
    // 5 -> 6 agents on both live shifts: +20%.
    let b = write(tmp.path(), "b.toml", &base.replace("agents = 5", "agents = 6"));
    let out = o2d(tmp.path())
        .args([
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--replications",
            "6",
            "--format",
            "json",
        ])
        .args(["--out", "cmp", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &v["kpis"]["chat_frt_p90"];
    let high = d["diff_ci95_high"].as_f64();
    assert!(high.is_some_and(|h| h < 0.0), "chat_frt_p90 falls with a CI that excludes zero: {d}");
    assert_eq!(d["excludes_zero"], serde_json::Value::Bool(true));
}
