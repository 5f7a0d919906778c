//! What the statements say about elements 2 and 3 (SPEC, "Statements: who
//! did what, where").
//!
//! Takes the report's [`Statement`]s and keeps those about this study's 3D
//! work (their sentence holds an affirmed rendering mention, or stands in a
//! 3D section). A statement in a standard attestation (boilerplate, a footer,
//! a ticked box) is set apart from the specific account of this study: where
//! the two disagree the specific account wins. The result is a few spans per
//! role kind that the supervision and workstation rules weigh against what
//! the concept mentions say.
//!
//! Linear: one pass over the mentions (which sentences are about 3D) and one
//! over the statements.

use super::Ctx;
use super::clauses::OtherImages;
use crate::context::Mention;
use crate::segment::Segments;

/// The place concepts whose context (negated, offered) a place role takes.
const PLACES: [Concept; 4] = [
    Concept::Workstation,
    Concept::Product,
    Concept::Console,
    Concept::Pacs,
];
use crate::lexicon::{Concept, SectionKind};
use crate::span::Span;
use std::cell::OnceCell;
use std::collections::HashSet;

/// Who, other than the interpreting physician, a specific statement names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Other {
    /// A technologist, radiographer, 3D lab, vendor: `agent.staff`.
    Staff,
    /// A resident, fellow or registrar: `agent.trainee`.
    Trainee,
    /// Supervision with nobody named ("under supervision").
    Unnamed,
    /// Supervision said not to be concurrent.
    NotConcurrent,
    /// The scanner or its software on their own: `agent.machine`.
    Machine,
    /// A physician named by title who is not the one who signed the report:
    /// `agent.colleague`.
    Colleague,
}

/// A specific statement naming someone other than the interpreting physician.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OtherStatement {
    /// Who.
    pub who: Other,
    /// Where.
    pub span: Span,
    /// It is about the supervision itself (a supervisor, nobody named, not
    /// concurrent), not only about who did the hands-on work.
    pub supervision: bool,
}

/// The statements about this study's 3D work, by what they say.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    /// A specific statement: the interpreting physician made the 3D images
    /// or supervised them.
    pub physician: Option<Span>,
    /// A specific statement: someone else made or supervised them, or nobody
    /// is named, or the supervision was not concurrent.
    pub other: Option<OtherStatement>,
    /// Some statement of the physician's part says more than that they
    /// supervised: they made the images, were present, chose, or supervised
    /// concurrently.
    pub physician_concurrent: bool,
    /// The physician's part stated only in an attestation.
    pub attested_physician: Option<Span>,
    /// A specific statement: the physician only looked at the finished
    /// images ("reviewed by me").
    pub review: Option<Span>,
    /// A specific statement denies that the interpreting physician made or
    /// supervised them ("I did not create the 3D images").
    pub denied_physician: Option<Span>,
    /// An addendum withdraws the physician's part ("the statement that it
    /// was done at my direction is incorrect") and says nothing else of it:
    /// what the body said of that part no longer stands.
    pub withdrawn: Option<Span>,
    /// A specific statement: made at the scanner console.
    pub console: Option<Span>,
    /// Independent places said to be where the work was done.
    pub independent: Vec<Span>,
    /// Independent places only sent to, stored on, viewed at, or denied.
    pub not_worked_at: Vec<Span>,
    /// Spans of attestation statements.
    pub attestations: Vec<Span>,
    /// Which clauses speak of reformats and not of 3D rendering: built on
    /// first use (most reports never ask).
    other_images: OnceCell<OtherImages>,
}

/// Which sentences are about the 3D work: they hold an affirmed rendering
/// mention, or stand in a 3D section.
fn about_3d(segments: &Segments, mentions: &[Mention]) -> Vec<bool> {
    let mut about = vec![false; segments.sentences.len()];
    for m in mentions {
        if let Some(s) = m.sentence
            && m.is(Concept::Rendering)
            && m.affirmed()
        {
            about[s as usize] = true;
        }
    }
    for (i, s) in segments.sentences.iter().enumerate() {
        if segments.sections[s.section as usize].kind == SectionKind::PostProcessing {
            about[i] = true;
        }
    }
    about
}

