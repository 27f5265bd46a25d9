//! Class breaks of a choropleth: quantiles (the default: each class holds about as many areas),
//! equal intervals, and natural breaks (Fisher-Jenks: classes as homogeneous as possible).
//!
//! What must stay true: breaks are increasing, the first is the smallest value and the last the
//! largest, so every value falls in exactly one class; duplicate breaks (many equal values) are
//! merged, giving fewer classes rather than empty ones.

use serde::{Deserialize, Serialize};

/// How values are cut into classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Quantiles: each class holds about the same number of areas.
    #[default]
    Quantile,
    /// Equal intervals between the smallest and the largest value.
    Equal,
    /// Natural breaks (Fisher-Jenks).
    Jenks,
}

/// Most values natural breaks read: beyond it, an evenly spaced sample of the sorted values
/// (Fisher-Jenks costs `k n²`; 1 000 values take a few milliseconds).
pub const JENKS_SAMPLE: usize = 1_000;

/// The class bounds of `values` in at most `k` classes: `[b0, b1, …, bm]` with `b0` the
/// minimum, `bm` the maximum; class `i` is `[b_i, b_{i+1})`, the last one closed. Non-finite
/// values are ignored; no value gives no bounds.
///
/// ```
/// use loupe::chart::map::classes::{breaks, Method};
/// let b = breaks(&[1.0, 2.0, 3.0, 4.0], 2, Method::Equal);
/// assert_eq!(b, vec![1.0, 2.5, 4.0]);
/// ```
pub fn breaks(values: &[f64], k: usize, method: Method) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() || k == 0 {
        return Vec::new();
    }
    v.sort_by(f64::total_cmp);
    let (lo, hi) = (v[0], v[v.len() - 1]);
    if lo == hi {
        return vec![lo, hi];
    }
    let k = k.min(v.len());
    let mut b = match method {
        Method::Equal => (0..=k)
            .map(|i| lo + (hi - lo) * i as f64 / k as f64)
            .collect(),
        Method::Quantile => {
            let mut b = vec![lo];
            for i in 1..k {
                // The first value of the i-th k-th of the sorted values: class i holds ranks
                // i·n/k up to (i+1)·n/k.
                b.push(v[(i * v.len() / k).min(v.len() - 1)]);
            }
            b.push(hi);
            b
        }
        Method::Jenks => jenks(&v, k),
    };
    b.dedup_by(|a, b| a == b);
    if b.len() == 1 {
        b.push(hi);
    }
    b
}

/// The class of `v` among `bounds` (see [`breaks`]), `None` outside them.
pub fn class_of(v: f64, bounds: &[f64]) -> Option<usize> {
    if bounds.len() < 2 || !(bounds[0]..=bounds[bounds.len() - 1]).contains(&v) {
        return None;
    }
    let classes = bounds.len() - 1;
    Some((1..classes).take_while(|&i| v >= bounds[i]).count())
}

/// Fisher-Jenks natural breaks of sorted values (sampled beyond [`JENKS_SAMPLE`]).
fn jenks(sorted: &[f64], k: usize) -> Vec<f64> {
    let v: Vec<f64> = if sorted.len() > JENKS_SAMPLE {
        (0..JENKS_SAMPLE)
            .map(|i| sorted[i * (sorted.len() - 1) / (JENKS_SAMPLE - 1)])
            .collect()
    } else {
        sorted.to_vec()
    };
    let n = v.len();
    let k = k.min(n);
    // Prefix sums give the within-class squared deviation of any run in O(1).
    let mut s1 = vec![0.0; n + 1];
    let mut s2 = vec![0.0; n + 1];
    for i in 0..n {
        s1[i + 1] = s1[i] + v[i];
        s2[i + 1] = s2[i] + v[i] * v[i];
    }
    let ssd = |a: usize, b: usize| {
        // Values a..b (exclusive).
        let m = (b - a) as f64;
        let s = s1[b] - s1[a];
        s2[b] - s2[a] - s * s / m
    };
    // cost[c][j]: best total deviation of the first j values in c+1 classes.
    let mut cost = vec![vec![f64::INFINITY; n + 1]; k];
    let mut cut = vec![vec![0usize; n + 1]; k];
    for (j, c) in cost[0].iter_mut().enumerate().skip(1) {
        *c = ssd(0, j);
    }
    for c in 1..k {
        for j in (c + 1)..=n {
            for i in c..j {
                let t = cost[c - 1][i] + ssd(i, j);
                if t < cost[c][j] {
                    cost[c][j] = t;
                    cut[c][j] = i;
                }
            }
        }
    }
    let mut starts = Vec::with_capacity(k);
    let mut j = n;
    for c in (1..k).rev() {
        let i = cut[c][j];
        starts.push(i);
        j = i;
    }
    starts.reverse();
    let mut b = vec![v[0]];
    b.extend(starts.iter().map(|&i| v[i]));
    b.push(v[n - 1]);
    b
}
