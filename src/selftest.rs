//! The lexicon's examples, run: every concept's sentences that must and must
//! not match, and every context example. `cargo test` runs the built-in
//! lexicon's; `radlint lexicon --test FILE` runs a custom file's against the
//! built-in lexicon plus that file.

use crate::Engine;
use crate::document::{Document, Format};
use crate::lexicon::{Concept, Context, Lexicon};
use crate::matcher::Target;

/// One example that did not behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The concept.
    pub concept: Concept,
    /// The sentence.
    pub text: String,
    /// What should have happened.
    pub expected: String,
    /// What happened.
    pub got: String,
}

/// Run the examples of `examples` (a lexicon, usually one file's) with `engine`.
/// Returns how many ran and the failures.
pub fn run(engine: &Engine, examples: &Lexicon) -> (usize, Vec<Failure>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    let hits = |text: &str, concept: Concept| {
        engine
            .matcher()
            .find(text)
            .iter()
            .filter(|h| matches!(h.target, Target::Concept { concept: c, .. } if c == concept))
            .count()
    };
    for (&concept, entry) in &examples.concepts {
        for text in &entry.examples.matches {
            ran += 1;
            if hits(text, concept) == 0 {
                failures.push(Failure {
                    concept,
                    text: text.clone(),
                    expected: "a match".into(),
                    got: "none".into(),
                });
            }
        }
        for text in &entry.examples.no_match {
            ran += 1;
            if hits(text, concept) > 0 {
                failures.push(Failure {
                    concept,
                    text: text.clone(),
                    expected: "no match".into(),
                    got: "a match".into(),
                });
            }
        }
    }
    for example in &examples.examples {
        ran += 1;
        let analysis = engine.analyze(Document::new(
            example.text.clone().into_bytes(),
            Format::Text,
        ));
        let contexts: Vec<Context> = analysis
            .mentions
            .iter()
            .filter(|m| m.is(example.concept))
            .map(|m| m.context)
            .collect();
        if !contexts.contains(&example.context) {
            failures.push(Failure {
                concept: example.concept,
                text: example.text.clone(),
                expected: format!("{:?}", example.context).to_lowercase(),
                got: format!("{contexts:?}").to_lowercase(),
            });
        }
    }
    // Frames: each example fills the roles it names, with those kinds (a
    // word role: that word).
    for entry in &examples.frames {
        for example in &entry.examples {
            ran += 1;
            let analysis = engine.analyze(Document::new(
                example.text.clone().into_bytes(),
                Format::Text,
            ));
            let reader = engine.reader();
            let every = vec![true; analysis.segments.sentences.len()];
            let (statements, _) = reader.read(&analysis.doc, &analysis.segments, &every);
            let text = &analysis.doc.text;
            let missing: Vec<String> = example
                .roles
                .iter()
                .filter(|(role, want)| {
                    !statements.iter().any(|s| {
                        s.negated == example.denied
                            && s.roles.iter().any(|r| {
                                reader.role(r.name) == role.as_str()
                                    && match r.tag {
                                        Some(t) => reader.tag(t) == want.as_str(),
                                        None => text[r.span.range()].eq_ignore_ascii_case(want),
                                    }
                            })
                    })
                })
                .map(|(role, want)| match example.denied {
                    true => format!("{role} = {want}, denied"),
                    false => format!("{role} = {want}"),
                })
                .collect();
            if !missing.is_empty() {
                failures.push(Failure {
                    concept: Concept::Supervision,
                    text: format!("frame {}: {}", entry.name, example.text),
                    expected: missing.join(", "),
                    got: "no statement fills them".into(),
                });
            }
        }
    }
    // A bare "3D": rendering in the one set, a look-alike in the other.
    let bare = &examples.bare_3d;
    for (texts, rendering) in [(&bare.rendering, true), (&bare.other, false)] {
        for text in texts {
            ran += 1;
            let analysis = engine.analyze(Document::new(text.clone().into_bytes(), Format::Text));
            let found = analysis.mentions.iter().any(|m| m.is(Concept::Rendering));
            if found != rendering {
                failures.push(Failure {
                    concept: Concept::Rendering,
                    text: text.clone(),
                    expected: if rendering {
                        "3D read as rendering"
                    } else {
                        "3D read as something else"
                    }
                    .into(),
                    got: if found { "rendering" } else { "something else" }.into(),
                });
            }
        }
    }
    (ran, failures)
}
