//! A small order API on 127.0.0.1 that `o2d replay` is tested against (and that
//! `cargo run --release --example order-api` serves for trying the replay by hand): the default
//! routes of `o2d replay`, each answered at once with a short JSON body, every request received
//! logged with its arrival time, and optional stalls: every `every`, the requests that arrive in
//! the first `window` of it wait `stall` before their answer (a garbage-collection pause, a lock,
//! a slow disk).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::IntoResponse;

/// When the server stalls.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stalls {
    /// How long a stalled request waits.
    pub stall: Duration,
    /// A stall window starts this often (none when zero).
    pub every: Duration,
    /// Requests arriving this long after a window starts are stalled.
    pub window: Duration,
}

/// One request as the server got it.
#[derive(Debug, Clone)]
pub struct Received {
    /// When it arrived, after the server started.
    pub at: Duration,
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Body.
    pub body: Vec<u8>,
}

struct Shared {
    started: Instant,
    stalls: Stalls,
    log: Option<Mutex<Vec<Received>>>,
}

/// A running server: its address and what it received; stops when dropped.
pub struct Server {
    /// Where it listens.
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 (`port` 0: any free port) on a thread of its own; `log`
    /// keeps every request received.
    pub fn start(port: u16, stalls: Stalls, log: bool) -> Server {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared =
            Arc::new(Shared { started: Instant::now(), stalls, log: log.then(|| Mutex::new(Vec::new())) });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = Router::new().fallback(answer).with_state(state);
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serves");
            });
        });
        Server { addr, shared, stop: Some(stop), thread: Some(thread) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far, in order of arrival.
    pub fn received(&self) -> Vec<Received> {
        self.shared.log.as_ref().map(|l| l.lock().unwrap().clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Every request: logged, stalled if it arrives in a stall window, answered by its route.
async fn answer(State(s): State<Arc<Shared>>, method: Method, uri: Uri, body: Bytes) -> impl IntoResponse {
    let at = s.started.elapsed();
    if let Some(log) = &s.log {
        let path = uri.path_and_query().map_or(uri.path().to_string(), |p| p.to_string());
        log.lock().unwrap().push(Received { at, method: method.to_string(), path, body: body.to_vec() });
    }
    let st = s.stalls;
    if !st.every.is_zero() && Duration::from_nanos((at.as_nanos() % st.every.as_nanos()) as u64) < st.window {
        tokio::time::sleep(st.stall).await;
    }
    let segments: Vec<&str> = uri.path().trim_matches('/').split('/').collect();
    let (status, what) = match (method.as_str(), segments.as_slice()) {
        ("POST", ["orders"]) => (StatusCode::CREATED, "order created"),
        ("GET", ["orders", _]) => (StatusCode::OK, "order status"),
        ("GET", ["orders", _, "tracking"]) => (StatusCode::OK, "tracking"),
        ("PATCH", ["orders", _]) => (StatusCode::OK, "order changed"),
        ("POST", ["orders", _, "cancel"]) => (StatusCode::OK, "order cancelled"),
        ("POST", ["orders", _, "returns"]) => (StatusCode::CREATED, "return started"),
        _ => (StatusCode::NOT_FOUND, "no such route"),
    };
    (status, [("content-type", "application/json")], format!("{{\"result\":\"{what}\"}}"))
}
