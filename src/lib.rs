//! radlint judges whether a radiology report documents CPT 76376/76377
//! (3D rendering), and explains why not.
//!
//! The pipeline, one module a stage:
//!
//! 1. [`document`]: bytes become text (UTF-8, BOM, CRLF; invalid bytes read as
//!    `?` without moving offsets), and the text a reader sees (markdown code,
//!    comments and link targets blanked). Before anything reads it,
//!    [`suppression`] directives and [`template`] placeholders are taken out
//!    of that text (blanked, offsets kept).
//! 2. [`segment`]: sections from headings, sentences within them.
//! 3. [`matcher`]: the [`lexicon`], compiled once (Aho-Corasick for phrases,
//!    regexes for patterns), finds concept, trigger and bundled-exam hits.
//!    [`sense`] then tells a bare "3D" that means rendering from one that
//!    names a sequence, device, stage or age.
//! 4. [`context`]: each hit is judged affirmed, negated, hypothetical or
//!    historical, NegEx/ConText style.
//!    [`statements`] reads who did the 3D work, where and under whom, from
//!    the vocabularies and frames of lexicon/statements.toml.
//! 5. [`rules`]: the SPEC's seven elements from the mentions, with
//!    diagnostics that point at the evidence or where the statement belongs.
//! 6. [`verdict`]: 76377, 76376 or neither; then the claims are judged, and
//!    the report's suppressions applied. Every finding is one
//!    [`diagnostic::Diagnostic`].
//! 7. [`report`] renders an [`Outcome`] (human, JSON lines, JSON, SARIF, CSV,
//!    GitHub annotations); [`walk`] turns paths into reports. Only `report`
//!    and the binary write.
//!
//! An [`Engine`] (the lexicon compiled once, shared by every thread) runs
//! stages 1-6 on one report and hands back an [`Outcome`]. The command line
//! (`src/bin/radlint`) reads inputs, drives a sweep over them and chooses a
//! renderer; nothing in this library parses arguments.
//!
//! Stages pass owned lists of small `Copy` structs holding [`span::Span`]s
//! into the document's text, so nothing borrows across stages and no stage
//! copies text.

pub mod config;
pub mod context;
pub mod diagnostic;
pub mod document;
mod engine;
pub mod export;
pub mod lexicon;
pub mod matcher;
pub mod meta;
pub mod report;
pub mod rules;
pub mod segment;
pub mod selftest;
pub mod sense;
pub mod span;
pub mod statements;
pub mod suppression;
pub mod template;
pub mod verdict;
pub mod walk;

pub use engine::{Analysis, CheckOptions, Engine, Outcome};
