//! Importing a requirements file (admins): one transaction, all-or-nothing, idempotent.

use std::collections::{HashMap, HashSet};

use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::pledge_csv::LineError;
use pledgeboard_domain::requirement_csv::RequirementHeader;
use pledgeboard_domain::table_input::Table;
use pledgeboard_domain::{Actor, Catalog};

use crate::pledge_import::ImportOptions;
use crate::{Store, StoreError};

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
        let existing: HashMap<(String, String), _> = self
            .list_requirements(None)
            .await?
            .into_iter()
            .map(|r| ((r.mission.to_string(), r.capability.to_string()), r))
            .collect();
        let mut seen = HashSet::new();
        let mut plan = Vec::new();
        for row in table.rows {
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
                report.add_errors([LineError {
                    line,
                    column: "capability".into(),
                    value: key.1.clone(),
                    message: format!("{} needs {} twice in this file", key.0, key.1),
                }]);
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
