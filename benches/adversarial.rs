//! How the time to judge one report grows with its length, for inputs built
//! to be slow:
//!
//!     cargo bench --bench adversarial [-- [SHAPE...] [--sizes KB,KB,...] [--timeout SECS]]
//!
//! (`RADLINT=path` times another build of the binary, for a before-and-after.)
//!
//! Each shape is a short piece of text repeated (after an optional head)
//! until the report reaches each size; each size is judged by the release
//! binary (`radlint check --no-config --no-progress --format human`, the
//! format that prints the most), output thrown away, and the wall time
//! printed with its growth over the size before. A stage that is linear in
//! the report's length grows about 2x a doubling; the target is at most 2.3x
//! between the two largest sizes, and any 1 MB input in under 2 s. A size that
//! runs past the timeout is killed and the shape's larger sizes are skipped.
//!
//! The shapes are the ones that were found slow (context judging, the
//! findings check, template slots, codes, markdown directives, long lines,
//! statements), plus ordinary reports repeated, so a new stage that is not
//! linear shows here first.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A shape: its name, the text before the repeated part, the repeated part,
/// the file's extension, and extra arguments.
struct Shape {
    name: &'static str,
    head: &'static str,
    unit: &'static str,
    ext: &'static str,
    args: &'static [&'static str],
}

const fn shape(name: &'static str, head: &'static str, unit: &'static str) -> Shape {
    Shape {
        name,
        head,
        unit,
        ext: "txt",
        args: &[],
    }
}

/// A shape in a markdown file.
const fn markdown(name: &'static str, head: &'static str, unit: &'static str) -> Shape {
    Shape {
        ext: "md",
        ..shape(name, head, unit)
    }
}

const ORDINARY: &str = "CT ANGIOGRAPHY OF THE ABDOMEN AND PELVIS\n\
INDICATION: Preoperative planning for endovascular aneurysm repair.\n\
TECHNIQUE: Helical CT after intravenous contrast. 3D volume rendered and MIP images \
were created on an independent workstation (Vitrea) by me, concurrently supervising \
the technologist.\n\
FINDINGS: Infrarenal abdominal aortic aneurysm measuring 5.6 cm. The 3D reconstructions \
show the neck angulation of 60 degrees and the iliac tortuosity.\n\
IMPRESSION: Aneurysm suitable for repair; see 3D images.\n\
Electronically signed by: Jane Roe, MD\n\n";

const SHAPES: &[Shape] = &[
    shape("ordinary-reports", "", ORDINARY),
    shape("no-3d", "", "no 3D "),
    shape("3d", "", "3D "),
    shape("if-3d", "", "if 3D "),
    shape("prior-3d-images", "", "prior 3D images "),
    shape("3d-can-be-performed", "", "3D can be performed "),
    shape("no-3d-but", "", "no 3D but "),
    shape("no-newline-3d", "", "no\n3D "),
    shape("no-then-3d", "3D rendering ", "no "),
    shape("not-performed", "3D rendering ", "not performed "),
    shape("demonstrates", "3D rendering ", "demonstrates "),
    shape("no-change-3d", "", "no change 3D "),
    shape("3d-semicolon", "", "3D ; "),
    shape("amp-3d", "", "&amp; 3D "),
    shape("3d-joined", "", "3D-3D/3D,"),
    shape(
        "rendering-one-line",
        "FINDINGS:\n",
        "volume rendering shows the fracture ",
    ),
    shape(
        "rendering-a-line",
        "FINDINGS:\n",
        "Volume rendered images show the fracture.\n",
    ),
    shape(
        "rendering-in-impression",
        "IMPRESSION:\n",
        "3D reconstruction. ",
    ),
    shape("rendering-addendum", "ADDENDUM:\n", "See 3D renderings; "),
    shape("five-digit-codes", "3D rendering. ", "12345 "),
    shape("codes-76377", "3D rendering. ", "76377 76376 "),
    shape("blanks", "3D rendering. ", "___ "),
    shape("slots", "", "3D [***] "),
    shape("braces", "", "3D {{x}} "),
    shape(
        "reformats-supervised",
        "3D rendering was performed. ",
        "reformats under my concurrent supervision. ",
    ),
    shape(
        "not-on-workstation",
        "3D rendering was performed ",
        "not on a workstation ",
    ),
    shape(
        "statements",
        "3D volume rendering was performed. ",
        "the technologist under my supervision at the console sent to PACS by Dr. Smith ",
    ),
    shape(
        "statement-sentences",
        "",
        "3D images were made by the technologist at the scanner console and reviewed by me. ",
    ),
    shape(
        "signatures",
        "3D rendering. ",
        "Electronically signed by: Jane Roe, MD\n",
    ),
    shape("choices", "", "3D rendering [performed/not performed] "),
    shape("sequences", "MRI BRAIN\n", "3D T1 MPRAGE 3D FLAIR "),
    shape("diagnostics-one-line", "", "3D rendering is done. "),
    // Report metadata: labelled fields a line, many on one line, and lines
    // that look like signatures but are prose.
    shape("meta-fields-one-line", "", "Exam: CT HEAD  "),
    shape(
        "signer-fields-one-line",
        "",
        "Signed: Dr. Ann Lee, MD on 03/04/2026  ",
    ),
    shape("date-fields-one-line", "", "Date: March 4, 2026  "),
    shape(
        "signature-like-lines",
        "",
        "Dr. lee from vascular surgery called\n",
    ),
    markdown("markdown-fences", "", "```\n3D rendering\n```\n"),
    markdown("markdown-comments", "", "<!-- 3D rendering --> "),
    markdown(
        "markdown-directives",
        "3D rendering.\n",
        "<!-- radlint: allow supervision-missing: policy --> ",
    ),
    Shape {
        name: "template-blanks",
        head: "3D rendering. ",
        unit: "___ {{slot}} [***] ",
        ext: "txt",
        args: &["--template"],
    },
];

