//! Linear scales and "nice" ticks: domains rounded to 1, 2, 2.5 or 5 times a power of ten, so
//! that axes read `0, 5 M€, 10 M€` rather than `0, 4,37 M€`.

/// A nice step at least `raw` (`1`, `2`, `2.5`, `5` times a power of ten).
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let pow = 10f64.powf(raw.log10().floor());
    let f = raw / pow;
    let nice = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * pow
}

/// A linear axis: its domain snapped to the ticks, and the tick values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<f64>,
}

impl Axis {
    /// Nice ticks covering `[min, max]` with about `target` intervals (at least one).
    /// `integer` keeps steps whole (years, counts).
    pub fn nice(min: f64, max: f64, target: usize, integer: bool) -> Axis {
        let (mut min, mut max) = if min.is_finite() && max.is_finite() {
            (min.min(max), min.max(max))
        } else {
            (0.0, 1.0)
        };
        if max - min < f64::EPSILON * max.abs().max(1.0) {
            // One value: centre it in a unit-wide (or 10 %-wide) window.
            let pad = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
            if min >= 0.0 && min - pad < 0.0 {
                min = 0.0;
            } else {
                min -= pad;
            }
            max += pad;
        }
        let target = target.max(1) as f64;
        let mut step = nice_step((max - min) / target);
        if integer {
            step = step.max(1.0).round();
        }
        let lo = (min / step).floor() * step;
        let hi = (max / step).ceil() * step;
        let n = ((hi - lo) / step).round() as usize;
        let ticks = (0..=n)
            .map(|i| {
                let t = lo + step * i as f64;
                // Snap away float noise such as 0.30000000000000004 and -0.
                let t = (t / step).round() * step;
                if t == 0.0 {
                    0.0
                } else {
                    t
                }
            })
            .collect();
        Axis { lo, hi, ticks }
    }

    /// Maps a value of the domain onto `[p0, p1]` pixels (`p0` for `lo`).
    pub fn map(&self, v: f64, p0: f64, p1: f64) -> f64 {
        if self.hi == self.lo {
            return p0;
        }
        p0 + (v - self.lo) / (self.hi - self.lo) * (p1 - p0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(13.0), 20.0);
        assert_eq!(nice_step(2.2e9), 2.5e9);
        assert_eq!(nice_step(4.0), 5.0);
    }

    #[test]
    fn axis_covers_the_data() {
        let a = Axis::nice(0.0, 87.0, 5, false);
        assert_eq!(a.lo, 0.0);
        assert_eq!(a.hi, 100.0);
        assert_eq!(a.ticks, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
    }

    #[test]
    fn one_value_gets_a_window() {
        let a = Axis::nice(5.0, 5.0, 4, false);
        assert!(a.lo <= 5.0 && a.hi > 5.0);
    }

    #[test]
    fn integer_axes_keep_whole_steps() {
        let a = Axis::nice(2019.0, 2021.0, 8, true);
        assert!(a.ticks.iter().all(|t| t.fract() == 0.0));
    }
}
