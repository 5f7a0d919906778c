//! Inline suppressions: a report may allow a named rule, and must say why.
//!
//! One directive, in the wrapper the report's format hides from readers:
//!
//! ```text
//! markdown:  <!-- radlint: allow RULE[, RULE...]: REASON -->
//! text:      [radlint: allow RULE[, RULE...]: REASON]
//! ```
//!
//! `allow` covers the next section: from the directive to the end of the
//! section holding the first text after it (so a directive on the line above
//! a heading covers that heading's section). `allow-report` covers the whole
//! report. The reason is mandatory and travels with every suppressed
//! diagnostic into every output format.
//!
//! A suppression changes what is reported, never the verdict: a report whose
//! documentation does not support a code still does not support it, and
//! says so. A directive that cannot be read is an error; one that suppresses
//! nothing is a warning. Directives are not report text: they are blanked
//! from what the matcher reads.

use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::document::{Document, Format};
use crate::segment::Segments;
use crate::span::Span;
use regex::Regex;
use std::sync::OnceLock;

/// `suppression-invalid`
pub const INVALID: Rule = Rule {
    id: "suppression-invalid",
    severity: Severity::Error,
    element: None,
    summary: "a suppression directive that cannot be read, names an unknown rule, or gives no reason",
    why: "An exception to a billing-documentation rule must be accountable: it names the rule it allows and says why, so an auditor reading the output sees the justification. A directive without one suppresses nothing.",
    source: "radlint suppressions (README, Suppressions)",
    example: "[radlint: allow supervision-not-concurrent]",
    fix: "[radlint: allow supervision-not-concurrent: remote real-time supervision per policy TR-4]",
};

/// `suppression-unused`
pub const UNUSED: Rule = Rule {
    id: "suppression-unused",
    severity: Severity::Warning,
    element: None,
    summary: "a suppression directive that suppresses nothing",
    why: "A stale exception misleads the next reader into thinking the report needed one, and would silently hide a future finding it was never meant for.",
    source: "radlint suppressions (README, Suppressions)",
    example: "[radlint: allow workstation-missing: ...] in a report that names its workstation",
    fix: "Remove the directive.",
};

/// What a directive covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// From the directive to the end of the next section.
    Section,
    /// The whole report.
    Report,
}

/// One readable directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The directive's own text, wrapper included.
    pub span: Span,
    /// What it covers.
    pub scope: Scope,
    /// The rules it allows.
    pub rules: Vec<&'static Rule>,
    /// Why.
    pub reason: String,
}

/// A diagnostic's suppression: the reason, and the directive that gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The directive's reason.
    pub reason: String,
    /// The directive.
    pub directive: Span,
}

/// Rules that no directive may allow: the suppression rules themselves.
fn suppressible(rule: &Rule) -> bool {
    rule.id != INVALID.id && rule.id != UNUSED.id && rule.id != crate::rules::UNREADABLE.id
}

fn text_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\[\s*radlint\s*:([^\]\r\n]*)\]?").unwrap_or_else(|_| unreachable!())
    })
}

fn markdown_marker() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?is)<!--\s*radlint\s*:(.*?)(?:-->|\z)").unwrap_or_else(|_| unreachable!())
    })
}