fn main() {
    let mut names = Vec::new();
    let mut sizes_kb: Vec<usize> = vec![128, 256, 512, 1024, 2048];
    let mut timeout = Duration::from_secs(30);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--sizes" => {
                let list = args.next().expect("--sizes KB,KB,...");
                sizes_kb = list
                    .split(',')
                    .map(|s| s.trim().parse().expect("a size in KB"))
                    .collect();
            }
            "--timeout" => {
                let secs: u64 = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--timeout SECS");
                timeout = Duration::from_secs(secs);
            }
            name => names.push(name.to_owned()),
        }
    }
    for name in &names {
        assert!(
            SHAPES.iter().any(|s| s.name == name),
            "no shape named {name}; shapes: {}",
            SHAPES.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
        );
    }
    // RADLINT=path times another build (an older one, for a before-and-after).
    let binary = std::env::var_os("RADLINT").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_radlint")),
        PathBuf::from,
    );
    let dir = std::env::temp_dir().join(format!("radlint-adversarial-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");

    let header: Vec<String> = sizes_kb.iter().map(|kb| format!("{kb} KB")).collect();
    println!("{:<24} {}   growth at the top", "shape", header.join("  "));
    let mut worst: Option<(f64, &str)> = None;
    let mut slow_megabyte = Vec::new();
    for shape in SHAPES
        .iter()
        .filter(|s| names.is_empty() || names.iter().any(|n| n == s.name))
    {
        let mut times: Vec<Option<f64>> = Vec::new();
        for &kb in &sizes_kb {
            if times.last().is_some_and(Option::is_none) {
                if kb == 1024 {
                    slow_megabyte.push(shape.name);
                }
                times.push(None);
                continue;
            }
            let path = dir.join(format!("{}.{}", shape.name, shape.ext));
            write_shape(&path, shape, kb * 1024);
            let secs = judge(&binary, &path, shape.args, timeout);
            if kb == 1024 && secs.is_none_or(|s| s >= 2.0) {
                slow_megabyte.push(shape.name);
            }
            times.push(secs);
        }
        let cells: Vec<String> = times
            .iter()
            .zip(&header)
            .map(|(t, h)| match t {
                Some(s) => format!("{:>w$.2}", s, w = h.len()),
                None => format!("{:>w$}", "-", w = h.len()),
            })
            .collect();
        let growth = match times.as_slice() {
            [.., Some(a), Some(b)] if *a > 0.0 => {
                let g = b / a;
                if worst.is_none_or(|(w, _)| g > w) {
                    worst = Some((g, shape.name));
                }
                format!("{g:.2}x")
            }
            [.., None] => "timed out".to_owned(),
            _ => "-".to_owned(),
        };
        println!("{:<24} {}   {growth}", shape.name, cells.join("  "));
    }
    std::fs::remove_dir_all(&dir).ok();
    if let Some((g, name)) = worst {
        println!("\nlargest growth at the top sizes: {g:.2}x ({name}); target at most 2.3x");
    }
    if slow_megabyte.is_empty() {
        println!("every 1 MB input judged in under 2 s");
    } else {
        println!("1 MB inputs at or over 2 s: {}", slow_megabyte.join(", "));
    }
}

/// Writes the shape's head, then its unit repeated, to `size` bytes (the
/// last unit cut at a character boundary).
fn write_shape(path: &Path, shape: &Shape, size: usize) {
    let mut text = String::with_capacity(size + shape.unit.len());
    text.push_str(shape.head);
    while text.len() < size {
        text.push_str(shape.unit);
    }
    let mut end = size.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    let mut file = std::fs::File::create(path).expect("create the input");
    file.write_all(text.as_bytes()).expect("write the input");
}

/// Judges one file with the binary; the wall time, or None past the timeout.
fn judge(binary: &Path, path: &Path, extra: &[&str], timeout: Duration) -> Option<f64> {
    let start = Instant::now();
    let mut child = Command::new(binary)
        .args(["check", "--no-config", "--no-progress", "--format", "human"])
        .args(extra)
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run radlint");
    loop {
        if child.try_wait().expect("wait for radlint").is_some() {
            return Some(start.elapsed().as_secs_f64());
        }
        if start.elapsed() > timeout {
            child.kill().ok();
            child.wait().ok();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
