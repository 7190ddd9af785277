//! A conference's outcome as of a moment: pledges recorded, the moment noted, then pledges
//! changed, withdrawn, superseded and added — the outcome as of that moment is the outcome
//! computed before the changes, partners and predecessors as they stood then included.
//! SQLite always, PostgreSQL when configured.

use std::time::Duration;

use chrono::{DateTime, Utc};
use pledgeboard_domain::ConferenceCode;
use pledgeboard_domain::outcome::OutcomeReport;
use pledgeboard_store::Store;
use pledgeboard_store::testing::{backends, fresh_store, import_csv};

const HEADER: &str = "pledge_ref,member_state,capability,quantity,personnel,female_personnel,\
                      readiness,mission,conference,status,partners,supersedes";

/// At ISB-2023: a joint, earmarked pledge of Pakistan, one of Bangladesh, and Ghana's
/// reaffirmation of a pledge made at no conference.
const RECORDED: &str = "B-1,GHA,FPU,2,,,L1,,,,,\n\
     I-1,PAK,INF-BN,1,850,40,L2,MINUSCA,ISB-2023,,JPN:equips,\n\
     I-2,PAK,HEL-UTIL,2,,,L1,,ISB-2023,,,\n\
     I-3,BGD,INF-BN,1,,,L1,MINUSCA,ISB-2023,,,\n\
     I-4,GHA,FPU,2,,,L1,,ISB-2023,,,GHA:B-1\n";

/// Afterwards: B-1 lowered (so I-4 now upgrades it), I-1 no longer joint nor earmarked and
/// larger, I-3 withdrawn, I-2 superseded at ACC-2023, and France's pledge added.
const CHANGED: &str = "B-1,GHA,FPU,1,,,L1,,,,,\n\
     I-1,PAK,INF-BN,2,1700,100,L2,,ISB-2023,,,\n\
     I-3,BGD,INF-BN,1,,,L1,MINUSCA,ISB-2023,withdrawn,,\n\
     I-5,FRA,SO,3,,,L1,,ISB-2023,,,\n\
     A-1,PAK,HEL-UTIL,2,,,L1,,ACC-2023,,,PAK:I-2\n";

async fn import(store: &Store, rows: &str) {
    let report = import_csv(store, &format!("{HEADER}\n{rows}"))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.applied);
}

async fn outcome(store: &Store, as_of: Option<DateTime<Utc>>) -> OutcomeReport {
    let catalog = store.catalog().await.unwrap_or_else(|e| panic!("{e:?}"));
    let isb = ConferenceCode::parse("ISB-2023").unwrap_or_else(|e| panic!("{e:?}"));
    store
        .outcome_report(&catalog, &isb, as_of)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
}

/// Time passes between writes, so that a moment falls strictly between them.
async fn pause() {
    tokio::time::sleep(Duration::from_millis(15)).await;
}

#[tokio::test]
async fn the_outcome_as_of_a_moment_is_the_outcome_computed_then() {
    for backend in backends() {
        let store = fresh_store(backend)
            .await
            .unwrap_or_else(|e| panic!("{e:?}"));
        let nothing_yet = Utc::now();
        pause().await;
        import(&store, RECORDED).await;
        let before = outcome(&store, None).await;
        assert_eq!(
            (
                before.pledges,
                before.joint_pledges,
                before.lineage.reaffirmed,
                before.earmarked
            ),
            (4, 1, 1, 2),
            "{backend}: the outcome before the changes"
        );
        pause().await;
        let then = Utc::now();
        pause().await;
        import(&store, CHANGED).await;

        let now = outcome(&store, None).await;
        assert_eq!(
            (
                now.pledges,
                now.withdrawn,
                now.joint_pledges,
                now.lineage.reaffirmed,
                now.lineage.upgraded,
                now.superseded_since,
                now.personnel > before.personnel,
            ),
            (4, 1, 0, 0, 1, 1, true),
            "{backend}: every kind of change shows now"
        );
        let as_of_then = outcome(&store, Some(then)).await;
        assert_eq!(as_of_then.as_of, Some(then), "{backend}");
        assert_eq!(
            OutcomeReport {
                as_of: None,
                ..as_of_then
            },
            before,
            "{backend}: as of the moment noted, the outcome computed then"
        );
        let empty = outcome(&store, Some(nothing_yet)).await;
        assert_eq!(
            (empty.pledges, empty.withdrawn, empty.states),
            (0, 0, 0),
            "{backend}: nothing was pledged before the first import"
        );
    }
}
