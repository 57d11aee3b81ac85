//! Test controls for merchants' CI: settle a pending payment now, without driving a
//! provider's page. They take the merchant's key: a customer must not be able to mark their
//! own payment paid.
//!
//! Also the sandbox's Content-Security-Policy reports ([`csp_reports`]): browsers post what a
//! page's policy blocked, and a test reads back what was recorded.

use crate::domain::payments::{outcome, to_wire};
use crate::error::{json_response, Error, Result};
use crate::http::input::{Id, OptionalJsonObject};
use crate::http::state::AppState;
use crate::storage::PaymentRow;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use checkout_core::payment::{FailureReason, Payment};
use serde_json::Value;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa_axum::{router::OpenApiRouter, routes};

#[derive(serde::Deserialize, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct FailPaymentRequest {
    /// Why it failed, as the page explains it; default `declined`.
    #[schema(example = "insufficient_funds")]
    reason: Option<FailureReason>,
}

fn respond(state: &AppState, p: PaymentRow) -> Result<Response> {
    Ok(json_response(StatusCode::OK, &to_wire(state, &p)))
}

/// Test controls for merchants' CI, behind the merchant's key.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(succeed))
        .routes(routes!(fail))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::http::auth::require_key,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

#[utoipa::path(
    post,
    path = "/sandbox/payments/{id}/succeed",
    tag = "Sandbox controls",
    params(("id" = String, Path, description = "Payment id")),
    responses(
        (status = 200, description = "The payment succeeded; its session is completed", body = Payment),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer pending", body = checkout_core::wire::ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn succeed(State(state): State<AppState>, Id(id): Id) -> Result<Response> {
    respond(&state, outcome::settle_now(&state, &id, None)?)
}

#[utoipa::path(
    post,
    path = "/sandbox/payments/{id}/fail",
    tag = "Sandbox controls",
    params(("id" = String, Path, description = "Payment id")),
    request_body(content = Option<FailPaymentRequest>, description = "Optional; the reason defaults to declined"),
    responses(
        (status = 200, description = "The payment failed; its session stays open", body = Payment),
        (status = 400, description = "Unknown reason", body = checkout_core::wire::ErrorBody),
        (status = 401, description = "Missing, wrong or live API key", body = checkout_core::wire::ErrorBody),
        (status = 404, description = "Unknown payment", body = checkout_core::wire::ErrorBody),
        (status = 409, description = "The payment is no longer pending", body = checkout_core::wire::ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn fail(
    State(state): State<AppState>,
    Id(id): Id,
    OptionalJsonObject(mut f): OptionalJsonObject,
) -> Result<Response> {
    let reason = f.choice_of::<FailureReason>("reason");
    f.finish()?;
    let p = outcome::settle_now(&state, &id, Some(reason.unwrap_or(FailureReason::Declined)))?;
    respond(&state, p)
}

/// A report is a few hundred bytes; a batch of them a few kilobytes.
const MAX_REPORT_BYTES: usize = 64 * 1024;

/// The (directive, blocked) pairs of a report body: `application/csp-report` (`report-uri`,
/// one `{"csp-report": {…}}`) or `application/reports+json` (the Reporting API: an array of
/// reports, the CSP ones with `"type": "csp-violation"`).
fn violations(body: &Value) -> Vec<(String, String)> {
    let text = |v: &Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str))
            .unwrap_or("")
            .to_string()
    };
    if let Some(report) = body.get("csp-report") {
        return vec![(
            text(report, &["effective-directive", "violated-directive"]),
            text(report, &["blocked-uri"]),
        )];
    }
    body.as_array()
        .map(|reports| {
            reports
                .iter()
                .filter(|r| r.get("type").and_then(Value::as_str) == Some("csp-violation"))
                .filter_map(|r| r.get("body"))
                .map(|b| {
                    (
                        text(b, &["effectiveDirective", "violatedDirective"]),
                        text(b, &["blockedURL"]),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_report(headers: &HeaderMap) -> bool {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    matches!(
        mime.as_str(),
        "application/csp-report" | "application/reports+json" | "application/json"
    )
}

/// `POST /sandbox/csp-reports`: what a browser blocked on one of the sandbox's pages. No key:
/// browsers send these on their own. 204; the error shape with 415 for another body type,
/// 413 past [`MAX_REPORT_BYTES`], 400 for a body that is not a report.
async fn receive(State(state): State<AppState>, request: Request) -> Result<Response> {
    if !is_report(request.headers()) {
        return Err(Error::unsupported_media_type(
            "Send a report as application/csp-report or application/reports+json",
        ));
    }
    let body = axum::body::to_bytes(request.into_body(), MAX_REPORT_BYTES)
        .await
        .map_err(|_| Error::payload_too_large())?;
    let found = serde_json::from_slice::<Value>(&body)
        .map(|body| violations(&body))
        .unwrap_or_default();
    if found.is_empty() {
        return Err(Error::invalid("Not a CSP violation report"));
    }
    for (directive, blocked) in found {
        state.csp_reports().record(&directive, &blocked);
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /sandbox/csp-reports`, with the merchant's key: what was recorded since the sandbox
/// started.
async fn list(State(state): State<AppState>) -> Response {
    json_response(StatusCode::OK, &state.csp_reports().summary())
}

/// The CSP report endpoint, kept out of the OpenAPI document with the providers' pages: it is
/// the browser's, not the merchant's.
pub fn csp_reports(state: &AppState) -> Router<AppState> {
    Router::new().route(
        crate::http::security::REPORT_PATH,
        post(receive)
            .merge(get(list).route_layer(middleware::from_fn_with_state(
                state.clone(),
                crate::http::auth::require_key,
            )))
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_are_read_in_both_formats() {
        let legacy = json!({"csp-report": {
            "document-uri": "http://127.0.0.1:8080/checkout/cs_1?payment=pay_1",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "blocked-uri": "inline",
            "script-sample": "secret"
        }});
        assert_eq!(
            violations(&legacy),
            [("script-src-elem".to_string(), "inline".to_string())]
        );
        let batch = json!([
            {"type": "csp-violation", "url": "http://x/", "body": {
                "effectiveDirective": "img-src",
                "blockedURL": "https://cdn.example/a.png?customer=awa@example.ci"
            }},
            {"type": "deprecation", "body": {}}
        ]);
        assert_eq!(
            violations(&batch),
            [(
                "img-src".to_string(),
                "https://cdn.example/a.png?customer=awa@example.ci".to_string()
            )]
        );
        assert!(violations(&json!({"x": 1})).is_empty());
    }
}
