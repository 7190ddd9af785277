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
