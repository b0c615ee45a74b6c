//! The one integration-test binary: runs the real `o2d` binary on scenario files (cli), and the
//! library on small scenarios to check behaviour the way a planner would (behaviour).

mod allocations;
mod architecture;
mod bad_input;
mod behaviour;
mod capacity;
mod catalogue_roster;
mod cli;
mod customers;
mod experiments;
mod extremes;
mod faults;
mod forecast;
mod fuzz_regressions;
mod golden;
mod history;
mod honest_outputs;
mod hourly;
mod inventory;
mod library;
mod model_fixes;
mod order_api;
mod output_safety;
mod properties;
mod readme;
mod reasons;
mod replay;
mod report;
mod shorter_runs;
mod staffing;
mod support;
mod support_model;
mod support_settings;
mod table;
mod trace;
mod windows;
