#!/usr/bin/env python3
"""Write fixtures/exports/: FHIR R4 DiagnosticReports and HL7 v2 ORU^R01
messages written for radlint's tests (no copied messages), one file per
shape an export takes. Run from the repository root; the files are
committed, and scripts/validate_exports.py checks them with independent
parsers (fhir.resources, hl7).

    python3 scripts/export_fixtures.py
"""
import base64
import json
import pathlib

OUT = pathlib.Path("fixtures/exports")

FULL = (
    "EXAM: CT FACE WITHOUT CONTRAST\n"
    "CLINICAL HISTORY: Facial trauma; surgical planning for orbital floor repair.\n"
    "TECHNIQUE: Axial CT images of the face. 3D volume rendered images were created on an "
    "independent workstation (Vitrea) under my concurrent supervision.\n"
    "FINDINGS: Comminuted fracture of the left orbital floor. The 3D images demonstrate the "
    "displaced fragment and its relation to the orbital rim.\n"
    "IMPRESSION: Left orbital floor fracture.\n"
)
CONSOLE = FULL.replace(
    "on an independent workstation (Vitrea) under my concurrent supervision",
    "at the scanner console by the technologist under my concurrent supervision",
)
PLAIN_CT = (
    "EXAM: CT HEAD WITHOUT CONTRAST\n"
    "FINDINGS: No acute intracranial abnormality.\n"
    "IMPRESSION: Normal head CT.\n"
)
BODY = FULL.split("\n", 1)[1]
# The workstation statement only in an HTML comment: a markdown reader does
# not see it, so the report supports 76376 at most.
MARKDOWN = (
    "# CT FACE WITHOUT CONTRAST\n\n"
    + BODY.replace("on an independent workstation (Vitrea) ", "")
    + "\n<!-- on an independent workstation (Vitrea) -->\n"
)
HTML = "<h1>CT FACE WITHOUT CONTRAST</h1>" + "".join(
    "<p>" + line.replace("&", "&amp;") + "</p>" for line in BODY.split("\n") if line
)


def b64(text):
    return base64.b64encode(text.encode()).decode()


def report(id, **fields):
    r = {
        "resourceType": "DiagnosticReport",
        "id": id,
        "status": "final",
        "identifier": [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN"}
                    ]
                },
                "system": "urn:oid:2.16.840.1.113883.19.5",
                "value": "ACC-" + id,
            }
        ],
        "code": {
            "coding": [{"system": "http://loinc.org", "code": "24627-2", "display": "CT Face"}],
            "text": "CT FACE WITHOUT CONTRAST",
        },
        "effectiveDateTime": "2026-03-04T09:30:00Z",
        "issued": "2026-03-04T11:02:00Z",
        "resultsInterpreter": [{"display": "Jane Q. Smith"}],
    }
    r.update(fields)
    return r


def narrative(text):
    paragraphs = "".join("<p>" + line + "</p>" for line in text.split("\n") if line)
    return {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">' + paragraphs + "</div>"}


def fhir():
    lines = [
        report("fhir-plain-76377", presentedForm=[{"contentType": "text/plain", "data": b64(FULL)}]),
        report("fhir-markdown-hidden", presentedForm=[{"contentType": "text/markdown", "data": b64(MARKDOWN)}]),
        report("fhir-html-76377", presentedForm=[{"contentType": "text/html; charset=utf-8", "data": b64(HTML)}]),
        report("fhir-narrative-console", text=narrative(CONSOLE), conclusion="Left orbital floor fracture."),
        report(
            "fhir-url-only",
            presentedForm=[{"contentType": "application/pdf", "url": "https://ris.example.org/reports/881.pdf"}],
        ),
        {"resourceType": "Patient", "id": "pat-1", "name": [{"family": "Example", "given": ["Pat"]}]},
        report(
            "fhir-out-of-scope",
            code={"text": "CT HEAD WITHOUT CONTRAST"},
            presentedForm=[{"contentType": "text/plain", "data": b64(PLAIN_CT)}],
        ),
    ]
    with open(OUT / "diagnostic-reports.ndjson", "w") as f:
        for r in lines:
            f.write(json.dumps(r) + "\n")
        # A line cut short by the exporter: one unreadable record.
        f.write('{"resourceType": "DiagnosticReport", "id": "cut-short"\n')
    bundle = {
        "resourceType": "Bundle",
        "id": "b1",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:0b1c1d9e-3a5e-4d0e-9c1f-1a2b3c4d5e6f",
                "resource": report("bundle-console", presentedForm=[{"contentType": "text/plain", "data": b64(CONSOLE)}]),
            },
            {
                "fullUrl": "urn:uuid:1b1c1d9e-3a5e-4d0e-9c1f-1a2b3c4d5e6f",
                "resource": {"resourceType": "Observation", "id": "obs-1", "status": "final", "code": {"text": "Orbital volume"}},
            },
        ],
    }
    (OUT / "bundle.json").write_text(json.dumps(bundle, indent=2) + "\n")
    single = report("single-resource", presentedForm=[{"contentType": "text/plain", "data": b64(FULL)}])
    (OUT / "single-resource.json").write_text(json.dumps(single, indent=2) + "\n")


