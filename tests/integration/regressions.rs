//! Regression tests, named after what broke.

use crate::engine;
use radlint::document::{Document, Format};
use radlint::verdict::Code;
use radlint::{CheckOptions, Outcome};

fn check(text: &str) -> Outcome {
    engine().check(
        Document::new(text.as_bytes().to_vec(), Format::Text),
        &CheckOptions::default(),
    )
}

fn rules(o: &Outcome) -> Vec<&'static str> {
    o.diagnostics.iter().map(|d| d.rule.id).collect()
}

const FULL: &str = "EXAM: CT RIGHT KNEE WITHOUT CONTRAST\n\
CLINICAL HISTORY: Tibial plateau fracture; preoperative planning.\n\
TECHNIQUE: Axial images. 3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision.\n\
FINDINGS:\nThe 3D images demonstrate 7 mm of lateral plateau depression.\n";

#[test]
fn a_3d_named_only_in_the_exam_title_or_indication_is_not_a_statement_that_it_was_done() {
    let text = "EXAM: CT FACE WITH 3D RECONSTRUCTIONS\n\
CLINICAL HISTORY: Facial trauma; 3D reconstructions requested for surgical planning.\n\
TECHNIQUE: Axial images on a Vitrea workstation under my concurrent supervision.\n\
FINDINGS:\nNasal bone fracture.\n";
    let o = check(text);
    assert_eq!(o.verdict.supports, None);
    assert!(rules(&o).contains(&"rendering-missing"), "{:?}", rules(&o));
}

#[test]
fn an_addendum_that_retracts_the_3d_overrides_the_report() {
    assert_eq!(check(FULL).verdict.supports, Some(Code::C76377));
    let retracted = format!(
        "{FULL}\nADDENDUM:\nCorrection: 3D reconstructions were not performed; the 3D statements above were carried over in error.\n"
    );
    let o = check(&retracted);
    assert_eq!(o.verdict.supports, None);
    assert!(rules(&o).contains(&"rendering-negated"), "{:?}", rules(&o));
}

#[test]
fn an_interpretation_that_refers_back_to_the_3d_images_counts() {
    let text = "EXAM: CT RIGHT KNEE WITHOUT CONTRAST\n\
CLINICAL HISTORY: Tibial plateau fracture; preoperative planning.\n\
TECHNIQUE: Axial images.\n\
FINDINGS:\nSplit-depression fracture.\n\n\
ADDENDUM:\nThe 3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision. They demonstrate 7 mm of depression.\n";
    assert_eq!(check(text).verdict.supports, Some(Code::C76377));
    // Without the finding word the anaphor says nothing about the images.
    let bare = text.replace(
        "They demonstrate 7 mm of depression.",
        "They were sent to PACS.",
    );
    assert_eq!(check(&bare).verdict.supports, None);
}

#[test]
fn a_wrapped_no_before_3d_still_negates() {
    let text =
        "EXAM: CT PELVIS\nTECHNIQUE:\nAxial images. No\n3D\nreconstructions\nwere performed.\n";
    let o = check(text);
    assert_eq!(
        o.elements.rendering.status,
        radlint::rules::Status::Negated,
        "{:?}",
        rules(&o)
    );
}
