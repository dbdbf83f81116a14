//! Directories given to `custodian scan`: every regular file below them, in name order,
//! filtered by `--include`/`--exclude` globs matched against the path below the directory
//! (`**/*.log`, `fixtures/*.csv`) or, for a pattern without `/`, against the file name.
//! Symbolic links are not followed (a link loop cannot trap the walk; a link out of the tree
//! is not read).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};

/// The include and exclude patterns.
pub(super) struct Filter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

fn set(patterns: &[String], flag: &str) -> Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).with_context(|| format!("{flag} `{p}`"))?);
    }
    Ok(b.build()?)
}

impl Filter {
    pub(super) fn new(include: &[String], exclude: &[String]) -> Result<Filter> {
        Ok(Filter {
            include: if include.is_empty() {
                None
            } else {
                Some(set(include, "--include")?)
            },
            exclude: set(exclude, "--exclude")?,
        })
    }

    fn keeps(&self, below: &Path) -> bool {
        let name = below.file_name().map(Path::new).unwrap_or(below);
        let hit = |s: &GlobSet| s.is_match(below) || s.is_match(name);
        self.include.as_ref().is_none_or(hit) && !hit(&self.exclude)
    }
}

/// `path` itself if it is not a directory, else the files below it that `filter` keeps.
pub(super) fn expand(path: PathBuf, filter: &Filter) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(&path);
    if !meta.is_ok_and(|m| m.is_dir()) {
        return Ok(vec![path]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.clone()];
    while let Some(dir) = stack.pop() {
        let mut entries = std::fs::read_dir(&dir)
            .with_context(|| format!("cannot read directory `{}`", dir.display()))?
            .collect::<Result<Vec<_>, _>>()
            .with_context(|| format!("cannot read directory `{}`", dir.display()))?;
        entries.sort_by_key(|e| e.file_name());
        // Depth first, in name order: subdirectories pushed in reverse.
        let mut subdirs = Vec::new();
        for e in entries {
            let kind = e.file_type()?;
            let p = e.path();
            if kind.is_dir() {
                subdirs.push(p);
            } else if kind.is_file() && filter.keeps(p.strip_prefix(&path).unwrap_or(&p)) {
                out.push(p);
            }
        }
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(out)
}
