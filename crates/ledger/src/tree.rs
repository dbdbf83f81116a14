//! The Merkle tree of RFC 9162 §2.1: appending, roots, and the proofs a log serves.
//!
//! Storage model: the log keeps the hash of every *perfect* subtree — a node `(level, index)`
//! covers leaves `index·2^level .. (index+1)·2^level` — in a [`NodeStore`]. Appending a leaf
//! writes the leaf and each perfect subtree it completes (amortised two hashes, at most
//! `log2 n + 1`), and the log keeps the *right frontier* (the perfect subtrees that make up the
//! current tree, at most one per level) in memory, so appending and computing the root read
//! nothing. A proof needs O(log n) subtree hashes: perfect ones come from the store, and the
//! few partial subtrees on the right edge are folded from perfect ones.
//!
//! Sans-I/O: [`Log::append`] returns the nodes to write, so a store can write them in the same
//! transaction as the act the entry records; [`inclusion_nodes`] and [`consistency_nodes`]
//! name the nodes a proof needs, so a store can fetch them in one query, and
//! [`InclusionProof::from_nodes`] / [`ConsistencyProof::from_nodes`] assemble the proof.

use std::collections::HashMap;

use crate::error::{Error, ProofError};
use crate::hash::{Hash, node_hash};
use crate::{LeafIndex, TreeSize};

/// A perfect subtree: `level` (0 = leaf) and `index` among the subtrees of that level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// Height above the leaves.
    pub level: u8,
    /// Position among the nodes of that level, from the left.
    pub index: u64,
}

impl NodeId {
    /// The first leaf the node covers.
    pub fn first_leaf(&self) -> u64 {
        self.index << self.level
    }
}

/// Where a log keeps its node hashes.
pub trait NodeStore {
    /// The store's error.
    type Error: std::error::Error + Send + Sync + 'static;

    /// The hash of a perfect subtree, if stored.
    fn node(&self, id: NodeId) -> Result<Option<Hash>, Self::Error>;

    /// Stores nodes. Nodes are never overwritten with a different hash.
    fn put_nodes(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), Self::Error>;
}

/// An in-memory node store for tests and benchmarks: one vector per level.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
}

/// The in-memory store never fails.
#[derive(Debug, thiserror::Error)]
#[error("memory store error")]
pub struct MemoryStoreError;

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Bytes of hashes held.
    pub fn bytes(&self) -> usize {
        self.levels.iter().map(|l| l.len() * 32).sum()
    }
}

impl NodeStore for MemoryStore {
    type Error = MemoryStoreError;

    fn node(&self, id: NodeId) -> Result<Option<Hash>, MemoryStoreError> {
        let idx = usize::try_from(id.index).map_err(|_| MemoryStoreError)?;
        Ok(self
            .levels
            .get(usize::from(id.level))
            .and_then(|l| l.get(idx))
            .copied())
    }

    fn put_nodes(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), MemoryStoreError> {
        for (id, h) in nodes {
            let level = usize::from(id.level);
            if self.levels.len() <= level {
                self.levels.resize_with(level + 1, Vec::new);
            }
            let l = &mut self.levels[level];
            let idx = usize::try_from(id.index).map_err(|_| MemoryStoreError)?;
            if idx == l.len() {
                l.push(*h);
            } else if idx < l.len() {
                l[idx] = *h;
            } else {
                return Err(MemoryStoreError);
            }
        }
        Ok(())
    }
}

/// The growing tree: its size and right frontier. Cheap to keep in memory; rebuilt from a
/// store with [`Log::from_frontier`].
#[derive(Clone, Debug)]
pub struct Log {
    size: u64,
    // INVARIANT (frontier): the perfect subtrees whose concatenation is the tree, left to
    // right, strictly decreasing in level; their levels are the set bits of `size`.
    frontier: Vec<(NodeId, Hash)>,
}

impl Default for Log {
    fn default() -> Self {
        Log::new()
    }
}

impl Log {
    /// An empty log.
    pub fn new() -> Self {
        Log {
            size: 0,
            frontier: Vec::new(),
        }
    }

