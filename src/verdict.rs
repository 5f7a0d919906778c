//! Verdict: element results become 76377, 76376 or neither.
//!
//! Takes the element results and the codes the base exam excludes, and hands
//! on a [`Verdict`] with a one-line summary, per the SPEC's table: elements 1,
//! 2, 4, 5, 6 and 7 must all hold; element 3 decides between 76377 and 76376.
//! An out-of-scope report supports neither and needs nothing.

use crate::rules::{Element, Elements, Status};
use serde::Serialize;

/// A 3D rendering code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// Not on an independent workstation.
    #[serde(rename = "76376")]
    C76376,
    /// On an independent workstation.
    #[serde(rename = "76377")]
    C76377,
}

impl Code {
    /// "76376" or "76377".
    pub fn as_str(self) -> &'static str {
        match self {
            Code::C76376 => "76376",
            Code::C76377 => "76377",
        }
    }

    /// Parse "76376" or "76377".
    pub fn parse(s: &str) -> Option<Code> {
        match s.trim() {
            "76376" => Some(Code::C76376),
            "76377" => Some(Code::C76377),
            _ => None,
        }
    }
}

/// What a report's documentation supports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// True when the report mentions 3D rendering or a 3D code, or a code is claimed.
    pub in_scope: bool,
    /// The code supported, if any.
    pub supports: Option<Code>,
    /// Elements 1, 2, 4-7 that do not hold.
    pub failing: Vec<Element>,
    /// True when element 3 does not hold.
    pub workstation_missing: bool,
    /// How element 1 stands, for the summary.
    #[serde(skip)]
    pub rendering: Status,
    /// Codes the base exam excludes.
    pub excluded: Vec<&'static str>,
    /// The bundled base exams found.
    pub bundles: Vec<String>,
    /// One line: "supports 76377", "supports 76376 (76377 needs: ...)", "supports neither: ...".
    pub summary: String,
}

impl Verdict {
    /// Decide.
    pub fn decide(
        in_scope: bool,
        elements: &Elements,
        excluded: Vec<&'static str>,
        bundles: Vec<String>,
    ) -> Verdict {
        // An element not judged (where rendering does not hold) is not a
        // failing one: the verdict names the root cause only.
        let fails = |e: Element| {
            let status = elements.get(e).status;
            !status.holds() && status != Status::NotEvaluated
        };
        let failing: Vec<Element> = Element::ALL
            .into_iter()
            .filter(|&e| e != Element::Workstation && fails(e))
            .collect();
        let workstation_missing = fails(Element::Workstation);
        let allowed = |c: Code| !excluded.contains(&c.as_str());
        let supports = match (in_scope, failing.is_empty(), workstation_missing) {
            (true, true, false) if allowed(Code::C76377) => Some(Code::C76377),
            (true, true, true) if allowed(Code::C76376) => Some(Code::C76376),
            _ => None,
        };
        let mut verdict = Verdict {
            in_scope,
            supports,
            failing,
            workstation_missing,
            rendering: elements.rendering.status,
            excluded,
            bundles,
            summary: String::new(),
        };
        verdict.summary = verdict.describe();
        verdict
    }

    /// Say that this is a template's verdict, and which elements are
    /// placeholders that dictation must fill.
    pub fn as_template(&mut self, slots: &[Element]) {
        let names: Vec<&str> = slots.iter().map(|e| e.name()).collect();
        let filled = match (self.supports, names.is_empty()) {
            (Some(_), false) => format!(" once its placeholders are filled ({})", names.join(", ")),
            (None, false) => format!(" (even with its placeholders filled: {})", names.join(", ")),
            (_, true) => String::new(),
        };
        self.summary = format!("as a template, {}{filled}", self.summary);
    }

