//! The OpenAPI 3.1 description, generated from the handlers' annotations.

use std::sync::Arc;

use axum::{Extension, Json};
use utoipa::openapi::OpenApi as OpenApiDoc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

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

/// `GET /api/v1/openapi.json`: this API's description (public: it holds no data).
#[utoipa::path(get, path = "/openapi.json", tag = "health",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json(Extension(doc): Extension<Arc<OpenApiDoc>>) -> Json<OpenApiDoc> {
    Json((*doc).clone())
}

/// What each status means in this API, for responses whose annotation gives no description.
fn status_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "Done; no content",
        "400" => "The request is malformed (problem details)",
        "401" => "No valid token: send `Authorization: Bearer <token>` (problem details)",
        "403" => "This token's role may not do this (problem details)",
        "404" => "No such record (problem details)",
        "409" => "The key is already taken (problem details)",
        "412" => "If-Match names a version that is no longer current (problem details)",
        "413" => "The body is larger than the server accepts (problem details)",
        "422" => "Invalid data; `errors` lists every bad field (problem details)",
        "503" => "The database cannot be reached (problem details)",
        _ => "See the body",
    }
}

/// Fills in every response description the annotations left empty (OpenAPI requires one).
pub fn describe_responses(doc: &mut OpenApiDoc) {
    use utoipa::openapi::RefOr;
    for item in doc.paths.paths.values_mut() {
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
            for (status, response) in operation.responses.responses.iter_mut() {
                if let RefOr::T(response) = response
                    && response.description.is_empty()
                {
                    response.description = status_description(status).to_owned();
                }
            }
        }
    }
}
