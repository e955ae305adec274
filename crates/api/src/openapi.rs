//! The OpenAPI 3.1 document at `GET /api/openapi.json`, built from the same command tables the
//! routes use ([`Resource::COMMANDS`]) and from JSON Schemas generated from the domain's own types
//! (schemars, JSON Schema 2020-12 — the dialect of OpenAPI 3.1). A test checks that every route
//! the server answers is in the document.

use std::sync::OnceLock;

use redmud_domain::account::Account;
use redmud_domain::{Base, Enterprise, Project, RegionalPlan};
use schemars::JsonSchema;
use schemars::SchemaGenerator;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::aggregates::{CommandSpec, Fill, Resource};
use crate::auth::role_name;

/// The document (built once).
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(build)
}

fn problem_responses(codes: &[u16]) -> Map<String, Value> {
    let mut responses = Map::new();
    for code in codes {
        let description = match code {
            400 => "Malformed request (JSON, query, headers)",
            401 => "Missing, expired or revoked token",
            403 => "The account's role or region does not allow this",
            404 => "No such resource (as of the moment asked)",
            409 => "Conflict (already exists, concurrent update, reused idempotency key)",
            412 => "If-Match does not match the current version",
            413 => "Body too large",
            422 => "Invalid content or refused by a rule of the plan",
            429 => "Too many failed sign-ins",
            _ => "Error",
        };
        responses.insert(
            code.to_string(),
            json!({
                "description": description,
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
            }),
        );
    }
    responses.insert(
        "500".to_owned(),
        json!({
            "description": "Unexpected error (logged under the request id in the body)",
            "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
        }),
    );
    responses
}

fn ok(description: &str, schema: Value, mut errors: Map<String, Value>) -> Value {
    errors.insert(
        "200".to_owned(),
        json!({ "description": description, "content": { "application/json": { "schema": schema } } }),
    );
    Value::Object(errors)
}

fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema })
}

fn as_of_param() -> Value {
    query_param(
        "as_of",
        "Answer as the system would have at this moment: a log position (integer) or an RFC 3339 time.",
        json!({ "type": "string", "examples": ["1200", "2026-07-01T00:00:00+08:00"] }),
    )
}

fn id_param() -> Value {
    json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "format": "uuid" } })
}

