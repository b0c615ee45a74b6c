//! The one error type of the library, and the exit code each kind maps to.
//! Library code returns `Result<_, o2d::Error>`; only the binary uses `anyhow`.

use std::fmt;
use std::path::PathBuf;

/// One problem in a scenario, located as precisely as the text allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file the scenario came from (`<default>` for the embedded scenario).
    pub file: String,
    /// 1-based line, 0 when unknown or not in a file (a `--set` flag).
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// Dotted key path, e.g. `demand.peaks[0].date`.
    pub key: String,
    /// What is wrong, and what is allowed.
    pub message: String,
    /// A suggestion, e.g. "did you mean `orders_per_day`?".
    pub help: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: no place in a file (a flag such as `--set`, or a problem of the file as a whole).
        if self.line == 0 {
            write!(f, "{}: ", self.file)?;
        } else {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        }
        if !self.key.is_empty() {
            write!(f, "`{}`: ", self.key)?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong, by kind.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario has problems; all of them are listed.
    #[error("{}", list(.0))]
    Scenario(Vec<Problem>),
    /// A flag or argument is wrong.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read as a scenario (missing, a directory, not UTF-8, too large).
    #[error("{path}: {message}")]
    Input {
        /// The path given.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing failed at run time.
    #[error("{context}: {cause}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error, shown in the message (not as a `source`, which would make
        /// `{:#}` print it twice).
        cause: std::io::Error,
    },
    /// The run was interrupted (Ctrl-C) and nothing was written.
    #[error("interrupted: stopped before the end, nothing was written")]
    Interrupted,
    /// The simulation hit a documented limit (e.g. too many open orders).
    #[error("{0}")]
    Limit(String),
}

fn list(problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("error: {p}"));
    }
    if problems.len() > 1 {
        out.push_str(&format!("\n{} problems found", problems.len()));
    }
    out
}

impl Error {
    /// The process exit code: 2 bad input, 3 runtime failure, 130 interrupted.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Input { .. } => 2,
            Error::Io { .. } | Error::Limit(_) => 3,
            Error::Interrupted => 130,
        }
    }

    /// An I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), cause: source }
    }
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;
