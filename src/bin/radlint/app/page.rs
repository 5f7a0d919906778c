//! What the QA report (`--format html`) needs from the run: the run's
//! description (version, date, command line), and the CSV beside the page
//! that lists every report with a problem once the page's tables are full.

use crate::cli::CheckArgs;
use radlint::report::{PAGE_ROWS, Row, RunInfo};
use std::io;
use std::path::{Path, PathBuf};

/// The run as the page names it. Under `--redact` the command line keeps
/// its options and drops every path and free value (a folder may be named
/// by a patient's record number).
pub(super) fn run_info(args: &CheckArgs) -> RunInfo {
    let words: Vec<String> = std::env::args().skip(1).collect();
    // Options whose values are radlint's own words, never a patient's.
    const PLAIN_VALUES: [&str; 8] = [
        "--format",
        "--claim",
        "--cpt-year",
        "--jobs",
        "-j",
        "--input",
        "--color",
        "--sarif-verdicts",
    ];
    let mut shown = vec!["radlint".to_owned()];
    for (i, word) in words.iter().enumerate() {
        let plain = i == 0
            || word.starts_with('-')
            || (i > 0 && PLAIN_VALUES.contains(&words[i - 1].as_str()));
        shown.push(match (args.redact, plain) {
            (true, false) => "…".to_owned(),
            _ if word.is_empty() || word.contains(char::is_whitespace) => format!("'{word}'"),
            _ => word.clone(),
        });
    }
    RunInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        date: run_date(),
        command: shown.join(" "),
        problems_csv: None,
    }
}

/// Now in UTC, or the time `SOURCE_DATE_EPOCH` gives (so a page can be
/// reproduced byte for byte).
fn run_date() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The CSV of every report with a problem, beside `--output FILE` (as
/// `FILE`'s stem + `.problems.csv`), opened when the page's table fills:
/// it starts with the rows the page lists, then every later one. Written
/// to a temporary file and renamed into place when the sweep is complete.
pub(super) struct Overflow {
    path: Option<PathBuf>,
    file: Option<csv::Writer<tempfile::NamedTempFile>>,
    seen: usize,
}

const COLUMNS: [&str; 11] = [
    "path",
    "input_line",
    "signer",
    "date",
    "exam",
    "supports",
    "claimed",
    "claim_at_risk",
    "verdict",
    "failing_rules",
    "first_line",
];

impl Overflow {
    /// The CSV's file name, for the page's link to it.
    pub(super) fn name(&self) -> Option<String> {
        let path = self.path.as_ref()?;
        Some(path.file_name()?.to_string_lossy().into_owned())
    }

    /// For `output` (none: the page went to standard output, and says how
    /// to list the rest).
    pub(super) fn new(output: Option<&Path>) -> Overflow {
        let path = output.map(|o| {
            let stem = o
                .file_stem()
                .map_or_else(|| "radlint".into(), |s| s.to_string_lossy().into_owned());
            o.with_file_name(format!("{stem}.problems.csv"))
        });
        Overflow {
            path,
            file: None,
            seen: 0,
        }
    }

    /// One report's row; `kept` are the rows the page lists so far.
    pub(super) fn add(&mut self, row: &Row, kept: &[Row]) -> io::Result<()> {
        self.seen += 1;
        if self.seen <= PAGE_ROWS {
            return Ok(());
        }
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.file.is_none() {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            let temp = super::output::temp_beside(path, dir.unwrap_or(Path::new(".")))?;
            let mut writer = csv::Writer::from_writer(temp);
            writer.write_record(COLUMNS).map_err(io::Error::other)?;
            self.file = Some(writer);
            for row in kept {
                self.write(row)?;
            }
        }
        self.write(row)
    }

    fn write(&mut self, row: &Row) -> io::Result<()> {
        let Some(writer) = &mut self.file else {
            return Ok(());
        };
        let codes = |c: &[radlint::verdict::Code]| {
            c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(";")
        };
        let cells = [
            row.path.clone(),
            row.input_line.map(|l| l.to_string()).unwrap_or_default(),
            row.signer.clone().unwrap_or_default(),
            row.date.clone().unwrap_or_default(),
            row.exam.clone().unwrap_or_default(),
            row.supports.map_or("neither", |c| c.as_str()).to_owned(),
            codes(&row.claimed),
            row.at_risk.to_string(),
            row.verdict.clone(),
            row.rules.join(";"),
            row.first_line.map(|l| l.to_string()).unwrap_or_default(),
        ];
        writer.write_record(&cells).map_err(io::Error::other)
    }

    /// Rename the CSV into place; the path written, if any.
    pub(super) fn finish(self) -> io::Result<Option<PathBuf>> {
        match (self.file, self.path) {
            (Some(writer), Some(path)) => {
                let temp = writer.into_inner().map_err(|e| e.into_error())?;
                temp.persist(&path).map_err(|e| e.error)?;
                Ok(Some(path))
            }
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_793), (2026, 12, 6));
    }
}
