//! Training the name model. Text comes from the generators in `data` and `latin_data` (their
//! own templates and word lists, nothing from any evaluation corpus); every candidate is
//! labelled against the generated names; an averaged perceptron learns over their features;
//! the weights are quantised to `i16`. Deterministic: the same seed, size and epochs give the
//! same bytes, which is how `train_names --check` and a unit test verify the shipped tables.
//!
//! Public only for the `train_names` example; not part of the crate's API.

use super::data::Rng;
use super::{BITS, Context, Features, HEADER, MAGIC, candidates, features, latin, weight_in};
use crate::lex::{Lexicon, lexicon};
use crate::scan::{Scanner, upper_at};
use crate::text::{decode_at, word_start};

/// The settings the shipped weights were trained with.
pub const SEED: u64 = 20_261_204;
/// Documents generated for training, per script.
pub const DOCUMENTS: usize = 60_000;
/// Passes over the training examples.
pub const EPOCHS: usize = 8;

/// Which half of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Chinese names: `names.weights`.
    Han,
    /// Latin-script names: `latin.weights`.
    Latin,
}

impl Script {
    /// The file the table ships in, under `src/model/`.
    pub fn file(self) -> &'static str {
        match self {
            Script::Han => "names.weights",
            Script::Latin => "latin.weights",
        }
    }
}

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

/// Trains one half on `docs` generated documents for `epochs` passes and returns its weight
/// table in the shipped form, with a report. `None` only if the lexicon cannot be built.
pub fn train(script: Script, seed: u64, docs: usize, epochs: usize) -> Option<(Vec<u8>, Report)> {
    let lx = lexicon()?;
    let mut rng = Rng::new(seed);
    let mut feats: Vec<u32> = Vec::new();
    let mut examples: Vec<(usize, usize, f32)> = Vec::new();
    for _ in 0..docs {
        let (text, gold) = document(script, &mut rng);
        for_each_candidate(script, lx, text.as_bytes(), |span, f| {
            let y = if gold.contains(&span) { 1.0 } else { -1.0 };
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
    let (heldout_precision, heldout_recall) = evaluate(script, lx, &out, seed ^ 0x5eed, docs / 10);
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

fn document(script: Script, rng: &mut Rng) -> (String, Vec<(usize, usize)>) {
    match script {
        Script::Han => super::data::document(rng),
        Script::Latin => super::latin_data::document(rng),
    }
}

/// Where the scanner asks the model, with the same gates: at a surname character that does
/// not start a stop word (Han), at an upper-case letter that starts a word (Latin); never in a
/// table column whose header says it holds no names.
fn starts_here(script: Script, sc: &Scanner, lx: &Lexicon, b: &[u8], i: usize, c: char) -> bool {
    let here = match script {
        Script::Han => {
            (lx.surnames.contains(c) || lx.compound_first.contains(c)) && !lx.name_stop_at(b, i)
        }
        Script::Latin => upper_at(b, i) && word_start(b, i),
    };
    here && !sc.column_without_names(i)
}

/// Calls `at` at every place in `b` where the scanner would ask the model, in text order;
/// `at` returns where to go on (past a chosen name), or `None` for the next character.
fn walk(
    script: Script,
    lx: &Lexicon,
    b: &[u8],
    mut at: impl FnMut(&Scanner, usize) -> Option<usize>,
) {
    let sc = Scanner::new(b, lx, None, false);
    let mut i = 0;
    while i < b.len() {
        let (c, l) = decode_at(b, i);
        if l == 0 {
            break;
        }
        if starts_here(script, &sc, lx, b, i, c)
            && let Some(next) = at(&sc, i)
        {
            i = next;
            continue;
        }
        i += l;
    }
}

/// Every candidate in `b`, with its features, in text order.
fn for_each_candidate(
    script: Script,
    lx: &Lexicon,
    b: &[u8],
    mut f: impl FnMut((usize, usize), &Features),
) {
    walk(script, lx, b, |sc, i| {
        let cue = sc.name_cue(i);
        match script {
            Script::Han => {
                let (spans, n) = candidates(lx, b, i);
                let cx = Context::new(lx, b, i, cue);
                for s in &spans[..n] {
                    let mut all = features(lx, b, &cx, *s);
                    for &k in cx.shared() {
                        all.add_index(k);
                    }
                    f((s.start, s.end), &all);
                }
            }
            Script::Latin => {
                let (spans, n) = latin::candidates(lx, b, i);
                for s in &spans[..n] {
                    f((s.start, s.end), &latin::features(b, *s, cue));
                }
            }
        }
        None
    });
}

/// Exact-span precision and recall of a weight table on freshly generated documents, decoding
/// as the scanner does: at each start the best candidate above zero, then on after it.
fn evaluate(script: Script, lx: &Lexicon, table: &[u8], seed: u64, docs: usize) -> (f64, f64) {
    let mut rng = Rng::new(seed);
    let (mut tp, mut found, mut gold_n) = (0usize, 0usize, 0usize);
    for _ in 0..docs {
        let (text, gold) = document(script, &mut rng);
        let b = text.as_bytes();
        gold_n += gold.len();
        walk(script, lx, b, |sc, i| {
            let w = |k| weight_in(table, k);
            let span = match script {
                Script::Han => {
                    super::best(lx, b, i, sc.name_cue(i), w).map(|(_, s)| (s.start, s.end))
                }
                Script::Latin => {
                    latin::best(lx, b, i, sc.name_cue(i), w).map(|(_, s)| (s.start, s.end))
                }
            }?;
            found += 1;
            tp += usize::from(gold.contains(&span));
            Some(span.1)
        });
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    (ratio(tp, found), ratio(tp, gold_n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shipped tables are what the training settings produce: retrain and compare bytes.
    #[test]
    fn the_shipped_weights_are_reproducible() {
        for (script, shipped) in [
            (Script::Han, super::super::WEIGHTS),
            (Script::Latin, super::super::LATIN_WEIGHTS),
        ] {
            let (table, report) = train(script, SEED, DOCUMENTS, EPOCHS).expect("lexicon");
            assert!(report.positives > 0 && report.examples > report.positives);
            assert!(
                table == shipped,
                "{} differs from a fresh training run: \
                 cargo run --release -p custodian-detect --example train_names",
                script.file()
            );
        }
    }
}
