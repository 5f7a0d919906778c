#!/usr/bin/env python3
"""Check that the test exports are real FHIR and real HL7, by parsers that
are not radlint's: every FHIR resource in fixtures/exports validates against
the R4 (R4B) definitions of the `fhir.resources` package, and every HL7 v2
message parses with the `hl7` package, as an ORU^R01 with text OBX segments.
The line an exporter cut short is the one record expected to fail.

    python3 scripts/validate_exports.py     (.ci/run runs it in a venv)
"""
import json
import pathlib
import sys

import hl7
from fhir.resources.R4B import get_fhir_model_class

EXPORTS = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "exports"
problems = []
checked = 0


def validate(resource, where):
    global checked
    kind = resource.get("resourceType")
    try:
        get_fhir_model_class(kind).model_validate(resource)
        checked += 1
    except Exception as e:  # the package raises pydantic's errors
        problems.append(f"{where}: {kind}: {e}")


for path in sorted(EXPORTS.glob("*.ndjson")):
    for n, line in enumerate(path.read_text().splitlines(), 1):
        try:
            resource = json.loads(line)
        except json.JSONDecodeError:
            if "cut-short" not in line:
                problems.append(f"{path.name}:{n}: not JSON")
            continue
        validate(resource, f"{path.name}:{n}")
for path in sorted(EXPORTS.glob("*.json")):
    validate(json.loads(path.read_text()), path.name)

messages = 0
for path in sorted(EXPORTS.glob("*.hl7")):
    raw = path.read_bytes().decode()
    # MLLP framing and batch segments are transport, not message: strip and split.
    raw = raw.replace("\x0b", "").replace("\x1c", "").replace("\r\n", "\r").replace("\n", "\r")
    segments = [s for s in raw.split("\r") if s and s[:3] not in ("FHS", "BHS", "BTS", "FTS")]
    starts = [i for i, s in enumerate(segments) if s.startswith("MSH")]
    for a, b in zip(starts, starts[1:] + [len(segments)]):
        text = "\r".join(segments[a:b])
        try:
            message = hl7.parse(text)
            kind = str(message.segment("MSH")[9])
            assert kind.startswith("ORU^R01"), kind
            str(message.segment("MSH")[10])
            messages += 1
        except Exception as e:
            problems.append(f"{path.name}: message at segment {a + 1}: {e!r}")

print(f"{checked} FHIR resources valid (R4B), {messages} HL7 messages parsed")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
