//! Extractors whose rejections are problem details like every other error.

use axum::extract::{FromRequest, FromRequestParts};

use crate::ApiError;

/// `axum::extract::Query` answering bad input with problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `axum::extract::Path` answering bad input with problem details.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `axum::Json` answering bad input (and bodies over the limit) with problem details.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);