def escaped(text):
    for raw, esc in [("\\", "\\E\\"), ("|", "\\F\\"), ("^", "\\S\\"), ("&", "\\T\\"), ("~", "\\R\\")]:
        text = text.replace(raw, esc)
    return text


def oru(control, text, kind="TX"):
    segments = [
        "MSH|^~\\&|RIS|HOSP|RADLINT|QA|20260304110200||ORU^R01^ORU_R01|" + control + "|P|2.5.1",
        "PID|1||MRN0001^^^HOSP^MR||EXAMPLE^PAT",
        "OBR|1|PLC-" + control + "|ACC-" + control + "|24627-2^CT FACE WITHOUT CONTRAST^LN|||20260304093000"
        + "|" * 25 + "1234&Smith&Jane&Q",
    ]
    lines = text.rstrip("\n").split("\n")
    if kind == "FT":
        value = "\\.br\\".join(escaped(line) for line in lines)
        segments.append("OBX|1|FT|18782-3^Radiology Study observation^LN||" + value + "||||||F")
    else:
        for i, line in enumerate(lines, 1):
            segments.append("OBX|%d|TX|18782-3^Radiology Study observation^LN||%s||||||F" % (i, escaped(line)))
    return segments


def write(name, text):
    with open(OUT / name, "w", newline="") as f:
        f.write(text)


def hl7():
    write("oru-lf.hl7", "\n".join(oru("MSG-LF-1", FULL) + oru("MSG-LF-2", PLAIN_CT)) + "\n")
    write("oru-crlf.hl7", "\r\n".join(oru("MSG-CRLF-1", CONSOLE)) + "\r\n")
    special = FULL.replace("CT FACE WITHOUT CONTRAST", "CT FACE & ORBITS | 3D ^ VR ~ \\ MPR")
    write("oru-ft-escapes.hl7", "\r".join(oru("MSG-FT-1", special, kind="FT")) + "\r")
    batch = "FHS|^~\\&|RIS|HOSP|RADLINT|QA|20260304120000\rBHS|^~\\&|RIS|HOSP|RADLINT|QA|20260304120000\r"
    for control, text in [("MSG-B-1", FULL), ("MSG-B-2", CONSOLE)]:
        batch += "\x0b" + "\r".join(oru(control, text)) + "\r\x1c\r"
    write("oru-batch-mllp.hl7", batch + "BTS|2\rFTS|1\r")
    broken = (
        ["OBX|1|TX|X||a segment before any MSH||||||F"]
        + oru("MSG-OK-1", FULL)
        + ["MSH|^~\\&|RIS|HOSP|RADLINT|QA|20260304||ORU^R01^ORU_R01|MSG-NOTEXT|P|2.5.1", "OBX|1|NM|SIZE||12||||||F"]
    )
    write("oru-broken.hl7", "\r".join(broken) + "\r")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    fhir()
    hl7()
