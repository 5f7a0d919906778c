//! The QA report in a real browser: headless Chromium loads the page from
//! disk, and the test asserts that no request leaves the page, that nothing
//! is logged as an error, that the charts are drawn (SVG with a size), and
//! that the tables hold the rows the same run's JSON lines imply, with the
//! filter working. A screenshot is saved as target/qa-report.png, and the
//! page printed to target/qa-report.pdf, for people to look at.
//!
//! Chromium is found by RADLINT_CHROMIUM or on PATH (`chromium`,
//! `chromium-browser`, `google-chrome`). Without one the test says so on
//! stderr and passes, unless RADLINT_REQUIRE_BROWSER is set, as CI sets it
//! (.ci/run installs Debian's `chromium`).

use crate::{at, check_cmd, claims_unsupported, failing_rules};
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::{Browser, LaunchOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RADLINT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// What the page did while it loaded: requests, and errors of any kind.
#[derive(Default)]
struct Seen {
    requests: Vec<String>,
    errors: Vec<String>,
}

/// Load `page` in a fresh tab; hand back what was seen and the value of
/// `probe` (a JavaScript expression that yields a JSON string); save a
/// screenshot to `screenshot` if given.
fn load(browser: &Browser, page: &Path, probe: &str, screenshot: Option<&Path>) -> (Seen, Value) {
    let tab = browser.new_tab().expect("a tab");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let log = Arc::clone(&seen);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut seen = log.lock().expect("not poisoned");
        match event {
            Event::NetworkRequestWillBeSent(e) => seen.requests.push(e.params.request.url.clone()),
            Event::RuntimeExceptionThrown(e) => {
                seen.errors
                    .push(format!("exception: {}", e.params.exception_details.text));
            }
            Event::RuntimeConsoleAPICalled(e) => {
                let kind = format!("{:?}", e.params.Type);
                if kind.contains("Error") || kind.contains("Assert") {
                    seen.errors.push(format!("console {kind}"));
                }
            }
            Event::LogEntryAdded(e) => {
                let level = format!("{:?}", e.params.entry.level);
                if level.contains("Error") || level.contains("Warning") {
                    seen.errors
                        .push(format!("log {level}: {}", e.params.entry.text));
                }
            }
            _ => {}
        }
    }))
    .expect("listen");
    tab.enable_log().expect("Log.enable");
    tab.enable_runtime().expect("Runtime.enable");
    tab.call_method(headless_chrome::protocol::cdp::Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .expect("Network.enable");
    let url = url::Url::from_file_path(page).expect("an absolute path");
    tab.navigate_to(url.as_str())
        .expect("navigate")
        .wait_until_navigated()
        .expect("loaded");
    let result = tab.evaluate(probe, false).expect("the probe runs");
    let text = result.value.and_then(|v| v.as_str().map(str::to_owned));
    let value = serde_json::from_str(&text.unwrap_or_default()).expect("the probe yields JSON");
    if let Some(path) = screenshot {
        let png = tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("a screenshot");
        std::fs::write(path, png).expect("write the screenshot");
        // "Print to PDF", with the print stylesheet.
        let pdf = tab.print_to_pdf(None).expect("printed");
        assert!(
            pdf.starts_with(b"%PDF") && pdf.len() > 20_000,
            "a printed report"
        );
        std::fs::write(path.with_extension("pdf"), pdf).expect("write the PDF");
    }
    // Events still in flight when the probe returned.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let seen = std::mem::take(&mut *seen.lock().expect("not poisoned"));
    (seen, value)
}

/// The in-scope reports with a problem, from the JSON lines: a failing
/// (error or warning, not suppressed) rule, no code supported, or a claim
/// not supported.
fn problems(reports: &[Value]) -> Vec<&Value> {
    reports
        .iter()
        .filter(|r| r["in_scope"] == true)
        .filter(|r| {
            !failing_rules(r).is_empty() || r["supports"].is_null() || claims_unsupported(r)
        })
        .collect()
}

