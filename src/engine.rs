//! The pipeline driver: an [`Engine`] is the lexicon compiled once; its
//! [`Engine::check`] runs the stages on one [`Document`] and hands back an
//! [`Outcome`] (the analysis, each element, the verdict, the claims and the
//! diagnostics in their stable order).
//!
//! The order of the stages is the crate docs' list. Two things are decided
//! here and nowhere else: the out-of-scope shortcut (a report with none of the
//! scope keywords skips matching, and gets the outcome the full pipeline
//! would give), and the finishing of diagnostics (configured severities,
//! suppressions, the sort by start and rule id).

use crate::context::{ContextRules, Mention};
use crate::document::Document;
use crate::lexicon::{Concept, Lexicon, LexiconError};
use crate::matcher::{Matcher, Speed, Target};
use crate::rules;
use crate::rules::{Ctx, Diagnostic, Elements, Levels, Severity};
use crate::segment::{Segmenter, Segments};
use crate::sense::Senses;
use crate::span::Span;
use crate::statements::{Reader, Statement};
use crate::suppression::{self, Directive};
use crate::verdict::{Code, Verdict};
use std::sync::Arc;

/// The lexicon, compiled once and shared by every report (and thread).
#[derive(Debug)]
pub struct Engine {
    /// The lexicon it was built from.
    pub lexicon: Lexicon,
    /// Its version, as each outcome carries it.
    version: Arc<str>,
    matcher: Matcher,
    segmenter: Segmenter,
    senses: Senses,
    context: ContextRules,
    reader: Reader,
    /// The marks of an unticked box (`marker.unticked`), and of an answer
    /// "no" that ends a form's line (`marker.unticked_end`).
    unticked: crate::template::Unticked,
    meta: crate::meta::MetaReader,
}

/// What the analysis stages found in one report.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The report.
    pub doc: Document,
    /// Sections and sentences.
    pub segments: Segments,
    /// Concept and bundled-exam mentions, judged in context.
    pub mentions: Vec<Mention>,
    /// Who did the 3D work, where, under whom.
    pub statements: Vec<Statement>,
    /// Sentences that are standard attestations (boilerplate, a ticked box).
    pub attested: Vec<Span>,
    /// Hidden markdown regions holding 3D documentation: (region, first mention).
    pub hidden: Vec<(Span, Span)>,
    /// Suppression directives in the report.
    pub directives: Vec<Directive>,
    /// Placeholders, when the report is judged as a template.
    pub placeholders: Vec<Span>,
}

/// Options for one check.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// A code the user claims for the report.
    pub claim: Option<Code>,
    /// CPT year for bundling rules (default: the lexicon's).
    pub cpt_year: Option<u16>,
    /// Rule severities changed, or rules turned off, by configuration. They
    /// change what is reported and the exit status, never the verdict.
    pub levels: Option<Arc<Levels>>,
    /// Judge the report as a template: placeholders stand for dictation.
    pub template: bool,
}

/// The judgement of one report.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// What was found.
    pub analysis: Analysis,
    /// Each element.
    pub elements: Elements,
    /// What the documentation supports.
    pub verdict: Verdict,
    /// Codes claimed (by option or in the text).
    pub claimed: Vec<Code>,
    /// Sorted by (start, rule id).
    pub diagnostics: Vec<Diagnostic>,
    /// The version of the lexicon it was judged with.
    pub lexicon_version: Arc<str>,
    /// The CPT year its bundling rules were those of.
    pub cpt_year: u16,
    /// What the report says about itself: signer, date, exam, accession.
    pub meta: crate::meta::Meta,
    /// Why the input could not be read, when it could not: then the outcome
    /// judged nothing and holds one `input-unreadable` diagnostic, which
    /// formats show at the file (there is no text to point into).
    pub unreadable: Option<String>,
}

