//! Training the name model. Text comes from the generator in `data` (its own templates and
//! word lists, nothing from any evaluation corpus); every surname position's candidates are
//! labelled against the generated names; an averaged perceptron learns over their features;
//! the weights are quantised to `i16`. Deterministic: the same seed, size and epochs give the
//! same bytes, which is how `train_names --check` verifies the shipped table.
//!
//! Public only for the `train_names` example; not part of the crate's API.

use super::data::{Rng, document};
use super::{BITS, Context, HEADER, MAGIC, Span, best, candidates, features, weight_in};
use crate::lex::{Lexicon, lexicon};
use crate::scan::Scanner;

/// The settings the shipped weights were trained with.
pub const SEED: u64 = 20_261_204;
/// Documents generated for training.
pub const DOCUMENTS: usize = 60_000;
/// Passes over the training examples.
pub const EPOCHS: usize = 8;

/// What a training run did and how the result scores on generated text it did not see.
#[derive(Debug)]
pub struct Report {
    /// Candidate spans the perceptron learned from.
    pub examples: usize,
    /// Of which were names.
    pub positives: usize,
    /// Exact-span precision and recall of the quantised model on held-out generated text.
    pub heldout_precision: f64,
    /// See `heldout_precision`.
    pub heldout_recall: f64,
}

/// Trains on `docs` generated documents for `epochs` passes and returns the weight table in
/// its shipped form, with a report. `None` only if the lexicon cannot be built.
pub fn train(seed: u64, docs: usize, epochs: usize) -> Option<(Vec<u8>, Report)> {
    let lx = lexicon()?;
    let mut rng = Rng::new(seed);
    let mut feats: Vec<u32> = Vec::new();
    let mut examples: Vec<(usize, usize, f32)> = Vec::new();
    for _ in 0..docs {
        let (text, gold) = document(&mut rng);
        let b = text.as_bytes();
        for_each_candidate(lx, b, |s, f| {
            let y = if gold.contains(&(s.start, s.end)) {
                1.0
            } else {
                -1.0
            };
            examples.push((feats.len(), f.n, y));
            feats.extend_from_slice(&f.idx[..f.n]);
        });
    }
    let size = 1usize << BITS;
    let mut w = vec![0f32; size];
    let mut u = vec![0f32; size];
    let mut c = 1f32;
    let mut order: Vec<usize> = (0..examples.len()).collect();
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (at, n, y) = examples[k];
            let x = &feats[at..at + n];
            let s: f32 = x.iter().map(|&i| w[i as usize]).sum();
            if y * s <= 0.0 {
                for &i in x {
                    w[i as usize] += y;
                    u[i as usize] += y * c;
                }
            }
            c += 1.0;
        }
    }
    let avg: Vec<f32> = w.iter().zip(&u).map(|(w, u)| w - u / c).collect();
    let max = avg.iter().fold(0f32, |m, v| m.max(v.abs())).max(1e-6);
    let scale = f32::from(i16::MAX) / max;
    let mut out = Vec::with_capacity(HEADER + 2 * size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&BITS.to_le_bytes());
    out.extend_from_slice(&scale.to_le_bytes());
    for v in &avg {
        let q = (v * scale)
            .round()
            .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
        out.extend_from_slice(&q.to_le_bytes());
    }
    let positives = examples.iter().filter(|e| e.2 > 0.0).count();
    let (heldout_precision, heldout_recall) = evaluate(lx, &out, seed ^ 0x5eed, docs / 10);
    Some((
        out,
        Report {
            examples: examples.len(),
            positives,
            heldout_precision,
            heldout_recall,
        },
    ))
}

/// Every candidate at every surname position of `b`, with its features, in text order.
fn for_each_candidate(lx: &Lexicon, b: &[u8], mut f: impl FnMut(Span, &super::Features)) {
    let sc = Scanner::new(b, lx, None);
    let mut i = 0;
    while i < b.len() {
        let (c, l) = crate::text::decode_at(b, i);
        if l == 0 {
            break;
        }
        if lx.surnames.contains(c) || lx.compound_first.contains(c) {
            let (spans, n) = candidates(lx, b, i);
            let cx = Context::new(lx, b, i, sc.name_cue(i));
            for s in &spans[..n] {
                let mut all = features(lx, b, &cx, *s);
                for &k in cx.shared() {
                    all.add_index(k);
                }
                f(*s, &all);
            }
        }
        i += l;
    }
}

/// Exact-span precision and recall of a weight table on freshly generated documents, decoding
/// as the scanner does: at each surname position the best candidate above zero, then on
/// after it.
fn evaluate(lx: &Lexicon, table: &[u8], seed: u64, docs: usize) -> (f64, f64) {
    let mut rng = Rng::new(seed);
    let (mut tp, mut found, mut gold_n) = (0usize, 0usize, 0usize);
    for _ in 0..docs {
        let (text, gold) = document(&mut rng);
        let b = text.as_bytes();
        gold_n += gold.len();
        let sc = Scanner::new(b, lx, None);
        let mut i = 0;
        while i < b.len() {
            let (c, l) = crate::text::decode_at(b, i);
            if l == 0 {
                break;
            }
            if lx.surnames.contains(c) || lx.compound_first.contains(c) {
                let best = best(lx, b, i, sc.name_cue(i), |k| weight_in(table, k));
                if let Some((_, s)) = best {
                    found += 1;
                    tp += usize::from(gold.contains(&(s.start, s.end)));
                    i = s.end;
                    continue;
                }
            }
            i += l;
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (ratio(tp, found), ratio(tp, gold_n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped table is what the training settings produce: retrain and compare bytes.
    #[test]
    fn the_shipped_weights_are_reproducible() {
        let (table, report) = train(SEED, DOCUMENTS, EPOCHS).expect("lexicon");
        assert!(report.positives > 0 && report.examples > report.positives);
        assert!(
            table == super::super::WEIGHTS,
            "names.weights differs from a fresh training run: \
             cargo run --release -p custodian-detect --example train_names"
        );
    }
}