/// Find the directives in `doc`, blank them from its visible text (and drop
/// the hidden regions that are only a directive), and hand on the readable
/// ones and the diagnostics for the unreadable.
pub fn take(doc: &mut Document) -> (Vec<Directive>, Vec<Diagnostic>) {
    let marker = match doc.format {
        Format::Text => text_marker(),
        Format::Markdown => markdown_marker(),
    };
    let mut directives = Vec::new();
    let mut errors = Vec::new();
    let mut spans = Vec::new();
    for caps in marker.captures_iter(&doc.text) {
        let (Some(whole), Some(body)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        let span = Span::new(whole.start(), whole.end());
        spans.push(span);
        let closed = match doc.format {
            Format::Text => whole.as_str().ends_with(']'),
            Format::Markdown => whole.as_str().ends_with("-->"),
        };
        let parsed = if closed {
            parse(body.as_str())
        } else {
            Err("the directive is not closed".to_owned())
        };
        match parsed {
            Ok((scope, rules, reason)) => directives.push(Directive {
                span,
                scope,
                rules,
                reason,
            }),
            Err(why) => errors.push(
                Diagnostic::new(
                    &INVALID,
                    span,
                    format!("this suppression is ignored: {why}"),
                )
                .label("unreadable suppression")
                .help(match doc.format {
                    Format::Text => "write it as [radlint: allow RULE: REASON]",
                    Format::Markdown => "write it as <!-- radlint: allow RULE: REASON -->",
                }),
            ),
        }
    }
    blank(doc, &spans);
    (directives, errors)
}

/// `allow RULE[, RULE]: REASON` (or `allow-report ...`).
fn parse(body: &str) -> Result<(Scope, Vec<&'static Rule>, String), String> {
    let body = body.trim();
    let (verb, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
    let scope = match verb.to_ascii_lowercase().as_str() {
        "allow" => Scope::Section,
        "allow-report" => Scope::Report,
        "" => return Err("it names no action (allow or allow-report)".to_owned()),
        other => return Err(format!("`{other}` is not `allow` or `allow-report`")),
    };
    let Some((ids, reason)) = rest.split_once(':') else {
        return Err("it gives no reason (`allow RULE: REASON`)".to_owned());
    };
    let reason = reason.trim();
    if reason.is_empty() {
        return Err("it gives no reason (`allow RULE: REASON`)".to_owned());
    }
    let mut rules = Vec::new();
    for id in ids.split([',', ' ', '\t']).filter(|s| !s.is_empty()) {
        match crate::rules::find(&id.to_ascii_lowercase()) {
            Some(rule) if suppressible(rule) => rules.push(rule),
            Some(rule) => return Err(format!("`{}` cannot be suppressed", rule.id)),
            None => return Err(format!("`{id}` is not a rule id (see `radlint rules`)")),
        }
    }
    if rules.is_empty() {
        return Err("it names no rule".to_owned());
    }
    Ok((scope, rules, reason.to_owned()))
}

/// Directives are not report text, and a hidden region that is only a
/// directive is not hidden documentation.
fn blank(doc: &mut Document, spans: &[Span]) {
    if spans.is_empty() {
        return;
    }
    doc.blank(spans);
    let text = doc.text.as_bytes();
    doc.hidden.retain(|h| {
        !spans.iter().any(|d| {
            d.start >= h.start
                && d.end <= h.end
                && text[h.start as usize..d.start as usize]
                    .iter()
                    .chain(&text[d.end as usize..h.end as usize])
                    .all(u8::is_ascii_whitespace)
        })
    });
}

/// Mark the diagnostics the directives cover, and warn about directives that
/// covered none. Runs after severities are configured; a disabled rule's
/// diagnostics are gone, so a directive for it is unused.
pub fn apply(
    directives: &[Directive],
    segments: &Segments,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Whether each rule of each directive suppressed something.
    let mut used: Vec<Vec<bool>> = directives
        .iter()
        .map(|d| vec![false; d.rules.len()])
        .collect();
    for d in diagnostics.iter_mut() {
        if !suppressible(d.rule) {
            continue;
        }
        let found = directives.iter().enumerate().find_map(|(i, dir)| {
            let r = dir.rules.iter().position(|r| r.id == d.rule.id)?;
            covers(dir, segments, text, d.span).then_some((i, r, dir))
        });
        if let Some((i, r, dir)) = found {
            used[i][r] = true;
            d.suppressed = Some(Suppression {
                reason: dir.reason.clone(),
                directive: dir.span,
            });
        }
    }
    for (dir, used) in directives.iter().zip(used) {
        let ids: Vec<&str> = dir
            .rules
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(r, _)| r.id)
            .collect();
        if !ids.is_empty() {
            diagnostics.push(
                Diagnostic::new(
                    &UNUSED,
                    dir.span,
                    format!("this suppression of {} suppresses nothing", ids.join(", ")),
                )
                .label("unused suppression")
                .help("remove it, or move it above the section it is meant for"),
            );
        }
    }
}

fn covers(dir: &Directive, segments: &Segments, text: &str, at: Span) -> bool {
    match dir.scope {
        Scope::Report => true,
        Scope::Section => {
            let from = dir.span.end as usize;
            let next = text
                .get(from..)
                .and_then(|rest| rest.find(|c: char| !c.is_whitespace()))
                .map_or(text.len(), |i| from + i);
            let end = if segments.sections.is_empty() {
                text.len() as u32
            } else {
                segments.sections[segments.section_at(next as u32)].span.end
            };
            dir.span.end <= at.start && at.start <= end
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_scope_and_reason() {
        let (scope, rules, reason) =
            parse(" allow supervision-not-concurrent, workstation-missing: per policy 4 ")
                .expect("ok");
        assert_eq!(scope, Scope::Section);
        assert_eq!(
            rules.iter().map(|r| r.id).collect::<Vec<_>>(),
            ["supervision-not-concurrent", "workstation-missing"]
        );
        assert_eq!(reason, "per policy 4");
        assert_eq!(
            parse("allow-report findings-missing: x").expect("ok").0,
            Scope::Report
        );
    }

    #[test]
    fn refuses_without_reason_or_with_unknown_rules() {
        for (body, says) in [
            ("allow supervision-missing", "no reason"),
            ("allow supervision-missing:   ", "no reason"),
            ("allow no-such-rule: x", "not a rule id"),
            ("disable supervision-missing: x", "`disable`"),
            ("allow suppression-unused: x", "cannot"),
            ("allow : x", "no rule"),
        ] {
            let why = parse(body).expect_err(body);
            assert!(why.contains(says), "{body}: {why}");
        }
    }
}