/// The request body schema of one command: its variant of the command enum, without the
/// `command` tag, with server-filled fields optional (or absent when the server always sets them).
fn command_body(commands: &Value, spec: &CommandSpec, id_field: Option<&str>) -> Value {
    let variants = commands
        .get("oneOf")
        .or_else(|| commands.get("anyOf"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let variant = variants.into_iter().find(|variant| {
        variant
            .pointer("/properties/command/const")
            .or_else(|| variant.pointer("/properties/command/enum/0"))
            .and_then(Value::as_str)
            == Some(spec.name)
    });
    let Some(mut variant) = variant else {
        return json!({ "type": "object" });
    };
    let mut drop_property = |name: &str, keep_optional: bool| {
        if !keep_optional
            && let Some(properties) = variant.get_mut("properties").and_then(Value::as_object_mut)
        {
            properties.remove(name);
        }
        if let Some(required) = variant.get_mut("required").and_then(Value::as_array_mut) {
            required.retain(|field| field.as_str() != Some(name));
        }
    };
    drop_property("command", false);
    for fill in spec.fills {
        match *fill {
            Fill::NewId(field) => drop_property(field, true),
            Fill::Today(field) => drop_property(field, false),
        }
    }
    if let Some(field) = id_field {
        drop_property(field, true);
    }
    if spec.name == "SubmitReport" {
        drop_property("figures", true);
    }
    if let Some(object) = variant.as_object_mut() {
        object.insert("additionalProperties".to_owned(), Value::Bool(false));
        object.entry("properties").or_insert_with(|| json!({}));
        if let Some(properties) = object.get_mut("properties").and_then(Value::as_object_mut) {
            properties.entry("reason").or_insert_with(|| {
                json!({ "type": ["string", "null"], "description": "Why (stored in the event's metadata; required by rules for corrections, cancellations, revocations, recoveries, returns)" })
            });
        }
    }
    variant
}

fn roles_text(spec: &CommandSpec) -> String {
    spec.roles
        .iter()
        .map(|role| role_name(*role))
        .collect::<Vec<_>>()
        .join(", ")
}

fn add_resource<R>(generator: &mut SchemaGenerator, paths: &mut Map<String, Value>)
where
    R: Resource + JsonSchema,
    R::Command: DeserializeOwned + Serialize + JsonSchema,
    R::Error: Serialize,
{
    let state = generator.subschema_for::<R>().to_value();
    let commands = generator.subschema_for::<R::Command>().to_value();
    let commands = resolve_ref(generator, commands);
    let resource = json!({
        "type": "object",
        "required": ["id", "version", "valid_from", "state"],
        "properties": {
            "id": { "type": "string", "format": "uuid" },
            "version": { "type": "integer", "minimum": 1, "description": "The stream version (also the ETag)." },
            "valid_from": { "type": "integer", "description": "Log position at which this version became current." },
            "valid_to": { "type": "integer", "description": "Log position at which a later version replaced it." },
            "state": state,
        }
    });
    let tag = R::COLLECTION;
    let base = format!("/api/{}", R::COLLECTION);
    let list_params = vec![
        query_param(
            "region",
            "Region code; a prefecture or the province includes the regions within it.",
            json!({ "type": "string", "pattern": "^[0-9]{6}$" }),
        ),
        query_param(
            "kind",
            "Kind (e.g. an enterprise or project kind).",
            json!({ "type": "string" }),
        ),
        query_param("status", "Lifecycle status.", json!({ "type": "string" })),
        query_param("task", "Plan task (projects).", json!({ "type": "string" })),
        query_param(
            "tag",
            "A tag: utilization route, designation, enterprise kind, level…",
            json!({ "type": "string" }),
        ),
        query_param(
            "q",
            "Case-insensitive text search.",
            json!({ "type": "string" }),
        ),
        query_param(
            "sort",
            "name, updated or id; prefix - for descending.",
            json!({ "type": "string", "enum": ["name", "-name", "updated", "-updated", "id", "-id"] }),
        ),
        query_param(
            "limit",
            "Page size (1–500, default 50).",
            json!({ "type": "integer", "minimum": 1, "maximum": 500 }),
        ),
        query_param(
            "offset",
            "Items to skip.",
            json!({ "type": "integer", "minimum": 0 }),
        ),
        as_of_param(),
    ];
    let list = json!({
        "type": "object",
        "required": ["items", "total", "limit", "offset"],
        "properties": {
            "items": { "type": "array", "items": resource },
            "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
            "as_of_position": { "type": "integer" }
        }
    });
    let mut collection = Map::new();
    collection.insert(
        "get".to_owned(),
        json!({
            "tags": [tag], "summary": format!("List {}", R::COLLECTION), "operationId": format!("list_{}", R::CATEGORY),
            "security": [{ "bearer": [] }], "parameters": list_params,
            "responses": ok("A page of the list", list, problem_responses(&[400, 401, 403])),
        }),
    );
    let create = R::create_spec();
    if R::CATEGORY != "account" {
        let mut responses = problem_responses(&[400, 401, 403, 409, 413, 422]);
        responses.insert("201".to_owned(), json!({
            "description": "Created; Location names the new resource, ETag its version",
            "headers": { "Location": { "schema": { "type": "string" } }, "ETag": { "schema": { "type": "string" } } },
            "content": { "application/json": { "schema": resource } }
        }));
        collection.insert("post".to_owned(), json!({
            "tags": [tag], "summary": create.summary, "operationId": format!("{}", crate::aggregates::kebab(create.name).replace('-', "_")),
            "description": format!("Roles: {}.", roles_text(create)),
            "security": [{ "bearer": [] }],
            "parameters": [{ "name": "Idempotency-Key", "in": "header", "required": false, "schema": { "type": "string", "maxLength": 200 } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": command_body(&commands, create, Some(R::ID_FIELD)) } } },
            "responses": responses,
        }));
    } else {
        let mut body = command_body(&commands, create, Some(R::ID_FIELD));
        if let Some(properties) = body.get_mut("properties").and_then(Value::as_object_mut) {
            properties.insert("password".to_owned(), json!({ "type": "string", "minLength": crate::auth::MIN_PASSWORD_CHARS, "writeOnly": true }));
        }
        if let Some(required) = body.get_mut("required").and_then(Value::as_array_mut) {
            required.push(json!("password"));
        }
        let mut responses = problem_responses(&[400, 401, 403, 409, 413, 422]);
        responses.insert(
            "201".to_owned(),
            json!({
                "description": "Created",
                "headers": { "Location": { "schema": { "type": "string" } } },
                "content": { "application/json": { "schema": resource } }
            }),
        );
        collection.insert("post".to_owned(), json!({
            "tags": [tag], "summary": create.summary, "operationId": "create_account",
            "description": "Roles: admin. The password is stored as an argon2id hash, never in the log.",
            "security": [{ "bearer": [] }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": body } } },
            "responses": responses,
        }));
    }
    paths.insert(base.clone(), Value::Object(collection));
    let mut detail_responses = problem_responses(&[400, 401, 403, 404]);
    detail_responses.insert(
        "200".to_owned(),
        json!({
            "description": "The resource (as of the moment asked); ETag = its version",
            "headers": { "ETag": { "schema": { "type": "string" } } },
            "content": { "application/json": { "schema": resource } }
        }),
    );
    paths.insert(format!("{base}/{{id}}"), json!({
        "get": {
            "tags": [tag], "summary": format!("One {}", R::NOUN), "operationId": format!("get_{}", R::CATEGORY),
            "security": [{ "bearer": [] }], "parameters": [id_param(), as_of_param()],
            "responses": detail_responses,
        }
    }));
    paths.insert(format!("{base}/{{id}}/history"), json!({
        "get": {
            "tags": [tag], "summary": format!("Every event of one {} with who, role, organisation, when recorded, effective date and reason", R::NOUN),
            "operationId": format!("history_{}", R::CATEGORY),
            "security": [{ "bearer": [] }], "parameters": [id_param(), as_of_param()],
            "responses": ok("The events", json!({
                "type": "object",
                "properties": { "id": { "type": "string" }, "stream": { "type": "string" }, "events": { "type": "array", "items": { "$ref": "#/components/schemas/RecordedEvent" } } }
            }), problem_responses(&[400, 401, 403, 404])),
        }
    }));
    for spec in &R::COMMANDS[1..] {
        let mut responses = problem_responses(&[400, 401, 403, 404, 409, 412, 413, 422]);
        responses.insert(
            "200".to_owned(),
            json!({
                "description": "Recorded; ETag = the new version",
                "headers": { "ETag": { "schema": { "type": "string" } } },
                "content": { "application/json": { "schema": resource } }
            }),
        );
        paths.insert(format!("{base}/{{id}}/{}", spec.segment()), json!({
            "post": {
                "tags": [tag], "summary": spec.summary,
                "operationId": format!("{}_{}", R::CATEGORY, spec.segment().replace('-', "_")),
                "description": format!("Roles: {}. A bureau acts only within its region.", roles_text(spec)),
                "security": [{ "bearer": [] }],
                "parameters": [
                    id_param(),
                    { "name": "If-Match", "in": "header", "required": false, "description": "The ETag read; 412 when the resource changed since.", "schema": { "type": "string" } },
                    { "name": "Idempotency-Key", "in": "header", "required": false, "description": "A retried request with the same key returns the first result without recording twice.", "schema": { "type": "string", "maxLength": 200 } }
                ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": command_body(&commands, spec, None) } } },
                "responses": responses,
            }
        }));
    }
}

/// Follows a top-level `$ref` into the generator's definitions.
fn resolve_ref(generator: &SchemaGenerator, schema: Value) -> Value {
    let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
        return schema;
    };
    let name = reference.rsplit('/').next().unwrap_or_default();
    generator.definitions().get(name).cloned().unwrap_or(schema)
}

fn build() -> Value {
    let mut generator = redmud_domain::schema::openapi_settings().into_generator();
    let mut paths = Map::new();
    add_resource::<Enterprise>(&mut generator, &mut paths);
    add_resource::<Project>(&mut generator, &mut paths);
    add_resource::<Base>(&mut generator, &mut paths);
    add_resource::<RegionalPlan>(&mut generator, &mut paths);
    add_resource::<Account>(&mut generator, &mut paths);
    let problems = problem_responses(&[400, 401]);
    paths.insert("/api/auth/login".to_owned(), json!({
        "post": {
            "tags": ["auth"], "summary": "Sign in: a bearer token for the account", "operationId": "login",
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false, "required": ["username", "password"],
                "properties": { "username": { "type": "string" }, "password": { "type": "string" } }
            } } } },
            "responses": ok("Signed in", json!({
                "type": "object",
                "properties": {
                    "token": { "type": "string" }, "token_type": { "const": "Bearer" },
                    "expires_at": { "type": "string", "format": "date-time" },
                    "account": { "$ref": "#/components/schemas/Actor" }
                }
            }), problem_responses(&[400, 401, 413, 422, 429])),
        }
    }));
    let mut logout_responses = problems.clone();
    logout_responses.insert(
        "204".to_owned(),
        json!({ "description": "Signed out; the token is revoked" }),
    );
    paths.insert("/api/auth/logout".to_owned(), json!({
        "post": { "tags": ["auth"], "summary": "Sign out (revoke the token)", "operationId": "logout",
                  "security": [{ "bearer": [] }], "responses": logout_responses }
    }));
    paths.insert("/api/auth/me".to_owned(), json!({
        "get": { "tags": ["auth"], "summary": "The signed-in account", "operationId": "me",
                 "security": [{ "bearer": [] }],
                 "responses": ok("The account", json!({ "$ref": "#/components/schemas/Actor" }), problems.clone()) }
    }));
    paths.insert("/api/accounts/{id}/password".to_owned(), json!({
        "post": {
            "tags": ["accounts"], "summary": "Set a password (admin: any account; others: their own, with the current password). Ends the account's sessions.",
            "operationId": "set_password", "security": [{ "bearer": [] }], "parameters": [id_param()],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false, "required": ["password"],
                "properties": { "password": { "type": "string", "minLength": crate::auth::MIN_PASSWORD_CHARS }, "current_password": { "type": "string" } }
            } } } },
            "responses": ok("Changed", json!({ "type": "object" }), problem_responses(&[400, 401, 403, 404, 422])),
        }
    }));
    paths.insert("/api/events".to_owned(), json!({
        "get": {
            "tags": ["events"], "summary": "Events of the whole log from a position, filtered", "operationId": "events",
            "security": [{ "bearer": [] }],
            "parameters": [
                query_param("from", "First position (inclusive).", json!({ "type": "integer", "minimum": 1 })),
                query_param("category", "Stream categories, comma-separated.", json!({ "type": "string" })),
                query_param("type", "Event types, comma-separated.", json!({ "type": "string" })),
                query_param("actor", "Only events by this username.", json!({ "type": "string" })),
                query_param("since", "Recorded at or after (RFC 3339).", json!({ "type": "string", "format": "date-time" })),
                query_param("until", "Recorded before (RFC 3339).", json!({ "type": "string", "format": "date-time" })),
                query_param("limit", "1–1000, default 100.", json!({ "type": "integer", "minimum": 1, "maximum": 1000 }))
            ],
            "responses": ok("A page of events", json!({
                "type": "object",
                "properties": {
                    "events": { "type": "array", "items": { "$ref": "#/components/schemas/RecordedEvent" } },
                    "next_from": { "type": "integer" }, "head": { "type": "integer" }
                }
            }), problem_responses(&[400, 401])),
        }
    }));
    paths.insert("/api/events/stream".to_owned(), json!({
        "get": {
            "tags": ["events"], "summary": "Server-Sent Events: catch-up from a position, then live (id = position, event = type, data = the event)",
            "operationId": "event_stream", "security": [{ "bearer": [] }],
            "parameters": [
                query_param("from", "First position (inclusive); default: the next event. Last-Event-ID resumes after that position.", json!({ "type": "integer", "minimum": 1 })),
                query_param("category", "Stream categories, comma-separated.", json!({ "type": "string" })),
                query_param("type", "Event types, comma-separated.", json!({ "type": "string" })),
                query_param("access_token", "The bearer token, for clients that cannot send headers.", json!({ "type": "string" }))
            ],
            "responses": {
                "200": { "description": "An endless text/event-stream", "content": { "text/event-stream": { "schema": {
                    "description": "Each server-sent event: `id` = the global position, `event` = the event type, `data` = the event as JSON (the shape of GET /api/events items).",
                    "type": "object",
                    "properties": {
                        "id": { "type": "string" },
                        "event": { "type": "string" },
                        "data": { "type": "string" },
                        "retry": { "type": "integer" }
                    }
                } } } },
                "400": problem_responses(&[400])["400"].clone(),
                "401": problem_responses(&[401])["401"].clone()
            }
        }
    }));
    add_audit(&mut paths);
    add_audit_review(&mut paths);
    add_reports(&mut paths);
    add_reports_3_to_8(&mut paths);
    add_plan_tasks(&mut paths);
    paths.insert("/health".to_owned(), json!({
        "get": { "tags": ["system"], "summary": "Liveness and the database's answer", "operationId": "health",
                 "responses": ok("Healthy", json!({ "type": "object" }), problem_responses(&[])) }
    }));
    paths.insert("/metrics".to_owned(), json!({
        "get": { "tags": ["system"], "summary": "Prometheus metrics", "operationId": "metrics",
                 "responses": { "200": { "description": "Text exposition format", "content": { "text/plain": { "schema": { "type": "string" } } } } } }
    }));
    paths.insert("/api/openapi.json".to_owned(), json!({
        "get": { "tags": ["system"], "summary": "This document", "operationId": "openapi",
                 "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": { "schema": { "type": "object" } } } } } }
    }));
    paths.insert("/api/docs".to_owned(), json!({
        "get": { "tags": ["system"], "summary": "Interactive documentation", "operationId": "docs",
                 "responses": { "200": { "description": "HTML", "content": { "text/html": { "schema": { "type": "string" } } } } } }
    }));
    let mut schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    schemas.insert("Problem".to_owned(), json!({
        "type": "object",
        "description": "RFC 9457 problem details",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": { "type": "string" }, "title": { "type": "string" }, "status": { "type": "integer" },
            "code": { "type": "string", "description": "Stable machine-readable code" },
            "detail": { "type": "string" },
            "aggregate": { "type": "string" },
            "rule": { "type": "string", "description": "The domain rule that refused the command" },
            "values": { "description": "The values the rule names" },
            "request_id": { "type": "string" }
        }
    }));
    schemas.insert("Actor".to_owned(), json!({
        "type": "object",
        "properties": {
            "account_id": { "type": "string", "format": "uuid" }, "username": { "type": "string" },
            "display_name": { "type": "string" },
            "role": { "type": "string", "enum": ["province", "bureau", "finance", "auditor", "admin"] },
            "region": { "type": ["string", "null"] }, "organisation": { "type": "string" }
        }
    }));
    schemas.insert("RecordedEvent".to_owned(), json!({
        "type": "object",
        "description": "An event as stored (see docs/event-format.md)",
        "properties": {
            "position": { "type": "integer" }, "stream": { "type": "string" }, "version": { "type": "integer" },
            "event_id": { "type": "string", "format": "uuid" }, "event_type": { "type": "string" },
            "schema_version": { "type": "integer" }, "payload": { "type": "object" },
            "recorded_at": { "type": "string", "format": "date-time" },
            "effective": { "type": ["string", "null"] },
            "metadata": { "type": "object", "properties": {
                "actor_id": { "type": "string" }, "actor_role": { "type": "string" }, "organisation": { "type": "string" },
                "reason": { "type": ["string", "null"] }, "correlation_id": { "type": ["string", "null"] },
                "causation_id": { "type": ["string", "null"] }, "idempotency_key": { "type": ["string", "null"] }
            } },
            "hash": { "type": "string", "description": "hex SHA-256 chain hash" }
        }
    }));
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Red Mud Ledger (赤泥台账) API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The system of record of Guizhou's red mud comprehensive utilization action plan 2025–2030. Every change is an immutable event; every read accepts as_of. Errors are application/problem+json."
        },
        "servers": [{ "url": "/" }],
        "tags": [
            { "name": "auth" }, { "name": "enterprises" }, { "name": "projects" }, { "name": "bases" },
            { "name": "regional-plans" }, { "name": "accounts" }, { "name": "events" }, { "name": "reports" }, { "name": "system" }
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "POST /api/auth/login" } }
        }
    })
}