    /// The node ids of the frontier of a tree of `size` leaves, left to right.
    pub fn frontier_ids(size: TreeSize) -> Vec<NodeId> {
        let size = size.get();
        let mut out = Vec::new();
        let mut start = 0u64;
        for level in (0..64u8).rev() {
            if size & (1u64 << level) != 0 {
                out.push(NodeId {
                    level,
                    index: start >> level,
                });
                start += 1u64 << level;
            }
        }
        out
    }

    /// Rebuilds a log of `size` leaves from the hashes of [`Log::frontier_ids`].
    pub fn from_frontier(size: TreeSize, hashes: &[Hash]) -> Result<Log, Error> {
        let ids = Log::frontier_ids(size);
        if ids.len() != hashes.len() {
            return Err(Error::Store(format!(
                "frontier of size {} needs {} hashes, got {}",
                size.get(),
                ids.len(),
                hashes.len()
            )));
        }
        Ok(Log {
            size: size.get(),
            frontier: ids.into_iter().zip(hashes.iter().copied()).collect(),
        })
    }

    /// Number of leaves.
    pub fn size(&self) -> TreeSize {
        TreeSize::new(self.size)
    }

    /// Appends one leaf hash; returns the nodes to store (the leaf and every perfect subtree
    /// it completes) and the leaf's index.
    pub fn append(&mut self, leaf: Hash) -> (LeafIndex, Vec<(NodeId, Hash)>) {
        let mut out = Vec::with_capacity(2);
        let index = self.push(leaf, &mut out);
        (index, out)
    }

    /// Appends many leaf hashes; returns the index of the first and the nodes to store.
    pub fn append_batch(&mut self, leaves: &[Hash]) -> (LeafIndex, Vec<(NodeId, Hash)>) {
        let first = LeafIndex::new(self.size);
        let mut out = Vec::with_capacity(leaves.len() * 2 + 8);
        for l in leaves {
            self.push(*l, &mut out);
        }
        (first, out)
    }

    fn push(&mut self, leaf: Hash, out: &mut Vec<(NodeId, Hash)>) -> LeafIndex {
        let index = self.size;
        let mut node = (NodeId { level: 0, index }, leaf);
        out.push(node);
        while let Some(&(left_id, left)) = self.frontier.last() {
            if left_id.level != node.0.level {
                break;
            }
            self.frontier.pop();
            let parent = (
                NodeId {
                    level: left_id.level + 1,
                    index: left_id.index >> 1,
                },
                node_hash(&left, &node.1),
            );
            out.push(parent);
            node = parent;
        }
        self.frontier.push(node);
        self.size += 1;
        LeafIndex::new(index)
    }

    /// The root hash (the hash of the empty string for an empty tree).
    pub fn root(&self) -> Hash {
        let mut it = self.frontier.iter().rev();
        let Some(&(_, mut acc)) = it.next() else {
            return Hash::empty();
        };
        for (_, h) in it {
            acc = node_hash(h, &acc);
        }
        acc
    }

    /// Proves that leaf `index` is in the tree of `size` leaves (`size` ≤ the log's size).
    pub fn prove_inclusion<S: NodeStore>(
        &self,
        store: &S,
        index: LeafIndex,
        size: TreeSize,
    ) -> Result<InclusionProof, Error> {
        self.check_size(size)?;
        let needed = inclusion_nodes(index, size)?;
        let got = fetch(store, &needed)?;
        InclusionProof::from_nodes(index, size, &got)
    }

    /// Proves that the tree of `size1` leaves is a prefix of the tree of `size2` leaves.
    pub fn prove_consistency<S: NodeStore>(
        &self,
        store: &S,
        size1: TreeSize,
        size2: TreeSize,
    ) -> Result<ConsistencyProof, Error> {
        self.check_size(size2)?;
        let needed = consistency_nodes(size1, size2)?;
        let got = fetch(store, &needed)?;
        ConsistencyProof::from_nodes(size1, size2, &got)
    }

