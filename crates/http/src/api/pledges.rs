//! Pledge handlers: extract, call the store, convert, return.

use axum::Json;
use axum::extract::State;

use crate::api::pledge_json::{PledgePageResponse, PledgeResponse};
use crate::api::pledge_query::PledgeListQuery;
use crate::extract::{ApiPath, ApiQuery};
use crate::{ApiError, AppState};

/// `GET /api/v1/pledges`: filtered, paged with an opaque cursor.
pub async fn list_pledges(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PledgeListQuery>,
) -> Result<Json<PledgePageResponse>, ApiError> {
    let filter = query
        .to_filter(&state.catalog())
        .map_err(ApiError::Invalid)?;
    let page = state.store.list_pledges(&filter).await?;
    Ok(Json(PledgePageResponse {
        items: page.items.into_iter().map(PledgeResponse::from).collect(),
        next_cursor: page.next_after_id.map(|id| id.to_string()),
    }))
}

/// `GET /api/v1/pledges/{id}`
pub async fn find_pledge(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PledgeResponse>, ApiError> {
    Ok(Json(state.store.find_pledge(id).await?.into()))
}
