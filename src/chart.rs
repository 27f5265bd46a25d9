//! Charts: a chart spec plus a result table -> drawing on any plotters `DrawingBackend`
//! (canvas in the browser, SVG for tests and downloads). Pure Rust.
