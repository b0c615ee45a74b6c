//! Statistics for simulation output: streaming moments, across-replication confidence intervals
//! and duration histograms. Pure numerics only: no I/O, no simulation state, no domain vocabulary.

pub mod histogram;
pub mod summary;

pub use histogram::*;
pub use summary::*;