    /// The root of the tree of the first `size` leaves (an earlier root, from the store).
    pub fn root_at<S: NodeStore>(&self, store: &S, size: TreeSize) -> Result<Hash, Error> {
        self.check_size(size)?;
        if size.get() == self.size {
            return Ok(self.root());
        }
        if size.get() == 0 {
            return Ok(Hash::empty());
        }
        let mut needed = Vec::new();
        range_nodes(0, size.get(), &mut needed);
        let got = fetch(store, &needed)?;
        range_hash(0, size.get(), &got)
    }

    fn check_size(&self, size: TreeSize) -> Result<(), Error> {
        if size.get() > self.size {
            return Err(Error::Proof(ProofError::SizeBeyondLog {
                size: size.get(),
                log: self.size,
            }));
        }
        Ok(())
    }
}

/// Proves inclusion of leaf `index` in the tree of `size` leaves from stored nodes alone
/// (for a store whose log lives elsewhere, e.g. in a database writer).
pub fn prove_inclusion<S: NodeStore>(
    store: &S,
    index: LeafIndex,
    size: TreeSize,
) -> Result<InclusionProof, Error> {
    let needed = inclusion_nodes(index, size)?;
    let got = fetch(store, &needed)?;
    InclusionProof::from_nodes(index, size, &got)
}

/// Proves consistency between two sizes from stored nodes alone.
pub fn prove_consistency<S: NodeStore>(
    store: &S,
    size1: TreeSize,
    size2: TreeSize,
) -> Result<ConsistencyProof, Error> {
    let needed = consistency_nodes(size1, size2)?;
    let got = fetch(store, &needed)?;
    ConsistencyProof::from_nodes(size1, size2, &got)
}

/// The root of the first `size` leaves from stored nodes alone.
pub fn root_from_store<S: NodeStore>(store: &S, size: TreeSize) -> Result<Hash, Error> {
    if size.get() == 0 {
        return Ok(Hash::empty());
    }
    let mut needed = Vec::new();
    range_nodes(0, size.get(), &mut needed);
    let got = fetch(store, &needed)?;
    range_hash(0, size.get(), &got)
}

fn fetch<S: NodeStore>(store: &S, ids: &[NodeId]) -> Result<HashMap<NodeId, Hash>, Error> {
    let mut out = HashMap::with_capacity(ids.len());
    for id in ids {
        let h = store
            .node(*id)
            .map_err(|e| Error::Store(e.to_string()))?
            .ok_or_else(|| Error::Store(format!("node {}/{} missing", id.level, id.index)))?;
        out.insert(*id, h);
    }
    Ok(out)
}

/// Largest power of two strictly less than `n` (`n` ≥ 2).
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Appends the perfect subtrees that make up leaves `lo..hi` (RFC 9162 split order).
fn range_nodes(lo: u64, hi: u64, out: &mut Vec<NodeId>) {
    let n = hi - lo;
    if n == 0 {
        return;
    }
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        out.push(NodeId {
            level: n.trailing_zeros() as u8,
            index: lo / n,
        });
        return;
    }
    let k = split(n);
    range_nodes(lo, lo + k, out);
    range_nodes(lo + k, hi, out);
}

/// MTH of leaves `lo..hi` from the hashes of its perfect subtrees.
fn range_hash(lo: u64, hi: u64, nodes: &HashMap<NodeId, Hash>) -> Result<Hash, Error> {
    let n = hi - lo;
    if n == 0 {
        return Ok(Hash::empty());
    }
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        let id = NodeId {
            level: n.trailing_zeros() as u8,
            index: lo / n,
        };
        return nodes
            .get(&id)
            .copied()
            .ok_or_else(|| Error::Store(format!("node {}/{} missing", id.level, id.index)));
    }
    let k = split(n);
    Ok(node_hash(
        &range_hash(lo, lo + k, nodes)?,
        &range_hash(lo + k, hi, nodes)?,
    ))
}

/// RFC 9162 §2.1.3.1 PATH, as the leaf ranges whose hashes make up the proof, leaf to root.
fn inclusion_ranges(m: u64, lo: u64, hi: u64, out: &mut Vec<(u64, u64)>) {
    let n = hi - lo;
    if n <= 1 {
        return;
    }
    let k = split(n);
    if m < lo + k {
        inclusion_ranges(m, lo, lo + k, out);
        out.push((lo + k, hi));
    } else {
        inclusion_ranges(m, lo + k, hi, out);
        out.push((lo, lo + k));
    }
}

