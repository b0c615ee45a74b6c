//! `customers.csv` (`o2d run --customers-out`): every customer of every replication at the end of
//! the run. A base can hold millions of customers, so each replication's rows are streamed into
//! a hidden part file of the results folder being staged as the replication ends (replications
//! end in any order), and the parts are joined in replication order when the run is done: the
//! file is the same whatever the thread count, and memory holds a chunk of rows, never a base.

use std::io::{BufWriter, Write};

use serde::Serialize;

use super::atomic::StagedDir;
use super::export::{Plain, csv::Csv, export};
use crate::error::{Error, Result};
use crate::model::customers::{CustomerBase, CustomerRow};
use crate::scenario::Scenario;

/// The file's name in the results folder.
pub const FILE: &str = "customers.csv";

/// The file's header: the fields of [`Row`].
const HEADER: &str = "replication,customer_id,segment,joined_on,orders,orders_in_run,bad_experiences,\
                      bad_remembered,last_contact_stars,churned_on,revenue";

/// Rows formatted at a time.
const CHUNK: usize = 16_384;

/// A row of `customers.csv`.
#[derive(Debug, Serialize)]
struct Row<'a> {
    replication: u64,
    /// As in the trace: 1 for the first customer of the base at the start.
    customer_id: u32,
    /// The segment at the end.
    segment: &'a str,
    /// The date they placed their first order (empty: in the base at the start).
    joined_on: Option<String>,
    /// Orders placed, before the run and in it.
    orders: u32,
    /// Orders placed in the run, warm-up included.
    orders_in_run: u32,
    /// Bad experiences in the run.
    bad_experiences: u32,
    /// Bad experiences the record still holds (a win-back forgets one).
    bad_remembered: u32,
    /// Stars the last contact left them at (empty: no contact).
    last_contact_stars: Option<u32>,
    /// The date they left (empty: still a customer).
    churned_on: Option<String>,
    /// Value of the orders placed in the run.
    revenue: Plain,
}

impl<'a> Row<'a> {
    fn new(scenario: &Scenario, replication: u64, c: CustomerRow<'a>) -> Self {
        let date = |day: u32| scenario.date_of_day(day).to_string();
        Self {
            replication,
            customer_id: c.id,
            segment: c.segment,
            joined_on: c.joined_day.map(date),
            orders: c.orders,
            orders_in_run: c.orders_in_run,
            bad_experiences: c.bad_experiences,
            bad_remembered: c.bad_remembered,
            last_contact_stars: c.last_contact_stars,
            churned_on: c.churned_day.map(date),
            revenue: Plain::of(c.revenue),
        }
    }
}

/// The hidden part file of replication `index` in the staging folder.
fn part(index: u64) -> String {
    format!(".customers-{index}.part")
}

/// `customers.csv` being written into a staged results folder.
pub struct CustomersCsv<'a> {
    stage: &'a StagedDir,
    scenario: &'a Scenario,
}

impl<'a> CustomersCsv<'a> {
    /// Starts `customers.csv` in `stage`.
    pub fn new(stage: &'a StagedDir, scenario: &'a Scenario) -> Self {
        Self { stage, scenario }
    }

    /// Writes replication `index`'s customers (its part of the file, without the header).
    pub fn replication(&self, index: u64, base: &CustomerBase) -> Result<()> {
        let name = part(index);
        let ctx = || format!("cannot write {FILE}");
        let mut out = BufWriter::new(self.stage.create(&name)?);
        let mut rows = base.rows();
        loop {
            let chunk: Vec<Row<'_>> =
                rows.by_ref().take(CHUNK).map(|c| Row::new(self.scenario, index, c)).collect();
            if chunk.is_empty() {
                break;
            }
            let bytes = export(&Csv, chunk)?;
            // Each chunk comes with the header, written once when the parts are joined.
            let body = bytes.iter().position(|&b| b == b'\n').map_or(&bytes[..], |i| &bytes[i + 1..]);
            out.write_all(body).map_err(|e| Error::io(ctx(), e))?;
        }
        out.into_inner()
            .map_err(|e| Error::io(ctx(), e.into_error()))?
            .sync_all()
            .map_err(|e| Error::io(ctx(), e))
    }

    /// Joins the parts of `replications` (every replication written, in the order the file lists
    /// them) into `customers.csv`, removing them.
    pub fn finish(self, replications: impl Iterator<Item = u64>) -> Result<()> {
        let ctx = || format!("cannot write {FILE}");
        let mut out = BufWriter::new(self.stage.create(FILE)?);
        writeln!(out, "{HEADER}").map_err(|e| Error::io(ctx(), e))?;
        for index in replications {
            let name = part(index);
            std::io::copy(&mut self.stage.open(&name)?, &mut out).map_err(|e| Error::io(ctx(), e))?;
            self.stage.remove(&name)?;
        }
        out.into_inner()
            .map_err(|e| Error::io(ctx(), e.into_error()))?
            .sync_all()
            .map_err(|e| Error::io(ctx(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_is_the_rows_fields() {
        let sc = crate::scenario::load(&crate::scenario::Source::Default, &[]).unwrap();
        let row = CustomerRow {
            id: 1,
            segment: "new",
            joined_day: None,
            orders: 1,
            orders_in_run: 1,
            bad_experiences: 0,
            bad_remembered: 0,
            last_contact_stars: None,
            churned_day: Some(3),
            revenue: 55.0,
        };
        let bytes = export(&Csv, [Row::new(&sc, 0, row)]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.lines().next(), Some(HEADER));
        assert_eq!(text.lines().nth(1), Some("0,1,new,,1,1,0,0,,2026-10-28,55"));
    }
}