/// How many sentences before or after one about the 3D work a statement
/// may stand and still be about it ("Volume-rendered images were created.
/// This was done on a Vitrea workstation. I supervised the process as it
/// happened.").
const REACH: usize = 2;

/// The sentences the statement reader reads: those about the 3D work and
/// those within [`REACH`] of one (a statement may run on into the next
/// sentences, and where the data were sent is often said just before or
/// after).
pub(crate) fn statement_sentences(segments: &Segments, mentions: &[Mention]) -> Vec<bool> {
    near(&about_3d(segments, mentions))
}

/// `about`, widened by [`REACH`] sentences each way.
fn near(about: &[bool]) -> Vec<bool> {
    let n = about.len();
    let mut out = vec![false; n];
    // Linear: from each marked sentence, mark its reach.
    let mut last_marked = 0;
    for (i, _) in about.iter().enumerate().filter(|(_, a)| **a) {
        let (lo, hi) = (
            i.saturating_sub(REACH).max(last_marked),
            (i + REACH + 1).min(n),
        );
        out[lo..hi].fill(true);
        last_marked = hi;
    }
    out
}

impl Reading {
    /// Read `ctx`'s statements.
    pub(crate) fn of(ctx: &Ctx<'_>) -> Reading {
        let reader = ctx.reader;
        let segments = &ctx.a.segments;
        let about_3d = about_3d(segments, &ctx.a.mentions);
        let near_3d = near(&about_3d);
        // Sentences whose 3D is denied, offered or past ("is available on
        // request"): what they say of the physician's part is about that.
        let mut unaffirmed_3d = vec![false; about_3d.len()];
        for m in &ctx.a.mentions {
            if let Some(s) = m.sentence
                && m.is(Concept::Rendering)
                && !m.affirmed()
            {
                unaffirmed_3d[s as usize] = true;
            }
        }
        // A place the context triggers deny or defer ("No 3D images were made
        // at the scanner"): the role is not affirmed.
        let mut unaffirmed: Vec<Span> = ctx
            .a
            .mentions
            .iter()
            .filter(|m| !m.affirmed() && m.concept().is_some_and(|c| PLACES.contains(&c)))
            .map(|m| m.span)
            .collect();
        unaffirmed.sort_unstable();
        let affirmed = |span: Span| {
            let i = unaffirmed.partition_point(|u| u.end <= span.start);
            unaffirmed.get(i).is_none_or(|u| u.start >= span.end)
        };
        let tag = |t: Option<u16>| t.map(|t| reader.tag(t));
        let other_images = OnceCell::new();
        let mut out = Reading::default();
        // Independent places named by a frame that says nothing else ("on the
        // Vitrea workstation"): they count unless another frame says the
        // images were only sent there.
        let mut bare_places: Vec<Span> = Vec::new();
        let mut consoles: Vec<Span> = Vec::new();
        // Places only sent to, by sentence, for "There I ..." in the next one.
        let mut sent_in: Vec<(u32, Span)> = Vec::new();
        let mut denied_consoles: Vec<Span> = Vec::new();
        // An addendum that says where the work was done corrects the body:
        // its places supersede the body's.
        let in_addendum = |statement: &crate::statements::Statement| {
            let section = segments.sentences[statement.sentence as usize].section;
            segments.sections[section as usize].kind == SectionKind::Addendum
        };
        let is_place = |name: &str| matches!(name, "place" | "sent" | "not_place");
        // Supervision said to come after the images were made ("I
        // supervised remotely the next day"): no role of its sentence is the
        // physician's concurrent part.
        let after: HashSet<u32> = ctx
            .a
            .statements
            .iter()
            .filter(|st| {
                st.roles
                    .iter()
                    .any(|r| reader.role(r.name) == "not_concurrent")
            })
            .map(|st| st.sentence)
            .collect();
        // An addendum that withdraws the physician's part ("the statement
        // that it was done at my direction is incorrect") corrects the body:
        // what the body said of that part no longer stands.
        let mut withdrawn: Option<Span> = None;
        let mut physician_in_addendum = false;
        let corrected = ctx.a.statements.iter().any(|st| {
            about_3d[st.sentence as usize]
                && in_addendum(st)
                && st.roles.iter().any(|r| is_place(reader.role(r.name)))
        });
        for statement in &ctx.a.statements {
            // Where the images were only sent or viewed is read in any
            // sentence ("The dataset was transferred to ..."); the rest only
            // in sentences about the 3D work.
            // Who did the work, under whom and where must be said in a
            // sentence about the 3D work ("contrast injection supervised by
            // me" next to one is not); where the data went, supervision by
            // nobody named or not concurrent, and "There I ..." may be said in
            // the sentence next to one.
            let s = statement.sentence as usize;
            // The interpreting physician's own part may be said in a sentence
            // near one about the 3D work ("I personally performed the
            // post-processing"), unless that sentence names other work ("the
            // contrast injection was supervised by me").
            let neighbourly = statement.roles.iter().all(|r| {
                matches!(
                    reader.role(r.name),
                    "sent" | "not_place" | "unnamed" | "not_concurrent" | "there" | "made"
                ) || (reader.role(r.name) == "agent" && statement.roles.len() > 1)
                    || (matches!(reader.role(r.name), "agent" | "supervisor")
                        && tag(r.tag) == Some("agent.physician")
                        && !statement.other_work
                        && !unaffirmed_3d[statement.sentence as usize])
            });
            if !(about_3d[s] || neighbourly && near_3d[s]) {
                continue;
            }
            let places_count = !corrected || in_addendum(statement);
            if statement.attestation {
                out.attestations.push(statement.span);
            }
            if statement.negated {
                if in_addendum(statement) && !statement.attestation {
                    let physician = statement.roles.iter().find(|r| {
                        matches!(reader.role(r.name), "agent" | "supervisor")
                            && tag(r.tag) == Some("agent.physician")
                    });
                    withdrawn = withdrawn.or(physician.map(|r| r.span));
                }
                out.denied(statement, reader, &mut denied_consoles);
                continue;
            }
            for role in &statement.roles {
                let kind = tag(role.tag);
                if is_place(reader.role(role.name)) && !places_count {
                    continue;
                }
                match (reader.role(role.name), kind) {
                    ("agent" | "supervisor", Some("agent.physician"))
                        if after.contains(&statement.sentence)
                            || other_images.get_or_init(|| OtherImages::of(ctx)).about(
                                ctx,
                                role.span,
                                segments.sentences[s].section,
                            ) => {}
                    ("agent" | "supervisor", Some("agent.physician")) => {
                        if statement.attestation {
                            out.attested_physician.get_or_insert(statement.span);
                        } else {
                            physician_in_addendum |= in_addendum(statement);
                            out.physician.get_or_insert(statement.span);
                            out.physician_concurrent |= !reader.only_supervision(statement.frame);
                        }
                    }
                    (
                        name @ ("agent" | "supervisor"),
                        Some(
                            kind @ ("agent.staff" | "agent.trainee" | "agent.machine"
                            | "agent.colleague"),
                        ),
                    ) if !statement.attestation => {
                        let who = match kind {
                            "agent.staff" => Other::Staff,
                            "agent.trainee" => Other::Trainee,
                            "agent.colleague" => Other::Colleague,
                            _ => Other::Machine,
                        };
                        out.note_other(who, role.span, name == "supervisor");
                    }
                    ("reviewer", _) if !statement.attestation && about_3d[s] => {
                        out.review.get_or_insert(statement.span);
                    }
                    ("unnamed", _) if !statement.attestation => {
                        out.note_other(Other::Unnamed, role.span, true);
                    }
                    ("not_concurrent", _) if !statement.attestation => {
                        out.note_other(Other::NotConcurrent, role.span, true);
                    }
                    ("place", Some("place.console"))
                        if !statement.attestation && affirmed(role.span) =>
                    {
                        consoles.push(role.span);
                    }
                    ("place", Some("place.independent")) if statement.roles.len() == 1 => {
                        bare_places.push(role.span);
                    }
                    ("place", Some("place.independent")) => out.independent.push(role.span),
                    ("sent" | "not_place", Some("place.independent" | "place.pacs")) => {
                        out.not_worked_at.push(role.span);
                        sent_in.push((statement.sentence, role.span));
                    }
                    ("there", _) if statement.sentence > 0 => {
                        let before = statement.sentence - 1;
                        let there = sent_in
                            .iter()
                            .rev()
                            .take_while(|(s, _)| *s >= before)
                            .filter(|(s, _)| *s == before)
                            .map(|&(_, p)| p);
                        out.independent.extend(there.collect::<Vec<_>>());
                    }
                    ("not_place", Some("place.console")) => denied_consoles.push(role.span),
                    _ => {}
                }
            }
        }
        if withdrawn.is_some() && !physician_in_addendum {
            out.withdrawn = withdrawn;
            out.physician = None;
            out.physician_concurrent = false;
            out.attested_physician = None;
        }
        // A place only sent to is not also where the work was done, unless a
        // frame that says more says so ("sent to the Vitrea workstation, where
        // I built the models").
        let sent: HashSet<Span> = out.not_worked_at.iter().copied().collect();
        out.independent
            .extend(bare_places.into_iter().filter(|p| !sent.contains(p)));
        let denied: HashSet<Span> = denied_consoles.into_iter().collect();
        out.console = consoles.into_iter().find(|c| !denied.contains(c));
        let worked: HashSet<Span> = out.independent.iter().copied().collect();
        out.not_worked_at.retain(|p| !worked.contains(p));
        out.other_images = other_images;
        out
    }

