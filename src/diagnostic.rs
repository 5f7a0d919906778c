//! One diagnostic type: what every rule finds, what every output format
//! shows, and what an input that could not be read becomes too.
//!
//! A [`Diagnostic`] names its [`Rule`] (the stable id and the user docs that
//! `radlint explain` prints), a [`Severity`], the byte span it is about (the
//! evidence, or where a missing statement belongs), a message that never
//! quotes the report, optional secondary [`Label`]s, suggested wording, and
//! the report's own suppression when one applies. Line and column are
//! computed only when a format prints them.

use crate::rules::Element;
use crate::span::Span;
use crate::suppression::Suppression;
use serde::Serialize;

/// How much a diagnostic matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks the verdict or a claim.
    Error,
    /// Payer-dependent or weak documentation.
    Warning,
    /// How to reach the other code; input remarks.
    Note,
}

impl Severity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The documentation a rule checks: the user docs, printed by `radlint explain`.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The element it belongs to, if any.
    pub element: Option<Element>,
    /// One line.
    pub summary: &'static str,
    /// Why payers and auditors care.
    pub why: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
    /// A report fragment that fails.
    pub example: &'static str,
    /// The same fragment, fixed.
    pub fix: &'static str,
}

impl Rule {
    /// What `radlint explain RULE` prints: what it checks, why it matters,
    /// its source, and a fragment that fails with the same fragment fixed.
    pub fn explanation(&self) -> String {
        let mut out = format!("{} ({})\n\n", self.id, self.severity.name());
        out.push_str(&format!("What it checks: {}\n", self.summary));
        if let Some(e) = self.element {
            out.push_str(&format!("Element: {}\n", e.need()));
        }
        out.push_str(&format!("\nWhy it matters: {}\n", self.why));
        out.push_str(&format!("\nSource: {}\n", self.source));
        let indented = |s: &str| s.replace('\n', "\n    ");
        out.push_str(&format!("\nFails:\n    {}\n", indented(self.example)));
        out.push_str(&format!("\nFixed:\n    {}\n", indented(self.fix)));
        out.push_str("\nradlint suggests wording; it never writes attestations into a report.\n");
        out
    }
}

/// A secondary label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it shows.
    pub message: String,
}

/// One finding about one report. Every output format is a view of this.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule.
    pub rule: &'static Rule,
    /// Severity (the rule's default unless configured).
    pub severity: Severity,
    /// The evidence, or where the missing statement belongs.
    pub span: Span,
    /// Why it matters, without quoting the report.
    pub message: String,
    /// What the primary span shows.
    pub label: String,
    /// Secondary labels (a negation trigger and its scope).
    pub labels: Vec<Label>,
    /// Suggested wording, never inserted.
    pub help: String,
    /// Allowed by a directive in the report, with its reason.
    pub suppressed: Option<Suppression>,
}

impl Diagnostic {
    /// True when it counts: not suppressed by a directive.
    pub fn active(&self) -> bool {
        self.suppressed.is_none()
    }

    pub(crate) fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            span,
            message: message.into(),
            label: String::new(),
            labels: Vec::new(),
            help: String::new(),
            suppressed: None,
        }
    }

    pub(crate) fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub(crate) fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = help.into();
        self
    }
}
