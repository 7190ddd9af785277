//! Lineage through the store: links imported within one file and against stored pledges, each
//! refusal named by line and column with nothing applied, superseded pledges left out of the
//! current figures and kept in their conference's outcome, and the list filters.

use pledgeboard_domain::lineage::LineageState;
use pledgeboard_domain::{ConferenceCode, MemberStateCode};
use pledgeboard_store::testing::{backends, fresh_store, import_csv, store_supersedes_ref};
use pledgeboard_store::{CountryFilter, PledgeFilter, Store, StoreError};

const HEADER: &str =
    "pledge_ref,member_state,capability,quantity,readiness,mission,conference,supersedes";

/// ISB-2023 pledges of Pakistan, two re-announced at ACC-2023; the re-announcement of P-1
/// comes before P-1 in the file.
const FILE: &str = "A-1,PAK,INF-BN,1,L2,MINUSCA,ACC-2023,PAK:I-1\n\
     I-1,PAK,INF-BN,1,L2,MINUSCA,ISB-2023,\n\
     I-2,PAK,HEL-UTIL,2,L1,,ISB-2023,\n\
     A-2,Pakistan,HEL-UTIL,3,L1,,ACC-2023,Pakistan:I-2\n\
     I-3,BGD,INF-BN,1,L1,MINUSCA,ISB-2023,\n";

async fn loaded(backend: &str) -> Store {
    let store = fresh_store(backend)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let report = import_csv(&store, &format!("{HEADER}\n{FILE}"))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.created, 5);
    store
}

fn pak() -> MemberStateCode {
    MemberStateCode::parse("PAK").unwrap_or_else(|e| panic!("{e:?}"))
}

#[tokio::test]
async fn a_file_may_name_rows_before_and_after_it_and_superseded_pledges_leave_current_figures() {
    for backend in backends() {
        let store = loaded(backend).await;
        let catalog = store.catalog().await.unwrap();
        let today = chrono::Utc::now().date_naive();
        let all = store
            .countries_report(&catalog, &CountryFilter::default(), today)
            .await
            .unwrap();
        let pakistan = all.rows.iter().find(|r| r.member_state == "PAK").unwrap();
        assert_eq!(
            (pakistan.pledges, pakistan.quantity),
            (2, 4),
            "{backend}: only A-1 and A-2 count"
        );
        let one = store
            .country_summary(&catalog, &pak(), &CountryFilter::default(), today)
            .await
            .unwrap();
        assert_eq!(one.row.pledges, 2, "{backend}");
        let coverage = store.coverage_report(None, None).await.unwrap();
        let unearmarked: u64 = coverage.unearmarked.iter().map(|u| u.quantity).sum();
        assert_eq!(unearmarked, 3, "{backend}: A-2's 3, not I-2's 2 as well");

        let listed = |lineage| {
            let store = store.clone();
            async move {
                let page = store
                    .list_pledges(&PledgeFilter {
                        lineage: Some(lineage),
                        limit: 100,
                        ..PledgeFilter::default()
                    })
                    .await
                    .unwrap();
                let mut refs: Vec<String> = page
                    .items
                    .iter()
                    .map(|p| p.pledge_ref.to_string())
                    .collect();
                refs.sort();
                refs
            }
        };
        assert_eq!(listed(LineageState::Superseded).await, ["I-1", "I-2"]);
        assert_eq!(listed(LineageState::Current).await, ["A-1", "A-2", "I-3"]);

        let isb = ConferenceCode::parse("ISB-2023").unwrap();
        let outcome = store.outcome_report(&catalog, &isb, None).await.unwrap();
        assert_eq!(
            (outcome.pledges, outcome.states, outcome.superseded_since),
            (3, 2, 2),
            "{backend}: the superseded ISB-2023 pledges still count at ISB-2023"
        );
        let acc = ConferenceCode::parse("ACC-2023").unwrap();
        let outcome = store.outcome_report(&catalog, &acc, None).await.unwrap();
        assert_eq!(
            (
                outcome.lineage.new,
                outcome.lineage.reaffirmed,
                outcome.lineage.upgraded
            ),
            (0, 1, 1),
            "{backend}: A-1 reaffirms I-1, A-2 upgrades I-2"
        );
    }
}

#[tokio::test]
async fn each_bad_link_is_named_by_line_and_column_and_nothing_is_applied() {
    for backend in backends() {
        let store = loaded(backend).await;
        let file = format!(
            "{HEADER}\n\
             L-1,PAK,INF-BN,1,L1,,BER-2025,PAK:L-2\n\
             L-2,PAK,INF-BN,1,L1,,BER-2025,PAK:L-1\n\
             L-3,PAK,INF-BN,1,L1,,BER-2025,BGD:I-3\n\
             L-4,PAK,INF-BN,1,L1,,BER-2025,PAK:NOPE\n\
             L-5,PAK,INF-BN,1,L1,,BER-2025,PAK:I-1\n\
             L-6,PAK,INF-BN,1,L1,,BER-2025,PAK:L-6\n"
        );
        let report = import_csv(&store, &file).await.unwrap();
        assert!(!report.applied);
        let errors: Vec<(u64, &str, &str)> = report
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            errors,
            [
                (
                    2,
                    "supersedes",
                    "PAK:L-1 already comes before PAK:L-2 in its lineage; superseding it would make a loop"
                ),
                (
                    3,
                    "supersedes",
                    "PAK:L-2 already comes before PAK:L-1 in its lineage; superseding it would make a loop"
                ),
                (
                    4,
                    "supersedes",
                    "BGD:I-3 is a pledge of Bangladesh; a pledge of Pakistan can only supersede one of Pakistan's own pledges"
                ),
                (5, "supersedes", "there is no pledge PAK:NOPE to supersede"),
                (
                    6,
                    "supersedes",
                    "PAK:I-1 is already superseded by PAK:A-1; a pledge is re-announced only once — supersede PAK:A-1 instead"
                ),
                (
                    7,
                    "supersedes",
                    "a pledge cannot supersede itself (PAK:L-6)"
                ),
            ],
            "{backend}"
        );
        let page = store
            .list_pledges(&PledgeFilter {
                conference: Some(ConferenceCode::parse("BER-2025").unwrap()),
                limit: 10,
                ..PledgeFilter::default()
            })
            .await
            .unwrap();
        assert!(page.items.is_empty(), "{backend}: nothing applied");
    }
}

