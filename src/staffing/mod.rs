//! Staffing plans: how many agents each interval needs (Erlang C and A, corrected by
//! simulation) and the cheapest shifts that cover that need.

pub mod erlang;
pub mod plan;
pub mod requirement;
pub mod shifts;