impl Outcome {
    /// The outcome of an input that could not be read as a report: not
    /// judged, one `input-unreadable` error saying why, under the lexicon and
    /// CPT year it would have been judged with. A sweep reports it and goes on.
    pub fn unreadable(reason: String, lexicon_version: Arc<str>, cpt_year: u16) -> Outcome {
        let analysis = Analysis {
            doc: Document::new(Vec::new(), crate::document::Format::Text),
            segments: Segments::default(),
            mentions: Vec::new(),
            statements: Vec::new(),
            attested: Vec::new(),
            hidden: Vec::new(),
            directives: Vec::new(),
            placeholders: Vec::new(),
        };
        let mut verdict = Verdict::decide(false, &Elements::NOT_EVALUATED, Vec::new(), Vec::new());
        verdict.summary = format!("not judged: {reason}");
        let diagnostic = Diagnostic::new(&rules::UNREADABLE, Span::default(), reason.clone());
        Outcome {
            analysis,
            elements: Elements::NOT_EVALUATED,
            verdict,
            claimed: Vec::new(),
            diagnostics: vec![diagnostic],
            lexicon_version,
            cpt_year,
            meta: crate::meta::Meta::default(),
            unreadable: Some(reason),
        }
    }

    /// The ids of the error and warning rules raised and not suppressed,
    /// sorted, each once: what a report fails on.
    pub fn failing_rules(&self) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity != Severity::Note && d.active())
            .map(|d| d.rule.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error && d.suppressed.is_none())
    }
}

impl Engine {
    /// Compile `lexicon` for a sweep.
    pub fn new(lexicon: Lexicon) -> Result<Engine, LexiconError> {
        Engine::with_speed(lexicon, Speed::Sweep)
    }

    /// Compile `lexicon`, for a sweep or for a quick start.
    pub fn with_speed(lexicon: Lexicon, speed: Speed) -> Result<Engine, LexiconError> {
        let matcher = Matcher::with_speed(&lexicon, speed)?;
        let segmenter = Segmenter::new(&lexicon);
        let context = ContextRules::new(&lexicon);
        let senses = Senses::new(&lexicon.bare_3d);
        let reader = Reader::new(&lexicon)?;
        let unticked = crate::template::Unticked::new(
            lexicon.words("marker", "unticked").cloned().collect(),
            lexicon.words("marker", "unticked_end").cloned().collect(),
        );
        let meta = crate::meta::MetaReader::new(&lexicon.meta).map_err(|message| {
            LexiconError::Invalid {
                file: "lexicon/meta.toml".into(),
                text: String::new(),
                span: None,
                message,
            }
        })?;
        Ok(Engine {
            meta,
            version: Arc::from(lexicon.version.as_str()),
            lexicon,
            matcher,
            segmenter,
            senses,
            context,
            reader,
            unticked,
        })
    }

    /// The built-in lexicon, compiled.
    pub fn builtin() -> Result<Engine, LexiconError> {
        Engine::new(Lexicon::builtin()?)
    }

    /// The CPT year whose bundling rules a check with `options` applies.
    fn cpt_year(&self, options: &CheckOptions) -> u16 {
        options.cpt_year.unwrap_or(self.lexicon.cpt_year)
    }

    /// What a report's text says about itself, with an export record's own
    /// fields over it (a record's date in any form the lexicon reads).
    pub fn meta_with_fields(
        &self,
        read: crate::meta::Meta,
        fields: &crate::meta::Meta,
    ) -> crate::meta::Meta {
        self.meta.with_fields(read, fields)
    }

    /// The statement reader, for explanations and lexicon tests.
    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The matcher, for lexicon tests.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Stages 2-4.
    pub fn analyze(&self, doc: Document) -> Analysis {
        let pre = Prepared::new(doc, &self.unticked);
        let norm = self.matcher.normalize(&pre.doc.visible);
        self.analyze_normalized(pre, &norm).0
    }

