//! Importing a requirements file (admins): the domain plans it from the rows on a blocking
//! thread ([`plan_requirement_import`]); the store writes the plan in one transaction,
//! all-or-nothing, idempotent.

use pledgeboard_domain::import::ImportReport;
use pledgeboard_domain::requirement_csv::RequirementHeader;
use pledgeboard_domain::requirement_import::{RequirementChange, plan_requirement_import};
use pledgeboard_domain::table_input::Table;
use pledgeboard_domain::{Actor, Catalog};

use crate::{ImportOptions, Store, StoreError};

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
        let stored = self.list_requirements(None).await?;
        // Reading and checking the rows is CPU work: off the async workers.
        let catalog = catalog.clone();
        let rows = table.rows;
        let (mut report, plan) = tokio::task::spawn_blocking(move || {
            plan_requirement_import(&header, rows, &catalog, stored, report)
        })
        .await
        .map_err(|e| StoreError::Other(format!("reading the requirements stopped: {e}")))?;
        if options.dry_run || report.has_errors() || plan.is_empty() {
            report.applied = !options.dry_run && !report.has_errors();
            return Ok(report);
        }
        let txn = self.begin_write().await?;
        for change in &plan {
            match change {
                RequirementChange::Create(new) => {
                    crate::requirements::create_on(&txn, new, actor).await?
                }
                RequirementChange::Update { id, version, new } => {
                    crate::requirements::update_on(&txn, *id, *version, new, actor).await?
                }
            };
        }
        crate::data_version::commit_change(txn).await?;
        report.applied = true;
        Ok(report)
    }
}