    /// What `code` still needs, in words.
    pub fn needs_for(&self, code: Code) -> Vec<String> {
        let mut needs: Vec<String> = self.failing.iter().map(|e| self.need(*e)).collect();
        if code == Code::C76377 && self.workstation_missing {
            needs.push(Element::Workstation.need().to_owned());
        }
        if self.excluded.contains(&code.as_str()) && !self.failing.contains(&Element::Unbundled) {
            needs.push(self.need(Element::Unbundled));
        }
        needs
    }

    fn need(&self, e: Element) -> String {
        match (e, self.bundles.first()) {
            (Element::Unbundled, Some(label)) => {
                format!("a base exam that does not already include 3D rendering (not {label})")
            }
            _ => e.need().to_owned(),
        }
    }

    fn describe(&self) -> String {
        if !self.in_scope {
            return "supports neither: no 3D rendering is documented (out of scope)".to_owned();
        }
        match self.supports {
            Some(Code::C76377) => "supports 76377".to_owned(),
            Some(Code::C76376) => format!(
                "supports 76376 (76377 needs: {})",
                self.needs_for(Code::C76377).join(", ")
            ),
            None if self.failing.contains(&Element::Rendering) => {
                let why = match self.rendering {
                    Status::Negated => "documented as not performed",
                    Status::Hypothetical => "only offered or promised",
                    Status::Historical => "mentioned only for another study",
                    Status::Present
                    | Status::Weak
                    | Status::Missing
                    | Status::Fails
                    | Status::NotEvaluated
                    | Status::Placeholder => "not documented",
                };
                format!(
                    "supports neither: 3D rendering is {why} (the other elements were not judged)"
                )
            }
            None => {
                let code = if self.workstation_missing {
                    Code::C76376
                } else {
                    Code::C76377
                };
                format!(
                    "supports neither: needs {}",
                    self.needs_for(code).join(", ")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ElementResult;

    fn elements(status: [Status; 7]) -> Elements {
        let r = |s| ElementResult {
            status: s,
            span: None,
        };
        Elements {
            rendering: r(status[0]),
            supervision: r(status[1]),
            workstation: r(status[2]),
            findings: r(status[3]),
            indication: r(status[4]),
            modality: r(status[5]),
            unbundled: r(status[6]),
        }
    }

    use Status::{Missing as M, Present as P, Weak as W};

    #[test]
    fn the_spec_table() {
        let all = elements([P; 7]);
        assert_eq!(
            Verdict::decide(true, &all, vec![], vec![]).supports,
            Some(Code::C76377)
        );
        let no_ws = elements([P, P, M, P, P, P, P]);
        let v = Verdict::decide(true, &no_ws, vec![], vec![]);
        assert_eq!(v.supports, Some(Code::C76376));
        assert_eq!(
            v.summary,
            "supports 76376 (76377 needs: an independent workstation)"
        );
        let no_findings = elements([P, P, P, M, P, P, P]);
        let v = Verdict::decide(true, &no_findings, vec![], vec![]);
        assert_eq!(v.supports, None);
        assert_eq!(
            v.summary,
            "supports neither: needs an interpretation of the 3D images"
        );
    }

    #[test]
    fn weak_elements_hold() {
        let weak = elements([P, W, W, P, W, P, P]);
        assert_eq!(
            Verdict::decide(true, &weak, vec![], vec![]).supports,
            Some(Code::C76377)
        );
    }

    #[test]
    fn out_of_scope_supports_nothing() {
        let all = elements([P; 7]);
        let v = Verdict::decide(false, &all, vec![], vec![]);
        assert_eq!(v.supports, None);
        assert!(v.summary.contains("out of scope"));
    }

    #[test]
    fn an_excluded_code_is_not_supported() {
        let no_ws = elements([P, P, M, P, P, P, W]);
        let v = Verdict::decide(
            true,
            &no_ws,
            vec!["76376"],
            vec!["navigational bronchoscopy".into()],
        );
        assert_eq!(v.supports, None);
        let all = elements([P, P, P, P, P, P, W]);
        let v = Verdict::decide(true, &all, vec!["76376"], vec![]);
        assert_eq!(v.supports, Some(Code::C76377));
    }
}
