//! Every role (and no token, and a revoked token) against every write route of the real
//! server, with the status each cell must answer.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::cli::{create_token, revoke_token};
use crate::server::Server;

/// Who calls, in the order of each matrix row's cells.
const CALLERS: [&str; 6] = [
    "admin",
    "planner",
    "delegate PAK",
    "viewer",
    "revoked",
    "no token",
];

/// Each write route and the status for each caller.
const MATRIX: &[(&str, [u16; 6])] = &[
    ("POST /pledges (PAK)", [201, 201, 201, 403, 401, 401]),
    ("POST /pledges (JPN)", [201, 201, 403, 403, 401, 401]),
    ("PATCH /pledges/{id} (PAK)", [200, 200, 200, 403, 401, 401]),
    ("PATCH /pledges/{id} (JPN)", [200, 200, 403, 403, 401, 401]),
    (
        "POST /pledges/{id}/withdraw (PAK)",
        [200, 200, 200, 403, 401, 401],
    ),
    (
        "POST /pledges/{id}/withdraw (JPN)",
        [200, 200, 403, 403, 401, 401],
    ),
    ("POST /requirements", [201, 403, 403, 403, 401, 401]),
    ("PUT /requirements/{id}", [200, 403, 403, 403, 401, 401]),
    ("DELETE /requirements/{id}", [204, 403, 403, 403, 401, 401]),
    ("POST /missions", [201, 403, 403, 403, 401, 401]),
    ("PUT /missions/{acronym}", [200, 403, 403, 403, 401, 401]),
    ("POST /conferences", [201, 403, 403, 403, 401, 401]),
    ("PUT /conferences/{code}", [200, 403, 403, 403, 401, 401]),
    ("POST /imports/pledges", [200, 200, 422, 403, 401, 401]),
    ("POST /imports/requirements", [200, 403, 403, 403, 401, 401]),
];

struct Api {
    client: Client,
    base: String,
    admin: String,
}

impl Api {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let mut request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(b) = body {
            request = request.json(&b);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status();
        let headers = response.headers().clone();
        (
            status,
            response.json().await.unwrap_or(Value::Null),
            headers,
        )
    }

    async fn admin_post(&self, path: &str, body: Value) -> Value {
        let (status, json, _) = self
            .call(Method::POST, path, Some(&self.admin), Some(body))
            .await;
        assert!(status.is_success(), "setup {path}: {status} {json}");
        json
    }
}

fn pledge(state: &str, reference: &str) -> Value {
    json!({"pledge_ref": reference, "member_state": state, "capability": "INF-COY", "quantity": 1, "personnel": 150, "female_personnel": 10, "mission": "UNMISS"})
}

/// A mission acronym (letters only) unique to this cell.
fn acronym(cell: usize) -> String {
    let letters: Vec<char> = ('A'..='Z').collect();
    format!("TST{}{}", letters[cell / 26 % 26], letters[cell % 26])
}

