//! Helpers shared by the integration tests: the binary, temp folders, small scenarios.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `o2d` binary under test, run inside `dir`.
pub fn o2d(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("o2d").expect("binary built");
    cmd.current_dir(dir);
    cmd
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write scenario");
    path
}

/// A small, fast scenario: two weeks, 300 orders a day, one shift, one carrier.
pub const SMALL: &str = r#"
[run]
start_date = "2026-11-02"
days = 14
warmup_days = 2
replications = 4
seed = 11

[demand]
orders_per_day = 300

[[fulfilment.shifts]]
name = "day"
days = ["mon", "tue", "wed", "thu", "fri", "sat"]
start = "07:00"
end = "17:00"
pickers = 2
packers = 2

[[carriers]]
name = "parcel"
pickups = ["18:00"]
"#;
