//! o2d: an order-to-door simulation and load-test toolkit. A discrete-event simulator of an
//! e-commerce operation, run over many replications, reporting KPIs with 95% intervals.
//!
//! Data flows one way: scenario file → [`scenario::Scenario`] → [`model`] on the [`kernel`] →
//! [`stats`] → [`experiment`] results → [`output`]. The kernel knows no domain words; models do
//! no I/O; the CLI (`src/cli.rs`) only turns flags into calls.

#![warn(missing_docs)]
// A function over 120 lines (clippy.toml) is a function to split.
#![warn(clippy::too_many_lines)]

pub mod dist;
pub mod error;
pub mod experiment;
pub mod input;
pub mod kernel;
pub mod kpi;
pub mod model;
pub mod output;
pub mod replay;
pub mod scenario;
pub mod staffing;
pub mod stats;
pub mod suggest;
pub mod units;

pub use error::{Error, Result};

/// The o2d version written into every resolved scenario.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