    /// Analyse what `pre` holds; hand on the analysis and the diagnostics of
    /// unreadable directives, for the judgement.
    fn analyze_normalized(
        &self,
        pre: Prepared,
        norm: &crate::matcher::Normalized,
    ) -> (Analysis, Vec<Diagnostic>) {
        let Prepared {
            doc,
            directives,
            unreadable,
            placeholders,
        } = pre;
        let mut hits = self.matcher.find_in(norm);
        self.senses.resolve(&self.matcher, &doc.visible, &mut hits);
        let mut segments = self.segmenter.segment(&doc);
        for hit in &hits {
            if !matches!(hit.target, Target::Trigger { .. }) {
                segments.join(hit.span);
            }
        }
        let mentions = self.context.judge(&doc, &segments, &hits, &placeholders);
        let (statements, attested) = self.reader.read(
            &doc,
            &segments,
            &rules::statement_sentences(&segments, &mentions),
        );
        let hidden = if doc.hidden.is_empty() {
            Vec::new()
        } else {
            let hits = self.matcher.find(&hidden_view(&doc));
            crate::rules::hidden_text(&doc.hidden, &hits)
        };
        let analysis = Analysis {
            doc,
            segments,
            mentions,
            statements,
            attested,
            hidden,
            directives,
            placeholders,
        };
        (analysis, unreadable)
    }

    /// All stages.
    pub fn check(&self, doc: Document, options: &CheckOptions) -> Outcome {
        self.run(doc, options, true)
    }

    /// All stages, without the out-of-scope shortcut (tests compare the two).
    pub fn check_fully(&self, doc: Document, options: &CheckOptions) -> Outcome {
        self.run(doc, options, false)
    }

    fn run(&self, doc: Document, options: &CheckOptions, shortcut: bool) -> Outcome {
        let pre = Prepared::new(doc, &self.unticked);
        let shortcut = shortcut && options.claim.is_none() && pre.doc.hidden.is_empty();
        // The raw test is the whole shortcut. The same test on the
        // normalised text (`may_be_in_scope`, which the raw one is tested to
        // contain) turned away none of the 101 of 8,000 out-of-scope
        // generated reports that this one let through (each names 3D or a
        // code), and cost 4% of checking the reports in scope.
        if shortcut && !self.matcher.may_be_in_scope_raw(&pre.doc.visible) {
            return self.out_of_scope(pre, options);
        }
        let norm = self.matcher.normalize(&pre.doc.visible);
        let (analysis, unreadable) = self.analyze_normalized(pre, &norm);
        self.judge(analysis, unreadable, options)
    }

    /// Stages 5-6 and the claims.
    fn judge(
        &self,
        analysis: Analysis,
        unreadable: Vec<Diagnostic>,
        options: &CheckOptions,
    ) -> Outcome {
        let cpt_year = self.cpt_year(options);
        let (elements, verdict, claimed, mut diagnostics) = {
            let ctx = Ctx::new(&analysis, &self.lexicon, &self.reader, cpt_year);
            let mut claimed: Vec<(Code, Option<Span>)> = rules::claims_in_text(&ctx)
                .into_iter()
                .map(|(c, s)| (c, Some(s)))
                .collect();
            if let Some(code) = options.claim
                && !claimed.iter().any(|(c, _)| *c == code)
            {
                claimed.push((code, None));
            }
            claimed.sort_by_key(|(c, _)| *c);
            claimed.dedup_by_key(|(c, _)| *c);
            // A 3D-printed model alone brings no report into scope (SPEC,
            // Scope: "3D printing alone"); a claim or a rendering mention does.
            let in_scope =
                !claimed.is_empty() || analysis.mentions.iter().any(|m| m.is(Concept::Rendering));
            let mut evaluation = rules::evaluate(&ctx, in_scope);
            let slots = if options.template && in_scope {
                crate::template::fill_slots(&ctx, &mut evaluation)
            } else {
                Vec::new()
            };
            let mut verdict = Verdict::decide(
                in_scope,
                &evaluation.elements,
                evaluation.excluded,
                evaluation.bundles,
            );
            if options.template {
                verdict.as_template(&slots);
            }
            let mut diagnostics = evaluation.diagnostics;
            if in_scope {
                let first_error = diagnostics
                    .iter()
                    .find(|d| d.severity == Severity::Error)
                    .map(|d| d.span);
                diagnostics.extend(rules::check_claims(&ctx, &claimed, &verdict, first_error));
            }
            let claimed = claimed.into_iter().map(|(c, _)| c).collect();
            (evaluation.elements, verdict, claimed, diagnostics)
        };
        diagnostics.extend(unreadable);
        self.finish(&analysis, options, &mut diagnostics);
        let meta = self.meta.read(&analysis.doc.text, &analysis.doc.hidden);
        Outcome {
            meta,
            analysis,
            elements,
            verdict,
            claimed,
            diagnostics,
            lexicon_version: Arc::clone(&self.version),
            cpt_year,
            unreadable: None,
        }
    }
}

