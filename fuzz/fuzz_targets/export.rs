//! The export readers over arbitrary bytes, as FHIR and as HL7: no panic,
//! every record read or reported, lines that only grow, and no record larger
//! than the limit it was given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use radlint::export::{Extracted, fhir, hl7};

const MAX: u64 = 4096;

fn check(items: impl Iterator<Item = Extracted>) {
    let mut last = 0;
    for item in items {
        let line = match &item {
            Extracted::Report(r) => {
                assert!(r.text.len() as u64 <= 4 * MAX, "a record over the limit");
                r.line
            }
            Extracted::Bad { line, .. } => *line,
            Extracted::Skipped { .. } => continue,
        };
        assert!(line >= last, "records out of order: {line} after {last}");
        last = line;
    }
}

fuzz_target!(|data: &[u8]| {
    check(fhir::Reader::new(data, "fuzz.ndjson", MAX));
    check(hl7::Reader::new(data, "fuzz.hl7", MAX));
});
