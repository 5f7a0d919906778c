#!/usr/bin/env python3
"""Write a synthetic archive of radiology reports, for benchmarks.

    python3 benches/gen_archive.py OUT_DIR --reports 50000 [--seed 1] [--jsonl FILE]
        [--fhir FILE] [--hl7 FILE]

The archive looks like an export from a reporting system: folders by year and
month, mostly plain text with some markdown, some CRLF line endings, about
2 KB a report, a mix of ordinary reports (most never mention 3D rendering),
reports that document 3D work fully, in part, or badly, and look-alikes ("3D
FLAIR", "18w3d"). It is a workload for measuring speed and memory, not a
labelled test set: nothing here says which code a report supports.

The same seed writes the same archive, byte for byte. `--jsonl FILE` also
writes one JSON object a line, {"id": ..., "text": ...}, as a database export
would; `--fhir FILE` the same reports as a FHIR Bulk Data export (NDJSON of
DiagnosticReports, the text a base64 attachment); `--hl7 FILE` the plain-text
ones as an HL7 v2 batch of ORU^R01 messages (a TX observation a line). Only
the Python standard library is used.
"""

import argparse
import base64
import json
import os
import random

EXAMS = [
    ("CT", "CT HEAD WITHOUT CONTRAST", "Headache, fall from standing."),
    ("CT", "CT MAXILLOFACIAL WITHOUT CONTRAST", "Assault with facial swelling; orbital floor fracture?"),
    ("CT", "CT RIGHT WRIST WITHOUT CONTRAST", "Fall on outstretched hand; scaphoid fracture?"),
    ("CT", "CT PELVIS WITHOUT CONTRAST", "Pelvic ring injury on radiograph; operative planning."),
    ("CT", "CT LEFT KNEE WITHOUT CONTRAST", "Tibial plateau fracture; preoperative planning."),
    ("CT", "CT ABDOMEN AND PELVIS WITH CONTRAST", "Right lower quadrant pain."),
    ("CT", "CT CHEST WITHOUT CONTRAST", "Pulmonary nodule follow-up."),
    ("MR", "MRI BRAIN WITH AND WITHOUT CONTRAST", "Seizure; evaluate for a structural lesion."),
    ("MR", "MRI LUMBAR SPINE WITHOUT CONTRAST", "Low back pain radiating to the left leg."),
    ("MR", "MRI RIGHT SHOULDER WITHOUT CONTRAST", "Rotator cuff tear?"),
    ("US", "ULTRASOUND PELVIS TRANSVAGINAL", "Abnormal uterine bleeding; uterine anomaly?"),
    ("US", "ULTRASOUND ABDOMEN COMPLETE", "Elevated liver enzymes."),
    ("XR", "RADIOGRAPH CHEST TWO VIEWS", "Cough and fever."),
]

TECHNIQUE = {
    "CT": "Helical acquisition with 0.625 mm sections; axial, coronal and sagittal reformats.",
    "MR": "Sagittal 3D T1 MPRAGE, axial T2, 3D FLAIR, DWI and SWI; post-contrast 3D T1.",
    "US": "Transabdominal and transvaginal grey-scale and colour Doppler imaging.",
    "XR": "PA and lateral views.",
}

FINDINGS = [
    "No acute fracture or dislocation. Alignment is anatomic.",
    "There is a comminuted fracture with 4 mm of articular step-off.",
    "Mild degenerative change without acute abnormality.",
    "Small joint effusion. The surrounding soft tissues are unremarkable.",
    "No focal lesion. No abnormal enhancement. The ventricles are normal in size.",
    "The liver, spleen, pancreas and kidneys are unremarkable. No free fluid.",
    "A 6 mm solid nodule in the right lower lobe is unchanged from the prior study.",
    "Disc bulge at L4-L5 with mild narrowing of the left lateral recess.",
    "The uterus is anteverted with a normal endometrial stripe of 6 mm.",
]

THREE_D = [
    # (statement, what the 3D images show)
    ("3D volume-rendered images were created on an independent workstation (Vitrea) under my concurrent supervision.",
     "The 3D images demonstrate the fracture fragments and their displacement."),
    ("Volume rendering was performed at the scanner console by the technologist under my direct supervision.",
     "The volume-rendered images show the articular surface."),
    ("3D reconstructions were generated automatically by the scanner protocol.",
     "3D images were reviewed."),
    ("Shaded surface display images were produced on syngo.via; I chose the views and thresholds.",
     "On the 3D images, the fragments are displaced 5 mm."),
    ("3D images can be provided on request.", ""),
    ("No 3D rendering was performed.", ""),
]

