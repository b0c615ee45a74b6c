//! The one integration-test binary: runs the real `o2d` binary on scenario files (cli), and the
//! library on small scenarios to check behaviour the way a planner would (behaviour).

mod allocations;
mod behaviour;
mod capacity;
mod cli;
mod experiments;
mod golden;
mod inventory;
mod readme;
mod report;
mod support;
mod support_model;