impl Engine {
    /// A report with none of the scope keywords: no mention can bring it into
    /// scope, so only the input checks run. The outcome is the one the full
    /// pipeline gives (a test compares them on every fixture).
    fn out_of_scope(&self, pre: Prepared, options: &CheckOptions) -> Outcome {
        let Prepared {
            doc,
            directives,
            unreadable,
            placeholders,
        } = pre;
        let analysis = Analysis {
            doc,
            segments: Segments::default(),
            mentions: Vec::new(),
            statements: Vec::new(),
            attested: Vec::new(),
            hidden: Vec::new(),
            directives,
            placeholders,
        };
        let cpt_year = self.cpt_year(options);
        let mut diagnostics = {
            let ctx = Ctx::new(&analysis, &self.lexicon, &self.reader, cpt_year);
            rules::evaluate_input(&ctx)
        };
        diagnostics.extend(unreadable);
        self.finish(&analysis, options, &mut diagnostics);
        let meta = self.meta.read(&analysis.doc.text, &analysis.doc.hidden);
        Outcome {
            meta,
            analysis,
            elements: Elements::NOT_EVALUATED,
            verdict: Verdict::decide(false, &Elements::NOT_EVALUATED, Vec::new(), Vec::new()),
            claimed: Vec::new(),
            diagnostics,
            lexicon_version: Arc::clone(&self.version),
            cpt_year,
            unreadable: None,
        }
    }
}

impl Engine {
    /// The outcome of an input that could not be read as a report (missing,
    /// binary, too large, a bad export record): see [`Outcome::unreadable`].
    pub fn unreadable(&self, reason: String, options: &CheckOptions) -> Outcome {
        Outcome::unreadable(reason, Arc::clone(&self.version), self.cpt_year(options))
    }
}

impl Engine {
    /// Configured severities, then suppressions, then the stable order.
    fn finish(
        &self,
        analysis: &Analysis,
        options: &CheckOptions,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if let Some(levels) = &options.levels {
            rules::configure(levels, diagnostics);
        }
        suppression::apply(
            &analysis.directives,
            &analysis.segments,
            &analysis.doc.text,
            diagnostics,
        );
        diagnostics.sort_by(|a, b| (a.span.start, a.rule.id).cmp(&(b.span.start, b.rule.id)));
    }
}

/// A document with its directives and placeholders taken out of what the
/// matcher reads.
struct Prepared {
    doc: Document,
    directives: Vec<Directive>,
    unreadable: Vec<Diagnostic>,
    placeholders: Vec<Span>,
}

impl Prepared {
    fn new(mut doc: Document, unticked: &crate::template::Unticked) -> Prepared {
        let (directives, unreadable) = suppression::take(&mut doc);
        unticked.take(&mut doc);
        let placeholders = crate::template::take(&mut doc);
        Prepared {
            doc,
            directives,
            unreadable,
            placeholders,
        }
    }
}

/// The hidden markdown regions as the only visible text (same length).
fn hidden_view(doc: &Document) -> String {
    let mut view: Vec<u8> = doc
        .text
        .bytes()
        .map(|b| if b == b'\n' || b == b'\r' { b } else { b' ' })
        .collect();
    for region in &doc.hidden {
        let r = region.range();
        view[r.clone()].copy_from_slice(&doc.text.as_bytes()[r]);
    }
    String::from_utf8(view).unwrap_or_default()
}