    /// What a denied statement says: the physician did not take part, or
    /// the work was not done at a place.
    fn denied(
        &mut self,
        statement: &crate::statements::Statement,
        reader: &crate::statements::Reader,
        denied_consoles: &mut Vec<Span>,
    ) {
        for role in &statement.roles {
            match (reader.role(role.name), role.tag.map(|t| reader.tag(t))) {
                ("agent" | "supervisor", Some("agent.physician")) if !statement.attestation => {
                    self.denied_physician.get_or_insert(role.span);
                }
                ("place", Some("place.independent" | "place.pacs")) => {
                    self.not_worked_at.push(role.span);
                }
                ("place", Some("place.console")) => denied_consoles.push(role.span),
                _ => {}
            }
        }
    }

    /// True when `span`, in section `section`, stands in a clause about
    /// reformats or MIPs and not about 3D rendering ([`OtherImages`]).
    pub(crate) fn about_other_images(&self, ctx: &Ctx<'_>, span: Span, section: u32) -> bool {
        self.other_images
            .get_or_init(|| OtherImages::of(ctx))
            .about(ctx, span, section)
    }

    /// Keep the first statement naming someone else, preferring one about
    /// the supervision itself.
    fn note_other(&mut self, who: Other, span: Span, supervision: bool) {
        let new = OtherStatement {
            who,
            span,
            supervision,
        };
        match self.other {
            Some(o) if o.supervision || !supervision => {}
            _ => self.other = Some(new),
        }
    }

    /// True when `span` lies within an independent place the images were
    /// only sent to, stored on, viewed at, or that is denied.
    pub(crate) fn only_sent_to(&self, span: Span) -> bool {
        let overlaps = |s: &Span| s.start < span.end && span.start < s.end;
        self.not_worked_at.iter().any(overlaps) && !self.independent.iter().any(overlaps)
    }

    /// True when `span` lies within an attestation.
    pub(crate) fn attested(&self, span: Span) -> bool {
        self.attestations
            .iter()
            .any(|s| s.start <= span.start && span.end <= s.end)
    }

    /// True when `span` stands in a sentence that is a standard attestation
    /// ([`Reading::attested`], or a ticked box no frame read).
    pub(crate) fn in_attestation(&self, ctx: &Ctx<'_>, span: Span) -> bool {
        self.attested(span) || {
            let sentences = &ctx.a.attested;
            let i = sentences.partition_point(|s| s.end <= span.start);
            sentences
                .get(i)
                .is_some_and(|s| s.start <= span.start && span.end <= s.end)
        }
    }
}
