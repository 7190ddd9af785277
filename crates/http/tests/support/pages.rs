//! Pages as a browser asks for them: with the site's host, a session cookie and an Origin.

use axum::body::Body;
use axum::http::{Request, StatusCode};

use super::{Answer, TestApp};

/// The host every page request names.
pub const HOST: &str = "pledgeboard.test";

/// `GET path`, signed in when a cookie is given.
pub async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (Answer, String) {
    let mut request = Request::get(path).header("host", HOST);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let request = request.body(Body::empty()).unwrap_or_default();
    app.exchange(request).await
}

/// `POST path` with a form body, a cookie and an Origin when given.
pub async fn post_form(
    app: &TestApp,
    path: &str,
    form: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Answer {
    let mut request = Request::post(path)
        .header("host", HOST)
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    if let Some(o) = origin {
        request = request.header("origin", o);
    }
    app.send(
        request
            .body(Body::from(form.to_owned()))
            .unwrap_or_default(),
    )
    .await
}

/// Logs in with `token` and returns the `name=value` of the session cookie.
pub async fn log_in(app: &TestApp, token: &str) -> String {
    let answer = post_form(
        app,
        "/login",
        &format!("token={token}"),
        None,
        Some(&format!("http://{HOST}")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", app.backend);
    let cookie = answer.header("set-cookie").unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    cookie.split(';').next().unwrap_or_default().to_owned()
}

/// Posts a multipart form: `(name, file name, content)` parts, a file when it has a name.
pub async fn post_multipart(
    app: &TestApp,
    path: &str,
    parts: &[(&str, Option<&str>, &[u8])],
    cookie: &str,
) -> (Answer, String) {
    const BOUNDARY: &str = "pledgeboard-test-boundary";
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: text/csv\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::post(path)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("cookie", cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap_or_default();
    app.exchange(request).await
}

/// The `name=value` form body of these pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// Submits a form from this site's own page, signed in with `cookie`; the answer and its page.
pub async fn submit(
    app: &TestApp,
    path: &str,
    pairs: &[(&str, &str)],
    cookie: &str,
) -> (Answer, String) {
    let request = Request::post(path)
        .header("host", HOST)
        .header("origin", format!("http://{HOST}"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form(pairs)))
        .unwrap_or_default();
    app.exchange(request).await
}

/// The text of the error shown beside `field` on a form page.
pub fn error_beside(html: &str, field: &str) -> String {
    let marker = format!("id=\"f-{field}-error\" role=\"alert\">");
    html.split_once(&marker)
        .and_then(|(_, rest)| rest.split_once("</span>"))
        .map(|(text, _)| text.to_owned())
        .unwrap_or_default()
}