/// `/api/reports/…` (see docs/reports.md).
fn add_reports(paths: &mut Map<String, Value>) {
    let format = query_param(
        "format",
        "json (default) or csv; `Accept: text/csv` also selects CSV.",
        json!({ "type": "string", "enum": ["json", "csv"] }),
    );
    let rate = json!({ "type": ["object", "null"], "properties": {
        "numerator": { "type": "integer" }, "denominator": { "type": "integer" },
        "basis_points": { "type": "integer" }, "percent": { "type": "string" } } });
    let mut responses = problem_responses(&[400, 401]);
    responses.insert("200".to_owned(), json!({
        "description": "The balance lines",
        "content": {
            "application/json": { "schema": { "type": "object", "properties": {
                "as_of": { "type": ["integer", "null"] },
                "formula": { "type": "string", "enum": ["new", "statistical"] },
                "granularity": { "type": "string" }, "group_by": { "type": "string" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "period": { "type": "string" }, "region": { "type": "string" }, "region_name": { "type": "string" },
                    "enterprise_id": { "type": "string", "format": "uuid" }, "enterprise": { "type": "string" },
                    "entries": { "type": "integer" }, "corrected_entries": { "type": "integer" },
                    "figures": { "$ref": "#/components/schemas/LedgerFigures" },
                    "utilized_by_route": { "type": "object", "additionalProperties": { "type": "integer" } },
                    "utilized_from_new_total": { "type": "integer" }, "utilized_from_stock_total": { "type": "integer" },
                    "utilized_total": { "type": "integer" }, "disposed_total": { "type": "integer" },
                    "stock_end": { "type": "integer" },
                    "new_rate": rate.clone(), "statistical_rate": rate.clone(), "rate": rate.clone()
                } } }
            } } },
            "text/csv": { "schema": { "type": "string" } }
        }
    }));
    paths.insert("/api/reports/balance".to_owned(), json!({
        "get": {
            "tags": ["reports"],
            "summary": "Report 1: red mud balance (generated, utilized per route, disposed, stored, stock at period end, new and statistical rates) by region or enterprise and period; masses in kg",
            "operationId": "report_balance", "security": [{ "bearer": [] }],
            "parameters": [
                as_of_param(), format,
                query_param("region", "A region code; a prefecture or county limits the report to it (default: the province, with a province total per period).", json!({ "type": "string" })),
                query_param("granularity", "Report period length (default quarter).", json!({ "type": "string", "enum": ["month", "quarter", "year"] })),
                query_param("by", "Lines per region (default) or per enterprise.", json!({ "type": "string", "enum": ["region", "enterprise"] })),
                query_param("year", "Only recorded periods within this year.", json!({ "type": "string", "examples": ["2026"] })),
                query_param("from", "Only recorded periods starting on or after this period.", json!({ "type": "string", "examples": ["2026-Q1"] })),
                query_param("to", "Only recorded periods ending on or before this period.", json!({ "type": "string", "examples": ["2026-Q4"] })),
                query_param("formula", "The rate formula for `rate` (default: the server's rate_formula setting).", json!({ "type": "string", "enum": ["new", "statistical"] }))
            ],
            "responses": responses
        }
    }));
    let mut responses = problem_responses(&[400, 401]);
    responses.insert("200".to_owned(), json!({
        "description": "Plans against actuals, and the province against the goal line",
        "content": {
            "application/json": { "schema": { "type": "object", "properties": {
                "as_of": { "type": ["integer", "null"] },
                "on": { "type": "string", "format": "date" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "region": { "type": "string" }, "region_name": { "type": "string" }, "year": { "type": "integer" },
                    "targets_revision": { "type": "integer" },
                    "target_utilized": { "type": "integer" }, "actual_utilized": { "type": "integer" },
                    "gap": { "type": "integer" }, "elapsed_months": { "type": "integer" },
                    "expected_to_date": { "type": "integer" }, "on_pace": { "type": "boolean" },
                    "target_rate_bp": { "type": "integer" }, "actual_new_rate": rate.clone(),
                    "rate_met": { "type": ["boolean", "null"] }, "entries": { "type": "integer" },
                    "target_capacity_per_year": { "type": "integer" }, "actual_capacity_per_year": { "type": "integer" },
                    "capacity_met": { "type": "boolean" },
                    "target_demonstration_projects": { "type": "integer" },
                    "actual_demonstration_projects": { "type": "integer" },
                    "demonstrations_met": { "type": "boolean" }
                } } },
                "province": { "type": "array", "items": { "type": "object", "properties": {
                    "year": { "type": "integer" }, "generated": { "type": "integer" },
                    "utilized_from_new": { "type": "integer" }, "new_rate": rate,
                    "working_toward": { "type": ["array", "null"], "items": { "type": "integer" } },
                    "required_bp": { "type": ["integer", "null"] },
                    "meets_required": { "type": ["boolean", "null"] }, "meets_milestone": { "type": ["boolean", "null"] }
                } } }
            } } },
            "text/csv": { "schema": { "type": "string" } }
        }
    }));
    paths.insert("/api/reports/targets".to_owned(), json!({
        "get": {
            "tags": ["reports"],
            "summary": "Report 2: each region's annual targets against actuals to date, the gap, on pace (pro rata by elapsed months); the province against the 2027 (15 %) and 2030 (25 %) goals",
            "operationId": "report_targets", "security": [{ "bearer": [] }],
            "parameters": [
                as_of_param(),
                query_param("format", "json (default) or csv; `Accept: text/csv` also selects CSV.", json!({ "type": "string", "enum": ["json", "csv"] })),
                query_param("region", "Only plans of regions within this region code.", json!({ "type": "string" })),
                query_param("year", "Only this year.", json!({ "type": "integer" })),
                query_param("on", "The day 'to date' refers to (default: the as_of time's day, else today).", json!({ "type": "string", "format": "date" }))
            ],
            "responses": responses
        }
    }));
}

