//! Print the statements radlint reads in a report: `cargo run --example statements -- FILE`.
use radlint::document::{Document, Format};
fn main() {
    let path = std::env::args().nth(1).expect("a report file");
    let bytes = std::fs::read(&path).expect("readable");
    let engine = radlint::Engine::builtin().expect("lexicon");
    let analysis = engine.analyze(Document::new(
        bytes,
        Format::for_path(std::path::Path::new(&path)),
    ));
    let reader = engine.reader();
    for s in &analysis.statements {
        let roles: Vec<String> = s
            .roles
            .iter()
            .map(|r| {
                format!(
                    "{}={:?}{}",
                    reader.role(r.name),
                    &analysis.doc.text[r.span.range()],
                    r.tag
                        .map(|t| format!(" ({})", reader.tag(t)))
                        .unwrap_or_default()
                )
            })
            .collect();
        println!(
            "sentence {} {}{}: {}",
            s.sentence,
            reader.frame(s.frame),
            if s.attestation { " [attestation]" } else { "" },
            roles.join(", ")
        );
    }
}
