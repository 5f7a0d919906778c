//! The sweep summary: counts a QA team can act on, built from small
//! per-report [`Stats`] so the archive is never held.

use super::Checked;
use crate::rules::{Element, Status};
use crate::verdict::Code;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

/// What one report adds to the summary.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    read: bool,
    in_scope: bool,
    supports: Option<Code>,
    holds: [bool; 7],
    /// The elements judged (where rendering does not hold, only it is).
    judged: [bool; 7],
    rules: Vec<&'static str>,
    skipped: Option<String>,
    errors: bool,
    /// A code was claimed (by `--claim`, configuration or the text).
    claimed: bool,
    /// A claimed code the documentation does not support.
    unsupported: bool,
    /// 76377 claimed where only 76376 is documented.
    downgraded: bool,
    /// The lexicon version and CPT year it was judged under.
    judged_with: Option<(Arc<str>, u16)>,
}

impl Stats {
    /// The stats of one checked report.
    pub fn of(checked: &Checked) -> Stats {
        let outcome = &checked.outcome;
        match &outcome.unreadable {
            Some(reason) => Stats {
                skipped: Some(reason.clone()),
                errors: true,
                ..Stats::default()
            },
            None => {
                let rules = outcome.failing_rules();
                let (mut holds, mut judged) = ([false; 7], [false; 7]);
                for (i, e) in Element::ALL.iter().enumerate() {
                    let status = outcome.elements.get(*e).status;
                    holds[i] = status.holds();
                    judged[i] = status != Status::NotEvaluated;
                }
                let claimed = &outcome.claimed;
                let supports = outcome.verdict.supports;
                Stats {
                    claimed: !claimed.is_empty(),
                    unsupported: claimed.iter().any(|&c| Some(c) != supports),
                    downgraded: claimed.contains(&Code::C76377) && supports == Some(Code::C76376),
                    read: true,
                    in_scope: outcome.verdict.in_scope,
                    supports: outcome.verdict.supports,
                    holds,
                    judged,
                    rules,
                    skipped: None,
                    errors: outcome.has_errors(),
                    judged_with: Some((Arc::clone(&outcome.lexicon_version), outcome.cpt_year)),
                }
            }
        }
    }

    /// True when the report counts as an error for the exit status.
    pub fn has_errors(&self) -> bool {
        self.errors
    }
}

/// Running totals.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    read: u64,
    in_scope: u64,
    c76377: u64,
    c76376: u64,
    holds: [u64; 7],
    judged: [u64; 7],
    rules: BTreeMap<&'static str, u64>,
    skipped: BTreeMap<String, u64>,
    errors: u64,
    claimed: u64,
    unsupported: u64,
    downgraded: u64,
    /// Reports read by the lexicon version and CPT year they were judged
    /// under: one entry, unless nested configurations change them.
    judged_with: BTreeMap<(Arc<str>, u16), u64>,
}

impl Summary {
    /// Add one report.
    pub fn add(&mut self, s: &Stats) {
        if s.errors {
            self.errors += 1;
        }
        if let Some(reason) = &s.skipped {
            *self.skipped.entry(reason.clone()).or_default() += 1;
            return;
        }
        if !s.read {
            return;
        }
        self.read += 1;
        self.claimed += u64::from(s.claimed);
        self.unsupported += u64::from(s.unsupported);
        self.downgraded += u64::from(s.downgraded);
        if let Some(key) = &s.judged_with {
            *self.judged_with.entry(key.clone()).or_default() += 1;
        }
        match s.supports {
            Some(Code::C76377) => self.c76377 += 1,
            Some(Code::C76376) => self.c76376 += 1,
            None => {}
        }
        if s.in_scope {
            self.in_scope += 1;
            for (total, holds) in self.holds.iter_mut().zip(s.holds) {
                *total += u64::from(holds);
            }
            for (total, judged) in self.judged.iter_mut().zip(s.judged) {
                *total += u64::from(judged);
            }
        }
        for rule in &s.rules {
            *self.rules.entry(rule).or_default() += 1;
        }
    }

    /// Reports that had an error diagnostic or could not be read.
    pub fn errors(&self) -> u64 {
        self.errors
    }

    /// Reports read.
    pub fn read(&self) -> u64 {
        self.read
    }

    /// Reports checked: read, or reported as unreadable.
    pub fn checked(&self) -> u64 {
        self.read + self.skipped.values().sum::<u64>()
    }

    /// The summary as text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let skipped: u64 = self.skipped.values().sum();
        let _ = writeln!(
            out,
            "summary: {} reports read, {} in scope, {} skipped",
            self.read, self.in_scope, skipped
        );
        let neither = self.in_scope.saturating_sub(self.c76377 + self.c76376);
        // Shares of the reports in scope: what a QA team compares.
        let of_scope = |n: u64| match self.in_scope {
            0 => n.to_string(),
            all => format!("{n} ({:.1}%)", 100.0 * n as f64 / all as f64),
        };
        let _ = writeln!(
            out,
            "  supports 76377: {}, supports 76376: {}, neither (in scope): {}, out of scope: {}",
            of_scope(self.c76377),
            of_scope(self.c76376),
            of_scope(neither),
            self.read - self.in_scope
        );
        if self.claimed > 0 {
            let _ = writeln!(
                out,
                "  claims: {} reports claim a code; not supported: {} (76377 claimed, only 76376 documented: {})",
                self.claimed, self.unsupported, self.downgraded
            );
        }
        if self.in_scope > 0 {
            // Among the reports where the element was judged (not where
            // rendering failed and it was not).
            let rates: Vec<String> = Element::ALL
                .iter()
                .zip(self.holds.iter().zip(self.judged))
                .map(|(e, (&n, judged))| match judged {
                    0 => format!("{} -", e.name()),
                    _ => format!("{} {:.1}%", e.name(), 100.0 * n as f64 / judged as f64),
                })
                .collect();
            let _ = writeln!(
                out,
                "  element pass rates (where judged): {}",
                rates.join(", ")
            );
        }
        if !self.rules.is_empty() {
            let mut rules: Vec<_> = self.rules.iter().collect();
            rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let top: Vec<String> = rules
                .iter()
                .take(10)
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            let _ = writeln!(out, "  most frequent rules (reports): {}", top.join(", "));
        }
        if !self.judged_with.is_empty() {
            let with: Vec<String> = self
                .judged_with
                .iter()
                .map(|((version, year), n)| {
                    let with = format!("lexicon {version}, CPT {year} bundling rules");
                    match (self.judged_with.len(), n) {
                        (1, _) => with,
                        (_, 1) => format!("{with} (1 report)"),
                        _ => format!("{with} ({n} reports)"),
                    }
                })
                .collect();
            let _ = writeln!(out, "  judged with: {}", with.join("; "));
        }
        if skipped > 0 {
            let why: Vec<String> = self
                .skipped
                .iter()
                .map(|(r, n)| format!("{r}: {n}"))
                .collect();
            let _ = writeln!(out, "  skipped: {}", why.join("; "));
        }
        out
    }
}
