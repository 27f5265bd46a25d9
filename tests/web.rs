//! In-browser tests, run by wasm-bindgen-test in headless Chromium:
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web
//! ```
//!
//! They prove that the pure engine behaves the same once compiled to wasm32 and run inside
//! the browser (integer widths, float formatting, bit tricks), and they are the home of the
//! component stories (render, `yew::scheduler::flush()`, assert) that the UI will add.
//! Natively this file compiles to nothing.
#![cfg(target_arch = "wasm32")]

use loupe::core::column::NullMask;
use loupe::core::value::{
    civil_from_days, days_from_civil, days_in_month, format_date, format_datetime, format_decimal,
    format_float, Value,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_inside_a_browser_window() {
    // `run_in_browser` must really give a window with a document, not a worker or Node.
    let has_document = js_sys::eval("typeof window === 'object' && !!window.document")
        .ok()
        .and_then(|v| v.as_bool());
    assert_eq!(has_document, Some(true));
}

#[wasm_bindgen_test]
fn dates_format_as_iso() {
    assert_eq!(format_date(0), "1970-01-01");
    assert_eq!(format_date(-1), "1969-12-31");
    // 2000-03-01 follows a leap day in a year divisible by 400.
    assert_eq!(format_date(11_017), "2000-03-01");
    assert_eq!(format_datetime(86_399), "1970-01-01T23:59:59");
    assert_eq!(format_datetime(-1), "1969-12-31T23:59:59");
}

#[wasm_bindgen_test]
fn days_from_civil_matches_the_calendar() {
    assert_eq!(days_from_civil(1970, 1, 1), Some(0));
    assert_eq!(days_from_civil(2000, 1, 1), Some(10_957));
    // LFI 2026 is voted for the year starting 2026-01-01.
    assert_eq!(days_from_civil(2026, 1, 1), Some(20_454));
    assert_eq!(
        days_from_civil(2024, 2, 29).map(format_date).as_deref(),
        Some("2024-02-29")
    );
    assert_eq!(days_from_civil(2023, 2, 29), None);
    assert_eq!(days_from_civil(2026, 13, 1), None);
    assert_eq!(days_from_civil(2026, 4, 0), None);
    assert_eq!(days_in_month(1900, 2), 28);
    assert_eq!(days_in_month(2000, 2), 29);
}

#[wasm_bindgen_test]
fn civil_dates_round_trip_over_centuries() {
    // i64 arithmetic inside the algorithm must not overflow on wasm32's 32-bit usize.
    for days in (-800_000..800_000).step_by(997) {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(
            days_from_civil(y, m, d),
            Some(days),
            "day {days} -> {y}-{m}-{d}"
        );
    }
}

#[wasm_bindgen_test]
fn decimals_and_floats_print_exactly() {
    assert_eq!(format_decimal(345_442_532_512, 2), "3454425325.12");
    assert_eq!(format_decimal(-5, 2), "-0.05");
    assert_eq!(format_decimal(i64::MIN, 0), i64::MIN.to_string());
    assert_eq!(format_float(3.0), "3");
    assert_eq!(format_float(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(
        Value::Decimal {
            units: 123_456,
            scale: 2
        }
        .to_plain_string(),
        "1234.56"
    );
    assert_eq!(
        Value::Decimal {
            units: 123_456,
            scale: 2
        }
        .as_f64(),
        Some(1234.56)
    );
    assert_eq!(Value::Date(20_454).to_plain_string(), "2026-01-01");
    assert!(Value::Null.is_null() && Value::Text("x".into()).as_f64().is_none());
}

#[wasm_bindgen_test]
fn null_mask_counts_across_64_bit_words() {
    let mut mask = NullMask::with_capacity(200);
    for i in 0..200 {
        mask.push(i % 5 != 0);
    }
    assert_eq!(mask.len(), 200);
    assert_eq!(mask.null_count(), 40);
    assert!(!mask.is_valid(0) && mask.is_valid(1) && mask.is_valid(64) && !mask.is_valid(65));
    assert!(!mask.is_valid(200), "out of range is never valid");
    mask.set(0, true);
    mask.set(199, false);
    assert_eq!(mask.null_count(), 40);
    mask.set(500, true);
    assert_eq!(mask.len(), 200, "set out of range is ignored");

    let all = NullMask::all_valid(129);
    assert_eq!((all.len(), all.null_count()), (129, 0));
    assert!(all.is_valid(128) && !all.is_valid(129));
    assert!(NullMask::default().is_empty());
}