/// RFC 9162 §2.1.4.1 SUBPROOF, as leaf ranges.
fn consistency_ranges(m: u64, lo: u64, hi: u64, b: bool, out: &mut Vec<(u64, u64)>) {
    let n = hi - lo;
    if m == n {
        if !b {
            out.push((lo, hi));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        consistency_ranges(m, lo, lo + k, b, out);
        out.push((lo + k, hi));
    } else {
        consistency_ranges(m - k, lo + k, hi, false, out);
        out.push((lo, lo + k));
    }
}

/// The stored nodes an inclusion proof of leaf `index` in a tree of `size` needs.
pub fn inclusion_nodes(index: LeafIndex, size: TreeSize) -> Result<Vec<NodeId>, Error> {
    if index.get() >= size.get() {
        return Err(Error::Proof(ProofError::IndexBeyondSize {
            index: index.get(),
            size: size.get(),
        }));
    }
    let mut ranges = Vec::new();
    inclusion_ranges(index.get(), 0, size.get(), &mut ranges);
    let mut out = Vec::new();
    for (lo, hi) in ranges {
        range_nodes(lo, hi, &mut out);
    }
    Ok(out)
}

/// The stored nodes a consistency proof from `size1` to `size2` needs.
pub fn consistency_nodes(size1: TreeSize, size2: TreeSize) -> Result<Vec<NodeId>, Error> {
    let (m, n) = (size1.get(), size2.get());
    if m == 0 || m > n {
        return Err(Error::Proof(ProofError::BadSizes { size1: m, size2: n }));
    }
    let mut ranges = Vec::new();
    if m < n {
        consistency_ranges(m, 0, n, true, &mut ranges);
    }
    let mut out = Vec::new();
    for (lo, hi) in ranges {
        range_nodes(lo, hi, &mut out);
    }
    Ok(out)
}

/// A proof that a leaf is in a tree (RFC 9162 §2.1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InclusionProof {
    /// The leaf's index.
    pub index: LeafIndex,
    /// The tree's size.
    pub size: TreeSize,
    /// Sibling hashes, leaf to root.
    pub path: Vec<Hash>,
}

impl InclusionProof {
    /// Assembles the proof from the hashes of [`inclusion_nodes`].
    pub fn from_nodes(
        index: LeafIndex,
        size: TreeSize,
        nodes: &HashMap<NodeId, Hash>,
    ) -> Result<Self, Error> {
        if index.get() >= size.get() {
            return Err(Error::Proof(ProofError::IndexBeyondSize {
                index: index.get(),
                size: size.get(),
            }));
        }
        let mut ranges = Vec::new();
        inclusion_ranges(index.get(), 0, size.get(), &mut ranges);
        let path = ranges
            .iter()
            .map(|&(lo, hi)| range_hash(lo, hi, nodes))
            .collect::<Result<_, _>>()?;
        Ok(InclusionProof { index, size, path })
    }

    /// Verifies the proof for `leaf` against `root` (RFC 9162 §2.1.3.2).
    pub fn verify(&self, leaf: &Hash, root: &Hash) -> Result<(), ProofError> {
        verify_inclusion(self.index, self.size, leaf, &self.path, root)
    }
}

/// A proof that one tree is a prefix of another (RFC 9162 §2.1.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsistencyProof {
    /// The earlier size.
    pub size1: TreeSize,
    /// The later size.
    pub size2: TreeSize,
    /// The proof's hashes.
    pub path: Vec<Hash>,
}

impl ConsistencyProof {
    /// Assembles the proof from the hashes of [`consistency_nodes`].
    pub fn from_nodes(
        size1: TreeSize,
        size2: TreeSize,
        nodes: &HashMap<NodeId, Hash>,
    ) -> Result<Self, Error> {
        let (m, n) = (size1.get(), size2.get());
        if m == 0 || m > n {
            return Err(Error::Proof(ProofError::BadSizes { size1: m, size2: n }));
        }
        let mut ranges = Vec::new();
        if m < n {
            consistency_ranges(m, 0, n, true, &mut ranges);
        }
        let path = ranges
            .iter()
            .map(|&(lo, hi)| range_hash(lo, hi, nodes))
            .collect::<Result<_, _>>()?;
        Ok(ConsistencyProof { size1, size2, path })
    }