/// One `GET /api/reports/<name>` entry: JSON (`properties` besides `as_of`) or CSV.
fn report_path(
    paths: &mut Map<String, Value>,
    name: &str,
    summary: &str,
    params: Vec<Value>,
    properties: Value,
) {
    let mut responses = problem_responses(&[400, 401]);
    let mut schema =
        json!({ "type": "object", "properties": { "as_of": { "type": ["integer", "null"] } } });
    if let (Some(all), Value::Object(more)) = (schema["properties"].as_object_mut(), properties) {
        all.extend(more);
    }
    responses.insert("200".to_owned(), json!({
        "description": summary,
        "content": { "application/json": { "schema": schema }, "text/csv": { "schema": { "type": "string" } } }
    }));
    let mut parameters = vec![
        as_of_param(),
        query_param(
            "format",
            "json (default) or csv; `Accept: text/csv` also selects CSV.",
            json!({ "type": "string", "enum": ["json", "csv"] }),
        ),
    ];
    parameters.extend(params);
    paths.insert(format!("/api/reports/{name}"), json!({
        "get": {
            "tags": ["reports"], "summary": summary,
            "operationId": format!("report_{}", name.replace('-', "_")), "security": [{ "bearer": [] }],
            "parameters": parameters, "responses": responses
        }
    }));
}

