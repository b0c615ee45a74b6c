//! Where each kind of request goes: an HTTP method and a path template per request kind, the
//! defaults of a typical order API, or those of a small TOML file (`--routes`).
//!
//! ```toml
//! [order]
//! method = "POST"
//! path = "/api/v2/orders"
//!
//! [status]
//! path = "/api/v2/orders/{order_id}"   # the method stays GET
//! ```

use std::fmt::Write as _;

use serde::Deserialize;

use crate::error::{Error, Problem};
use crate::model::trace::RequestKind;

/// The placeholders a path template may hold.
pub const PLACEHOLDERS: [&str; 2] = ["order_id", "customer_id"];

/// Bytes a routes file may have.
const MAX_ROUTES_BYTES: u64 = 1024 * 1024;

/// One request kind's method and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// HTTP method.
    pub method: hyper::Method,
    /// The path: literal text and placeholders, in order.
    parts: Vec<Part>,
    /// The template as written.
    pub template: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    OrderId,
    CustomerId,
}

impl Route {
    /// The route of `method` and `template` (checked: a path starting with `/`, known
    /// placeholders only).
    pub fn new(method: &str, template: &str) -> Result<Self, String> {
        let method = hyper::Method::from_bytes(method.as_bytes())
            .ok()
            .filter(|m| {
                method.bytes().all(|b| b.is_ascii_uppercase()) && !method.is_empty() && m != "CONNECT"
            })
            .ok_or_else(|| {
                format!("`{method}` is not an HTTP method: expected e.g. GET, POST, PUT, PATCH, DELETE")
            })?;
        if !template.starts_with('/') {
            return Err(format!("`{template}` is not a path: it starts with `/`, e.g. /orders/{{order_id}}"));
        }
        if template.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()) {
            return Err(format!("`{template}` holds spaces or control characters, which a URL path cannot"));
        }
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let close = rest[open..]
                .find('}')
                .map(|c| open + c)
                .ok_or_else(|| format!("`{template}`: a `{{` without its `}}`"))?;
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            parts.push(match &rest[open + 1..close] {
                "order_id" => Part::OrderId,
                "customer_id" => Part::CustomerId,
                other => {
                    return Err(format!(
                        "`{{{other}}}` is not a placeholder: expected {}",
                        PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" or ")
                    ));
                }
            });
            rest = &rest[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("`{template}`: a `}}` without its `{{`"));
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        let route = Self { method, parts, template: template.to_string() };
        // Every request of the route must make a URL: checked here, before anything is sent.
        let mut sample = String::from("http://127.0.0.1");
        route.path_into(&mut sample, 1, 1);
        if sample.parse::<hyper::Uri>().is_err() {
            return Err(format!(
                "`{template}` is not a URL path: percent-encode the characters a path cannot hold"
            ));
        }
        Ok(route)
    }

    /// The path of the request about `order_id` of `customer_id`, appended to `out`.
    pub fn path_into(&self, out: &mut String, order_id: u64, customer_id: u64) {
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                // Writing to a String cannot fail.
                Part::OrderId => {
                    let _ = write!(out, "{order_id}");
                }
                Part::CustomerId => {
                    let _ = write!(out, "{customer_id}");
                }
            }
        }
    }

    /// Whether requests of this route carry a body (not GET, HEAD, DELETE).
    pub fn has_body(&self) -> bool {
        !matches!(self.method, hyper::Method::GET | hyper::Method::HEAD | hyper::Method::DELETE)
    }
}

/// The route of every request kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routes(pub [Route; RequestKind::ALL.len()]);

impl Default for Routes {
    /// A typical order API: `POST /orders`, `GET /orders/{order_id}`,
    /// `GET /orders/{order_id}/tracking`, `PATCH /orders/{order_id}`,
    /// `POST /orders/{order_id}/cancel`, `POST /orders/{order_id}/returns`.
    fn default() -> Self {
        Routes(RequestKind::ALL.map(|k| {
            let (method, path) = default_route(k);
            Route::new(method, path).expect("the default routes are valid")
        }))
    }
}

fn default_route(kind: RequestKind) -> (&'static str, &'static str) {
    match kind {
        RequestKind::Order => ("POST", "/orders"),
        RequestKind::Status => ("GET", "/orders/{order_id}"),
        RequestKind::Tracking => ("GET", "/orders/{order_id}/tracking"),
        RequestKind::Change => ("PATCH", "/orders/{order_id}"),
        RequestKind::Cancel => ("POST", "/orders/{order_id}/cancel"),
        RequestKind::Return => ("POST", "/orders/{order_id}/returns"),
    }
}

impl Routes {
    /// The route of `kind`.
    pub fn of(&self, kind: RequestKind) -> &Route {
        &self.0[kind as usize]
    }

