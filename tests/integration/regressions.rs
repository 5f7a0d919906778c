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

/// The full report with `from` replaced by `to`, checked. `from` must be in
/// it: a replacement that finds nothing would test the unedited report.
fn edited(from: &str, to: &str) -> Outcome {
    assert!(FULL.contains(from), "the full report has no {from:?}");
    check(&FULL.replace(from, to))
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

#[test]
fn a_finding_like_step_off_in_findings_does_not_stand_in_for_an_indication_of_none() {
    // Was a false credit: "articular step-off" in FINDINGS counted as a
    // stated purpose under "INDICATION: None".
    let text = FULL
        .replace(
            "CLINICAL HISTORY: Tibial plateau fracture; preoperative planning.",
            "INDICATION: None.",
        )
        .replace(
            "7 mm of lateral plateau depression.",
            "2 mm articular step-off and a comminuted fracture.",
        );
    let o = check(&text);
    assert_eq!(o.verdict.supports, None, "{}", o.verdict.summary);
    assert!(rules(&o).contains(&"indication-missing"), "{:?}", rules(&o));
    // The same condition given as the reason, in the history, is an indication.
    let reason = text.replace(
        "INDICATION: None.",
        "INDICATION: Comminuted tibial plateau fracture.",
    );
    assert_eq!(check(&reason).verdict.supports, Some(Code::C76377));
}

#[test]
fn a_3d_sequence_named_with_its_weighting_is_an_acquisition_not_rendering() {
    // "3D PD SPACE" read as a bare "3D": rendering present from an acquisition.
    let text = "EXAM: MRI RIGHT SHOULDER WITHOUT CONTRAST\n\
CLINICAL HISTORY: Shoulder pain.\n\
TECHNIQUE: Axial PD fat-suppressed and a 3D PD SPACE isotropic sequence with multiplanar reformats.\n\
FINDINGS:\nSupraspinatus tendinosis.\n";
    let o = check(text);
    assert!(!o.verdict.in_scope, "{}", o.verdict.summary);
}

#[test]
fn purposes_written_as_planning_for_surgery_count_as_the_indication() {
    let o = edited(
        "CLINICAL HISTORY: Tibial plateau fracture; preoperative planning.\n",
        "Fall from a ladder; CT is requested for definitive fixation planning.\n",
    );
    assert_eq!(o.verdict.supports, Some(Code::C76377));
}

#[test]
fn a_technologist_working_with_the_radiologist_present_and_correcting_is_supervised() {
    let o = edited(
        "under my concurrent supervision",
        "by the technologist with me present at the workstation; I defined the contours and corrected the segmentation",
    );
    assert_eq!(o.verdict.supports, Some(Code::C76377));
}

/// Found by the `ingest` fuzz target: a markdown file starting with a UTF-16
/// big-endian byte-order mark, then bytes that are not UTF-16 text. It is
/// transcoded (offsets then count the UTF-8 text), every span stays inside
/// it, and the check answers.
#[test]
fn fuzz_a_utf16_bom_before_garbage_is_transcoded_and_judged() {
    let bytes =
        std::fs::read(crate::at("fixtures/fuzz/ingest-utf16be-bom-markdown.md")).expect("fixture");
    for format in [Format::Text, Format::Markdown] {
        let doc = Document::new(bytes.clone(), format);
        assert!(doc.utf16);
        for span in doc.headings.iter().chain(&doc.hidden) {
            assert!(span.end as usize <= doc.text.len());
            assert!(doc.text.is_char_boundary(span.start as usize));
        }
        let o = engine().check(doc, &CheckOptions::default());
        assert!(rules(&o).contains(&"input-invalid-utf8"), "{:?}", rules(&o));
    }
}

#[test]
fn a_place_inside_a_statement_of_who_did_the_work_still_names_the_workstation() {
    // "created on an independent workstation by me" matched as supervision
    // swallowed the workstation (one layer): 76376 instead of 76377.
    let o = edited(
        "created on a separate Vitrea workstation under my concurrent supervision",
        "created on an independent workstation by me",
    );
    assert_eq!(
        o.verdict.supports,
        Some(Code::C76377),
        "{}",
        o.verdict.summary
    );
    let reviewed = edited(
        "created on a separate Vitrea workstation under my concurrent supervision",
        "generated on the scanner and reviewed by me",
    );
    assert_eq!(reviewed.verdict.supports, None);
}

#[test]
fn days_written_3d_and_abbreviations_of_other_things_do_not_bring_a_report_into_scope() {
    for text in [
        "EXAM: XR CHEST 2 VIEWS\nCLINICAL HISTORY: Fever x 3d.\nFINDINGS:\nClear lungs.\n",
        "EXAM: CT ABDOMEN\nCLINICAL HISTORY: Pain started 3D ago.\nFINDINGS:\nNormal.\n",
        "EXAM: FLUOROSCOPY LUMBAR PUNCTURE\nTECHNIQUE: Source-to-skin distance (SSD) 61 cm.\n",
        "EXAM: CT CHEST\nCLINICAL HISTORY: Palpitations, VR 88.\nFINDINGS:\nNormal.\n",
        "EXAM: XR HIP\nFINDINGS:\nCustom 3D-printed porous titanium acetabular component in place.\n",
    ] {
        let o = check(text);
        assert!(!o.verdict.in_scope, "{text}: {:?}", rules(&o));
    }
}

#[test]
fn rendering_done_on_the_ultrasound_machine_by_me_is_personal_performance() {
    let text = "EXAM: US PELVIS WITH 3D\n\
CLINICAL HISTORY: Septate versus bicornuate uterus; surgical planning.\n\
TECHNIQUE: 3D volume rendering of the uterus was performed on the ultrasound machine by me during the examination.\n\
FINDINGS:\nThe 3D volume-rendered images show a convex fundal contour and a septum.\n";
    let o = check(text);
    assert_eq!(
        o.verdict.supports,
        Some(Code::C76376),
        "{}",
        o.verdict.summary
    );
}

#[test]
fn created_at_the_surgeons_request_is_done_not_offered() {
    let o = edited(
        "under my concurrent supervision.",
        "under my concurrent supervision at the request of the orthopedic surgeon.",
    );
    assert_eq!(o.verdict.supports, Some(Code::C76377));
    let offered = edited(
        "3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision.",
        "3D volume-rendered images are available at the request of the surgeon.",
    );
    assert_eq!(offered.verdict.supports, None);
}

#[test]
fn an_addendum_that_corrects_the_place_overrides_the_report() {
    let corrected = format!(
        "{FULL}\nADDENDUM:\nCorrection: the 3D images were created on the scanner console, not on a separate workstation.\n"
    );
    let o = check(&corrected);
    assert_eq!(o.verdict.supports, Some(Code::C76376), "{:?}", rules(&o));
    assert!(
        rules(&o).contains(&"workstation-console"),
        "{:?}",
        rules(&o)
    );
    // An addendum about something else leaves the place as the body says.
    let other = format!("{FULL}\nADDENDUM:\nFindings discussed with Dr. Roe at 14:10.\n");
    assert_eq!(check(&other).verdict.supports, Some(Code::C76377));
}

#[test]
fn a_3d_heading_over_how_the_images_were_made_is_not_an_interpretation() {
    let text = "EXAM: CT LEFT SCAPULA\n\
CLINICAL HISTORY: Scapular fracture; operative planning.\n\
TECHNIQUE: Axial images.\n\
FINDINGS:\nComminuted scapular body fracture.\n\n\
3D POST-PROCESSING:\nVolume-rendered images were created on an independent syngo.via workstation under my concurrent supervision. Views were archived to PACS.\n";
    let o = check(text);
    assert_eq!(o.verdict.supports, None, "{:?}", rules(&o));
    assert!(rules(&o).contains(&"findings-missing"), "{:?}", rules(&o));
    // The same heading over what the images show is one.
    let shown = text.replace(
        "Views were archived to PACS.",
        "\n3D IMAGES:\nDisplaced lateral border fragment.",
    );
    assert_eq!(check(&shown).verdict.supports, Some(Code::C76377));
}

#[test]
fn a_workstation_whose_work_the_physician_disowns_does_not_count() {
    let text = "EXAM: CT LEFT FOOT WITHOUT CONTRAST\n\
INDICATION: Lisfranc injury; operative planning.\n\
POST-PROCESSING:\n\
Shaded surface display images were created on the scanner console by the CT technologist, with me at the console directing the cut planes.\n\
Volume-rendered images were produced by the 3D laboratory on a TeraRecon workstation. I was not involved in their production.\n\
FINDINGS:\nThe shaded surface images show 3 mm of diastasis at the Lisfranc joint.\n";
    let o = check(text);
    assert_eq!(o.verdict.supports, Some(Code::C76376), "{:?}", rules(&o));
    // Without the disowning sentence the report still puts its own account
    // of the work at the console and the 3D lab's on TeraRecon: two places
    // stated for this study's 3D images, so not the higher code (SPEC,
    // Statements, as amended; before, the TeraRecon workstation counted).
    let owned = text.replace(" I was not involved in their production.", "");
    let o = check(&owned);
    assert_eq!(o.verdict.supports, Some(Code::C76376), "{:?}", rules(&o));
    assert!(
        rules(&o).contains(&"documentation-conflict"),
        "{:?}",
        rules(&o)
    );
}

#[test]
fn a_workstation_named_only_as_where_images_went_or_were_viewed_is_not_the_place() {
    let console = FULL.replace("on a separate Vitrea workstation", "at the scanner console");
    for place in [
        "The 3D series has been sent to the TeraRecon server for the surgeons.",
        "I reviewed the finished images on the Vitrea workstation before sign-off.",
    ] {
        let o = check(&format!("{console}{place}\n"));
        assert_eq!(
            o.verdict.supports,
            Some(Code::C76376),
            "{place}: {:?}",
            rules(&o)
        );
    }
    // Made there too, by the report's own account, beside the console: two
    // places for the same images, so not the higher code; and a dataset moved
    // to a workstation says nothing of work done there (SPEC, Statements and
    // element 3, as amended; before, both counted for 76377).
    for (place, rule) in [
        (
            "3D images were created and reviewed on the Vitrea workstation.",
            "documentation-conflict",
        ),
        (
            "The dataset was transferred to a stand-alone post-processing workstation.",
            "workstation-console",
        ),
    ] {
        let o = check(&format!("{console}{place}\n"));
        assert_eq!(
            o.verdict.supports,
            Some(Code::C76376),
            "{place}: {:?}",
            rules(&o)
        );
        assert!(rules(&o).contains(&rule), "{place}: {:?}", rules(&o));
    }
    // Sent to a workstation, where the work was then done: the workstation.
    let done_there = FULL.replace(
        "created on a separate Vitrea workstation",
        "created after the data were sent to the Vitrea workstation, where I built them",
    );
    assert_ne!(done_there, FULL);
    assert_eq!(check(&done_there).verdict.supports, Some(Code::C76377));
}

#[test]
fn supervision_of_something_else_is_not_supervision_of_the_3d() {
    let by_lab = "3D volume-rendered images were produced on a separate Vitrea workstation by the 3D technologist.";
    let cases = [
        // the reformats, while the 3D came from the lab
        "Sagittal and coronal MPR images were generated at my direction.",
        // the contrast, in words that are not concurrent
        "Protocol selected and contrast injection supervised by me.",
        // a fellow, not the interpreting physician
        "Reconstructions were reviewed under the concurrent supervision of Dr. Ferreira-Holm, musculoskeletal fellow.",
    ];
    for supervision in cases {
        let text = FULL.replace(
            "3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision.",
            &format!("{supervision} {by_lab}"),
        );
        assert_ne!(text, FULL);
        let o = check(&text);
        assert_eq!(o.verdict.supports, None, "{supervision}: {:?}", rules(&o));
    }
}

#[test]
fn a_negator_next_to_a_statement_denies_its_roles() {
    // "I did not create them": the physician's part is denied, not stated.
    for denial in [
        "3D volume-rendered images were created on a separate Vitrea workstation by the technologist. I did not create or adjust the 3D images.",
        "3D volume-rendered images were created on a separate Vitrea workstation; they were not created by me.",
    ] {
        let o = edited(
            "3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision.",
            denial,
        );
        assert_eq!(o.verdict.supports, None, "{denial}");
    }
    // The same words without the negator state it.
    let o = edited(
        "under my concurrent supervision.",
        "and I adjusted the 3D images myself.",
    );
    assert_eq!(o.verdict.supports, Some(Code::C76377), "{:?}", rules(&o));
}

#[test]
fn a_form_answer_says_whether_the_radiologist_took_part() {
    let form = |answer: &str| {
        edited(
            "3D volume-rendered images were created on a separate Vitrea workstation under my concurrent supervision.",
            &format!(
                "3D volume-rendered images were created on a separate Vitrea workstation.\n\
                 Radiologist present during 3D post-processing: {answer}\n\
                 3D images reviewed by radiologist: Yes\n"
            ),
        )
    };
    assert_eq!(form("Yes").verdict.supports, Some(Code::C76377));
    let no = form("No");
    assert_eq!(no.verdict.supports, None);
    assert!(
        rules(&no).contains(&"supervision-negated"),
        "{:?}",
        rules(&no)
    );
}

#[test]
fn a_negator_before_a_contrast_denies_what_it_contrasts_not_the_statement() {
    let o = edited(
        "were created on a separate Vitrea workstation under my concurrent supervision.",
        "were made not on a Vitrea workstation but on the console by myself.",
    );
    assert_eq!(o.verdict.supports, Some(Code::C76376), "{:?}", rules(&o));
}

#[test]
fn an_addendum_that_withdraws_the_physicians_part_overrides_the_body() {
    let body = "ADDENDUM: The statement that the 3D images were made under my concurrent supervision is incorrect. They were built by the 3D laboratory overnight and I reviewed them this morning.\n";
    let o = check(&format!("{FULL}{body}"));
    assert_eq!(o.verdict.supports, None, "{:?}", rules(&o));
    // Without the withdrawal, the addendum's review alone does not undo the body.
    let o = check(&format!(
        "{FULL}ADDENDUM: I reviewed the 3D images again this morning.\n"
    ));
    assert_eq!(o.verdict.supports, Some(Code::C76377), "{:?}", rules(&o));
}

#[test]
fn a_forms_line_answered_n_states_nothing() {
    let form = |answer: &str| {
        format!(
            "EXAM: CT CHEST\nINDICATION: Flail chest; plan rib fixation.\n\
3D CHECKLIST\n  3D volume rendering created on independent workstation (Vitrea) ...... (Y)\n\
  Created by 3D lab technologist ...... (Y)\n\
  Radiologist concurrently supervised creation ...... {answer}\n\
FINDINGS:\nThe 3D images show a five-rib flail segment.\n"
        )
    };
    assert_eq!(check(&form("(N)")).verdict.supports, None);
    assert_eq!(check(&form("[No]")).verdict.supports, None);
    assert_eq!(check(&form("(Y)")).verdict.supports, Some(Code::C76377));
}

#[test]
fn staff_who_built_them_in_the_next_sentence_are_who_made_the_3d_images() {
    let text = "EXAM: CT PELVIS\nINDICATION: Pelvic ring fracture; plan fixation.\n\
[x] 3D images created under the concurrent supervision of the interpreting radiologist on an independent workstation\n\
NOTE: The volume renderings were not made during my overnight shift. The 3D lab built them on their workstation the next morning.\n\
FINDINGS:\nThe 3D images show the sacral fracture.\n";
    assert_eq!(check(text).verdict.supports, None);
}

#[test]
fn a_ticked_box_that_no_frame_reads_is_still_an_attestation_the_account_outweighs() {
    let text = |account: &str| {
        format!(
            "EXAM: CT PELVIS\nINDICATION: Sacral insufficiency fracture; plan sacroplasty.\n\
3D ATTESTATION (pre-populated by template)\n[x] Concurrent physician supervision of 3D post-processing\n[x] Independent workstation (Vitrea)\n\
TECHNIQUE: Axial images. {account}\n\
FINDINGS:\nThe 3D reconstructions show an H-type sacral fracture.\n"
        )
    };
    let staff = check(&text(
        "3D reconstructions were prepared by the 3D lab technologists and pushed to PACS.",
    ));
    assert_eq!(staff.verdict.supports, None, "{:?}", rules(&staff));
    let silent = check(&text("3D reconstructions were prepared."));
    assert_eq!(
        silent.verdict.supports,
        Some(Code::C76377),
        "{:?}",
        rules(&silent)
    );
}
