//! The sweep summary: counts a QA team can act on, built from small
//! per-report [`Stats`] so the archive is never held.

use super::Checked;
use super::aggregate::{
    Aggregates, Breakdown, Claims, Contribution, DIMENSIONS, ElementRate, JudgedWith, RuleCount,
    Supports, element_names, share,
};
use crate::rules::{Element, Severity, Status};
use crate::span::LineIndex;
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
    /// Its signer, modality, exam title and month, for the breakdowns (when
    /// asked for: only the QA report and the JSON summary draw them).
    keys: Option<[Option<String>; 4]>,
    /// Its row in the QA report's tables, when asked for and it has a problem.
    row: Option<Row>,
}

/// An in-scope report with a problem (a failing rule, no code supported, or
/// a claim the documentation does not support), as the QA report lists it.
/// Holds no report text: the path (or pseudonym), metadata, codes, rule ids
/// and the verdict line.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    /// Path, export id or pseudonym.
    pub path: String,
    /// Line of an export.
    pub input_line: Option<u64>,
    /// Signer, as output may show it.
    pub signer: Option<String>,
    /// Date, as output may show it.
    pub date: Option<String>,
    /// Exam title, as output may show it.
    pub exam: Option<String>,
    /// The code the documentation supports.
    pub supports: Option<Code>,
    /// Codes claimed.
    pub claimed: Vec<Code>,
    /// A claimed code is not supported.
    pub at_risk: bool,
    /// 76377 claimed, only 76376 documented.
    pub downgraded: bool,
    /// The verdict line.
    pub verdict: String,
    /// Failing rules.
    pub rules: Vec<&'static str>,
    /// Line of the first error or warning.
    pub first_line: Option<usize>,
}

impl Stats {
    /// The stats of one checked report with its keys for the breakdowns by
    /// signer, modality, exam and month (for the JSON summary).
    pub fn with_groups(checked: &Checked) -> Stats {
        let mut stats = Stats::of(checked);
        if stats.read {
            let meta = &checked.outcome.meta;
            stats.keys = Some([
                meta.signer.clone(),
                meta.modality.clone(),
                meta.exam.as_deref().map(exam_key),
                meta.month().map(str::to_owned),
            ]);
        }
        stats
    }

    /// The stats of one checked report with its breakdown keys, and its
    /// [`Row`] when it has a problem (for the QA report).
    pub fn with_row(checked: &Checked) -> Stats {
        let mut stats = Stats::with_groups(checked);
        let outcome = &checked.outcome;
        let problem = stats.in_scope
            && (stats.supports.is_none() || stats.unsupported || !stats.rules.is_empty());
        if problem {
            let text = outcome.analysis.doc.text.as_str();
            let first_line = outcome
                .diagnostics
                .iter()
                .find(|d| d.active() && d.severity != Severity::Note)
                .map(|d| LineIndex::new(text).line_col(text, d.span.start).0);
            let meta = &outcome.meta;
            stats.row = Some(Row {
                path: checked.path.clone(),
                input_line: checked.line,
                signer: meta.signer.clone(),
                date: meta.date.clone(),
                exam: meta.exam.clone(),
                supports: stats.supports,
                claimed: outcome.claimed.clone(),
                at_risk: stats.unsupported,
                downgraded: stats.downgraded,
                verdict: outcome.verdict.summary.clone(),
                rules: stats.rules.clone(),
                first_line,
            });
        }
        stats
    }

    /// Its row, if it was asked for and the report has a problem.
    pub fn row(&self) -> Option<&Row> {
        self.row.as_ref()
    }

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
                    keys: None,
                    row: None,
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
    /// In-scope reports that support a code with no unsupported claim.
    compliant: u64,
    /// By signer, modality, exam and month (as [`DIMENSIONS`]).
    by: [Breakdown; 4],
    /// Breakdowns output withholds (`--redact-meta`: signer; `--redact`:
    /// exam), neither counted nor shown.
    withheld: [bool; 4],
    /// The first [`PAGE_ROWS`] reports with problems, and how many there were.
    problems: Vec<Row>,
    problems_total: u64,
    /// The first [`PAGE_ROWS`] reports whose claim is at risk, and how many.
    at_risk: Vec<Row>,
    at_risk_total: u64,
}