/// Reports 3–8 (see docs/reports.md).
fn add_reports_3_to_8(paths: &mut Map<String, Value>) {
    let region = || {
        query_param(
            "region",
            "Only rows within this region code (a prefecture or county also groups by county).",
            json!({ "type": "string" }),
        )
    };
    let year = |what: &str| query_param("year", what, json!({ "type": "integer" }));
    let breakdown = |measures: Value| {
        json!({
            "total": measures.clone(),
            "lines": { "type": "array", "items": { "type": "object", "description": "by (dimension), key, name, and the measures", "properties": {
                "by": { "type": "string" }, "key": { "type": "string" }, "name": { "type": "string" } } } }
        })
    };
    let int = json!({ "type": "integer" });
    let object = |names: &[&str]| {
        let props: Map<String, Value> = names
            .iter()
            .map(|n| ((*n).to_owned(), int.clone()))
            .collect();
        json!({ "type": "object", "properties": props })
    };
    let mut props = breakdown(object(&[
        "projects",
        "planned_capacity_per_year",
        "commissioned_per_year",
        "budget",
    ]));
    props["on"] = json!({ "type": "string", "format": "date" });
    props["overdue_milestones"] = json!({ "type": "array", "items": { "type": "object", "properties": {
        "project_id": { "type": "string" }, "project": { "type": "string" }, "region": { "type": "string" }, "status": { "type": "string" },
        "milestone_id": { "type": "string" }, "milestone": { "type": "string" }, "planned_on": { "type": "string", "format": "date" }, "days_late": int } } });
    report_path(
        paths,
        "projects",
        "Report 3: projects — counts, planned and commissioned capacity (kg/yr) and budgets (fen) by status, task, kind, route and region; milestones overdue with days late",
        vec![
            region(),
            year("Only projects proposed in this year."),
            query_param(
                "kind",
                "Only this project kind.",
                json!({ "type": "string" }),
            ),
            query_param("task", "Only this plan task.", json!({ "type": "string" })),
            query_param("status", "Only this status.", json!({ "type": "string" })),
            query_param(
                "on",
                "The day milestones are judged overdue on (default: the as_of time's day, else today).",
                json!({ "type": "string", "format": "date" }),
            ),
        ],
        props,
    );
    let mut props = breakdown(object(&[
        "awards",
        "awarded",
        "disbursed",
        "recovered",
        "outstanding",
        "net_disbursed",
    ]));
    props["anomalies"] = json!({ "type": "array", "items": { "type": "object", "properties": {
        "problem": { "type": "string", "enum": ["disbursed_without_approval", "no_matching_milestone"] },
        "project_id": { "type": "string" }, "award_id": { "type": "string" }, "tranche": int, "amount": int } } });
    report_path(
        paths,
        "funding",
        "Report 4: funding (fen) — awarded, disbursed, recovered and outstanding by source, programme, region, year and project; awards disbursed without approval or without their milestone",
        vec![
            region(),
            year("Only awards made in this year."),
            query_param(
                "source",
                "Only this funding source.",
                json!({ "type": "string" }),
            ),
            query_param(
                "kind",
                "Only projects of this kind.",
                json!({ "type": "string" }),
            ),
        ],
        props,
    );
    report_path(
        paths,
        "tax-incentives",
        "Report 5: tax incentives (fen) — claimed, approved, rejected, pending and recovered by kind, enterprise, region and year",
        vec![
            region(),
            year("Only claims for periods within this year."),
            query_param(
                "kind",
                "Only this incentive kind.",
                json!({ "type": "string" }),
            ),
        ],
        breakdown(object(&[
            "claims",
            "approved_claims",
            "rejected_claims",
            "pending_claims",
            "claimed",
            "approved",
            "rejected",
            "pending",
            "recovered",
            "net",
        ])),
    );
    let mut props = breakdown(object(&["bases", "designated", "revoked", "members"]));
    props["bases"] = json!({ "type": "array", "items": { "type": "object", "properties": {
        "base_id": { "type": "string" }, "name": { "type": "string" }, "kind": { "type": ["string", "null"] }, "level": { "type": ["string", "null"] },
        "region": { "type": "string" }, "status": { "type": "string" },
        "members": { "type": "array", "items": { "type": "object" } },
        "years": { "type": "array", "items": object(&["year", "targets_revision", "target_red_mud_utilized", "actual_red_mud_utilized", "gap", "entries"]) } } } });
    props["designations"] =
        json!({ "type": "array", "items": object(&["year", "granted", "revoked"]) });
    report_path(
        paths,
        "bases",
        "Report 6: bases by kind and level with members and yearly targets against actuals (kg); enterprise designations granted and revoked by kind and year",
        vec![
            region(),
            year("Only this year's targets and designation changes."),
            query_param(
                "kind",
                "Only bases of this kind.",
                json!({ "type": "string" }),
            ),
            query_param(
                "designation",
                "Only designations of this kind.",
                json!({ "type": "string" }),
            ),
        ],
        props,
    );
    let figures = json!({ "$ref": "#/components/schemas/ReportFigures" });
    report_path(
        paths,
        "regional",
        "Report 8: each submitted regional report's frozen figures against today's for the same period, the differences, and the ledger events since the submission (by whom)",
        vec![
            region(),
            year("Only plans of this year."),
            query_param(
                "period",
                "Only this report period.",
                json!({ "type": "string", "examples": ["2026-Q1"] }),
            ),
            query_param(
                "submissions",
                "latest (default): the latest submission of each period; all: also the earlier, returned ones.",
                json!({ "type": "string", "enum": ["latest", "all"] }),
            ),
        ],
        json!({ "lines": { "type": "array", "items": { "type": "object", "properties": {
            "plan_id": { "type": "string" }, "region": { "type": "string" }, "year": int, "period": { "type": "string" },
            "submission": int, "status": { "type": "string" }, "submitted_on": { "type": "string", "format": "date" }, "submitted_at": int,
            "frozen": figures.clone(), "today": figures, "changed": { "type": "boolean" },
            "differences": { "type": "array", "items": { "type": "object", "properties": {
                "figure": { "type": "string" }, "frozen": int, "today": int, "difference": int } } },
            "changes": { "type": "array", "items": { "type": "object", "properties": {
                "enterprise_id": { "type": "string" }, "enterprise": { "type": "string" }, "period": { "type": "string" },
                "event_type": { "type": "string" }, "position": int, "recorded_at": { "type": "string" },
                "actor_id": { "type": "string" }, "actor_role": { "type": "string" }, "organisation": { "type": "string" },
                "reason": { "type": ["string", "null"] } } } } } } } }),
    );
    report_path(
        paths,
        "matching",
        "Report 7: 产用挂钩 — each alumina refinery's generation in a year against the utilization capacity it owns or contracted; new or expanded alumina projects lacking matching capacity",
        vec![
            region(),
            year("The year compared (default: the latest with a recorded ledger)."),
        ],
        json!({ "year": int, "refineries": { "type": "array", "items": object(&["generated", "owned_capacity_per_year", "contracted_capacity_per_year", "capacity_per_year", "shortfall"]) },
            "projects_lacking": { "type": "array", "items": object(&["expected_red_mud_per_year", "owned_capacity_per_year", "contracted_capacity_per_year", "shortfall_per_year"]) } }),
    );
}

