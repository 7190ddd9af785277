//! PostgreSQL's side of a pledge import: each batch bound as one text array per column and
//! unnested by the server, instead of one bound value per cell.
//!
//! A 1,000-row `VALUES` list is 22,000 bound values that the server plans and initialises as
//! 22,000 expressions on every statement; an array per column is 22 values and a plan that does
//! not grow with the batch, so batches can be ten times larger. Fewer, larger statements also
//! mean fewer round trips, each of which can stall 40 ms over TCP while sqlx 0.9.0 leaves
//! Nagle's algorithm on (see the README).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use pledgeboard_domain::{MemberStateCode, PledgeRef};
use sea_orm::{DbBackend, Statement, Value};

use crate::cells::{CellRef, Rows};
use crate::new_pledges::{NewPledges, PLEDGE_COLUMNS, key_rows};

/// Rows per batch on PostgreSQL: few statements, because over TCP each can stall 40 ms while
/// sqlx leaves Nagle's algorithm on. Measured on 1,000,000 rows over 127.0.0.1: 12.7 s with
/// 10,000-row batches, 11.3 s with 25,000, 9.6–10.1 s with 50,000 (peak memory 95 → 195 MiB);
/// over the Unix socket the size makes no difference (8.9 s, 9.1 s).
pub(crate) const BATCH_ROWS: usize = 50_000;

/// A PostgreSQL array literal (`{"a","b",NULL}`), built one element at a time.
struct ArrayLiteral(String);

impl ArrayLiteral {
    fn with_capacity(elements: usize) -> Self {
        let mut text = String::with_capacity(elements * 8 + 2);
        text.push('{');
        Self(text)
    }

    fn separate(&mut self) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
    }

    /// Adds a text element, quoted, with `"` and `\` escaped; `None` is SQL NULL.
    fn text(&mut self, value: Option<&str>) {
        self.separate();
        match value {
            None => self.0.push_str("NULL"),
            Some(v) => {
                self.0.push('"');
                for c in v.chars() {
                    if c == '"' || c == '\\' {
                        self.0.push('\\');
                    }
                    self.0.push(c);
                }
                self.0.push('"');
            }
        }
    }

    /// Adds a number or date element, whose text needs no quoting; `None` is SQL NULL.
    fn plain(&mut self, value: Option<impl std::fmt::Display>) {
        self.separate();
        match value {
            None => self.0.push_str("NULL"),
            Some(v) => {
                // Writing to a String cannot fail.
                let _ = write!(self.0, "{v}");
            }
        }
    }

    /// Adds a cell: text quoted, an integer as it is.
    fn cell(&mut self, cell: CellRef<'_>) {
        match cell {
            CellRef::Null => self.text(None),
            CellRef::Int(v) => self.plain(Some(v)),
            CellRef::Text(t) => self.text(Some(t)),
        }
    }

    fn finish(mut self) -> Value {
        self.0.push('}');
        Value::from(self.0)
    }
}

/// The statement selecting the stored pledges under these keys (whole rows).
pub(crate) fn pledges_by_key_statement(keys: &[(&MemberStateCode, &PledgeRef)]) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT p.* \
         FROM unnest($1::text[], $2::text[]) AS k(member_state, pledge_ref) \
         JOIN pledges p ON p.member_state = k.member_state AND p.pledge_ref = k.pledge_ref",
        column_arrays(&key_rows(keys)),
    )
}

/// Each column of a batch of cells as one array.
fn column_arrays(rows: &Rows) -> Vec<Value> {
    (0..rows.width())
        .map(|c| {
            let mut array = ArrayLiteral::with_capacity(rows.len());
            for cell in rows.column(c) {
                array.cell(cell);
            }
            array.finish()
        })
        .collect()
}

/// One statement inserting these new pledges (their partners are written separately).
pub(crate) fn insert_statement(batch: &NewPledges, by: &str, at: DateTime<Utc>) -> Statement {
    let mut values = column_arrays(&batch.pledges);
    values.extend([Value::from(at), Value::from(by)]);
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        format!(
            "INSERT INTO pledges ({PLEDGE_COLUMNS}, version, created_at, updated_at, updated_by) \
             SELECT t.*, 1, $19, $19, $20 FROM unnest($1::text[], $2::text[], $3::text[], \
             $4::text[], $5::integer[], $6::integer[], $7::integer[], $8::text[], $9::date[], \
             $10::smallint[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bigint[], \
             $16::text[], $17::date[], $18::date[]) AS t"
        ),
        values,
    )
}

/// One statement inserting the partners of pledges just inserted, joined to them by key.
pub(crate) fn partners_statement(batch: &NewPledges) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        "INSERT INTO pledge_partners (pledge_id, member_state, role) \
         SELECT p.id, k.partner, k.role \
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) \
           AS k(member_state, pledge_ref, partner, role) \
         JOIN pledges p ON p.member_state = k.member_state AND p.pledge_ref = k.pledge_ref",
        column_arrays(&batch.partners),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literals_quote_and_escape_text_and_mark_nulls() {
        let mut a = ArrayLiteral::with_capacity(4);
        a.text(Some(r#"say "hi", \ {x}"#));
        a.text(None);
        a.plain(Some(42));
        a.text(Some("NULL"));
        assert_eq!(
            a.finish(),
            Value::from(r#"{"say \"hi\", \\ {x}",NULL,42,"NULL"}"#)
        );
        assert_eq!(ArrayLiteral::with_capacity(0).finish(), Value::from("{}"));
    }

    #[tokio::test]
    async fn text_that_array_syntax_uses_is_stored_as_written_on_every_backend() {
        use pledgeboard_domain::Role;
        use pledgeboard_domain::table_input::table_from_bytes;

        use crate::testing::{actor, backends, fresh_store};
        use crate::{ImportOptions, PledgeFilter};

        let tricky = [
            r#"a "quoted" word, a comma"#,
            r"a \ backslash and {braces}",
            "NULL",
            "line one\nline two; é",
        ];
        let mut file = String::from("pledge_ref,member_state,capability,quantity,caveats,notes\n");
        for (i, text) in tricky.iter().enumerate() {
            let quoted = format!("\"{}\"", text.replace('"', "\"\""));
            file.push_str(&format!("T-{i},PAK,INF-BN,1,{quoted},{quoted}\n"));
        }
        file.push_str("T-9,PAK,INF-BN,1,,\n");
        let actor = actor(Role::Planner);
        for backend in backends() {
            let store = fresh_store(backend).await.unwrap();
            let catalog = store.catalog().await.unwrap();
            let table = table_from_bytes(file.clone().into_bytes()).unwrap();
            let report = store
                .import_pledges(&catalog, table, &actor, &ImportOptions::default())
                .await
                .unwrap();
            assert_eq!((report.created, report.errors.len()), (5, 0), "{backend}");
            let filter = PledgeFilter {
                limit: 10,
                ..PledgeFilter::default()
            };
            let stored = store.list_pledges(&filter).await.unwrap().items;
            let caveats: Vec<_> = stored.iter().map(|p| p.caveats.as_deref()).collect();
            let notes: Vec<_> = stored.iter().map(|p| p.notes.as_deref()).collect();
            let expected: Vec<_> = tricky.iter().copied().map(Some).chain([None]).collect();
            assert_eq!(caveats, expected, "{backend}");
            assert_eq!(notes, expected, "{backend}");
        }
    }
}
