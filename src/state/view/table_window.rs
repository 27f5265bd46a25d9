//! Which part of a long or wide table to render: the rows in and near a scrolling viewport
//! (the others stand as spacers) and the page of value columns of a wide result. Pure, so that
//! it is tested natively; the tables in `ui` render what it says.

/// Height of one row in pixels; must match `.vt-row` in the stylesheet.
pub const ROW_HEIGHT: i32 = 36;
/// Height of the scrolling viewport in pixels.
pub const VIEWPORT: i32 = 468;
/// Rows rendered beyond the visible ones, above and below, so fast scrolls do not flash.
const OVERSCAN: i32 = 8;

/// Tallest scrollable height in pixels. Browsers cap element heights (about 33.5 million
/// pixels in Chromium), so beyond this the scroll position maps proportionally to rows.
const MAX_VIRTUAL_PX: i64 = 8_000_000;

/// Which rows to render for a scroll position, and the spacers around them.
pub struct Window {
    pub first: i32,
    pub last: i32,
    pub top_px: i64,
    pub bottom_px: i64,
}

impl Window {
    pub fn at(scroll_top: i32, total: i32) -> Window {
        let full = i64::from(total) * i64::from(ROW_HEIGHT);
        let virt = full.min(MAX_VIRTUAL_PX);
        let visible = VIEWPORT / ROW_HEIGHT + 1;
        let top_row = if full > virt {
            let ratio = f64::from(scroll_top) / (virt - i64::from(VIEWPORT)).max(1) as f64;
            (ratio.clamp(0.0, 1.0) * f64::from((total - visible).max(0))) as i32
        } else {
            scroll_top / ROW_HEIGHT
        };
        let first = (top_row - OVERSCAN).clamp(0, total);
        let last = (top_row + visible + OVERSCAN).min(total);
        // Place the rendered rows where the viewport looks: exactly in the unscaled case.
        let top_px = if full > virt {
            (i64::from(scroll_top) - i64::from((top_row - first) * ROW_HEIGHT)).max(0)
        } else {
            i64::from(first) * i64::from(ROW_HEIGHT)
        };
        let bottom_px = (virt - top_px - i64::from((last - first) * ROW_HEIGHT)).max(0);
        Window {
            first,
            last,
            top_px,
            bottom_px,
        }
    }
}

/// Value columns of a wide result shown at once beside its row labels.
pub const PAGE_COLUMNS: usize = 12;

/// The value columns shown, `first..last` of `values`, for a page asked to start at `first`:
/// pages of [`PAGE_COLUMNS`]; a page past the end (the result shrank) is the last page.
pub fn column_page(values: usize, first: usize) -> (usize, usize) {
    let first = first.min(values.saturating_sub(1) / PAGE_COLUMNS * PAGE_COLUMNS);
    (first, (first + PAGE_COLUMNS).min(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_around_the_viewport_and_spacers_for_the_rest() {
        // 100 rows of 36 px (3,600 px), a viewport of 468 px showing 14 rows, 8 more each side.
        let w = Window::at(0, 100);
        assert_eq!((w.first, w.last, w.top_px, w.bottom_px), (0, 22, 0, 2_808));
        // Scrolled to row 50: rows 42-71 rendered, 42 rows above, 28 below.
        let w = Window::at(1_800, 100);
        assert_eq!(
            (w.first, w.last, w.top_px, w.bottom_px),
            (42, 72, 1_512, 1_008)
        );
        // At the very end: the last row is rendered and nothing is below.
        let w = Window::at(3_600 - 468, 100);
        assert_eq!((w.last, w.bottom_px), (100, 0));
        // Fewer rows than the viewport holds: all of them.
        let w = Window::at(0, 5);
        assert_eq!((w.first, w.last, w.top_px, w.bottom_px), (0, 5, 0, 0));
    }

    #[test]
    fn a_million_rows_scroll_proportionally_to_the_last_one() {
        // 36,000,000 px would pass the browsers' cap: the height is 8,000,000 px.
        let end = Window::at(8_000_000 - 468, 1_000_000);
        assert_eq!(end.last, 1_000_000);
        assert!(end.last - end.first <= 14 + 16);
        let mid = Window::at(4_000_000 - 234, 1_000_000);
        assert!((499_000..501_000).contains(&mid.first), "{}", mid.first);
        // In the middle, the spacers and the rendered rows make the capped height exactly.
        let rows = i64::from(mid.last - mid.first) * 36;
        assert_eq!(mid.top_px + rows + mid.bottom_px, 8_000_000);
    }

    #[test]
    fn column_pages_cover_every_value_column_once() {
        // 31 value columns: 1-12, 13-24, 25-31.
        assert_eq!(column_page(31, 0), (0, 12));
        assert_eq!(column_page(31, 12), (12, 24));
        assert_eq!(column_page(31, 24), (24, 31));
        assert_eq!(column_page(24, 12), (12, 24));
        // A page asked past the end (the answer shrank) shows the last page.
        assert_eq!(column_page(31, 36), (24, 31));
        assert_eq!(column_page(5, 12), (0, 5));
        assert_eq!(column_page(0, 0), (0, 0));
    }
}