/// Most rows the QA report's tables list (reports with problems; claims at
/// risk): past it the page says how many more there are and where they are.
pub const PAGE_ROWS: usize = 1000;

/// An exam title as a breakdown's key: upper case, one space between words
/// ("CT Head  w/o" and "CT HEAD W/O" are one exam).
fn exam_key(exam: &str) -> String {
    exam.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
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
        let contribution = Contribution {
            in_scope: s.in_scope,
            supports: s.supports,
            unsupported: s.unsupported,
            rules: &s.rules,
            gaps: std::array::from_fn(|i| s.judged[i] && !s.holds[i]),
        };
        self.compliant += u64::from(contribution.compliant());
        if let Some(row) = &s.row {
            self.problems_total += 1;
            if self.problems.len() < PAGE_ROWS {
                self.problems.push(row.clone());
            }
            if row.at_risk {
                self.at_risk_total += 1;
                if self.at_risk.len() < PAGE_ROWS {
                    self.at_risk.push(row.clone());
                }
            }
        }
        let Some(keys) = &s.keys else { return };
        for ((breakdown, key), withheld) in self.by.iter_mut().zip(keys).zip(self.withheld) {
            if !withheld {
                breakdown.add(key.as_deref(), &contribution);
            }
        }
    }

    /// The aggregates as data (for `--summary` with JSON, and the QA report).
    pub fn aggregates(&self) -> Aggregates {
        let neither = self.in_scope.saturating_sub(self.c76377 + self.c76376);
        let mut rules: Vec<RuleCount> = self
            .rules
            .iter()
            .map(|(&rule, &reports)| RuleCount { rule, reports })
            .collect();
        rules.sort_by(|a, b| b.reports.cmp(&a.reports).then(a.rule.cmp(b.rule)));
        Aggregates {
            read: self.read,
            in_scope: self.in_scope,
            out_of_scope: self.read - self.in_scope,
            skipped: self.skipped.values().sum(),
            supports: Supports {
                c76377: self.c76377,
                c76376: self.c76376,
                neither,
            },
            claims: Claims {
                claimed: self.claimed,
                unsupported: self.unsupported,
                downgraded: self.downgraded,
            },
            compliant: self.compliant,
            compliance: share(self.compliant, self.in_scope),
            elements: element_names()
                .zip(self.holds.iter().zip(self.judged))
                .map(|(name, (&holds, judged))| {
                    let rate = ElementRate {
                        holds,
                        judged,
                        rate: share(holds, judged),
                    };
                    (name, rate)
                })
                .collect(),
            rules,
            skipped_because: self.skipped.clone(),
            by: DIMENSIONS
                .iter()
                .zip(&self.by)
                .zip(self.withheld)
                .filter(|(_, withheld)| !withheld)
                .map(|((&name, b), _)| (name, b.rows()))
                .collect(),
            withheld: DIMENSIONS
                .iter()
                .zip(self.withheld)
                .filter(|(_, withheld)| *withheld)
                .map(|(&name, _)| name)
                .collect(),
            judged_with: self
                .judged_with
                .iter()
                .map(|((version, year), &reports)| JudgedWith {
                    lexicon_version: version.to_string(),
                    cpt_year: *year,
                    reports,
                })
                .collect(),
        }
    }

    /// Withhold the breakdowns by signer and by exam (what `--redact-meta`
    /// and `--redact` keep out of output): a report whose field is withheld
    /// is not "unattributed", and a breakdown of one group says nothing.
    pub fn withhold(&mut self, signer: bool, exam: bool) {
        self.withheld = [signer, false, exam, false];
    }

    /// The reports with problems kept for the page (at most [`PAGE_ROWS`]),
    /// and how many there were.
    pub fn problems(&self) -> (&[Row], u64) {
        (&self.problems, self.problems_total)
    }

    /// The reports whose claim is at risk kept for the page, and how many.
    pub fn at_risk(&self) -> (&[Row], u64) {
        (&self.at_risk, self.at_risk_total)
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
