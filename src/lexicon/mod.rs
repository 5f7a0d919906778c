//! The domain as data: the lexicon's serde model, the built-in lexicon, and
//! user overrides.
//!
//! Takes TOML files (the built-in ones are embedded with `include_str!`, so a
//! fresh clone needs no configuration; `--lexicon FILE|DIR` adds more) and hands
//! on one validated [`Lexicon`]. Every phrase and pattern remembers the file and
//! byte span it came from, so an error found later (an invalid regex, say) still
//! points into the TOML. No phrase lives in Rust: rules name [`Concept`]s, and
//! the lexicon says how each concept is written.
//!
//! This file is the model: the concepts and other enums rules name, and the
//! entries a [`Lexicon`] holds. Reading and validating files is `load`'s job,
//! the TOML shapes they are read into `raw`'s.

mod load;
mod meta;
mod raw;

pub use meta::{DateWords, Labels, MetaExample, MetaLexicon, Ranked, SignerWords};

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What a phrase or pattern stands for. Rules refer to concepts, never to words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Concept {
    /// A statement that 3D rendering was done (element 1).
    Rendering,
    /// Multiplanar (2D) reformats: never 3D rendering.
    Mpr,
    /// Maximum intensity projection not described as 3D.
    Mip,
    /// A 3D acquisition (3D FLAIR, MPRAGE, volumetric acquisition...).
    Acquisition,
    /// Breast tomosynthesis ("3D mammogram").
    Tomosynthesis,
    /// A 3D-printed model.
    PrintedModel,
    /// The physician performed or concurrently supervised (element 2).
    Supervision,
    /// Rendering generated automatically, by protocol or by the scanner.
    Automated,
    /// A technologist or 3D lab did the work.
    Technologist,
    /// Physician supervision explicitly absent.
    SupervisionAbsent,
    /// An independent workstation (element 3).
    Workstation,
    /// A named post-processing product (implies an independent workstation).
    Product,
    /// The scanner console: 76376.
    Console,
    /// A bare PACS workstation (contested).
    Pacs,
    /// A word that makes a sentence an interpretation (element 4).
    FindingCue,
    /// Text that holds a rendering word but means something else ("fever x
    /// 3d", "3D-printed implant", "VR" as valve replacement): it wins the
    /// match and counts for nothing.
    LookAlike,
    /// A stated clinical purpose for the 3D images (element 5).
    Purpose,
    /// A clinical condition that, given as the reason, justifies 3D ("complex
    /// fracture", "articular step-off"); in FINDINGS it is a finding.
    ClinicalReason,
    /// "Rule out X".
    RuleOut,
    /// An indication that says nothing ("None", "N/A").
    IndicationEmpty,
    /// A tomographic base modality (element 6).
    ModalityTomographic,
    /// A projection modality: radiograph, fluoroscopy, mammography.
    ModalityProjection,
    /// A CPT code written in the report.
    CptCode,
}

