//! `o2d replay`: an open-model HTTP load generator. Each request of a trace is sent at its planned
//! time whatever the responses do (no closed loop: a slow server does not slow the sending), up
//! to a cap on requests in flight (a request that would pass it is dropped and counted, never
//! delayed). Latency counts from the planned time, so a stall is charged to every request it held
//! up. Plain HTTP/1.1 with keep-alive over a connection pool; the replay's I/O lives here, apart
//! from the simulation.

pub mod collect;
pub mod plan;
pub mod routes;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::error::Error;
use collect::{Collector, Failure, IntervalRow, KindResult, Live};
use plan::{Plan, Scaling};
use routes::Routes;

/// How far ahead of a request's planned time the sender stops sleeping and starts yielding (the
/// runtime's timer has a resolution of a millisecond).
const TIMER_SLACK: Duration = Duration::from_micros(1_500);

/// Requests sent in a row without waiting (behind schedule) before the sender yields.
const YIELD_EVERY: u32 = 32;

/// Where requests go: an `http://` URL's host, port and base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `host:port`.
    pub authority: String,
    /// The URL's path, put before every route's (empty for `/`).
    pub base: String,
    /// The URL as given.
    pub url: String,
}

impl Target {
    /// The target of `url`: `http://host[:port][/base]`. Anything else is refused (HTTPS among
    /// them: the replay speaks plain HTTP).
    pub fn parse(url: &str) -> Result<Self, Error> {
        let usage = |why: &str| Error::Usage(format!("--target {url}: {why}"));
        let uri: hyper::Uri = url.parse().map_err(|_| usage("not a URL, e.g. http://127.0.0.1:8080"))?;
        match uri.scheme_str() {
            Some("http") => {}
            Some("https") => {
                return Err(usage(
                    "HTTPS is not supported: the replay speaks plain HTTP; point it at the service behind \
                     its TLS proxy, or at a test instance",
                ));
            }
            _ => return Err(usage("expected an http:// URL, e.g. http://127.0.0.1:8080")),
        }
        let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| usage("names no host"))?;
        if uri.query().is_some() {
            return Err(usage("a query belongs in a route's path (--routes), not in the target"));
        }
        if uri.authority().is_some_and(|a| a.as_str().contains('@')) || url.contains('#') {
            return Err(usage("credentials and fragments are not supported in the target"));
        }
        // A port that is given must be one: never a fallback to another (`Uri::port` reads an
        // out-of-range port as none, so the authority's text is read).
        let authority = uri.authority().map_or("", |a| a.as_str());
        let given = authority.rsplit_once(':').map(|(_, p)| p).filter(|p| !p.contains(']'));
        let port = match given {
            None => 80,
            Some(p) => match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(usage(&format!("port {p} is not a port: expected 1 to 65535"))),
            },
        };
        let base = uri.path().trim_end_matches('/').to_string();
        Ok(Self { authority: format!("{host}:{port}"), base, url: url.to_string() })
    }
}

/// How a replay runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to send.
    pub target: Target,
    /// Method and path of each kind.
    pub routes: Routes,
    /// Speed-up and rate scale.
    pub scaling: Scaling,
    /// Requests in flight at most; one more is dropped.
    pub max_in_flight: u64,
    /// Stop sending after this long (the trace's length without it).
    pub duration: Option<Duration>,
    /// A request without a full response after this long fails as timed out.
    pub timeout: Duration,
    /// Threads of the runtime (1: everything on the calling thread).
    pub threads: usize,
    /// The length of the intervals latency is reported over (by planned send time).
    pub interval: Duration,
}

/// What a replay measured.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// Each kind over the whole replay, in the order of `RequestKind::ALL`, then all together.
    pub kinds: Vec<KindResult>,
    /// Each kind in each interval, then all kinds together, by interval.
    pub intervals: Vec<IntervalRow>,
    /// Seconds from the start of the replay to the last response.
    pub elapsed_s: f64,
    /// Whether the duration bound stopped it before the trace's end.
    pub cut_short: bool,
}

/// Sends the requests of the trace at `trace` (checked before with [`plan::check`]) as
/// `options` say, calling `progress` about once a second; `stop` (Ctrl-C) ends it early with
/// [`Error::Interrupted`].
pub fn replay(
    trace: &Path,
    options: &Options,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(f64, Live),
) -> Result<Replayed, Error> {
    let runtime = if options.threads <= 1 {
        tokio::runtime::Builder::new_current_thread().enable_all().build()
    } else {
        tokio::runtime::Builder::new_multi_thread().worker_threads(options.threads).enable_all().build()
    }
    .map_err(|e| Error::io("cannot start the replay's runtime", e))?;
    runtime.block_on(send_all(trace, options, stop, progress))
}

