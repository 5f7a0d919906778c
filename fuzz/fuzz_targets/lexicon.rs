//! Lexicon loading and compilation from arbitrary TOML: an error or a lexicon
//! that compiles and runs, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radlint::document::{Document, Format};
use radlint::lexicon::Lexicon;
use radlint::matcher::Speed;
use radlint::{CheckOptions, Engine};
use std::sync::OnceLock;

const REPORT: &str = "EXAM: CT abdomen\nFINDINGS: 3D volume rendered images were created \
on an independent workstation under my concurrent supervision. They show the aneurysm.\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // On its own, and over the built-in lexicon (where ids may collide).
    let mut alone = Lexicon::default();
    if alone.add_file("fuzz.toml", text, false).is_ok() {
        run(alone);
    }
    static BUILTIN: OnceLock<Lexicon> = OnceLock::new();
    let mut merged = BUILTIN
        .get_or_init(|| Lexicon::builtin().expect("the built-in lexicon loads"))
        .clone();
    if merged.add_file("fuzz.toml", text, false).is_ok() {
        run(merged);
    }
});

fn run(lexicon: Lexicon) {
    if let Ok(engine) = Engine::with_speed(lexicon, Speed::Startup) {
        let doc = Document::new(REPORT.as_bytes().to_vec(), Format::Text);
        engine.check(doc, &CheckOptions::default());
    }
}