impl Concept {
    /// Every concept, in declaration order.
    pub const ALL: &'static [Concept] = &[
        Concept::Rendering,
        Concept::Mpr,
        Concept::Mip,
        Concept::Acquisition,
        Concept::Tomosynthesis,
        Concept::PrintedModel,
        Concept::Supervision,
        Concept::Automated,
        Concept::Technologist,
        Concept::SupervisionAbsent,
        Concept::Workstation,
        Concept::Product,
        Concept::Console,
        Concept::Pacs,
        Concept::FindingCue,
        Concept::LookAlike,
        Concept::Purpose,
        Concept::ClinicalReason,
        Concept::RuleOut,
        Concept::IndicationEmpty,
        Concept::ModalityTomographic,
        Concept::ModalityProjection,
        Concept::CptCode,
    ];

    /// The name used in the lexicon files.
    pub fn name(self) -> &'static str {
        match self {
            Concept::Rendering => "rendering",
            Concept::Mpr => "mpr",
            Concept::Mip => "mip",
            Concept::Acquisition => "acquisition",
            Concept::Tomosynthesis => "tomosynthesis",
            Concept::PrintedModel => "printed_model",
            Concept::Supervision => "supervision",
            Concept::Automated => "automated",
            Concept::Technologist => "technologist",
            Concept::SupervisionAbsent => "supervision_absent",
            Concept::Workstation => "workstation",
            Concept::Product => "product",
            Concept::Console => "console",
            Concept::Pacs => "pacs",
            Concept::FindingCue => "finding_cue",
            Concept::LookAlike => "look_alike",
            Concept::Purpose => "purpose",
            Concept::ClinicalReason => "clinical_reason",
            Concept::RuleOut => "rule_out",
            Concept::IndicationEmpty => "indication_empty",
            Concept::ModalityTomographic => "modality_tomographic",
            Concept::ModalityProjection => "modality_projection",
            Concept::CptCode => "cpt_code",
        }
    }

    /// Look a concept up by its lexicon name.
    pub fn from_name(name: &str) -> Option<Concept> {
        Concept::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Concepts compete for text only within their layer: "CT" is a modality
    /// even inside "3D CT", which is a rendering statement.
    pub fn layer(self) -> Layer {
        match self {
            Concept::ModalityTomographic | Concept::ModalityProjection | Concept::CptCode => {
                Layer::Study
            }
            Concept::Purpose
            | Concept::ClinicalReason
            | Concept::RuleOut
            | Concept::IndicationEmpty => Layer::Indication,
            Concept::Rendering
            | Concept::Mpr
            | Concept::Mip
            | Concept::Acquisition
            | Concept::Tomosynthesis
            | Concept::PrintedModel
            | Concept::Supervision
            | Concept::Automated
            | Concept::Technologist
            | Concept::SupervisionAbsent
            | Concept::LookAlike
            | Concept::FindingCue => Layer::Evidence,
            Concept::Workstation | Concept::Product | Concept::Console | Concept::Pacs => {
                Layer::Place
            }
        }
    }
}

/// Groups of concepts whose matches may overlap each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// What the report says about the 3D work; a trigger inside one of
    /// these phrases is part of it.
    Evidence,
    /// Where the work was done. Its own layer, so that a place inside a
    /// statement of who did the work still counts ("created on the GE AW
    /// Server by me" names both); a trigger inside it is part of it too.
    Place,
    /// Why the study was done ("none" here does not hide the trigger "none").
    Indication,
    /// What the base study is.
    Study,
}

/// Radiology report sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// Text before the first heading (often the exam title).
    Title,
    /// EXAM / PROCEDURE.
    Exam,
    /// CLINICAL HISTORY / INDICATION / REASON.
    History,
    /// TECHNIQUE.
    Technique,
    /// COMPARISON.
    Comparison,
    /// FINDINGS.
    Findings,
    /// IMPRESSION / CONCLUSION.
    Impression,
    /// 3D / POST-PROCESSING / RECONSTRUCTION.
    PostProcessing,
    /// ADDENDUM.
    Addendum,
    /// A known heading of no interest here (ATTESTATION, DOSE...).
    Other,
}

impl SectionKind {
    /// The name used in output and in the lexicon.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Title => "title",
            SectionKind::Exam => "exam",
            SectionKind::History => "history",
            SectionKind::Technique => "technique",
            SectionKind::Comparison => "comparison",
            SectionKind::Findings => "findings",
            SectionKind::Impression => "impression",
            SectionKind::PostProcessing => "post_processing",
            SectionKind::Addendum => "addendum",
            SectionKind::Other => "other",
        }
    }
}

/// ConText trigger kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// "no", "not performed", "without".
    Negation,
    /// "on request", "recommend", "if needed".
    Hypothetical,
    /// "prior", "outside", "from the previous study".
    Historical,
    /// Looks like a trigger but is not ("no change", "not only", "prior to").
    Pseudo,
    /// Ends a trigger's scope ("but", "however", ";").
    Terminator,
}

/// Which way a trigger's scope runs from the trigger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Governs what follows ("no 3D images").
    #[default]
    Forward,
    /// Governs what precedes ("3D images were not performed").
    Backward,
    /// Either way.
    Both,
}

/// How a mention stands in its sentence and section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    /// Asserted for the current study.
    Affirmed,
    /// Denied.
    Negated,
    /// Offered, conditional, recommended or future.
    Hypothetical,
    /// About another (prior or outside) study.
    Historical,
}

/// Where a lexicon entry came from: file index into [`Lexicon::files`] and span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Lexicon::files`].
    pub file: u16,
    /// Byte span in that file.
    pub span: Span,
}

