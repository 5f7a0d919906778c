//! The whole check of arbitrary bytes against the built-in lexicon, rendered
//! in every output format: no panic, spans inside the text, and the verdict
//! never credits a code that no element supports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radlint::document::{Document, Format as TextFormat};
use radlint::report::{Checked, Colors, Format, Settings, Stats, Summary, renderer};
use radlint::{CheckOptions, Engine};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("the built-in lexicon compiles"))
}

fuzz_target!(|data: &[u8]| {
    let engine = engine();
    let (format, bytes) = match data.split_first() {
        Some((&b, rest)) if b & 1 == 1 => (TextFormat::Markdown, rest),
        Some((_, rest)) => (TextFormat::Text, rest),
        None => (TextFormat::Text, data),
    };
    let doc = Document::new(bytes.to_vec(), format);
    let outcome = engine.check(doc, &CheckOptions::default());
    let len = outcome.analysis.doc.text.len() as u32;
    for d in &outcome.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= len);
    }
    if outcome.verdict.supports.is_some() {
        assert!(outcome.verdict.in_scope, "a code credited out of scope");
    }
    let checked = Checked {
        path: "fuzz.txt".into(),
        line: None,
        outcome: Box::new(outcome),
    };
    // The sweep's summary of this one report: what a page or a JSON
    // summary is drawn from.
    let mut summary = Summary::default();
    summary.add(&Stats::with_row(&checked));
    for redact in [false, true] {
        for format in Format::ALL {
            let settings = Settings {
                lexicon_version: engine.lexicon.version.clone(),
                cpt_year: engine.lexicon.cpt_year,
                redact,
                colors: Colors(false),
                all_verdicts: true,
                // A narrow terminal: every line over 50 characters is
                // shown as a window.
                width: Some(60),
                redact_meta: redact,
                summary: true,
                run: Default::default(),
            };
            let r = renderer(format, settings);
            // Every value written is plain data: a format never fails to write.
            let mut out = r.header().expect("a header");
            out.extend(r.render(&checked).expect("a report"));
            out.extend(r.footer(&summary).expect("a footer"));
            if matches!(format, Format::Json | Format::Sarif) {
                serde_json_check(&out);
            }
        }
    }
});

/// JSON output parses.
fn serde_json_check(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).expect("JSON output is UTF-8");
    assert!(text.trim_start().starts_with('{') && text.trim_end().ends_with('}'));
}
