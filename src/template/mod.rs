//! Placeholders: text a radiologist will dictate into a template.
//!
//! `[***]`, `[___]`, `***`, `{{name}}`, `___` (three or more) and `<<name>>` stand for
//! dictation, and so does a choice left unmade, `[performed/not performed]`
//! (options of two or more characters between `/`). A placeholder is never documentation, in a template or in a
//! signed report: its text is blanked before matching, so `<<workstation>>`
//! cannot pass for a workstation. A line made only of `*` or `_` is a rule
//! (markdown's thematic break, a text report's separator), not a placeholder;
//! `***` or `___` against a word is emphasis, not a placeholder.
//!
//! With `--template`, the rules read placeholders as slots: findings and the
//! indication may be placeholders (the radiologist dictates them per study),
//! while the attestations (rendering, supervision, workstation) must be fixed
//! text. The verdict then says what the template will support once filled.

mod slots;

pub(crate) use slots::fill_slots;

use crate::document::Document;
use crate::span::Span;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::sync::OnceLock;

/// A placeholder is short: `{{ ... }}` spanning a paragraph is not one.
const MAX_LEN: usize = 124;

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Unbounded classes: a counted repetition of a Unicode class costs
        // milliseconds to compile, a tenth of a one-report check.
        Regex::new(r"\[(?:\*{3,}|_{3,})\]|\*{3,}|_{3,}|\{\{[^{}\r\n]*\}\}|<<[^<>\r\n]*>>|\[[^\[\]/\r\n]{2,}(?:/[^\[\]/\r\n]{2,})+\]")
            .unwrap_or_else(|_| unreachable!("a constant regex compiles"))
    })
}

/// The placeholders in `text`.
pub fn find(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let word = |i: Option<usize>| {
        i.and_then(|i| bytes.get(i))
            .is_some_and(|b| b.is_ascii_alphanumeric())
    };
    let mut out = Vec::new();
    // The line of the last run looked at, and whether it is only a rule:
    // runs on one long line share it (no rescan of the line per run).
    let mut line: Option<(usize, usize, bool)> = None;
    for m in pattern().find_iter(text) {
        let (s, e) = (m.start(), m.end());
        if e - s > MAX_LEN {
            continue;
        }
        let run = matches!(bytes[s], b'*' | b'_') && bytes[e - 1] != b']';
        if run {
            if word(s.checked_sub(1)) || word(Some(e)) {
                continue;
            }
            let only_rule = match line {
                Some((start, end, only)) if start <= s && e <= end => only,
                _ => {
                    let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
                    let line_end = text[e..].find('\n').map_or(text.len(), |i| e + i);
                    let only = text[line_start..line_end]
                        .bytes()
                        .all(|b| matches!(b, b'*' | b'_' | b'-' | b' ' | b'\t' | b'\r'));
                    line = Some((line_start, line_end, only));
                    only
                }
            };
            if only_rule {
                continue;
            }
        }
        out.push(Span::new(s, e));
    }
    out
}

/// The marks of a form's options left unticked: a line that starts with one
/// of `starts` (`[ ]`, `☐`), or ends with one of `ends` (`(N)`, `[No]`),
/// states nothing, so nothing on it is read ("☐ Not performed" does not deny
/// the ticked option above it; "Radiologist concurrently supervised ....
/// (N)" does not say that the radiologist did). `ends` are compared without
/// regard to ASCII case.
#[derive(Debug, Clone)]
pub struct Unticked {
    starts: Vec<String>,
    ends: Vec<String>,
    /// Any mark anywhere: most reports have none, and one pass says so.
    any: Option<AhoCorasick>,
}

impl Unticked {
    /// From the lexicon's `marker.unticked` and `marker.unticked_end`.
    pub fn new(starts: Vec<String>, ends: Vec<String>) -> Unticked {
        let any = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(starts.iter().chain(&ends))
            .ok();
        Unticked { starts, ends, any }
    }

    /// Blank the lines of `doc` that are options left unticked.
    pub fn take(&self, doc: &mut Document) {
        if !self.any.as_ref().is_some_and(|a| a.is_match(&doc.visible)) {
            return;
        }
        let mut spans = Vec::new();
        let text = &doc.visible;
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let start = at + (line.len() - trimmed.len());
            let body = trimmed.trim_end();
            let ends_no = self.ends.iter().any(|m| {
                body.len() >= m.len()
                    && body.is_char_boundary(body.len() - m.len())
                    && body[body.len() - m.len()..].eq_ignore_ascii_case(m)
            });
            if ends_no || self.starts.iter().any(|m| trimmed.starts_with(m.as_str())) {
                spans.push(Span::new(start, at + line.trim_end().len()));
            }
            at += line.len();
        }
        doc.blank(&spans);
    }
}

/// Find the placeholders and blank them from what the matcher reads.
pub fn take(doc: &mut Document) -> Vec<Span> {
    let found = find(&doc.text);
    doc.blank(&found);
    found
}

#[cfg(test)]
mod tests {
    use super::find;

    fn found(text: &str) -> Vec<&str> {
        find(text).iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn every_syntax() {
        assert_eq!(
            found(
                "INDICATION: [***]\nFINDINGS: *** and {{liver}}, ___ or <<aorta>>. 3D: [____] on the [Vitrea/scanner console] [x] [w/o]"
            ),
            [
                "[***]",
                "***",
                "{{liver}}",
                "___",
                "<<aorta>>",
                "[____]",
                "[Vitrea/scanner console]"
            ]
        );
    }

    #[test]
    fn rules_and_emphasis_are_not_placeholders() {
        assert!(found("***\n___\n_____ ___\n* * *\n***bold italic*** and __init__").is_empty());
    }
}
