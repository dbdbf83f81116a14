//! The write-back as a PostgreSQL table (`--out-postgres URL --out-table NAME`): one row per
//! source row — `row`, `key`, `subject`, `tokens` (field → token, JSON) and `refused` (JSON,
//! or null) — so the platform can replace its columns with a join. The import's state is a row
//! of `<NAME>_import_state`, written in the same transaction as each chunk's rows: a chunk is
//! in the table with its state or not at all. A rerun goes on after the rows the table holds;
//! a finished import (state row gone, rows there) is not run again by accident.

use anyhow::{Context, Result, bail};

use super::out::{Outcome, State};

/// The table, open on its own connection.
pub struct Table {
    rt: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    /// The quoted table name, and its state table's.
    name: String,
    state: String,
    shown: String,
}

/// `name` or `schema.name`, each part an unquoted SQL identifier; quoted.
fn quoted(table: &str, suffix: &str) -> Result<String> {
    let parts: Vec<&str> = table.split('.').collect();
    let ok = |p: &str| {
        !p.is_empty()
            && p.len() <= 40
            && p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && p.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if parts.len() > 2 || !parts.iter().all(|p| ok(p)) {
        bail!(
            "--out-table `{table}`: give `name` or `schema.name`, lower-case letters, digits and \
             `_`, each part at most 40 long"
        );
    }
    let n = parts.len();
    Ok(parts
        .iter()
        .enumerate()
        .map(|(i, p)| match i + 1 == n {
            true => format!("\"{p}{suffix}\""),
            false => format!("\"{p}\""),
        })
        .collect::<Vec<_>>()
        .join("."))
}

impl Table {
    /// Opens the write-back table `table` in the database at `url` (TLS as `serve` takes it):
    /// a new one (created; refused if it holds rows without an import in progress), or the
    /// one an interrupted run of the same import left.
    pub fn open(url: &str, table: &str, fresh: State) -> Result<(Table, State)> {
        let (name, state) = (quoted(table, "")?, quoted(table, "_import_state")?);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let client = rt
            .block_on(custodian_store::postgres::connect_one(url))
            .context("connecting to the write-back database")?;
        // One import at a time writes a table: a session lock, released when this connection
        // ends (a killed import's too).
        let locked: bool = rt
            .block_on(client.query_one(
                "SELECT pg_try_advisory_lock(hashtext($1))",
                &[&format!("custodian import {table}")],
            ))?
            .get(0);
        if !locked {
            bail!("table {table}: another import is writing it");
        }
        let t = Table {
            rt,
            client,
            name,
            state,
            shown: format!("table {table}"),
        };
        t.rt.block_on(t.client.batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {} (row bigint PRIMARY KEY, key text, subject text, \
             tokens jsonb NOT NULL, refused jsonb); \
             CREATE TABLE IF NOT EXISTS {} (id int PRIMARY KEY CHECK (id = 1), state text NOT NULL)",
            t.name, t.state
        )))
        .with_context(|| format!("creating {}", t.shown))?;
        let kept =
            t.rt.block_on(
                t.client
                    .query_opt(&format!("SELECT state FROM {} WHERE id = 1", t.state), &[]),
            )?
            .map(|r| r.get::<_, String>(0));
        let st = match kept {
            Some(json) => {
                let s: State = serde_json::from_str(&json)
                    .with_context(|| format!("the state of {} does not read", t.shown))?;
                s.resumes(&fresh, &t.shown, "table")?;
                // Every source row up to the state's has its row, and no other is there.
                let held = t.rt.block_on(t.client.query_one(
                    &format!("SELECT count(*), coalesce(max(row), 0) FROM {}", t.name),
                    &[],
                ))?;
                let (count, max): (i64, i64) = (held.get(0), held.get(1));
                let rows = i64::try_from(s.rows)?;
                if (count, max) != (rows, rows) {
                    bail!(
                        "{} holds {count} rows (up to row {max}) but its import's state says \
                         {rows}: it was changed since",
                        t.shown
                    );
                }
                s
            }
            None => {
                let any = t.rt.block_on(
                    t.client
                        .query_opt(&format!("SELECT 1 FROM {} LIMIT 1", t.name), &[]),
                )?;
                if any.is_some() {
                    bail!(
                        "{} has rows and no import in progress; choose another --out-table",
                        t.shown
                    );
                }
                fresh
            }
        };
        Ok((t, st))
    }

    /// Writes a chunk's rows and the state that counts them in one transaction; rows a
    /// rerun sends again replace what an unacknowledged earlier try may have left.
    pub fn append(&mut self, outcomes: &[Outcome], state: &State) -> Result<()> {
        let mut rows = Vec::with_capacity(outcomes.len());
        let (mut keys, mut subjects, mut tokens, mut refused) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for o in outcomes {
            rows.push(i64::try_from(o.row)?);
            keys.push(o.key.clone());
            subjects.push(o.subject.clone());
            tokens.push(serde_json::to_string(&o.tokens)?);
            refused.push(match o.refused.is_empty() {
                true => None,
                false => Some(super::out::refusals(o).to_string()),
            });
        }
        let state_json = serde_json::to_string(state)?;
        let (name, st) = (&self.name, &self.state);
        let tx = self.rt.block_on(self.client.transaction())?;
        self.rt
            .block_on(tx.execute(
                &format!(
                    "INSERT INTO {name} (row, key, subject, tokens, refused) \
                 SELECT r, k, s, t::jsonb, f::jsonb \
                 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) \
                 AS u(r, k, s, t, f) \
                 ON CONFLICT (row) DO UPDATE SET key = excluded.key, subject = excluded.subject, \
                 tokens = excluded.tokens, refused = excluded.refused"
                ),
                &[&rows, &keys, &subjects, &tokens, &refused],
            ))
            .with_context(|| format!("writing rows to {}", self.shown))?;
        self.rt.block_on(tx.execute(
            &format!(
                "INSERT INTO {st} (id, state) VALUES (1, $1) \
                 ON CONFLICT (id) DO UPDATE SET state = excluded.state"
            ),
            &[&state_json],
        ))?;
        self.rt
            .block_on(tx.commit())
            .with_context(|| format!("committing rows to {}", self.shown))?;
        Ok(())
    }

    /// The import finished: its state row goes (a rerun would start a new import).
    pub fn finish(&mut self) -> Result<()> {
        self.rt.block_on(
            self.client
                .batch_execute(&format!("DELETE FROM {}", self.state)),
        )?;
        Ok(())
    }
}
