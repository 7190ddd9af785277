//! Importing a requirements file (admins): rows read and checked on a blocking thread, then
//! one transaction, all-or-nothing, idempotent.

use std::collections::{HashMap, HashSet};

use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::pledge_csv::LineError;
use pledgeboard_domain::requirement_csv::RequirementHeader;
use pledgeboard_domain::table_input::{Row, Table};
use pledgeboard_domain::{Actor, Catalog, NewRequirement, Requirement};

use crate::{ImportOptions, Store, StoreError};

/// What importing each requirement row would do: `(current id and version, new)` per change.
type Plan = Vec<(Option<(i64, i32)>, NewRequirement)>;

/// Reads and checks every row against the stored requirements, counting what each would do.
fn plan_rows(
    header: &RequirementHeader,
    rows: Box<dyn Iterator<Item = Row> + Send>,
    catalog: &Catalog,
    existing: &HashMap<(String, String), Requirement>,
    mut report: ImportReport,
) -> (ImportReport, Plan) {
    let mut seen = HashSet::new();
    let mut plan = Vec::new();
    for row in rows {
        report.rows += 1;
        let (line, record) = match row {
            Ok(r) => r,
            Err(e) => {
                report.add_errors([e]);
                continue;
            }
        };
        let new = match header.draft(&record).and_then(|d| d.validate(catalog)) {
            Ok(n) => n,
            Err(errors) => {
                report.add_errors(errors.into_iter().map(|e| LineError::at(line, e)));
                continue;
            }
        };
        let key = (new.mission.to_string(), new.capability.to_string());
        if !seen.insert(key.clone()) {
            report.add_errors([LineError::new(
                line,
                "capability",
                &key.1,
                format!("{} needs {} twice in this file", key.0, key.1),
            )]);
            continue;
        }
        match existing.get(&key) {
            None => {
                report.created += 1;
                plan.push((None, new));
            }
            Some(r)
                if r.quantity == new.quantity
                    && r.personnel == new.personnel
                    && r.needed_by == new.needed_by
                    && r.priority == new.priority =>
            {
                report.unchanged += 1;
            }
            Some(r) => {
                report.updated += 1;
                plan.push((Some((r.id, r.version)), new));
            }
        }
    }
    (report, plan)
}

impl Store {
    /// Imports requirements keyed by (mission, capability): new ones are created, changed
    /// ones updated (keeping their old version), identical ones left alone.
    pub async fn import_requirements(
        &self,
        catalog: &Catalog,
        table: Table,
        actor: &Actor,
        options: &ImportOptions,
    ) -> Result<ImportReport, StoreError> {
        let mut report = ImportReport {
            dry_run: options.dry_run,
            ..ImportReport::default()
        };
        let header = match RequirementHeader::parse(table.header.iter().map(String::as_str)) {
            Ok(h) => h,
            Err(errors) => {
                report.add_errors(errors);
                return Ok(report);
            }
        };
        let existing: HashMap<(String, String), Requirement> = self
            .list_requirements(None)
            .await?
            .into_iter()
            .map(|r| ((r.mission.to_string(), r.capability.to_string()), r))
            .collect();
        // Reading and checking the rows is CPU work: off the async workers.
        let catalog = catalog.clone();
        let rows = table.rows;
        let (mut report, plan) = tokio::task::spawn_blocking(move || {
            plan_rows(&header, rows, &catalog, &existing, report)
        })
        .await
        .map_err(|e| StoreError::Other(format!("reading the requirements stopped: {e}")))?;
        if options.dry_run || report.has_errors() || plan.is_empty() {
            report.applied = !options.dry_run && !report.has_errors();
            return Ok(report);
        }
        let txn = self.begin_write().await?;
        for (current, new) in &plan {
            match current {
                None => crate::requirement_repo::create_on(&txn, new, actor).await?,
                Some((id, version)) => {
                    crate::requirement_repo::update_on(&txn, *id, *version, new, actor).await?
                }
            };
        }
        txn.commit().await?;
        report.applied = true;
        Ok(report)
    }
}
