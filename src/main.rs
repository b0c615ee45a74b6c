//! The `o2d` binary: parse arguments, run the command, map the outcome to an exit code
//! (0 ok, 1 a KPI target failed under --check, 2 bad input, 3 runtime failure, 130 interrupted).

// A function over 120 lines (clippy.toml) is a function to split.
#![warn(clippy::too_many_lines)]

mod cli;
mod commands;

use clap::Parser;

fn main() {
    let code = match cli::Cli::parse().options().map_err(anyhow::Error::from).and_then(commands::dispatch) {
        Ok(code) => code,
        Err(err) => {
            let code = err.downcast_ref::<o2d::Error>().map_or(3, o2d::Error::exit_code);
            eprintln!("{}", render_error(&err));
            code
        }
    };
    std::process::exit(code);
}

fn render_error(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    if text.starts_with("error:") { text } else { format!("error: {text}") }
}