#[tokio::test]
async fn every_role_gets_the_expected_answer_on_every_write_route() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("matrix.db").display());
    let server = Server::start(dir.path(), &["--demo", "--db", &db]);
    let admin = server
        .demo_admin_token()
        .unwrap_or_else(|| panic!("no admin token"));
    let planner = create_token(&db, "planner", None, "matrix planner");
    let delegate = create_token(&db, "delegate", Some("PAK"), "matrix delegate");
    let viewer = create_token(&db, "viewer", None, "matrix viewer");
    let revoked = create_token(&db, "planner", None, "matrix revoked");
    revoke_token(&db, "matrix revoked");
    let tokens = [
        Some(admin.clone()),
        Some(planner),
        Some(delegate),
        Some(viewer),
        Some(revoked),
        None,
    ];
    let api = Api {
        client: Client::new(),
        base: server.base_url.clone(),
        admin,
    };

    // Free (mission, capability) pairs for requirement cells.
    let (_, existing, _) = api
        .call(Method::GET, "/requirements", api.tokens_admin(), None)
        .await;
    let taken: Vec<(String, String)> = existing["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            (
                r["mission"].as_str().unwrap_or_default().to_owned(),
                r["capability"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let mut free = [
        "MINUSCA", "MONUSCO", "UNMISS", "UNIFIL", "UNISFA", "UNDOF", "UNFICYP", "UNMIK",
    ]
    .iter()
    .flat_map(|m| {
        [
            "RIV-UNIT", "SF-COY", "MP-COY", "SIG-COY", "TPT-COY", "HOSP-L3", "HEL-ATK", "EQ-GEN",
            "EQ-TRUCK", "SPT",
        ]
        .map(move |c| (m.to_string(), c.to_owned()))
    })
    .filter(|pair| !taken.contains(pair));

    let mut failures = Vec::new();
    let mut cell = 0;
    for (route, expected) in MATRIX {
        for (caller, (token, want)) in CALLERS.iter().zip(tokens.iter().zip(expected)) {
            cell += 1;
            let token = token.as_deref();
            let reference = format!("M-{cell}");
            let (method, path, body) = match *route {
                "POST /pledges (PAK)" => (
                    Method::POST,
                    "/pledges".to_owned(),
                    Some(pledge("PAK", &reference)),
                ),
                "POST /pledges (JPN)" => (
                    Method::POST,
                    "/pledges".to_owned(),
                    Some(pledge("JPN", &reference)),
                ),
                r if r.starts_with("PATCH") || r.contains("withdraw") => {
                    let state = if r.ends_with("(PAK)") { "PAK" } else { "JPN" };
                    let id =
                        api.admin_post("/pledges", pledge(state, &reference)).await["id"].clone();
                    if r.starts_with("PATCH") {
                        (
                            Method::PATCH,
                            format!("/pledges/{id}"),
                            Some(json!({"quantity": 2})),
                        )
                    } else {
                        (Method::POST, format!("/pledges/{id}/withdraw"), None)
                    }
                }
                r if r.contains("requirements") && !r.contains("imports") => {
                    let (mission, capability) = free
                        .next()
                        .unwrap_or_else(|| panic!("ran out of free requirement pairs"));
                    let body = json!({"mission": mission, "capability": capability, "quantity": 1, "personnel": 10, "needed_by": "2026-12-31", "priority": "high"});
                    if r.starts_with("POST") {
                        (Method::POST, "/requirements".to_owned(), Some(body))
                    } else {
                        let id = api.admin_post("/requirements", body.clone()).await["id"].clone();
                        let method = if r.starts_with("PUT") {
                            Method::PUT
                        } else {
                            Method::DELETE
                        };
                        let body = if r.starts_with("PUT") {
                            Some(
                                json!({"mission": mission, "capability": capability, "quantity": 2, "personnel": 10, "needed_by": "2026-12-31", "priority": "high"}),
                            )
                        } else {
                            None
                        };
                        (method, format!("/requirements/{id}"), body)
                    }
                }
                r if r.contains("missions") => {
                    let acronym = acronym(cell);
                    let body =
                        json!({"acronym": acronym, "name": "Test mission", "location": "Nowhere"});
                    if r.starts_with("POST") {
                        (Method::POST, "/missions".to_owned(), Some(body))
                    } else {
                        api.admin_post("/missions", body).await;
                        (
                            Method::PUT,
                            format!("/missions/{acronym}"),
                            Some(json!({"name": "Renamed", "location": "Nowhere"})),
                        )
                    }
                }
                r if r.contains("conferences") => {
                    let code = format!("TST-{cell}");
                    let body = json!({"code": code, "name": "Test", "hosts": ["PAK"], "location": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-02"});
                    if r.starts_with("POST") {
                        (Method::POST, "/conferences".to_owned(), Some(body))
                    } else {
                        api.admin_post("/conferences", body).await;
                        (
                            Method::PUT,
                            format!("/conferences/{code}"),
                            Some(
                                json!({"name": "Renamed", "hosts": ["PAK"], "location": "X", "starts_on": "2026-01-01", "ends_on": "2026-01-02"}),
                            ),
                        )
                    }
                }
                "POST /imports/pledges" => {
                    let file = format!(
                        "pledge_ref,member_state,capability,quantity\n{reference},JPN,INF-COY,1\n"
                    );
                    let status = api.upload("/imports/pledges", token, file).await;
                    if status.as_u16() != *want {
                        failures.push(format!("{route} as {caller}: {status}, expected {want}"));
                    }
                    continue;
                }
                "POST /imports/requirements" => {
                    let (mission, capability) = free
                        .next()
                        .unwrap_or_else(|| panic!("ran out of free requirement pairs"));
                    let file = format!(
                        "mission,capability,quantity,needed_by,priority\n{mission},{capability},1,2026-12-31,high\n"
                    );
                    let status = api.upload("/imports/requirements", token, file).await;
                    if status.as_u16() != *want {
                        failures.push(format!("{route} as {caller}: {status}, expected {want}"));
                    }
                    continue;
                }
                other => panic!("no request for {other}"),
            };
            let (status, json, headers) = api.call(method, &path, token, body).await;
            if status.as_u16() != *want {
                failures.push(format!(
                    "{route} as {caller}: {status} {json}, expected {want}"
                ));
            }
            if status == StatusCode::UNAUTHORIZED {
                assert_eq!(
                    headers
                        .get("www-authenticate")
                        .and_then(|v| v.to_str().ok()),
                    Some("Bearer realm=\"pledgeboard\"")
                );
                assert_eq!(
                    headers.get("content-type").and_then(|v| v.to_str().ok()),
                    Some("application/problem+json")
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(cell, MATRIX.len() * CALLERS.len());
}

impl Api {
    fn tokens_admin(&self) -> Option<&str> {
        Some(&self.admin)
    }

    async fn upload(&self, path: &str, token: Option<&str>, file: String) -> StatusCode {
        let mut request = self
            .client
            .post(format!("{}/api/v1{path}", self.base))
            .header("content-type", "text/csv")
            .body(file);
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .status()
    }
}