/// The interactive documentation page: renders the document, lets a user sign in and try any
/// operation. Self-contained (no external scripts).
pub const DOCS_PAGE: &str = include_str!("docs.html");

/// `/api/audit/…` (crate::routes::audit; docs/evidence-bundle.md).
fn add_audit(paths: &mut Map<String, Value>) {
    let range = || {
        json!([
            query_param(
                "from",
                "First position (inclusive), default 1.",
                json!({ "type": "integer", "minimum": 1 })
            ),
            query_param(
                "to",
                "Last position (inclusive), default the head.",
                json!({ "type": "integer", "minimum": 1 })
            )
        ])
    };
    let checkpoint = json!({
        "type": "object",
        "required": ["position", "hash", "recorded_at", "signed_at", "signature"],
        "properties": {
            "position": { "type": "integer" }, "hash": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
            "recorded_at": { "type": "integer", "description": "The event's recorded_at, µs since the epoch" },
            "signed_at": { "type": "integer", "description": "µs since the epoch" },
            "signature": { "type": "string", "description": "Ed25519 over RMLCKP01 ‖ u64 position ‖ hash ‖ i64 recorded_at ‖ i64 signed_at", "pattern": "^[0-9a-f]{128}$" }
        }
    });
    paths.insert("/api/audit/verify".to_owned(), json!({
        "get": {
            "tags": ["audit"], "summary": "Walk the hash chain (or a range): events checked, head, first failing position and why (auditor, province, admin)",
            "operationId": "audit_verify", "security": [{ "bearer": [] }], "parameters": range(),
            "responses": ok("The verification report", json!({
                "type": "object",
                "properties": {
                    "intact": { "type": "boolean" }, "from": { "type": "integer" }, "to": { "type": ["integer", "null"] },
                    "checked": { "type": "integer" }, "last_position": { "type": "integer" }, "last_hash": { "type": "string" },
                    "head": { "type": "object", "properties": { "position": { "type": "integer" }, "hash": { "type": "string" } } },
                    "first_failure": { "type": ["object", "null"], "description": "{position, kind: content_altered | hash_rewritten | hash_mismatch | missing | version_out_of_order | time_went_backwards | head_mismatch, …details}" },
                    "elapsed_ms": { "type": "integer" }
                }
            }), problem_responses(&[400, 401, 403])),
        }
    }));
    paths.insert("/api/audit/checkpoints".to_owned(), json!({
        "get": {
            "tags": ["audit"], "summary": "Signed checkpoints and the installation's Ed25519 public key (auditor, province, admin)",
            "operationId": "audit_checkpoints", "security": [{ "bearer": [] }], "parameters": range(),
            "responses": ok("Checkpoints", json!({
                "type": "object",
                "properties": {
                    "algorithm": { "const": "ed25519" }, "public_key": { "type": "string" }, "message": { "type": "string" },
                    "checkpoints": { "type": "array", "items": checkpoint.clone() }
                }
            }), problem_responses(&[400, 401, 403])),
        },
        "post": {
            "tags": ["audit"], "summary": "Verify the chain up to a position (default: the head) and sign a checkpoint there (auditor, admin)",
            "operationId": "audit_sign_checkpoint", "security": [{ "bearer": [] }],
            "requestBody": { "required": false, "content": { "application/json": { "schema": {
                "type": "object", "additionalProperties": false,
                "properties": { "position": { "type": "integer", "minimum": 1 } }
            } } } },
            "responses": {
                "201": { "description": "Signed (or the existing checkpoint at that position)", "content": { "application/json": { "schema": {
                    "type": "object", "properties": { "public_key": { "type": "string" }, "checkpoint": checkpoint }
                } } } },
                "400": problem_responses(&[400])["400"].clone(),
                "401": problem_responses(&[401])["401"].clone(),
                "403": problem_responses(&[403])["403"].clone(),
                "409": problem_responses(&[409])["409"].clone(),
                "422": problem_responses(&[422])["422"].clone()
            }
        }
    }));
    paths.insert("/api/audit/export".to_owned(), json!({
        "get": {
            "tags": ["audit"], "summary": "An evidence bundle of a range (NDJSON: manifest, events with hashes, signed checkpoints; docs/evidence-bundle.md) (auditor, province, admin)",
            "operationId": "audit_export", "security": [{ "bearer": [] }], "parameters": range(),
            "responses": {
                "200": { "description": "The bundle", "content": { "application/x-ndjson": { "schema": { "type": "string" } } } },
                "400": problem_responses(&[400])["400"].clone(),
                "401": problem_responses(&[401])["401"].clone(),
                "403": problem_responses(&[403])["403"].clone(),
                "409": problem_responses(&[409])["409"].clone()
            }
        }
    }));
}