/// A string from the lexicon with its origin.
#[derive(Clone, Debug)]
pub struct Sourced {
    /// The string as written.
    pub value: String,
    /// Where it was written.
    pub origin: Origin,
}

/// Examples that must and must not match, run as tests.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Sentences in which the entry must be found.
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    /// Sentences in which it must not be found.
    #[serde(default)]
    pub no_match: Vec<String>,
}

/// How one concept is written.
#[derive(Clone, Debug, Default)]
pub struct ConceptEntry {
    /// What the concept means, for `radlint lexicon --show`.
    pub description: String,
    /// Literal phrases: case-insensitive, whole words.
    pub phrases: Vec<Sourced>,
    /// Regular expressions (case-insensitive unless they say `(?-i)`).
    pub patterns: Vec<Sourced>,
    /// Example sentences.
    pub examples: Examples,
}

/// A heading name and the section it opens.
#[derive(Clone, Debug)]
pub struct SectionEntry {
    /// The section.
    pub kind: SectionKind,
    /// Exact heading names (normalised: lower case, words separated by one space).
    pub names: Vec<String>,
    /// Words that classify a labelled heading containing them.
    pub keywords: Vec<String>,
}

/// A ConText trigger.
#[derive(Clone, Debug)]
pub struct TriggerEntry {
    /// What it does.
    pub kind: TriggerKind,
    /// Which way it governs.
    pub direction: Direction,
    /// Its own scope in words, instead of the lexicon's window.
    pub window: Option<u8>,
    /// Literal phrases.
    pub phrases: Vec<Sourced>,
    /// Regular expressions.
    pub patterns: Vec<Sourced>,
}

/// A named post-processing product.
#[derive(Clone, Debug)]
pub struct ProductEntry {
    /// Product name, for messages.
    pub name: String,
    /// Vendor.
    pub vendor: String,
    /// Literal phrases.
    pub phrases: Vec<Sourced>,
    /// Regular expressions.
    pub patterns: Vec<Sourced>,
}

/// A base exam whose code already includes 3D rendering.
#[derive(Clone, Debug)]
pub struct BundleEntry {
    /// Stable id.
    pub id: String,
    /// What the exam is, for messages.
    pub label: String,
    /// Exam-title phrases.
    pub titles: Vec<Sourced>,
    /// Exam-title patterns.
    pub patterns: Vec<Sourced>,
    /// CPT codes (inclusive numeric ranges; `0159T` style codes as (n, n)).
    pub codes: Vec<(String, String)>,
    /// Which of 76376/76377 the base code excludes.
    pub excludes: Vec<String>,
    /// First CPT year in force.
    pub since: Option<u16>,
    /// Last CPT year in force.
    pub until: Option<u16>,
    /// Where the rule comes from.
    pub source: String,
}

impl BundleEntry {
    /// True when the entry is in force in `year`.
    pub fn in_force(&self, year: u16) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }

    /// True when `code` falls in one of the entry's codes or ranges.
    pub fn has_code(&self, code: &str) -> bool {
        self.codes
            .iter()
            .any(|(lo, hi)| code.len() == lo.len() && lo.as_str() <= code && code <= hi.as_str())
    }
}

/// A sentence with the context its mention of a concept must get.
#[derive(Clone, Debug)]
pub struct ContextExample {
    /// The sentence (may contain section headings).
    pub text: String,
    /// The concept mentioned.
    pub concept: Concept,
    /// Its expected context.
    pub context: Context,
    /// Where it was written.
    pub origin: Origin,
}

/// A lexicon file as read, kept for error messages.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path or built-in name.
    pub name: String,
    /// Its text.
    pub text: String,
    /// Embedded in the binary (and so checked by its tests).
    pub builtin: bool,
}