    /// The defaults with the routes of the TOML `text` of file `file` in their place.
    pub fn parse(file: &str, text: &str) -> Result<Self, Error> {
        let raw: RawRoutes = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((0, 0), |s| line_column(text, s.start));
            let message = e.message().to_string();
            let help = Some(format!(
                "one table per request kind ({}), each with `method` and/or `path`",
                RequestKind::ALL.map(|k| k.name()).join(", ")
            ));
            Error::Scenario(vec![Problem {
                file: file.into(),
                line,
                column,
                key: String::new(),
                message,
                help,
            }])
        })?;
        let mut routes = Routes::default();
        let mut problems = Vec::new();
        for (kind, given) in RequestKind::ALL.iter().zip(raw.all()) {
            let Some(given) = given else { continue };
            let old = routes.of(*kind).clone();
            let method = given.method.as_ref().map_or(old.method.as_str(), |m| m.get_ref().as_str());
            let path = given.path.as_ref().map_or(old.template.as_str(), |p| p.get_ref().as_str());
            match Route::new(method, path) {
                Ok(route) => routes.0[*kind as usize] = route,
                Err(message) => {
                    let method_wrong = Route::new(method, "/").is_err();
                    let (key, at) = match (method_wrong, &given.method, &given.path) {
                        (true, Some(m), _) => ("method", m.span().start),
                        (_, _, Some(p)) => ("path", p.span().start),
                        (_, Some(m), None) => ("method", m.span().start),
                        (_, None, None) => ("path", 0),
                    };
                    let (line, column) = line_column(text, at);
                    problems.push(Problem {
                        file: file.into(),
                        line,
                        column,
                        key: format!("{}.{key}", kind.name()),
                        message,
                        help: None,
                    });
                }
            }
        }
        if problems.is_empty() { Ok(routes) } else { Err(Error::Scenario(problems)) }
    }

    /// Reads and parses the routes file at `path` (at most a megabyte).
    pub fn read(path: &std::path::Path) -> Result<Self, Error> {
        use std::io::Read;
        let shown = path.display().to_string();
        let file = std::fs::File::open(path)
            .map_err(|e| Error::Input { path: path.into(), message: e.to_string() })?;
        let mut text = String::new();
        file.take(MAX_ROUTES_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::Input { path: path.into(), message: e.to_string() })?;
        if text.len() as u64 > MAX_ROUTES_BYTES {
            let message = format!("is more than {MAX_ROUTES_BYTES} bytes: a routes file is a few lines");
            return Err(Error::Input { path: path.into(), message });
        }
        Self::parse(&shown, &text)
    }
}

/// The 1-based line and column of byte `at` of `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoute {
    method: Option<toml::Spanned<String>>,
    path: Option<toml::Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRoutes {
    order: Option<RawRoute>,
    status: Option<RawRoute>,
    tracking: Option<RawRoute>,
    change: Option<RawRoute>,
    cancel: Option<RawRoute>,
    #[serde(rename = "return")]
    return_: Option<RawRoute>,
}

impl RawRoutes {
    /// Each kind's table, in the order of [`RequestKind::ALL`].
    fn all(&self) -> [Option<&RawRoute>; RequestKind::ALL.len()] {
        [&self.order, &self.status, &self.tracking, &self.change, &self.cancel, &self.return_]
            .map(Option::as_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_their_placeholders() {
        let r = Route::new("GET", "/shops/1/orders/{order_id}/by/{customer_id}?x=1").unwrap();
        let mut out = String::new();
        r.path_into(&mut out, 42, 7);
        assert_eq!(out, "/shops/1/orders/42/by/7?x=1");
        assert!(!r.has_body());
        assert!(Route::new("PATCH", "/o").unwrap().has_body());
    }

    #[test]
    fn bad_routes_are_refused_with_the_reason() {
        assert!(Route::new("get", "/o").unwrap_err().contains("not an HTTP method"));
        assert!(Route::new("GET", "orders").unwrap_err().contains("starts with `/`"));
        assert!(Route::new("GET", "/o/{id}").unwrap_err().contains("not a placeholder"));
        assert!(Route::new("GET", "/o/{order_id").unwrap_err().contains("without its"));
        assert!(Route::new("GET", "/o/ x").unwrap_err().contains("spaces"));
        assert!(Route::new("POST", "/o<x>").unwrap_err().contains("not a URL path"));
    }

    #[test]
    fn a_routes_file_replaces_the_defaults_it_names() {
        let routes = Routes::parse("r.toml", "[status]\npath = \"/v2/orders/{order_id}\"\n").unwrap();
        assert_eq!(routes.of(RequestKind::Status).template, "/v2/orders/{order_id}");
        assert_eq!(routes.of(RequestKind::Status).method, hyper::Method::GET);
        assert_eq!(routes.of(RequestKind::Order), Routes::default().of(RequestKind::Order));
        let Err(Error::Scenario(p)) = Routes::parse("r.toml", "[order]\nmethod = \"POST\"\npath = \"x\"\n")
        else {
            panic!("refused")
        };
        assert_eq!((p[0].line, p[0].key.as_str()), (3, "order.path"));
        let Err(Error::Scenario(p)) = Routes::parse("r.toml", "[orders]\npath = \"/x\"\n") else {
            panic!("refused")
        };
        assert_eq!(p[0].line, 1, "{}", p[0]);
    }
}