/// `/api/audit/flags` and `/api/audit/diff` (crate::routes::audit_review; docs/audit.md).
fn add_audit_review(paths: &mut Map<String, Value>) {
    let moment = |name: &str, description: &str| {
        query_param(
            name,
            description,
            json!({ "type": "string", "examples": ["1200", "2026-07-01T00:00:00+08:00"] }),
        )
    };
    let link = json!({
        "type": "object",
        "properties": {
            "position": { "type": "integer" }, "stream": { "type": "string" },
            "event_id": { "type": "string", "format": "uuid" }, "event_type": { "type": "string" },
            "recorded_at": { "type": "string", "format": "date-time" }
        }
    });
    let rules = [
        "ledger_after_report",
        "backdated",
        "funding",
        "incentive_after_revocation",
        "lifecycle_skipped",
        "outside_region",
    ];
    let flag = json!({
        "type": "object",
        "required": ["rule", "code", "severity", "position", "recorded_at", "region", "stream", "summary_zh", "summary_en", "events"],
        "properties": {
            "rule": { "type": "string", "enum": rules },
            "code": { "type": "string", "description": "What exactly, for clients to translate: ledger_corrected_after_report, ledger_recorded_after_report, effective_long_before_recorded, disbursed_before_approval, disbursed_before_condition, disbursed_to_cancelled_project, incentive_approved_despite_revocation, project_status_skipped, actor_outside_region" },
            "severity": { "type": "string", "enum": ["low", "medium", "high"] },
            "position": { "type": "integer", "description": "The event that raised the flag (the latest of `events`)" },
            "recorded_at": { "type": "string", "format": "date-time" },
            "region": { "type": ["string", "null"] },
            "stream": { "type": "string" },
            "summary_zh": { "type": "string" }, "summary_en": { "type": "string" },
            "events": { "type": "array", "items": link }
        }
    });
    let mut flags_params = vec![
        query_param(
            "rule",
            "Only these rules (comma-separated ids).",
            json!({ "type": "string", "examples": ["funding,backdated"] }),
        ),
        query_param(
            "region",
            "Only flags of this region or a region within it (GB/T 2260).",
            json!({ "type": "string" }),
        ),
        moment(
            "from",
            "Only flags raised at or after this position (a time: by events recorded after it).",
        ),
        moment(
            "to",
            "Only flags raised at or before this position or time.",
        ),
        as_of_param(),
        query_param(
            "limit",
            "Page size (default 100, at most 1000; CSV is never paged).",
            json!({ "type": "integer", "minimum": 1, "maximum": 1000 }),
        ),
        query_param(
            "offset",
            "Flags to skip.",
            json!({ "type": "integer", "minimum": 0 }),
        ),
        query_param(
            "format",
            "json (default) or csv (also Accept: text/csv).",
            json!({ "type": "string", "enum": ["json", "csv"] }),
        ),
    ];
    let flags_params = Value::Array(std::mem::take(&mut flags_params));
    let mut responses = problem_responses(&[400, 401, 403]);
    responses.insert("200".to_owned(), json!({
        "description": "The flags raised by the history up to as_of, in log order",
        "content": {
            "application/json": { "schema": {
                "type": "object",
                "properties": {
                    "as_of": { "type": "integer" },
                    "settings": { "type": "object", "properties": { "backdate_days": { "type": "integer" } } },
                    "rules": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string" }, "description": { "type": "string" } } } },
                    "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
                    "flags": { "type": "array", "items": flag }
                }
            } },
            "text/csv": { "schema": { "type": "string" } }
        }
    }));
    paths.insert("/api/audit/flags".to_owned(), json!({
        "get": {
            "tags": ["audit"], "summary": "Audit flags: rules over the event history (docs/audit.md) (auditor, province, admin)",
            "operationId": "audit_flags", "security": [{ "bearer": [] }], "parameters": flags_params,
            "responses": Value::Object(responses),
        }
    }));
    let change = json!({
        "type": "object",
        "properties": { "path": { "type": "string", "description": "JSON Pointer (RFC 6901)" }, "before": {}, "after": {} }
    });
    let diff_params = json!([
        query_param(
            "stream",
            "An aggregate's stream (<category>-<uuid>); give this or report.",
            json!({ "type": "string" })
        ),
        query_param(
            "report",
            "A report instead of a stream.",
            json!({ "type": "string", "enum": ["balance", "targets"] })
        ),
        json!({ "name": "from", "in": "query", "required": true, "description": "The earlier moment: a log position or an RFC 3339 time.", "schema": { "type": "string" } }),
        moment("to", "The later moment (default: now)."),
        query_param(
            "region",
            "Report filter (both reports).",
            json!({ "type": "string" })
        ),
        query_param(
            "year",
            "Report filter (both reports).",
            json!({ "type": "integer" })
        ),
        query_param(
            "granularity",
            "Balance report: month, quarter (default) or year.",
            json!({ "type": "string", "enum": ["month", "quarter", "year"] })
        ),
        query_param(
            "by",
            "Balance report: region (default) or enterprise.",
            json!({ "type": "string", "enum": ["region", "enterprise"] })
        ),
        query_param(
            "period_from",
            "Balance report: first period (the report's own `from`).",
            json!({ "type": "string" })
        ),
        query_param(
            "period_to",
            "Balance report: last period (the report's own `to`).",
            json!({ "type": "string" })
        ),
        query_param(
            "formula",
            "Balance report: new or statistical.",
            json!({ "type": "string", "enum": ["new", "statistical"] })
        ),
        query_param(
            "on",
            "Targets report: the day \"to date\" means (default today).",
            json!({ "type": "string", "format": "date" })
        )
    ]);
    paths.insert("/api/audit/diff".to_owned(), json!({
        "get": {
            "tags": ["audit"], "summary": "What changed between two moments: an aggregate's state field by field with the events between, or a report's rows (auditor, province, admin)",
            "operationId": "audit_diff", "security": [{ "bearer": [] }], "parameters": diff_params,
            "responses": ok("The difference", json!({
                "type": "object",
                "properties": {
                    "stream": { "type": "string" }, "report": { "type": "string" },
                    "from": { "type": "object", "properties": { "position": { "type": "integer" }, "version": { "type": "integer" } } },
                    "to": { "type": "object", "properties": { "position": { "type": "integer" }, "version": { "type": "integer" } } },
                    "changes": { "type": "array", "items": change.clone(), "description": "Stream diff: every changed leaf of the state" },
                    "events": { "type": "array", "description": "Stream diff: the events after from up to to", "items": { "type": "object", "properties": {
                        "position": { "type": "integer" }, "version": { "type": "integer" }, "type": { "type": "string" },
                        "actor": { "type": "string" }, "actor_role": { "type": "string" },
                        "recorded_at": { "type": "string", "format": "date-time" }, "effective": { "type": ["string", "null"] },
                        "reason": { "type": ["string", "null"] } } } },
                    "before": { "description": "Stream diff: the state at from (null: did not exist)" },
                    "after": { "description": "Stream diff: the state at to" },
                    "rows": { "type": "array", "description": "Report diff: rows added, removed or changed, matched by period/region/enterprise/year", "items": { "type": "object", "properties": {
                        "table": { "type": "string" }, "key": { "type": "string" },
                        "change": { "type": "string", "enum": ["added", "removed", "changed"] },
                        "before": {}, "after": {}, "changes": { "type": "array", "items": change.clone() } } } },
                    "fields": { "type": "array", "items": change, "description": "Report diff: other fields that differ" }
                }
            }), problem_responses(&[400, 401, 403, 404])),
        }
    }));
}

