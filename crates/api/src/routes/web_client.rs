//! The web client's static files (`Config::static_dir`), with an SPA fallback.
//!
//! Registered as the application's default service, so it only sees what no API route matched
//! (`/api/…` paths never reach it: the `/api` scope answers them with a problem+json 404).
//!
//! A small handler rather than `actix-files`: the client is a handful of files (index.html, one JS
//! glue file, one wasm module, a stylesheet), so all that is needed is a fixed content-type table,
//! `GET`/`HEAD` only, no directory listings and a strict path check. That is less code to trust than a
//! general file server and no new dependency.
//!
//! Safety: a request path is served only when every segment is made of `[A-Za-z0-9_.-]`, does not
//! start with a dot (no `..`, no hidden files) and the file, after resolving symlinks, lies inside
//! the canonical static directory. Anything else that looks like a page (no extension in its last
//! segment) gets `index.html`, so the client's own routes survive a reload; a missing asset is 404.

use std::path::{Path, PathBuf};

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The content type of a served file, from its extension; `None`: not served.
pub fn content_type(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?;
    Some(match extension {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => return None,
    })
}

/// Where a request path leads inside `root`: `Some(file)` for a safe, existing regular file,
/// `None` otherwise. Never leaves `root` (checked after resolving symlinks).
pub fn resolve(root: &Path, request_path: &str) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for segment in request_path.split('/').filter(|s| !s.is_empty()) {
        let safe = !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if !safe {
            return None;
        }
        relative.push(segment);
    }
    if relative.as_os_str().is_empty() {
        relative.push("index.html");
    }
    let root = root.canonicalize().ok()?;
    let file = root.join(relative).canonicalize().ok()?;
    (file.starts_with(&root) && file.is_file()).then_some(file)
}

/// Serves a static file, or `index.html` for a page path, or 404 problem+json.
pub async fn serve(app: web::Data<AppState>, request: HttpRequest) -> ApiResult<HttpResponse> {
    let not_found =
        || ApiError::not_found(format!("route {} {}", request.method(), request.path()));
    let Some(root) = app.config.static_dir.as_deref() else {
        return Err(not_found());
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return Err(not_found());
    }
    let path = request.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    let file = match resolve(root, path) {
        Some(file) => file,
        // A page of the client (no extension): the client routes it.
        None if !last.contains('.') => resolve(root, "/index.html").ok_or_else(not_found)?,
        None => return Err(not_found()),
    };
    let content_type = content_type(&file).ok_or_else(not_found)?;
    let body = web::block(move || std::fs::read(file))
        .await
        .map_err(|error| ApiError::internal(anyhow::anyhow!("reading a static file: {error}")))?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        // File names are not content-hashed: always revalidate.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> (PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("redmud_static_{}", uuid::Uuid::now_v7()));
        let root = base.join("dist");
        std::fs::create_dir_all(root.join("assets")).expect("dirs");
        std::fs::write(root.join("index.html"), "<html></html>").expect("index");
        std::fs::write(root.join("assets/app.js"), "1").expect("js");
        std::fs::write(base.join("secret.txt"), "TOP-SECRET-CONTENT").expect("secret");
        std::fs::write(root.join(".hidden.txt"), "TOP-SECRET-CONTENT").expect("hidden");
        (base, root)
    }

    #[test]
    fn only_safe_paths_inside_the_root_resolve() {
        let (base, root) = tree();
        assert!(resolve(&root, "/").is_some_and(|f| f.ends_with("index.html")));
        assert!(resolve(&root, "/assets/app.js").is_some());
        for bad in [
            "/../secret.txt",
            "/assets/../../secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e/secret.txt",
            "/.hidden.txt",
            "/assets/./app.js",
            "/assets\\..\\..\\secret.txt",
            "/assets",
            "/missing.js",
        ] {
            assert_eq!(resolve(&root, bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("secret.txt"), root.join("link.txt"))
                .expect("symlink");
            assert_eq!(
                resolve(&root, "/link.txt"),
                None,
                "a symlink out of the root"
            );
        }
        std::fs::remove_dir_all(base).ok();
    }

    /// Through the whole application: files, the SPA fallback after the API routes, and no way out
    /// of the directory.
    #[actix_web::test]
    async fn the_app_serves_the_client_after_the_api_routes() {
        use actix_web::test;

        let (base, root) = tree();
        let file = base.join("app.db");
        let store = redmud_store::EventStore::open(&format!("sqlite:{}", file.display()))
            .await
            .expect("store");
        let config = crate::config::Config {
            static_dir: Some(root.clone()),
            ..crate::config::Config::default()
        };
        let data = web::Data::new(AppState::new(store, config));
        let service = test::init_service(crate::server::app(data, |_| {})).await;
        let get = |uri: &str| test::TestRequest::get().uri(uri).to_request();

        for (uri, status, body) in [
            ("/", 200, Some("<html></html>")),
            ("/enterprises/abc", 200, Some("<html></html>")),
            ("/assets/app.js", 200, Some("1")),
            ("/missing.js", 404, None),
            ("/../secret.txt", 404, None),
            ("/assets/%2e%2e/%2e%2e/secret.txt", 404, None),
            ("/.hidden.txt", 404, None),
            ("/api/no-such-route", 404, None),
        ] {
            let response = test::call_service(&service, get(uri)).await;
            assert_eq!(response.status().as_u16(), status, "{uri}");
            let bytes = test::read_body(response).await;
            match body {
                Some(body) => assert_eq!(bytes, body.as_bytes(), "{uri}"),
                None => assert!(
                    !String::from_utf8_lossy(&bytes).contains("TOP-SECRET-CONTENT"),
                    "{uri}"
                ),
            }
        }
        let wasm_type = test::call_service(&service, get("/assets/app.js")).await;
        assert_eq!(
            wasm_type
                .headers()
                .get("content-type")
                .map(|v| v.as_bytes()),
            Some(&b"text/javascript; charset=utf-8"[..])
        );
        let api = test::call_service(&service, get("/api/no-such-route")).await;
        assert_eq!(
            api.headers().get("content-type").map(|v| v.as_bytes()),
            Some(&b"application/problem+json"[..]),
            "API paths never fall back to the client"
        );
        let post = test::TestRequest::post().uri("/").to_request();
        assert_eq!(
            test::call_service(&service, post).await.status().as_u16(),
            404
        );
        std::fs::remove_dir_all(base).ok();
    }

    #[test]
    fn content_types_are_a_fixed_table() {
        assert_eq!(content_type(Path::new("a.wasm")), Some("application/wasm"));
        assert_eq!(content_type(Path::new("a.exe")), None);
        assert_eq!(content_type(Path::new("noext")), None);
    }
}