    /// Verifies that `root1` (of `size1`) is a prefix of `root2` (of `size2`)
    /// (RFC 9162 §2.1.4.2).
    pub fn verify(&self, root1: &Hash, root2: &Hash) -> Result<(), ProofError> {
        verify_consistency(self.size1, self.size2, root1, root2, &self.path)
    }
}

/// RFC 9162 §2.1.3.2: verifies an inclusion proof. Roots compare in constant time.
pub fn verify_inclusion(
    index: LeafIndex,
    size: TreeSize,
    leaf: &Hash,
    path: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    let (index, size) = (index.get(), size.get());
    if index >= size {
        return Err(ProofError::IndexBeyondSize { index, size });
    }
    let mut f = index;
    let mut s = size - 1;
    let mut r = *leaf;
    for p in path {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.2: verifies a consistency proof. Roots compare in constant time.
pub fn verify_consistency(
    size1: TreeSize,
    size2: TreeSize,
    root1: &Hash,
    root2: &Hash,
    path: &[Hash],
) -> Result<(), ProofError> {
    let (m, n) = (size1.get(), size2.get());
    if m > n {
        return Err(ProofError::BadSizes { size1: m, size2: n });
    }
    if m == n {
        if !path.is_empty() {
            return Err(ProofError::WrongLength);
        }
        return if root1 == root2 {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    if m == 0 {
        return Err(ProofError::BadSizes { size1: m, size2: n });
    }
    if path.is_empty() {
        return Err(ProofError::WrongLength);
    }
    let mut c: Vec<Hash> = Vec::with_capacity(path.len() + 1);
    if m.is_power_of_two() {
        c.push(*root1);
    }
    c.extend_from_slice(path);
    let mut f = m - 1;
    let mut s = n - 1;
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let mut fr = c[0];
    let mut sr = c[0];
    for h in &c[1..] {
        if s == 0 {
            return Err(ProofError::WrongLength);
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(h, &fr);
            sr = node_hash(h, &sr);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, h);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength);
    }
    if fr != *root1 || sr != *root2 {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => Hash::empty(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_and_proofs_match_the_recursive_definition() {
        let mut log = Log::new();
        let mut store = MemoryStore::new();
        let mut leaves = Vec::new();
        for i in 0..70u32 {
            let l = leaf_hash(&i.to_be_bytes());
            leaves.push(l);
            let (_, nodes) = log.append(l);
            store.put_nodes(&nodes).unwrap();
            assert_eq!(log.root(), reference_root(&leaves));
        }
        for size in 1..=70u64 {
            let root = reference_root(&leaves[..size as usize]);
            assert_eq!(log.root_at(&store, TreeSize::new(size)).unwrap(), root);
            for idx in 0..size {
                let p = log
                    .prove_inclusion(&store, LeafIndex::new(idx), TreeSize::new(size))
                    .unwrap();
                p.verify(&leaves[idx as usize], &root).unwrap();
            }
            for s1 in 1..=size {
                let p = log
                    .prove_consistency(&store, TreeSize::new(s1), TreeSize::new(size))
                    .unwrap();
                let r1 = reference_root(&leaves[..s1 as usize]);
                p.verify(&r1, &root).unwrap();
            }
        }
    }

    #[test]
    fn frontier_round_trip() {
        let mut log = Log::new();
        let mut store = MemoryStore::new();
        for i in 0..13u32 {
            let (_, n) = log.append(leaf_hash(&i.to_be_bytes()));
            store.put_nodes(&n).unwrap();
        }
        let ids = Log::frontier_ids(log.size());
        assert_eq!(ids.iter().map(|i| i.level).collect::<Vec<_>>(), [3, 2, 0]);
        let hashes: Vec<Hash> = ids
            .iter()
            .map(|i| store.node(*i).unwrap().unwrap())
            .collect();
        let back = Log::from_frontier(log.size(), &hashes).unwrap();
        assert_eq!(back.root(), log.root());
    }
}
