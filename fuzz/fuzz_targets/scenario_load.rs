//! Fuzz target: arbitrary bytes as a scenario file, parsed and validated. Any outcome but a panic
//! (or a hang) is fine: bad input must come back as an `o2d::Error`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use o2d::scenario::{Source, load};

fuzz_target!(|data: &[u8]| {
    // The loader reads files as UTF-8 and refuses the rest before parsing; text is what reaches it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let source = Source::Text { name: "fuzz.toml".to_string(), text: text.to_string() };
    let _ = load(&source, &[]);
});
