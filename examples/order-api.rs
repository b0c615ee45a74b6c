//! A small order API for trying `o2d replay` by hand: the replay's default routes on 127.0.0.1,
//! answered at once, with optional stalls.
//!
//! ```sh
//! cargo run --release --example order-api -- --port 8080 --stall 200ms --every 5s --window 500ms
//! ```
//!
//! Every `--every`, the requests that arrive in the first `--window` of it wait `--stall` before
//! their answer. It serves until stopped (Ctrl-C).

// The tests read what the server received; this program only serves.
#[allow(dead_code)]
#[path = "../tests/integration/order_api.rs"]
mod order_api;

use std::time::Duration;

use clap::Parser;

/// A small order API for trying `o2d replay`.
#[derive(Debug, Parser)]
struct Args {
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// How long a stalled request waits (e.g. 200ms); none without it.
    #[arg(long, value_parser = duration, default_value = "0s")]
    stall: Duration,
    /// A stall window starts this often.
    #[arg(long, value_parser = duration, default_value = "5s")]
    every: Duration,
    /// Requests arriving this long after a window starts are stalled.
    #[arg(long, value_parser = duration, default_value = "500ms")]
    window: Duration,
}

fn duration(text: &str) -> Result<Duration, String> {
    o2d::units::parse_duration_s(text).map(Duration::from_secs_f64)
}

fn main() {
    let a = Args::parse();
    let every = if a.stall.is_zero() { Duration::ZERO } else { a.every };
    let stalls = order_api::Stalls { stall: a.stall, every, window: a.window };
    let server = order_api::Server::start(a.port, stalls, false);
    eprintln!("order API listening on {} (Ctrl-C stops it)", server.url());
    loop {
        std::thread::park();
    }
}