#[tokio::test]
async fn the_board_as_of_a_moment_before_the_re_announcement_counts_the_earlier_pledge() {
    for backend in backends() {
        let store = fresh_store(backend).await.unwrap();
        let first = format!("{HEADER}\nI-9,PAK,HEL-UTIL,2,L1,,ISB-2023,\n");
        assert!(import_csv(&store, &first).await.unwrap().applied);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let before = chrono::Utc::now();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let second = format!("{HEADER}\nA-9,PAK,HEL-UTIL,5,L1,,ACC-2023,PAK:I-9\n");
        assert!(import_csv(&store, &second).await.unwrap().applied);
        let unearmarked = |at| {
            let store = store.clone();
            async move {
                let report = store.coverage_report(None, at).await.unwrap();
                report.unearmarked.iter().map(|u| u.quantity).sum::<u64>()
            }
        };
        assert_eq!(unearmarked(Some(before)).await, 2, "{backend}: as it was");
        assert_eq!(unearmarked(None).await, 5, "{backend}: now");
    }
}

#[tokio::test]
async fn the_database_refuses_a_second_successor_that_slipped_past_the_check() {
    for backend in backends() {
        let store = loaded(backend).await;
        // A-1 supersedes I-1; I-2 re-announcing I-1 as well, written as if checked at the
        // same moment as A-1, is refused by the database itself.
        let second = store_supersedes_ref(&store, "PAK", "I-2", "I-1").await;
        match second {
            Err(StoreError::Conflict(message)) => assert!(
                message.english().contains("re-announced only once"),
                "{backend}: {message}"
            ),
            other => panic!("{backend}: expected a conflict, got {other:?}"),
        }
        // Another state's pledge may supersede its own I-1: the key is the state's.
        store_supersedes_ref(&store, "BGD", "I-3", "I-1")
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
    }
}

/// The stored links of Pakistan's pledges: (reference, what it supersedes).
async fn pak_links(store: &Store) -> Vec<(String, Option<String>)> {
    let page = store
        .list_pledges(&PledgeFilter {
            member_state: Some(pak()),
            limit: 50,
            ..PledgeFilter::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut links: Vec<_> = page
        .items
        .into_iter()
        .map(|p| {
            let target = p.supersedes.map(|t| t.to_string());
            (p.pledge_ref.to_string(), target)
        })
        .collect();
    links.sort();
    links
}

#[tokio::test]
async fn a_small_file_may_move_a_link_from_one_pledge_to_another() {
    for backend in backends() {
        let store = loaded(backend).await;
        // A-1 supersedes I-1. The file hands that link to a new pledge, B-1, written before
        // A-1 gives it up (new pledges are written before changes): row by row, the unique
        // lineage index would refuse the moment both hold it.
        let file = format!(
            "{HEADER}\n\
             B-1,PAK,INF-BN,1,L2,MINUSCA,BER-2025,PAK:I-1\n\
             A-1,PAK,INF-BN,1,L2,MINUSCA,ACC-2023,\n"
        );
        let report = import_csv(&store, &file)
            .await
            .unwrap_or_else(|e| panic!("{backend}: {e:?}"));
        assert!(report.applied, "{backend}: {:?}", report.errors);
        assert_eq!((report.created, report.updated), (1, 1), "{backend}");
        let links = pak_links(&store).await;
        let linked: Vec<_> = links.iter().filter(|(_, t)| t.is_some()).collect();
        assert_eq!(
            linked,
            [
                &("A-2".to_owned(), Some("I-2".to_owned())),
                &("B-1".to_owned(), Some("I-1".to_owned())),
            ],
            "{backend}"
        );

        // The lineage index is back: a second successor of I-1 is refused by the database.
        let second = store_supersedes_ref(&store, "PAK", "I-2", "I-1").await;
        assert!(
            matches!(second, Err(StoreError::Conflict(_))),
            "{backend}: {second:?}"
        );

        // A file ending with two successors is refused by the lineage check, row named, and
        // nothing is applied.
        let twice = format!("{HEADER}\nB-2,PAK,INF-BN,1,L1,,BER-2025,PAK:I-1\n");
        let report = import_csv(&store, &twice).await.unwrap();
        assert!(!report.applied, "{backend}");
        let errors: Vec<_> = report
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(
            errors,
            [(2, "supersedes")],
            "{backend}: {:?}",
            report.errors
        );
        assert_eq!(pak_links(&store).await, links, "{backend}: unchanged");
    }
}
