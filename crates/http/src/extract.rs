//! Extractors whose rejections are problem details like every other error.

use axum::extract::FromRequestParts;

use crate::ApiError;

/// `axum::extract::Query` answering bad input with problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` answering bad input with problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
