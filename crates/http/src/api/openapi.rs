//! The OpenAPI 3.1 description, generated from the handlers' annotations.

use std::sync::Arc;

use axum::extract::State;
use axum::{Extension, Json};
use serde_json::Value;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{Content, OpenApi as OpenApiDoc, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::api::openapi_constraints::constrain_parameters;
use crate::error::PROBLEM_JSON;
use crate::{ApiError, AppState};

/// The document's fixed parts; paths come from the router.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pledgeboard API",
        description = "Peacekeeping pledges against mission requirements. Figures are indicative, as pledged. \
            Errors are RFC 9457 problem details (application/problem+json).",
    ),
    modifiers(&BearerAuth),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    tags(
        (name = "pledges", description = "Record, change, withdraw and read pledges"),
        (name = "requirements", description = "What each mission needs"),
        (name = "reference data", description = "Member states, capabilities, missions, conferences"),
        (name = "audit", description = "Who changed what, when"),
        (name = "reports", description = "Coverage, allocation, country summaries, renewals (figures indicative, as pledged)"),
        (name = "imports", description = "Spreadsheet import and export"),
        (name = "events", description = "Live changes as server-sent events"),
        (name = "health", description = "Probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApiDoc) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `pledgeboard token create`"))
                    .build(),
            ),
        );
    }
}

/// `GET /api/v1/openapi.json`: this API's description (public: it holds no data), with the
/// reference codes the parameters accept as they stand now.
#[utoipa::path(get, path = "/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json(
    State(state): State<AppState>,
    Extension(doc): Extension<Arc<OpenApiDoc>>,
) -> Result<Json<Value>, ApiError> {
    let mut served =
        serde_json::to_value(&*doc).map_err(|e| ApiError::Internal(format!("openapi: {e}")))?;
    constrain_parameters(&mut served, &state.catalog());
    Ok(Json(served))
}

/// What each status means in this API, for responses whose annotation gives no description.
fn status_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "Done; no content",
        "400" => {
            "The request is malformed: a parameter, header or body that cannot be read (problem details)"
        }
        "401" => "No valid token: send `Authorization: Bearer <token>` (problem details)",
        "403" => "This token's role may not do this (problem details)",
        "404" => "No such record (problem details)",
        "409" => "The key is already taken (problem details)",
        "412" => "If-Match names a version that is no longer current (problem details)",
        "413" => "The body is larger than the server accepts (problem details)",
        "415" => "The body is not in a media type this operation reads (problem details)",
        "422" => "Invalid data; `errors` lists every bad field (problem details)",
        "429" => {
            "Too many failed log-ins or unknown tokens from this address; `Retry-After` says when to try again (problem details)"
        }
        "503" => {
            "The database cannot be reached or is busy; `Retry-After` may say when to try again (problem details)"
        }
        _ => "See the body",
    }
}

/// The media type of a JSON request body; a body of another type is refused with 415.
const JSON_BODY: &str = "application/json";

/// Completes what the annotations leave to one place, for every operation: the answers its
/// shape can give (400 when it reads a parameter, header or body; 413 for a body; 415 for a
/// JSON body; 401 and 503 behind a token, with the bearer requirement), a description for
/// every response (OpenAPI requires one), and `application/problem+json` (the `Problem`
/// schema) as the content of every error response.
pub fn describe_responses(doc: &mut OpenApiDoc) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let behind_token = path.starts_with("/api/v1/") && path != "/api/v1/openapi.json";
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
            &mut item.options,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            for status in shape_answers(operation, behind_token) {
                operation
                    .responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| RefOr::T(Response::new(status_description(status))));
            }
            if behind_token && operation.security.is_none() {
                operation.security = Some(vec![SecurityRequirement::new(
                    "bearer",
                    Vec::<String>::new(),
                )]);
            }
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response {
                    if response.description.is_empty() {
                        response.description = status_description(status).to_owned();
                    }
                    if status.starts_with('4') || status.starts_with('5') {
                        as_problem_details(response);
                    }
                }
            }
        }
    }
}

/// The error statuses an operation can answer by its shape alone.
fn shape_answers(operation: &Operation, behind_token: bool) -> Vec<&'static str> {
    let mut statuses = Vec::new();
    let body = match &operation.request_body {
        Some(RefOr::T(body)) => Some(body),
        _ => None,
    };
    let reads_parameters = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    if reads_parameters || body.is_some() {
        statuses.push("400");
    }
    if let Some(body) = body {
        statuses.push("413");
        if body.content.contains_key(JSON_BODY) {
            statuses.push("415");
        }
    }
    if behind_token {
        // 429: an address that keeps presenting unknown tokens is made to wait.
        statuses.extend(["401", "429", "503"]);
    }
    statuses
}

/// Declares `application/problem+json` with the `Problem` schema for an error response: in
/// place of a `Problem` body given as JSON, beside any other body (an import's report).
fn as_problem_details(response: &mut Response) {
    let is_problem = |content: &RefOr<Content>| match content {
        RefOr::T(content) => {
            matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Problem"))
        }
        RefOr::Ref(_) => false,
    };
    response.content.retain(|_, content| !is_problem(content));
    response.content.insert(
        PROBLEM_JSON.to_owned(),
        RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
    );
}
