//! The sweep's aggregates as data: what `--summary` gives as JSON and what
//! the HTML QA report draws, so the two always agree. Built by
//! [`super::Summary`] from per-report [`super::Stats`]; groups (by signer,
//! exam, modality, month) are bounded, so a sweep of any size holds a few
//! thousand small counters, never its reports.

use crate::rules::Element;
use crate::verdict::Code;
use serde::Serialize;
use std::collections::BTreeMap;

/// Most distinct keys a breakdown keeps; later ones are counted as
/// `(other)`. Signers, exam titles and months stay far below it in practice;
/// the bound is what keeps a sweep's memory flat whatever the archive holds.
pub const MAX_GROUPS: usize = 2000;

/// The key of reports whose field the report does not give.
pub const UNATTRIBUTED: &str = "unattributed";

/// The key of reports past [`MAX_GROUPS`] distinct keys.
pub const OTHER: &str = "(other)";

/// The four breakdowns, in the order reports list them.
pub const DIMENSIONS: [&str; 4] = ["signer", "modality", "exam", "month"];

/// One group's running counts.
#[derive(Debug, Clone, Default)]
pub(super) struct Counts {
    read: u64,
    in_scope: u64,
    c76377: u64,
    c76376: u64,
    unsupported: u64,
    compliant: u64,
    rules: BTreeMap<&'static str, u64>,
    gaps: [u64; 7],
}

/// What one report adds to its groups.
#[derive(Debug, Clone)]
pub(super) struct Contribution<'a> {
    pub(super) in_scope: bool,
    pub(super) supports: Option<Code>,
    pub(super) unsupported: bool,
    pub(super) rules: &'a [&'static str],
    /// Elements judged that do not hold (in the order of `Element::ALL`).
    pub(super) gaps: [bool; 7],
}

impl Contribution<'_> {
    /// In scope, documentation that supports a code, and no claim it does
    /// not support: what a compliance rate counts.
    pub(super) fn compliant(&self) -> bool {
        self.in_scope && self.supports.is_some() && !self.unsupported
    }
}

/// A breakdown: key -> counts, at most [`MAX_GROUPS`] keys and [`OTHER`].
#[derive(Debug, Clone, Default)]
pub(super) struct Breakdown {
    groups: BTreeMap<String, Counts>,
}

impl Breakdown {
    pub(super) fn add(&mut self, key: Option<&str>, c: &Contribution) {
        let key = key.unwrap_or(UNATTRIBUTED);
        let counts = match self.groups.get_mut(key) {
            Some(counts) => counts,
            None => {
                let key = if self.groups.len() >= MAX_GROUPS {
                    OTHER
                } else {
                    key
                };
                self.groups.entry(key.to_owned()).or_default()
            }
        };
        counts.read += 1;
        if c.in_scope {
            counts.in_scope += 1;
            match c.supports {
                Some(Code::C76377) => counts.c76377 += 1,
                Some(Code::C76376) => counts.c76376 += 1,
                None => {}
            }
            counts.unsupported += u64::from(c.unsupported);
            counts.compliant += u64::from(c.compliant());
            for rule in c.rules {
                *counts.rules.entry(rule).or_default() += 1;
            }
            for (total, gap) in counts.gaps.iter_mut().zip(c.gaps) {
                *total += u64::from(gap);
            }
        }
    }

