//! The store's layout rules, checked on its sources (issue 13): only the import's seam knows
//! the backend, and only `pledges/row.rs` (beside the entities) names a pledge column that the
//! import and the repositories would otherwise each restate.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|x| x == "rs") {
            files.push(path);
        }
    }
    files
}

/// A source file's code before its unit tests.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files under `src/` whose code (tests aside) mentions `needle`, relative to `src/`.
fn naming(needle: &str) -> Vec<String> {
    let src = src();
    let mut found: Vec<String> = sources(&src)
        .into_iter()
        .filter(|p| code(p).contains(needle))
        .map(|p| p.strip_prefix(&src).unwrap_or(&p).display().to_string())
        .collect();
    found.sort();
    found
}

#[test]
fn only_the_import_seam_and_its_backends_name_the_backend() {
    // Beside the import's seam: connecting, the backup (VACUUM INTO or pg_dump) and the one
    // cost sum that SQL does differently on each backend, and the all-states table's scan
    // (added up by an aggregate function of its own on SQLite).
    let elsewhere = [
        "backup.rs",
        "connect.rs",
        "reports/cost_sum.rs",
        "reports/tally_scan.rs",
    ];
    let outside: Vec<String> = naming("DbBackend")
        .into_iter()
        .filter(|f| {
            !elsewhere.contains(&f.as_str())
                && f != "import/txn.rs"
                && !f.starts_with("import/sqlite/")
                && !f.starts_with("import/postgres/")
        })
        .collect();
    assert!(
        outside.is_empty(),
        "which backend is asked outside the seam: {outside:?}"
    );
    assert!(
        naming("DbBackend").contains(&"import/txn.rs".to_owned()),
        "the import's seam is import/txn.rs"
    );
}

#[test]
fn a_pledge_column_is_named_only_by_the_entities_and_the_one_field_list() {
    let outside: Vec<String> = naming("renewed_on")
        .into_iter()
        .filter(|f| !f.starts_with("entities/") && f != "pledges/row.rs")
        .collect();
    assert!(
        outside.is_empty(),
        "pledge columns restated in: {outside:?}"
    );
}