LOOK_ALIKES = [
    "Gestational age 18w3d by early ultrasound.",
    "Prior 3D mammogram at an outside facility was negative.",
    "Planned 3D conformal radiotherapy was discussed by the oncology team.",
    "Patient transferred from ward 3D.",
]

SIGNERS = ["Jane Roe, MD", "Ahmed Farouk, MD", "Mei Lin, MBBS FRCR", "Carlos Diaz, DO", "Aroha Ngata, FRANZCR"]

FILLER = (
    "Comparison is made with the prior examination where available. "
    "The visualised soft tissues, vessels and osseous structures were reviewed in all planes. "
)


def report(rng, n):
    modality, title, indication = rng.choice(EXAMS)
    lines = [
        f"EXAM: {title}",
        f"ACCESSION: {rng.randrange(10**7, 10**8)}",
        f"DATE: 20{rng.randrange(15, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        "",
        f"CLINICAL HISTORY: {indication}" if rng.random() > 0.05 else "CLINICAL HISTORY: None provided.",
        "",
        f"TECHNIQUE: {TECHNIQUE[modality]}",
    ]
    findings = [rng.choice(FINDINGS) for _ in range(rng.randrange(2, 5))]
    # About one report in six documents 3D work, well or badly.
    if modality in ("CT", "US") and rng.random() < 0.17:
        statement, shown = rng.choice(THREE_D)
        lines.append(statement)
        if shown:
            findings.append(shown)
    if rng.random() < 0.05:
        lines.append(rng.choice(LOOK_ALIKES))
    lines += ["", "FINDINGS:"] + findings
    lines += ["", FILLER * rng.randrange(5, 11)]
    lines += ["", "IMPRESSION:", findings[0], "", f"Electronically signed by: {rng.choice(SIGNERS)}"]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--reports", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jsonl", help="also write the archive as JSON lines to this file")
    parser.add_argument("--fhir", help="also write it as a FHIR Bulk Data export (NDJSON of DiagnosticReports)")
    parser.add_argument("--hl7", help="also write it as an HL7 v2 batch file of ORU^R01 messages")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    export = open(args.jsonl, "w", encoding="utf-8") if args.jsonl else None
    fhir = open(args.fhir, "w", encoding="utf-8") if args.fhir else None
    hl7 = open(args.hl7, "w", encoding="utf-8", newline="") if args.hl7 else None
    if hl7:
        hl7.write("FHS|^~\\&|GEN|RADLINT\rBHS|^~\\&|GEN|RADLINT\r")
    for n in range(args.reports):
        text = report(rng, n)
        markdown = rng.random() < 0.1
        if markdown:
            text = "# " + text.replace("FINDINGS:", "## Findings").replace("IMPRESSION:", "## Impression")
        folder = os.path.join(args.out_dir, f"{2015 + n % 10}", f"{1 + n % 12:02d}")
        os.makedirs(folder, exist_ok=True)
        name = os.path.join(folder, f"report-{n:07d}.{'md' if markdown else 'txt'}")
        data = text.replace("\n", "\r\n") if rng.random() < 0.2 else text
        with open(name, "w", encoding="utf-8", newline="") as f:
            f.write(data)
        if export:
            export.write(json.dumps({"id": f"report-{n:07d}", "text": text}) + "\n")
        if fhir:
            fhir.write(json.dumps(fhir_report(n, text, markdown)) + "\n")
        if hl7 and not markdown:
            hl7.write(oru(n, text))
    for f in (export, fhir):
        if f:
            f.close()
    if hl7:
        hl7.write("BTS|%d\rFTS|1\r" % args.reports)
        hl7.close()


def fhir_report(n, text, markdown):
    """A DiagnosticReport carrying the report as a base64 attachment."""
    return {
        "resourceType": "DiagnosticReport",
        "id": f"report-{n:07d}",
        "status": "final",
        "code": {"text": text.split("\n", 1)[0].replace("EXAM: ", "").lstrip("# ")},
        "presentedForm": [{
            "contentType": "text/markdown" if markdown else "text/plain",
            "data": base64.b64encode(text.encode()).decode(),
        }],
    }


def oru(n, text):
    """An ORU^R01 message: one TX observation a line of the report."""
    def esc(s):
        for raw, e in [("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\")]:
            s = s.replace(raw, e)
        return s
    out = [f"MSH|^~\\&|GEN|RADLINT|QA|RADLINT|20260304||ORU^R01^ORU_R01|report-{n:07d}|P|2.5.1",
           f"OBR|1||{n}|X^{esc(text.split(chr(10), 1)[0].replace('EXAM: ', ''))}"]
    for i, line in enumerate(text.rstrip("\n").split("\n"), 1):
        out.append(f"OBX|{i}|TX|R||{esc(line)}||||||F")
    return "\r".join(out) + "\r"


if __name__ == "__main__":
    main()
