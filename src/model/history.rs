//! What the model consumes when a scenario replays an order history: a feed of orders in time
//! order. The model never opens a file; the experiment layer hands it a feed that reads one.

use crate::kernel::Time;

use super::inventory::Sku;

/// One order of a replayed history, as the model takes it.
#[derive(Debug, Clone, Copy)]
pub struct FedOrder<'a> {
    /// When it was placed, engine time (inside the horizon).
    pub placed_at: Time,
    /// Order lines, 1 ..= `MAX_LINES_PER_ORDER`.
    pub lines: u16,
    /// Index of the shipping option, `None`: drawn by the options' shares.
    pub option: Option<u8>,
    /// The catalogue index of each line's SKU, one per line; empty: drawn by popularity.
    pub skus: &'a [Sku],
    /// The customer's number, `None`: the order number.
    pub customer: Option<u64>,
}

/// Orders to replay, in time order.
pub trait OrderFeed {
    /// Moves to the next order and returns it, or `None` after the last; an error (the source
    /// no longer reads as it did when it was checked) stops the run with its message.
    fn next_order(&mut self) -> Result<Option<FedOrder<'_>>, String>;
}

/// The order the feed has moved to, held until its arrival event (the SKUs in a reused list).
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub(crate) lines: u16,
    pub(crate) option: Option<u8>,
    pub(crate) customer: Option<u64>,
    pub(crate) skus: Vec<Sku>,
}

/// A feed and the order it has moved to.
pub(crate) struct Replay<'s> {
    pub(crate) feed: Box<dyn OrderFeed + 's>,
    pub(crate) pending: Pending,
}

impl Replay<'_> {
    /// Moves to the next order: its time, or `None` after the last.
    pub(crate) fn advance(&mut self) -> Result<Option<Time>, String> {
        let Some(o) = self.feed.next_order()? else { return Ok(None) };
        let p = &mut self.pending;
        p.lines = o.lines;
        p.option = o.option;
        p.customer = o.customer;
        p.skus.clear();
        p.skus.extend_from_slice(o.skus);
        Ok(Some(o.placed_at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed(Vec<(Time, u16)>, usize, Vec<Sku>);

    impl OrderFeed for Fixed {
        fn next_order(&mut self) -> Result<Option<FedOrder<'_>>, String> {
            let Some(&(placed_at, lines)) = self.0.get(self.1) else { return Ok(None) };
            self.1 += 1;
            self.2 = vec![3; usize::from(lines)];
            Ok(Some(FedOrder { placed_at, lines, option: Some(1), skus: &self.2, customer: None }))
        }
    }

    #[test]
    fn the_replay_holds_each_order_until_the_next_advance() {
        let mut r =
            Replay { feed: Box::new(Fixed(vec![(5, 2), (9, 1)], 0, vec![])), pending: Pending::default() };
        assert_eq!(r.advance(), Ok(Some(5)));
        assert_eq!((r.pending.lines, r.pending.option, r.pending.skus.as_slice()), (2, Some(1), &[3, 3][..]));
        assert_eq!(r.advance(), Ok(Some(9)));
        assert_eq!(r.pending.skus, vec![3]);
        assert_eq!(r.advance(), Ok(None));
    }
}