/// The validated, merged lexicon.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    /// Version of the built-in lexicon (`+local` when files were added).
    pub version: String,
    /// Default CPT year for bundling rules.
    pub cpt_year: u16,
    /// Spelling variants folded before matching: (canonical, variants).
    pub normalize: Vec<(String, Vec<Sourced>)>,
    /// Heading names.
    pub sections: Vec<SectionEntry>,
    /// Words after which a period does not end a sentence.
    pub abbreviations: Vec<String>,
    /// Words that, ending a line, carry the statement on to the next line.
    pub continues: Vec<String>,
    /// Longest trigger scope, in words.
    pub window: usize,
    /// Prepositions that make a 3D mention the source of a finding ("on the 3D images").
    pub finding_prepositions: Vec<String>,
    /// Words skipped between such a preposition and the mention.
    pub determiners: Vec<String>,
    /// Openings that refer back to the previous sentence's 3D images.
    pub anaphors: Vec<String>,
    /// ConText triggers.
    pub triggers: Vec<TriggerEntry>,
    /// Concepts.
    pub concepts: BTreeMap<Concept, ConceptEntry>,
    /// Post-processing products.
    pub products: Vec<ProductEntry>,
    /// Bundled base exams.
    pub bundles: Vec<BundleEntry>,
    /// Context examples.
    pub examples: Vec<ContextExample>,
    /// Words without which a report cannot be in scope.
    pub scope_keywords: Vec<Sourced>,
    /// When a bare "3D" means rendering, and when something else.
    pub bare_3d: Bare3d,
    /// Statement vocabularies: (class, kind, phrases in lower case).
    pub vocabulary: Vec<(String, String, Vec<String>)>,
    /// Statement frames.
    pub frames: Vec<FrameEntry>,
    /// Report metadata labels (lexicon/meta.toml).
    pub meta: MetaLexicon,
    /// Every file read, for errors.
    pub files: Vec<SourceFile>,
}

/// The sense of a bare "3D" (no rendering word after it): rendering ("CT FACE
/// WITH 3D", "3D and MPR images") unless the word after it is what "3D"
/// describes instead (a sequence, a plane, an acquisition, a device, a
/// treatment, an age: "3D T1", "3D catheter") or the word before it makes it
/// a label or a measure ("stage 3D", "ward 3D", "32+3d"). Words are lower case.
#[derive(Debug, Clone, Default)]
pub struct Bare3d {
    /// Words after "3D" that make it describe something else.
    pub not_before: Vec<String>,
    /// Words (or signs) before "3D" that make it a label or a measure.
    pub not_after: Vec<String>,
    /// Examples where "3D" means rendering.
    pub rendering: Vec<String>,
    /// Examples where it does not.
    pub other: Vec<String>,
}

/// A frame: a pattern over vocabulary tags and words that fills the roles of
/// one statement (see lexicon/statements.toml).
#[derive(Debug, Clone)]
pub struct FrameEntry {
    /// Its name, as explanations show it.
    pub name: String,
    /// The pattern, in the frame language.
    pub pattern: String,
    /// What it reads is denied ("Radiologist present: No"): its roles are
    /// stated not to hold.
    pub denies: bool,
    /// It says someone supervised, not how: not concurrent by itself.
    pub only_supervision: bool,
    /// Sentences and the roles the frame must fill in them.
    pub examples: Vec<FrameExample>,
    /// Where it was written.
    pub origin: Origin,
}

/// A frame's example: a sentence and the roles (role -> `class.kind`, or the
/// word for a word role) a statement read from it must have.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameExample {
    /// The sentence.
    pub text: String,
    /// Role -> what fills it.
    pub roles: BTreeMap<String, String>,
    /// The statement is denied ("no radiologist post-processing"): its
    /// roles are stated not to hold.
    #[serde(default)]
    pub denied: bool,
}

/// A lexicon that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// A file or folder could not be read.
    #[error("cannot read lexicon {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file was read but is wrong; `span` points into `text`.
    #[error("{file}: {message}")]
    Invalid {
        /// File name.
        file: String,
        /// The file's text.
        text: String,
        /// Where in it, when known.
        span: Option<Span>,
        /// What is wrong.
        message: String,
    },
}

impl Lexicon {
    /// The words of vocabulary `class.kind` (lexicon/statements.toml), in
    /// every file that lists them.
    pub fn words<'a>(
        &'a self,
        class: &'a str,
        kind: &'a str,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.vocabulary
            .iter()
            .filter(move |(c, k, _)| c == class && k == kind)
            .flat_map(|(_, _, words)| words.iter())
    }

    /// The error for `origin`, with `message`.
    pub fn error_at(&self, origin: Origin, message: String) -> LexiconError {
        let file = &self.files[origin.file as usize];
        LexiconError::Invalid {
            file: file.name.clone(),
            text: file.text.clone(),
            span: Some(origin.span),
            message,
        }
    }
}