    /// The groups as data, most reports in scope first (then by key).
    pub(super) fn rows(&self) -> Vec<GroupRow> {
        let mut rows: Vec<GroupRow> = self
            .groups
            .iter()
            .map(|(key, c)| {
                let top_rule = c
                    .rules
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map(|(rule, &reports)| RuleCount { rule, reports });
                let top_gap = element_names()
                    .zip(c.gaps)
                    .filter(|&(_, n)| n > 0)
                    .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                    .map(|(element, reports)| ElementCount { element, reports });
                GroupRow {
                    top_gap,
                    key: key.clone(),
                    read: c.read,
                    in_scope: c.in_scope,
                    supports_76377: c.c76377,
                    supports_76376: c.c76376,
                    neither: c.in_scope - c.c76377 - c.c76376,
                    claims_unsupported: c.unsupported,
                    compliant: c.compliant,
                    compliance: share(c.compliant, c.in_scope),
                    top_rule,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.in_scope.cmp(&a.in_scope).then(a.key.cmp(&b.key)));
        rows
    }
}

/// A share, or none of nothing.
pub(super) fn share(n: u64, of: u64) -> Option<f64> {
    (of > 0).then(|| (n as f64 / of as f64 * 1000.0).round() / 1000.0)
}

/// The sweep's aggregates.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregates {
    /// Reports read (judged).
    pub read: u64,
    /// Of those, about 3D rendering.
    pub in_scope: u64,
    /// Read but not about 3D rendering.
    pub out_of_scope: u64,
    /// Inputs that could not be read.
    pub skipped: u64,
    /// In-scope reports whose documentation supports each code, and neither.
    pub supports: Supports,
    /// Claimed codes (by `--claim`, configuration or the text).
    pub claims: Claims,
    /// In-scope reports that support a code with no unsupported claim, and
    /// their share of the reports in scope.
    pub compliant: u64,
    /// `compliant / in_scope` (null when nothing is in scope).
    pub compliance: Option<f64>,
    /// Each element: reports where it holds, where it was judged, the share.
    pub elements: BTreeMap<&'static str, ElementRate>,
    /// Failing rules (errors and warnings, not suppressed), by reports.
    pub rules: Vec<RuleCount>,
    /// Why inputs were skipped.
    pub skipped_because: BTreeMap<String, u64>,
    /// Breakdowns by signer, modality, exam title and month (YYYY-MM).
    pub by: BTreeMap<&'static str, Vec<GroupRow>>,
    /// Breakdowns left out because output withholds their field
    /// (`--redact-meta`: signer; `--redact`: exam).
    pub withheld: Vec<&'static str>,
    /// The lexicon versions and CPT years reports were judged under.
    pub judged_with: Vec<JudgedWith>,
}

/// Reports by the code their documentation supports.
#[derive(Debug, Clone, Serialize)]
pub struct Supports {
    /// 76377.
    #[serde(rename = "76377")]
    pub c76377: u64,
    /// 76376.
    #[serde(rename = "76376")]
    pub c76376: u64,
    /// In scope, neither.
    pub neither: u64,
}

/// Claims and how many the documentation does not support.
#[derive(Debug, Clone, Serialize)]
pub struct Claims {
    /// Reports that claim a code.
    pub claimed: u64,
    /// Of those, claiming a code the documentation does not support.
    pub unsupported: u64,
    /// Of those, 76377 claimed where only 76376 is documented.
    pub downgraded: u64,
}

/// An element's pass rate.
#[derive(Debug, Clone, Serialize)]
pub struct ElementRate {
    /// In-scope reports where it holds.
    pub holds: u64,
    /// In-scope reports where it was judged.
    pub judged: u64,
    /// `holds / judged`.
    pub rate: Option<f64>,
}

/// A rule and the reports it failed in.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    /// Rule id.
    pub rule: &'static str,
    /// Reports.
    pub reports: u64,
}

/// One group of a breakdown.
#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    /// The signer, modality, exam title or month; "unattributed" where the
    /// reports do not say.
    pub key: String,
    /// Reports read.
    pub read: u64,
    /// In scope.
    pub in_scope: u64,
    /// Supporting 76377.
    pub supports_76377: u64,
    /// Supporting 76376.
    pub supports_76376: u64,
    /// In scope, supporting neither.
    pub neither: u64,
    /// Claiming a code the documentation does not support.
    pub claims_unsupported: u64,
    /// In scope, supporting a code, with no unsupported claim.
    pub compliant: u64,
    /// `compliant / in_scope`.
    pub compliance: Option<f64>,
    /// The rule failed in most of the group's reports.
    pub top_rule: Option<RuleCount>,
    /// The element that most of the group's reports in scope lack (judged
    /// and not holding): what to tell its radiologists.
    pub top_gap: Option<ElementCount>,
}

/// An element and the reports in scope where it does not hold.
#[derive(Debug, Clone, Serialize)]
pub struct ElementCount {
    /// Element name.
    pub element: &'static str,
    /// Reports.
    pub reports: u64,
}

/// Reports judged under one lexicon version and CPT year.
#[derive(Debug, Clone, Serialize)]
pub struct JudgedWith {
    /// Lexicon version.
    pub lexicon_version: String,
    /// CPT year.
    pub cpt_year: u16,
    /// Reports.
    pub reports: u64,
}

/// The element names, as JSON names them.
pub(super) fn element_names() -> impl Iterator<Item = &'static str> {
    Element::ALL.iter().map(|e| e.name())
}