async fn send_all(
    trace: &Path,
    options: &Options,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(f64, Live),
) -> Result<Replayed, Error> {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(options.max_in_flight.min(u64::from(u32::MAX)) as usize)
        .build(connector);
    let collector = Arc::new(Mutex::new(Collector::default()));
    let mut plan = Plan::open(trace, options.scaling, &options.routes, &options.target.base)?;
    let start = Instant::now();
    let end = options.duration.map(|d| start + d);
    let mut next_progress = start + Duration::from_secs(1);
    let mut cut_short = false;
    let interval_us = (options.interval.as_micros() as u64).max(1);
    let mut sent_without_yield = 0;
    let base = format!("http://{}", options.target.authority);
    while let Some(p) = plan.next()? {
        let planned = start + Duration::from_micros(p.at_us);
        if end.is_some_and(|e| planned >= e) {
            cut_short = true;
            break;
        }
        // Wait for the planned time, with a progress line each second meanwhile.
        loop {
            if stop.load(Ordering::Relaxed) {
                return Err(Error::Interrupted);
            }
            let now = Instant::now();
            if now >= next_progress {
                let second = now.duration_since(start).as_secs();
                let live = locked(&collector).live(second);
                progress(now.duration_since(start).as_secs_f64(), live);
                next_progress += Duration::from_secs(1);
            }
            if now >= planned {
                break;
            }
            // The timer wakes up to a millisecond late: it sleeps to just short of the planned
            // time, and the last stretch is spent yielding, so requests leave on time.
            let wake = planned.checked_sub(TIMER_SLACK).unwrap_or(planned);
            if now < wake {
                tokio::time::sleep_until(wake.min(next_progress).into()).await;
            } else {
                tokio::task::yield_now().await;
            }
        }
        let interval = p.at_us / interval_us;
        let behind_us = Instant::now().saturating_duration_since(planned).as_micros() as u64;
        {
            let mut c = locked(&collector);
            c.scheduled_to(interval);
            if c.in_flight() >= options.max_in_flight {
                c.dropped(p.kind, interval);
                continue;
            }
            c.sent(p.kind, interval, behind_us);
        }
        let mut request = hyper::Request::builder()
            .method(options.routes.of(p.kind).method.clone())
            .uri(format!("{base}{}", p.path))
            .header(hyper::header::USER_AGENT, concat!("o2d-replay/", env!("CARGO_PKG_VERSION")));
        if p.body.is_some() {
            request = request.header(hyper::header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(p.body.unwrap_or_default()))
            .map_err(|e| Error::Usage(format!("cannot build a request to {base}{}: {e}", p.path)))?;
        // Behind schedule the loop never waits: it yields now and then so that, on one thread,
        // the answers of the requests already sent are read meanwhile.
        sent_without_yield += 1;
        if sent_without_yield >= YIELD_EVERY {
            sent_without_yield = 0;
            tokio::task::yield_now().await;
        }
        let (client, collector, timeout, kind) = (client.clone(), collector.clone(), options.timeout, p.kind);
        tokio::spawn(async move {
            let ending = match tokio::time::timeout(timeout, exchange(&client, request)).await {
                Ok(ending) => ending,
                Err(_) => Err(Failure::Timeout),
            };
            let done = Instant::now();
            let latency_us = done.saturating_duration_since(planned).as_micros() as u64;
            let second = done.saturating_duration_since(start).as_secs();
            locked(&collector).done(kind, interval, latency_us, second, ending);
        });
    }
    // Every request is sent: wait for the answers (each ends by its timeout at the latest).
    locked(&collector).scheduled_to(u64::MAX);
    loop {
        let now = Instant::now();
        if locked(&collector).in_flight() == 0 {
            break;
        }
        if stop.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        if now >= next_progress {
            progress(
                now.duration_since(start).as_secs_f64(),
                locked(&collector).live(now.duration_since(start).as_secs()),
            );
            next_progress += Duration::from_secs(1);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed_s = start.elapsed().as_secs_f64();
    // Every request is answered, but a task may still hold its handle on the collector for a
    // moment: the figures are taken out, not the collector unwrapped.
    let collector = std::mem::take(&mut *locked(&collector));
    let (kinds, intervals) = collector.finish();
    Ok(Replayed { kinds, intervals, elapsed_s, cut_short })
}

/// The collector, locked (a task that panicked while holding it left it whole: each update is
/// one short call).
fn locked(collector: &Mutex<Collector>) -> std::sync::MutexGuard<'_, Collector> {
    collector.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Sends `request` and reads the whole response.
async fn exchange(
    client: &Client<HttpConnector, Full<Bytes>>,
    request: hyper::Request<Full<Bytes>>,
) -> collect::Ending {
    let response = client.request(request).await.map_err(|_| Failure::Connection)?;
    let status = response.status().as_u16();
    response.into_body().collect().await.map_err(|_| Failure::Connection)?;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_a_plain_http_url() {
        let t = Target::parse("http://127.0.0.1:8080/api/").unwrap();
        assert_eq!((t.authority.as_str(), t.base.as_str()), ("127.0.0.1:8080", "/api"));
        assert_eq!(Target::parse("http://shop.test").unwrap().authority, "shop.test:80");
        for (bad, says) in [
            ("https://shop.test", "HTTPS is not supported"),
            ("shop.test:80", "expected an http:// URL"),
            ("ftp://x", "expected an http:// URL"),
            ("http://x/?a=1", "a query belongs"),
            ("http://127.0.0.1:99999", "port 99999 is not a port"),
            ("http://127.0.0.1:0", "port 0 is not a port"),
            ("http://user:pw@127.0.0.1:8080", "credentials"),
            ("http://127.0.0.1:8080/#x", "fragments"),
            ("not a url", "not a URL"),
        ] {
            let e = Target::parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