/// `/api/reference/plan-tasks`, `/api/reports/tasks` and `/api/reports/typical-cases`
/// (docs/reports.md, "Plan tasks × responsible units" and "Typical cases").
fn add_plan_tasks(paths: &mut Map<String, Value>) {
    let format = || {
        query_param(
            "format",
            "json (default) or csv; `Accept: text/csv` also selects CSV.",
            json!({ "type": "string", "enum": ["json", "csv"] }),
        )
    };
    let unit = json!({ "type": "object", "properties": {
        "code": { "type": "string" }, "name_zh": { "type": "string" }, "name_en": { "type": "string" } } });
    let item = json!({ "type": "object", "properties": {
        "code": { "type": "string" }, "number": { "type": "integer" },
        "name_zh": { "type": "string" }, "name_en": { "type": "string" },
        "responsible_units": { "type": "array", "items": unit.clone() } } });
    let mut responses = problem_responses(&[401]);
    responses.insert("200".to_owned(), json!({
        "description": "The five main tasks and four safeguards with their responsible units; each unit with its tasks",
        "content": { "application/json": { "schema": { "type": "object", "properties": {
            "tasks": { "type": "array", "items": item.clone() },
            "safeguards": { "type": "array", "items": item },
            "units": { "type": "array", "items": { "type": "object", "properties": {
                "code": { "type": "string" }, "name_zh": { "type": "string" }, "name_en": { "type": "string" },
                "tasks": { "type": "array", "items": { "type": "string" } } } } }
        } } } }
    }));
    paths.insert("/api/reference/plan-tasks".to_owned(), json!({
        "get": {
            "tags": ["reports"],
            "summary": "Reference: the plan's main tasks (主要任务) and safeguards (保障措施) with their responsible units (责任单位)",
            "operationId": "reference_plan_tasks", "security": [{ "bearer": [] }],
            "responses": responses
        }
    }));
    let totals = json!({ "type": "object", "properties": {
        "projects": { "type": "integer" },
        "by_status": { "type": "object", "additionalProperties": { "type": "integer" } },
        "milestones_planned": { "type": "integer" }, "milestones_achieved": { "type": "integer" },
        "milestones_due": { "type": "integer" }, "milestones_overdue": { "type": "integer" },
        "awarded": { "type": "integer" }, "disbursed": { "type": "integer" },
        "recovered": { "type": "integer" }, "net_disbursed": { "type": "integer" },
        "planned_capacity_per_year": { "type": "integer" }, "commissioned_per_year": { "type": "integer" } } });
    let mut responses = problem_responses(&[400, 401]);
    responses.insert("200".to_owned(), json!({
        "description": "Per task and per responsible unit: projects, status counts, milestones due and overdue, funding (fen), capacity (kg/yr), and the task's figures",
        "content": {
            "application/json": { "schema": { "type": "object", "properties": {
                "as_of": { "type": ["integer", "null"] },
                "on": { "type": "string", "format": "date" },
                "tasks": { "type": "array", "items": { "type": "object", "properties": {
                    "task": { "type": "string" }, "number": { "type": "integer" },
                    "name_zh": { "type": "string" }, "name_en": { "type": "string" },
                    "responsible_units": { "type": "array", "items": unit.clone() },
                    "totals": totals.clone(),
                    "projects": { "type": "array", "items": { "type": "object" } },
                    "targets": { "type": "array", "items": { "type": "object", "properties": {
                        "region": { "type": "string" }, "year": { "type": "integer" },
                        "red_mud_to_utilize": { "type": "integer" } } } },
                    "utilized_by_route": { "type": "object", "additionalProperties": { "type": "integer" } },
                    "matching": { "type": "object", "properties": {
                        "projects": { "type": "integer" }, "covered": { "type": "integer" },
                        "expected_red_mud_per_year": { "type": "integer" },
                        "owned_capacity_per_year": { "type": "integer" },
                        "contracted_capacity_per_year": { "type": "integer" },
                        "shortfall_per_year": { "type": "integer" } } }
                } } },
                "units": { "type": "array", "items": { "type": "object", "properties": {
                    "unit": unit, "tasks": { "type": "array", "items": { "type": "string" } },
                    "totals": totals,
                    "project_ids": { "type": "array", "items": { "type": "string", "format": "uuid" } }
                } } }
            } } },
            "text/csv": { "schema": { "type": "string" } }
        }
    }));
    paths.insert("/api/reports/tasks".to_owned(), json!({
        "get": {
            "tags": ["reports"],
            "summary": "The plan's tasks × responsible units: projects, status counts, milestones due (next 30 days) and overdue, funding, and the figures each task moves (utilization by route for task 3, matching capacity for task 5)",
            "operationId": "report_tasks", "security": [{ "bearer": [] }],
            "parameters": [
                as_of_param(), format(),
                query_param("task", "Only this main task (code).", json!({ "type": "string", "enum": ["source_reduction", "usability", "utilization_scale", "technology_innovation", "industrial_synergy"] })),
                query_param("unit", "Only projects naming this responsible unit (code).", json!({ "type": "string" })),
                query_param("region", "Only projects, ledgers and targets within this region code.", json!({ "type": "string" })),
                query_param("year", "Only ledger periods and targets of this year.", json!({ "type": "integer" })),
                query_param("on", "The day milestones are due or overdue on (default: the as_of time's day, else today).", json!({ "type": "string", "format": "date" }))
            ],
            "responses": responses
        }
    }));
    let mut responses = problem_responses(&[400, 401]);
    responses.insert(
        "200".to_owned(),
        json!({
            "description": "Enterprises and projects recommended as typical cases, newest first",
            "content": {
                "application/json": { "schema": { "type": "object", "properties": {
                    "as_of": { "type": ["integer", "null"] },
                    "cases": { "type": "array", "items": { "type": "object", "properties": {
                        "subject": { "type": "string", "enum": ["enterprise", "project"] },
                        "id": { "type": "string", "format": "uuid" }, "name": { "type": "string" },
                        "region": { "type": "string" },
                        "status": { "type": "string", "enum": ["recommended", "withdrawn"] },
                        "summary": { "type": "string" },
                        "recommended_on": { "type": "string", "format": "date" },
                        "withdrawn_on": { "type": ["string", "null"], "format": "date" },
                        "withdrawal_reason": { "type": ["string", "null"] }
                    } } }
                } } },
                "text/csv": { "schema": { "type": "string" } }
            }
        }),
    );
    paths.insert("/api/reports/typical-cases".to_owned(), json!({
        "get": {
            "tags": ["reports"],
            "summary": "Typical cases (典型案例): enterprises and projects recommended by the province",
            "operationId": "report_typical_cases", "security": [{ "bearer": [] }],
            "parameters": [
                as_of_param(), format(),
                query_param("region", "Only enterprises and projects within this region code.", json!({ "type": "string" })),
                query_param("include_withdrawn", "Also list withdrawn recommendations (default false).", json!({ "type": "boolean" }))
            ],
            "responses": responses
        }
    }));
}
