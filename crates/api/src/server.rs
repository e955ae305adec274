//! Starting and stopping the HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::BoxBody;
use actix_web::dev::{ServerHandle, Service, ServiceFactory, ServiceResponse};
use actix_web::{App, HttpServer, ResponseError, web};
use anyhow::Context;
use futures_util::FutureExt;
use redmud_store::{EventStore, StoreOptions, redact};

use crate::config::Config;
use crate::error::ApiError;
use crate::routes;
use crate::state::AppState;

/// A server that is accepting connections.
#[derive(Debug)]
pub struct RunningServer {
    /// The address it listens on (the real port when the config asked for port 0).
    pub addr: SocketAddr,
    /// The shared state (store, caches, metrics).
    pub state: web::Data<AppState>,
    handle: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `http://ADDR`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish (graceful), then closes the store.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.handle.stop(true).await;
        self.task.await.context("server task")?.context("server")?;
        self.state.store.close().await;
        Ok(())
    }

    /// Runs until the server stops by itself (it does not; see [`RunningServer::stop`]).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await.context("server task")?.context("server")?;
        self.state.store.close().await;
        Ok(())
    }

    /// A handle that stops the server from elsewhere (e.g. a signal handler).
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }
}

/// Opens the database (applying migrations), loads the demo when asked, binds and starts serving.
pub async fn start(config: Config) -> anyhow::Result<RunningServer> {
    let url = redact(&config.database_url);
    let store = EventStore::connect_with(
        &config.database_url,
        StoreOptions {
            max_connections: config.max_connections,
            ..StoreOptions::default()
        },
    )
    .await
    .with_context(|| format!("cannot open {url}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("cannot migrate {url}"))?;
    start_with_store(store, config).await
}

/// Starts serving an already opened and migrated store.
pub async fn start_with_store(store: EventStore, config: Config) -> anyhow::Result<RunningServer> {
    let state = web::Data::new(AppState::new(store, config.clone()));
    if config.demo {
        crate::demo::load(&state)
            .await
            .context("loading the demo data")?;
    }
    let key_file = config.audit_key_file();
    let key = crate::audit::AuditKey::load_or_create(&key_file)
        .with_context(|| format!("cannot load the audit key {}", key_file.display()))?;
    let _ = state.audit_key.set(key);
    if config.checkpoint_every > 0 {
        tokio::spawn(crate::audit::checkpoint::run_checkpointer(state.clone()));
    }
    let listener = TcpListener::bind(config.addr)
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let addr = listener.local_addr()?;
    let data = state.clone();
    let mut server = HttpServer::new(move || app(data.clone(), |_| {}))
        .disable_signals()
        .shutdown_timeout(10);
    if config.workers > 0 {
        server = server.workers(config.workers);
    }
    let server = server.listen(listener)?.run();
    let handle = server.handle();
    let task = tokio::spawn(server);
    tracing::info!(%addr, engine = state.store.engine_name(), "serving");
    Ok(RunningServer {
        addr,
        state,
        handle,
        task,
    })
}

/// The application: every route, wrapped in the request guard (metrics, logs, and a 500 problem
/// for a handler that panics). `extra` adds routes (tests add one that panics).
pub fn app(
    data: web::Data<AppState>,
    extra: impl FnOnce(&mut web::ServiceConfig),
) -> App<
    impl ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(data)
        .configure(extra)
        .wrap_fn(|request, service| {
            // Never hold a clone of the request across the call: actix reuses it in place.
            let started = Instant::now();
            let method = request.method().clone();
            let path = request.path().to_owned();
            let app = request.app_data::<web::Data<AppState>>().cloned();
            let call = service.call(request);
            async move {
                let response = match AssertUnwindSafe(call).catch_unwind().await {
                    Ok(Ok(response)) => response.map_into_boxed_body(),
                    Ok(Err(error)) => return Err(error),
                    Err(panic) => {
                        let message = panic
                            .downcast_ref::<&str>()
                            .map(|s| (*s).to_owned())
                            .or_else(|| panic.downcast_ref::<String>().cloned())
                            .unwrap_or_default();
                        let error = ApiError::internal(anyhow::anyhow!(
                            "handler of {method} {path} panicked: {message}"
                        ));
                        // The request went down with the handler; answer on a blank one.
                        ServiceResponse::new(
                            actix_web::test::TestRequest::default().to_http_request(),
                            error.error_response(),
                        )
                    }
                };
                let elapsed = started.elapsed();
                let route = response
                    .request()
                    .match_pattern()
                    .unwrap_or_else(|| "(unmatched)".to_owned());
                let status = response.status().as_u16();
                if let Some(app) = app {
                    app.metrics
                        .request(method.as_str(), &route, status, elapsed);
                }
                let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
                if status >= 500 {
                    tracing::warn!(%method, path, status, micros, "request failed");
                } else {
                    tracing::debug!(%method, path, status, micros, "request");
                }
                Ok(response)
            }
        })
        .configure(routes::configure)
        // The web client (static files, SPA fallback), after every API route.
        .default_service(web::to(routes::web_client::serve))
}

#[cfg(test)]
mod tests {
    use actix_web::test;

    use super::*;

    /// A handler that panics answers 500 problem+json with a request id; the server goes on.
    #[actix_web::test]
    async fn a_panicking_handler_is_a_500_problem_and_the_server_goes_on() {
        let file = std::env::temp_dir().join(format!("redmud_panic_{}.db", uuid::Uuid::now_v7()));
        let store = EventStore::open(&format!("sqlite:{}", file.display()))
            .await
            .expect("store");
        let data = web::Data::new(AppState::new(store.clone(), Config::default()));
        let service = test::init_service(app(data, |cfg| {
            cfg.route(
                "/boom",
                web::get().to(|| async {
                    if std::hint::black_box(true) {
                        panic!("boom");
                    }
                    "unreachable"
                }),
            );
        }))
        .await;
        let response =
            test::call_service(&service, test::TestRequest::get().uri("/boom").to_request()).await;
        assert_eq!(response.status().as_u16(), 500);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(crate::error::PROBLEM_JSON)
        );
        let body: serde_json::Value = test::read_body_json(response).await;
        assert_eq!(body["code"], "internal");
        assert!(body["request_id"].is_string());
        assert!(
            !body.to_string().contains("boom"),
            "the panic message stays in the log"
        );
        let response = test::call_service(
            &service,
            test::TestRequest::get().uri("/health").to_request(),
        )
        .await;
        assert_eq!(response.status().as_u16(), 200);
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
    }
}