const PROBE: &str = r#"(function () {
  var svgs = Array.prototype.map.call(document.querySelectorAll("svg.chart"), function (s) {
    var r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll("rect.bar").length];
  });
  var rows = function (id) { var t = document.getElementById(id); return t ? t.tBodies[0].rows.length : -1; };
  var filter = document.getElementById("filter");
  filter.value = "bundled-base-exam";
  filter.dispatchEvent(new Event("input"));
  var shown = Array.prototype.filter.call(document.getElementById("table-problems").tBodies[0].rows,
    function (r) { return !r.hidden; }).length;
  return JSON.stringify({ svgs: svgs, problems: rows("table-problems"), signers: rows("table-signer"),
    months: rows("table-month"), filtered: shown, title: document.title });
})()"#;

#[test]
fn the_qa_report_opens_offline_with_charts_and_the_expected_rows() {
    let Some(chromium) = chromium() else {
        assert!(
            std::env::var_os("RADLINT_REQUIRE_BROWSER").is_none(),
            "RADLINT_REQUIRE_BROWSER is set but no Chromium was found (RADLINT_CHROMIUM or PATH)"
        );
        eprintln!("browser test skipped: no Chromium (set RADLINT_CHROMIUM, or install chromium)");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let page = dir.path().join("qa.html");
    let inputs = ["fixtures/reports", "fixtures/meta"];
    check_cmd("html")
        .args(["-o"])
        .arg(&page)
        .args(inputs)
        .env("SOURCE_DATE_EPOCH", "1796515200")
        .assert()
        .code(1);
    let out = check_cmd("jsonl")
        .args(inputs)
        .output()
        .expect("radlint runs");
    let reports: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let problems = problems(&reports);
    let with_rule = problems
        .iter()
        .filter(|r| {
            r["diagnostics"].as_array().is_some_and(|ds| {
                ds.iter()
                    .any(|d| d["rule"] == "bundled-base-exam" && d["severity"] != "note")
            })
        })
        .count();

    let launch = LaunchOptions::default_builder()
        .path(Some(chromium))
        .sandbox(false)
        .window_size(Some((1280, 2400)))
        .build()
        .expect("launch options");
    let browser = Browser::new(launch).expect("Chromium starts");

    // The harness sees a request when a page makes one (so its silence
    // below means something).
    let control = dir.path().join("control.html");
    std::fs::write(
        &control,
        r#"<!doctype html><title>c</title><img src="http://radlint.invalid/x.png"><script>console.error("seen")</script><script>document.title = JSON.stringify({})</script>"#,
    )
    .expect("write the control page");
    let (seen, _) = load(&browser, &control, "document.title", None);
    assert!(
        seen.requests.iter().any(|u| u.contains("radlint.invalid")),
        "the harness saw no request from the control page: {:?}",
        seen.requests
    );
    assert!(
        !seen.errors.is_empty(),
        "the harness saw no console error from the control page"
    );

    let screenshot = at("target/qa-report.png");
    let _ = std::fs::remove_file(&screenshot);
    let (seen, probe) = load(&browser, &page, PROBE, Some(&screenshot));
    let outside: Vec<&String> = seen
        .requests
        .iter()
        .filter(|u| !u.starts_with("file://"))
        .collect();
    assert!(outside.is_empty(), "the page made requests: {outside:?}");
    assert!(
        seen.errors.is_empty(),
        "errors while loading: {:?}",
        seen.errors
    );
    assert_eq!(probe["title"], "radlint QA report");
    let svgs = probe["svgs"].as_array().expect("charts");
    assert!(
        svgs.len() >= 5,
        "element, signer, modality, exam, month and rule charts: {svgs:?}"
    );
    for svg in svgs {
        assert!(
            svg[0].as_f64() > Some(100.0) && svg[1].as_f64() > Some(20.0),
            "drawn: {svg}"
        );
        assert!(svg[2].as_u64() > Some(0), "bars: {svg}");
    }
    assert_eq!(probe["problems"].as_u64(), Some(problems.len() as u64));
    assert_eq!(probe["filtered"].as_u64(), Some(with_rule as u64));
    assert!(with_rule > 0 && with_rule < problems.len());
    // The table lists the signers with a report in scope.
    let signers: std::collections::BTreeSet<&str> = reports
        .iter()
        .filter(|r| r["in_scope"] == true)
        .map(|r| r["meta"]["signer"].as_str().unwrap_or("unattributed"))
        .collect();
    assert_eq!(probe["signers"].as_u64(), Some(signers.len() as u64));
    assert!(
        screenshot.metadata().is_ok_and(|m| m.len() > 10_000),
        "a screenshot under target/"
    );
}
