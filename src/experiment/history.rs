//! Hands a scenario's order history to the model: the scenario layer streams and checks the file,
//! this adapter turns each of its orders into the order the model consumes.

use crate::error::Result;
use crate::model::Operation;
use crate::model::history::{FedOrder, OrderFeed};
use crate::scenario::Scenario;
use crate::scenario::files::history::HistoryStream;

/// The history file as an order feed.
struct Feed(HistoryStream);

impl OrderFeed for Feed {
    fn next_order(&mut self) -> std::result::Result<Option<FedOrder<'_>>, String> {
        match self.0.next_order() {
            Ok(None) => Ok(None),
            // The stream yields only orders inside the horizon: `at_ms` is >= 0.
            Ok(Some(o)) => Ok(Some(FedOrder {
                placed_at: o.at_ms as u64,
                lines: o.lines,
                option: o.option,
                skus: &o.skus,
                customer: o.customer,
            })),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// `model` replaying the order history `scenario` names, if it names one (the file is opened
/// here, once per replication).
pub(crate) fn attach<'s>(model: Operation<'s>, scenario: &'s Scenario) -> Result<Operation<'s>> {
    match &scenario.demand.history {
        None => Ok(model),
        Some(h) => Ok(model.replay(Box::new(Feed(HistoryStream::open(scenario, h)?)))),
    }
}
