//! The pledge form and the import page in French: every label, hint, choice and sentence of
//! the page is French, codes and machine names are unchanged, and English stays English.

mod support;

use axum::http::StatusCode;
use support::pages::{log_in, page, post_multipart};
use support::{apps, pledge_body};

/// The text a reader sees: tags, scripts and the datalists' codes left out.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        text.push(' ');
        let after = &rest[start..];
        let skip_to = if after.starts_with("<script") {
            after.find("</script>").map(|e| e + "</script>".len())
        } else {
            after.find('>').map(|e| e + 1)
        };
        rest = &after[skip_to.unwrap_or(after.len())..];
    }
    text.push_str(rest);
    text
}

/// Fails naming each English phrase the French page still shows.
fn assert_no_english(html: &str, english: &[&str]) {
    let text = visible_text(html);
    let left: Vec<&&str> = english.iter().filter(|e| text.contains(**e)).collect();
    assert!(left.is_empty(), "untranslated: {left:?}");
}

const FILE: &str = "pledge_ref,member_state,capability,quantity\nFR-1,PAK,INF-BN,1\n";

#[tokio::test]
async fn the_pledge_form_and_the_import_page_speak_french() {
    for app in apps(false).await {
        let session = log_in(&app, &app.planner).await;
        let french = format!("{session}; pb_lang=fr");

        let (answer, html) = page(&app, "/pledges/new", Some(&french)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        assert!(html.contains("<html lang=\"fr\">"));
        for said in [
            "Enregistrer un engagement",
            "État Membre",
            "(obligatoire)",
            "Dont femmes",
            "L2 — évalué (ferme)",
            "Bataillon d&#39;infanterie",
            "Mission multidimensionnelle intégrée des Nations Unies",
            "Japon",
            "name=\"member_state\"",
        ] {
            assert!(html.contains(said), "{}: {said}", app.backend);
        }
        assert_no_english(
            &html,
            &[
                "Record a pledge",
                "Member state",
                "(required)",
                "Of whom women",
                "Save pledge",
                "Earmarked for mission",
                "code or name",
                "Pledges",
                "Log out",
            ],
        );

        let (answer, html) = post_multipart(
            &app,
            "/import",
            &[
                ("file", Some("pledges.csv"), FILE.as_bytes()),
                ("action", None, b"preview"),
            ],
            &french,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}: {html}", app.backend);
        for said in [
            "Aperçu de pledges.csv : rien n&#39;a encore été enregistré.",
            "À créer",
            "Lignes qu&#39;il créerait ou mettrait à jour",
            "Créer",
            "1 ligne n&#39;indique pas de personnel",
            "Bataillon d&#39;infanterie (INF-BN)",
        ] {
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        assert_no_english(
            &html,
            &[
                "Preview of",
                "To create",
                "Unchanged",
                "Rows it would",
                "no personnel",
                "Import a file",
                "Infantry battalion",
            ],
        );

        // The pledge list and one pledge's page, with its milestone form and history.
        let made = app
            .post(
                "/api/v1/pledges",
                &app.planner,
                pledge_body("PAK", "FR-LIST-1"),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.json);
        let id = made.json["id"].as_i64().unwrap_or_default();
        let (_, html) = page(&app, "/pledges?status=pledged", Some(&french)).await;
        for said in [
            "Engagements",
            "Niveau de préparation minimal",
            "annoncé",
            "Modifié",
        ] {
            assert!(html.contains(said), "{}: {said}", app.backend);
        }
        assert_no_english(
            &html,
            &[
                "Readiness at least",
                "Previous page",
                "pledges matching",
                "This list as",
                "Changed",
            ],
        );
        let changed = app
            .patch(
                &format!("/api/v1/pledges/{id}"),
                &app.planner,
                None,
                serde_json::json!({"quantity": 7, "personnel": 900}),
            )
            .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
        let (_, html) = page(&app, &format!("/pledges/{id}"), Some(&french)).await;
        // The history names the changed fields, the version's event and the role in French.
        for said in [
            "<li>Quantité: ",
            ": enregistré",
            "(planificateur)",
            "vide : estimé, l&#39;effectif type",
            "placeholder=\"AAAA-MM-JJ\"",
        ] {
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        for english in [
            "<li>Quantity: ",
            ": recorded",
            "(planner)",
            "Personnel estimated",
            "blank: estimated",
        ] {
            assert!(!html.contains(english), "{}: {english} left", app.backend);
        }
        for said in [
            "Statut",
            "Filiation",
            "Étapes",
            "Enregistrer l&#39;étape suivante",
            "Note verbale reçue",
            "Historique",
            "Enregistrer les modifications",
        ] {
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        assert_no_english(
            &html,
            &[
                "Milestones",
                "Record the next milestone",
                "Date reached",
                "Save changes",
                "History",
                "Withdraw this pledge",
                "supersedes no earlier pledge",
                "not earmarked",
            ],
        );

        // A conference's outcome: figure names and counting rules.
        let (answer, html) = page(&app, "/conferences/ISB-2023/outcome", Some(&french)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", app.backend);
        for said in [
            "Bilan de ISB-2023",
            "Engagements annoncés",
            "Règle de décompte",
            ">0,0</a>",
            "Engagements comptés qui ne remplacent aucun engagement antérieur.",
        ] {
            assert!(html.contains(said), "{}: {said} in {html}", app.backend);
        }
        assert_no_english(
            &html,
            &[
                "Outcome of",
                "Pledges announced",
                "Counting rule",
                "Distinct member states",
                "Counted pledges",
                "Military units",
            ],
        );

        // The same pages without the choice are English.
        let (_, html) = page(&app, "/pledges/new", Some(&session)).await;
        assert!(html.contains("<html lang=\"en\">") && html.contains("Record a pledge"));
        assert!(html.contains("Member state") && html.contains("(required)"));
    }
}
