//! The aggregates behind the HTTP API: which commands each has, who may run them, what the server
//! fills in, and the read-model rows (views) each event leaves behind.
//!
//! Every aggregate of the domain implements [`Resource`]; the handlers in [`crate::routes`] are
//! written once over it. A command runs as: authorise the role → parse the body into the domain's
//! command (server-filled fields added, unknown fields refused) → load the state (cache or stream)
//! → check `If-Match` and the actor's region → decide → append the events with their views in one
//! transaction, expecting the version decided on. A conflict without `If-Match` is retried on the
//! fresh state; with `If-Match` it is a 412.

use chrono::{NaiveDate, Utc};
use redmud_domain::Role;
use redmud_domain::account::Account;
use redmud_domain::{
    Aggregate, Base, DomainEvent, Enterprise, EnterpriseEvent, Project, Region, RegionalPlan,
    RegionalPlanEvent, Uuid,
};
use redmud_store::{
    Effective, NewEvent, Position, StateCache, StoreError, StreamAppend, StreamId, ViewChange,
    ViewRow, ViewUpdate, expected_at,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::auth::Actor;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Roles that record a region's own data: its bureau, and the province.
pub const BUREAU: &[Role] = &[Role::Bureau, Role::Province];
/// The provincial officer only.
pub const PROVINCE: &[Role] = &[Role::Province];
/// Finance staff only (funding and tax incentives).
pub const FINANCE: &[Role] = &[Role::Finance];
/// Administrators only (accounts).
pub const ADMIN: &[Role] = &[Role::Admin];

/// A field the server fills in before the domain sees the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// A new UUIDv7 when the client sent none.
    NewId(&'static str),
    /// The server's date (UTC+8, the province's calendar), whatever the client sent.
    Today(&'static str),
}

/// One command of an aggregate as the API offers it.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// The domain's command name (`RecordLedger`); its URL segment is the kebab case
    /// (`record-ledger`).
    pub name: &'static str,
    /// One line for the API documentation.
    pub summary: &'static str,
    /// Who may run it.
    pub roles: &'static [Role],
    /// What the server fills in.
    pub fills: &'static [Fill],
}

const fn cmd(
    name: &'static str,
    summary: &'static str,
    roles: &'static [Role],
    fills: &'static [Fill],
) -> CommandSpec {
    CommandSpec {
        name,
        summary,
        roles,
        fills,
    }
}

impl CommandSpec {
    /// The URL segment: `RecordLedger` → `record-ledger`.
    pub fn segment(&self) -> String {
        kebab(self.name)
    }
}

/// `RecordLedger` → `record-ledger`.
pub fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// An aggregate offered over HTTP.
pub trait Resource: Aggregate + Serialize + Send + Sync + 'static
where
    Self::Command: DeserializeOwned + Serialize,
    Self::Error: Serialize,
{
    /// The collection's URL segment (`enterprises`).
    const COLLECTION: &'static str;
    /// Singular noun for messages.
    const NOUN: &'static str;
    /// The command that creates an instance, first in [`Resource::COMMANDS`].
    const COMMANDS: &'static [CommandSpec];
    /// The field of the creating command that holds the new id.
    const ID_FIELD: &'static str;

    /// This process's cache of states.
    fn cache(app: &AppState) -> &StateCache<Self>;
    /// The region the instance belongs to (for bureau scope), once it exists.
    fn region(&self) -> Option<Region>;
    /// The list columns of the instance's view.
    fn columns(&self) -> Columns;
    /// Extra views an event leaves (e.g. one row per enterprise ledger period).
    fn extra_views(&self, _id: Uuid, _version: u64, _event: &Self::Event) -> Vec<ViewChange> {
        Vec::new()
    }
    /// A deterministic id for the creating command, when instances are unique by content
    /// (a regional plan per region and year; an account per username).
    fn natural_id(_body: &Map<String, Value>) -> Option<Uuid> {
        None
    }

    /// The spec of the creating command.
    fn create_spec() -> &'static CommandSpec {
        &Self::COMMANDS[0]
    }

    /// The spec of a command by URL segment (not the creating one).
    fn command_by_segment(segment: &str) -> Option<&'static CommandSpec> {
        Self::COMMANDS[1..]
            .iter()
            .find(|spec| spec.segment() == segment)
    }
}

/// The filterable columns of a view row.
#[derive(Debug, Default, Clone)]
pub struct Columns {
    pub region: Option<Region>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub task: Option<String>,
    pub tags: Vec<String>,
    pub search: Vec<String>,
    pub name: String,
}

/// A value's serde name (`alumina_refinery`).
pub fn wire<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The main view row of an instance at a version.
pub fn view_row<R: Resource>(state: &R, id: Uuid, version: u64) -> ApiResult<ViewRow>
where
    R::Command: DeserializeOwned + Serialize,
    R::Error: Serialize,
{
    let columns = state.columns();
    let doc = serde_json::to_value(state).map_err(ApiError::internal)?;
    let mut search: Vec<String> = columns.search;
    search.push(columns.name.clone());
    Ok(ViewRow {
        model: R::CATEGORY.to_owned(),
        key: id.to_string(),
        version,
        region: columns.region.map(|r| r.to_string()).unwrap_or_default(),
        kind: columns.kind.unwrap_or_default(),
        status: columns.status.unwrap_or_default(),
        task: columns.task,
        tags: columns.tags,
        search: search.join(" ").to_lowercase(),
        sort_name: columns.name,
        doc,
    })
}

// ----- loading --------------------------------------------------------------------------------

/// The stream of an instance.
pub fn stream_of<A: Aggregate>(id: Uuid) -> ApiResult<StreamId> {
    StreamId::for_aggregate(A::CATEGORY, id).map_err(|e| ApiError::internal(StoreError::from(e)))
}

/// An instance's (version, state) now (`at = None`, from the cache when possible) or as of a
/// position. Version 0: no such instance (then).
pub async fn load<A: Resource>(
    app: &AppState,
    id: Uuid,
    at: Option<Position>,
) -> ApiResult<(u64, A)>
where
    A::Command: DeserializeOwned + Serialize,
    A::Error: Serialize,
{
    let stream = stream_of::<A>(id)?;
    if at.is_none()
        && let Some(hit) = A::cache(app).get(&stream)
    {
        return Ok(hit);
    }
    let events = match at {
        Some(position) => {
            app.store
                .read_stream_as_of(&stream, redmud_store::AsOf::Position(position))
                .await?
        }
        None => read_whole_stream(app, &stream).await?,
    };
    let mut state = A::default();
    let mut version = 0;
    for recorded in &events {
        let event = A::Event::from_payload(&recorded.event_type, recorded.payload.clone())
            .map_err(|error| {
                ApiError::internal(anyhow::anyhow!(
                    "event at position {} does not decode: {error}",
                    recorded.position
                ))
            })?;
        state.apply(&event);
        version = recorded.version;
    }
    if at.is_none() && version > 0 {
        A::cache(app).put(stream, version, state.clone());
    }
    Ok((version, state))
}

/// Every event of a stream, in order.
pub async fn read_whole_stream(
    app: &AppState,
    stream: &StreamId,
) -> ApiResult<Vec<redmud_store::RecordedEvent>> {
    const PAGE: u32 = 1_000;
    let mut events = Vec::new();
    loop {
        let page = app
            .store
            .read_stream(
                stream,
                events.len() as u64 + 1,
                redmud_store::Direction::Forward,
                PAGE,
            )
            .await?;
        let full = page.len() == PAGE as usize;
        events.extend(page);
        if !full {
            return Ok(events);
        }
    }
}

// ----- commands -------------------------------------------------------------------------------

/// How a command request arrived.
#[derive(Debug, Clone, Default)]
pub struct CommandRequest {
    /// `If-Match`: the version the client decided on.
    pub if_match: Option<u64>,
    /// `Idempotency-Key`.
    pub idempotency_key: Option<String>,
    /// The request's correlation id.
    pub correlation_id: Option<Uuid>,
}

/// A command that was recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome<A> {
    pub id: Uuid,
    pub version: u64,
    pub first_position: Position,
    pub last_position: Position,
    #[serde(skip)]
    pub state: A,
    pub created: bool,
}

/// The server's date in the province (China Standard Time, UTC+8).
pub fn today() -> NaiveDate {
    (Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Turns a request body into the domain command: adds the `command` tag and server-filled
/// fields, refuses fields the command does not have.
pub fn parse_command<A: Resource>(
    spec: &CommandSpec,
    body: Value,
    id: Option<Uuid>,
) -> ApiResult<A::Command>
where
    A::Command: DeserializeOwned + Serialize,
    A::Error: Serialize,
{
    let Value::Object(mut fields) = body else {
        return Err(ApiError::invalid(
            "invalid_body",
            "the body must be a JSON object",
        ));
    };
    if fields.contains_key("command") {
        return Err(ApiError::invalid(
            "unknown_field",
            "unknown field `command`: the command is named by the URL",
        ));
    }
    // `reason` is metadata for every command; the domain keeps it only where it has the field.
    let reason = fields.get("reason").cloned();
    for fill in spec.fills {
        match *fill {
            Fill::NewId(field) => {
                if !fields.contains_key(field) || fields[field].is_null() {
                    fields.insert(field.to_owned(), Value::String(Uuid::now_v7().to_string()));
                }
            }
            Fill::Today(field) => {
                fields.insert(field.to_owned(), Value::String(today().to_string()));
            }
        }
    }
    if let Some(id) = id {
        fields.insert(A::ID_FIELD.to_owned(), Value::String(id.to_string()));
    }
    fields.insert("command".to_owned(), Value::String(spec.name.to_owned()));
    let sent = Value::Object(fields);
    let command: A::Command = serde_json::from_value(sent.clone())
        .map_err(|error| ApiError::invalid("invalid_body", error.to_string()))?;
    // Serde ignores unknown fields; find them by comparing with what the command keeps.
    let kept = serde_json::to_value(&command).map_err(ApiError::internal)?;
    if let Some(path) = first_unknown_field(&sent, &kept, "")
        && !(path == "reason" && reason.is_some())
    {
        return Err(ApiError::invalid(
            "unknown_field",
            format!("unknown field `{path}`"),
        ));
    }
    Ok(command)
}

/// The first key present in `sent` but not in `kept`, as a dotted path.
fn first_unknown_field(sent: &Value, kept: &Value, prefix: &str) -> Option<String> {
    match (sent, kept) {
        (Value::Object(sent), Value::Object(kept)) => sent.iter().find_map(|(key, value)| {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            match kept.get(key) {
                // An explicit null for an optional field the command leaves out is no news.
                None if value.is_null() => None,
                None => Some(path),
                Some(kept_value) => first_unknown_field(value, kept_value, &path),
            }
        }),
        (Value::Array(sent), Value::Array(kept)) => sent
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(i, (s, k))| first_unknown_field(s, k, &format!("{prefix}[{i}]"))),
        _ => None,
    }
}

/// Refuses a role the command does not allow.
pub fn authorise(actor: &Actor, spec: &CommandSpec) -> ApiResult<()> {
    if spec.roles.contains(&actor.role) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "role_not_allowed",
            format!(
                "{} may not {}: allowed for {}",
                crate::auth::role_name(actor.role),
                spec.name,
                spec.roles
                    .iter()
                    .map(|r| crate::auth::role_name(*r))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ))
    }
}

/// Refuses a bureau's command on an instance outside its region (or with no region yet).
pub fn check_region(actor: &Actor, region: Option<Region>) -> ApiResult<()> {
    match region {
        Some(region) if !actor.covers(region) => Err(ApiError::forbidden(
            "outside_region",
            format!(
                "this account records data of region {} only, not {region}",
                actor.region.map(|r| r.to_string()).unwrap_or_default()
            ),
        )),
        None if actor.role == Role::Bureau => Err(ApiError::forbidden(
            "outside_region",
            "a bureau account may only change data of its own region",
        )),
        _ => Ok(()),
    }
}

/// A command decided against `state` (at `version`): the events to append, stamped with the
/// actor, the reason and the request's correlation id and idempotency key, each event's
/// read-model changes, and the state after them. Pure: nothing is read or written.
pub fn decide<A: Resource>(
    state: &A,
    version: u64,
    id: Uuid,
    command: &A::Command,
    actor: &Actor,
    request: &CommandRequest,
    reason: Option<String>,
) -> ApiResult<(Vec<NewEvent>, Vec<ViewUpdate>, A)>
where
    A::Command: DeserializeOwned + Serialize,
    A::Error: Serialize,
{
    let events = state
        .decide(command)
        .map_err(|error| ApiError::rejected(A::CATEGORY, &error))?;
    // Replay the decision to get each event's view and the new state.
    let mut next = state.clone();
    let mut new_events = Vec::with_capacity(events.len());
    let mut views = Vec::new();
    for (index, event) in events.iter().enumerate() {
        next.apply(event);
        let event_version = version + index as u64 + 1;
        let (event_type, payload) = event.to_payload();
        let mut metadata = actor.metadata();
        metadata.reason = reason.clone();
        metadata.correlation_id = request.correlation_id;
        metadata.idempotency_key = request.idempotency_key.clone();
        let mut new_event = NewEvent::new(event_type, payload, metadata);
        if let Some(key) = &request.idempotency_key {
            new_event.event_id = idempotent_event_id(actor, key, index);
        }
        if let Some(effective) = event.effective() {
            new_event = new_event.with_effective(
                Effective::new(effective).map_err(|e| ApiError::internal(StoreError::from(e)))?,
            );
        }
        new_events.push(new_event);
        views.extend(
            crate::rebuild::views_after(&next, id, event_version, event)?
                .into_iter()
                .map(|change| ViewUpdate {
                    after: index,
                    change,
                }),
        );
    }
    Ok((new_events, views, next))
}

/// Runs a command on instance `id` (for a creating command: the new id).
pub async fn execute<A: Resource>(
    app: &AppState,
    actor: &Actor,
    spec: &CommandSpec,
    id: Uuid,
    command: &A::Command,
    request: &CommandRequest,
    reason: Option<String>,
) -> ApiResult<Outcome<A>>
where
    A::Command: DeserializeOwned + Serialize,
    A::Error: Serialize,
{
    let creating = spec.name == A::create_spec().name;
    let stream = stream_of::<A>(id)?;
    const ATTEMPTS: u32 = 5;
    for attempt in 1..=ATTEMPTS {
        let (version, state) = load::<A>(app, id, None).await?;
        if attempt == 1
            && version > 0
            && let Some(key) = &request.idempotency_key
            && let Some(first) = recorded_by_key::<A>(app, actor, key, id, &stream).await?
        {
            // This very request was recorded before, but its answer was lost (the process
            // stopped between the commit and remembering the response): answer it again rather
            // than deciding it a second time.
            return Ok(first);
        }
        if creating && version > 0 {
            return Err(ApiError::conflict(
                "already_exists",
                format!("{} {id} already exists", A::NOUN),
            ));
        }
        if !creating && version == 0 {
            return Err(ApiError::not_found(format!("{} {id}", A::NOUN)));
        }
        if let Some(expected) = request.if_match
            && expected > version
            && attempt == 1
        {
            // The client has seen a later version than this process's cache: another process
            // wrote it. Read the stream again before judging the precondition.
            A::cache(app).evict(&stream);
            continue;
        }
        if let Some(expected) = request.if_match
            && expected != version
        {
            return Err(ApiError::PreconditionFailed {
                expected,
                actual: version,
            });
        }

        if !creating && actor.role == Role::Bureau {
            check_region(actor, state.region())?;
        }
        let (new_events, views, next) =
            decide(&state, version, id, command, actor, request, reason.clone())?;
        if actor.role == Role::Bureau {
            // Also the state after: a bureau may not move an instance out of its region.
            check_region(actor, next.region())?;
        }
        if new_events.is_empty() {
            return Ok(Outcome {
                id,
                version,
                first_position: 0,
                last_position: 0,
                state,
                created: false,
            });
        }
        let append =
            StreamAppend::new(stream.clone(), expected_at(version), new_events).with_views(views);
        match app.store.append(append).await {
            Ok(result) => {
                let version = result.next_expected_version;
                A::cache(app).put(stream, version, next.clone());
                app.metrics
                    .appended(result.last_position - result.first_position + 1);
                return Ok(Outcome {
                    id,
                    version,
                    first_position: result.first_position,
                    last_position: result.last_position,
                    state: next,
                    created: creating,
                });
            }
            Err(StoreError::WrongExpectedVersion { actual, .. }) => {
                A::cache(app).evict(&stream);
                if let Some(expected) = request.if_match {
                    return Err(ApiError::PreconditionFailed { expected, actual });
                }
                if creating {
                    return Err(ApiError::conflict(
                        "already_exists",
                        format!("{} {id} already exists", A::NOUN),
                    ));
                }
                tracing::debug!(attempt, %stream, "concurrent update; deciding again");
            }
            Err(error) => {
                A::cache(app).evict(&stream);
                return Err(error.into());
            }
        }
    }
    Err(ApiError::conflict(
        "concurrent_update",
        format!("{} {id} kept changing under this command; retry", A::NOUN),
    ))
}

/// The outcome of a command recorded earlier under `key` by `actor` on `stream` (its events carry
/// the ids [`idempotent_event_id`] derives), as it was when that command committed.
async fn recorded_by_key<A: Resource>(
    app: &AppState,
    actor: &Actor,
    key: &str,
    id: Uuid,
    stream: &StreamId,
) -> ApiResult<Option<Outcome<A>>>
where
    A::Command: DeserializeOwned + Serialize,
    A::Error: Serialize,
{
    // Look the first event up by the index on event ids; only when it is there, the rest (a
    // command appends at most a handful of events).
    const MOST_EVENTS_PER_COMMAND: usize = 64;
    let first_attempt = app
        .store
        .find_events(&[idempotent_event_id(actor, key, 0)])
        .await?;
    if !first_attempt.iter().any(|event| &event.stream == stream) {
        return Ok(None);
    }
    let ids: Vec<Uuid> = (0..MOST_EVENTS_PER_COMMAND)
        .map(|index| idempotent_event_id(actor, key, index))
        .collect();
    let mine = app.store.find_events(&ids).await?;
    let (Some(first), Some(last)) = (mine.first(), mine.last()) else {
        return Ok(None);
    };
    let (version, state) = load::<A>(app, id, Some(last.position)).await?;
    Ok(Some(Outcome {
        id,
        version,
        first_position: first.position,
        last_position: last.position,
        state,
        created: first.version == 1,
    }))
}

/// Event ids derived from (actor, idempotency key, index): a retried command whose first attempt
/// was recorded appends the same ids, which the store answers with the original positions.
pub fn idempotent_event_id(actor: &Actor, key: &str, index: usize) -> Uuid {
    idempotent_uuid(&format!("{}\u{0}{key}\u{0}{index}", actor.account_id))
}

/// The id of an instance a creating command makes when the client named none but sent an
/// idempotency key: a retry names the same instance, so it is recognised as already done.
pub fn idempotent_instance_id(actor: &Actor, key: &str) -> Uuid {
    idempotent_uuid(&format!("{}\u{0}{key}\u{0}instance", actor.account_id))
}

fn idempotent_uuid(name: &str) -> Uuid {
    let hash = Uuid::new_v5(&IDEMPOTENCY_NAMESPACE, name.as_bytes());
    // Keep the store's UUIDv7 shape: a timestamp prefix is not needed for uniqueness here, the
    // version and variant bits are.
    let mut bytes = *hash.as_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x70;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Uuid::from_bytes(bytes)
}

const IDEMPOTENCY_NAMESPACE: Uuid = Uuid::from_u128(0x2b8e_51c4_07a9_4f3d_9e61_c0d2_7a45_18f3);

// ----- the aggregates -------------------------------------------------------------------------

impl Resource for Enterprise {
    const COLLECTION: &'static str = "enterprises";
    const NOUN: &'static str = "enterprise";
    const ID_FIELD: &'static str = "enterprise_id";
    const COMMANDS: &'static [CommandSpec] = &[
        cmd("Register", "Register an enterprise (登记)", BUREAU, &[]),
        cmd("Amend", "Amend registration details (变更)", BUREAU, &[]),
        cmd(
            "Deregister",
            "Deregister (注销); needs a reason",
            BUREAU,
            &[],
        ),
        cmd(
            "FilePolicyPlan",
            "File the one-enterprise-one-policy plan (一企一策)",
            BUREAU,
            &[],
        ),
        cmd(
            "RevisePolicyPlan",
            "Revise the policy plan; needs a reason",
            BUREAU,
            &[],
        ),
        cmd(
            "DeclareStockBaseline",
            "Declare the red mud stock before the first ledger",
            BUREAU,
            &[],
        ),
        cmd(
            "CorrectStockBaseline",
            "Correct the stock baseline; needs a reason",
            BUREAU,
            &[],
        ),
        cmd(
            "RecordLedger",
            "Record a period's red mud ledger (赤泥台账)",
            BUREAU,
            &[Fill::Today("today")],
        ),
        cmd(
            "CorrectLedger",
            "Correct a recorded period's ledger (更正); needs a reason",
            BUREAU,
            &[],
        ),
        cmd(
            "GrantDesignation",
            "Grant a designation (认定)",
            PROVINCE,
            &[],
        ),
        cmd(
            "RevokeDesignation",
            "Revoke a designation (撤销); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "RecordCleanProductionAudit",
            "Record a clean-production audit (清洁生产审核)",
            BUREAU,
            &[Fill::NewId("audit_id")],
        ),
        cmd(
            "ClaimTaxIncentive",
            "Record a tax incentive claim (税收优惠申报)",
            FINANCE,
            &[Fill::NewId("claim_id")],
        ),
        cmd(
            "ApproveTaxIncentive",
            "Approve a tax incentive claim",
            FINANCE,
            &[],
        ),
        cmd(
            "RejectTaxIncentive",
            "Reject a tax incentive claim; needs a reason",
            FINANCE,
            &[],
        ),
        cmd(
            "RecoverTaxIncentive",
            "Recover an approved incentive (追回); needs a reason",
            FINANCE,
            &[],
        ),
        cmd(
            "RecommendTypicalCase",
            "Recommend the enterprise as a typical case (典型案例推荐)",
            PROVINCE,
            &[],
        ),
        cmd(
            "WithdrawTypicalCase",
            "Withdraw the typical-case recommendation; needs a reason",
            PROVINCE,
            &[],
        ),
    ];

    fn cache(app: &AppState) -> &StateCache<Self> {
        &app.caches.enterprises
    }

    fn region(&self) -> Option<Region> {
        Enterprise::region(self)
    }

    fn columns(&self) -> Columns {
        let kinds: Vec<String> = self.kinds().iter().map(wire).collect();
        let mut tags = kinds.clone();
        tags.extend(self.designations().keys().map(wire));
        if self.typical_case().is_some_and(|c| c.is_standing()) {
            tags.push("typical_case".to_owned());
        }
        Columns {
            region: Enterprise::region(self),
            kind: kinds.first().cloned(),
            status: Some(wire(&self.status())),
            task: None,
            tags,
            search: self.uscc().map(|u| u.to_string()).into_iter().collect(),
            name: self.name().to_owned(),
        }
    }

    fn extra_views(&self, id: Uuid, version: u64, event: &Self::Event) -> Vec<ViewChange> {
        if let Some(row) = designation_view(self, id, version, event) {
            return vec![ViewChange::Upsert(row)];
        }
        let Some(period) = event.effective() else {
            return Vec::new();
        };
        let Some((key_period, entry)) = self.ledger().iter().find(|(p, _)| p.to_string() == period)
        else {
            return Vec::new();
        };
        let doc = serde_json::json!({
            "enterprise_id": id,
            "enterprise": self.name(),
            "region": Enterprise::region(self),
            "kinds": self.kinds(),
            "period": key_period,
            "entry": entry,
        });
        vec![ViewChange::Upsert(ViewRow {
            model: "ledger".to_owned(),
            key: format!("{id}/{key_period}"),
            version,
            region: Enterprise::region(self)
                .map(|r| r.to_string())
                .unwrap_or_default(),
            kind: key_period.to_string(),
            status: String::new(),
            task: None,
            tags: self.kinds().iter().map(wire).collect(),
            search: self.name().to_lowercase(),
            sort_name: format!("{key_period} {}", self.name()),
            doc,
        })]
    }
}

/// Model `designation`: one row per designation granted or revoked (key
/// `<enterprise id>/<stream version>`), so reports can count both by kind and year (the
/// enterprise state keeps only the designations held).
fn designation_view(
    enterprise: &Enterprise,
    id: Uuid,
    version: u64,
    event: &EnterpriseEvent,
) -> Option<ViewRow> {
    let (designation, change, on, detail) = match event {
        EnterpriseEvent::DesignationGranted(e) => {
            (e.designation, "granted", e.granted_on, e.document.clone())
        }
        EnterpriseEvent::DesignationRevoked(e) => {
            (e.designation, "revoked", e.revoked_on, e.reason.clone())
        }
        _ => return None,
    };
    let region = Enterprise::region(enterprise);
    Some(ViewRow {
        model: "designation".to_owned(),
        key: format!("{id}/{version}"),
        version,
        region: region.map(|r| r.to_string()).unwrap_or_default(),
        kind: wire(&designation),
        status: change.to_owned(),
        task: None,
        tags: Vec::new(),
        search: enterprise.name().to_lowercase(),
        sort_name: format!("{on} {}", enterprise.name()),
        doc: serde_json::json!({
            "enterprise_id": id,
            "enterprise": enterprise.name(),
            "region": region,
            "designation": designation,
            "change": change,
            "on": on,
            "detail": detail,
        }),
    })
}

impl Resource for Project {
    const COLLECTION: &'static str = "projects";
    const NOUN: &'static str = "project";
    const ID_FIELD: &'static str = "project_id";
    const COMMANDS: &'static [CommandSpec] = &[
        cmd("ProposeProject", "Propose a project (申报)", BUREAU, &[]),
        cmd(
            "ApproveProject",
            "Approve the project (批复)",
            PROVINCE,
            &[],
        ),
        cmd(
            "StartConstruction",
            "Record the start of construction (开工)",
            BUREAU,
            &[],
        ),
        cmd(
            "PlanMilestone",
            "Plan a milestone (里程碑)",
            BUREAU,
            &[Fill::NewId("milestone_id")],
        ),
        cmd(
            "AchieveMilestone",
            "Record a milestone achieved, with evidence",
            BUREAU,
            &[],
        ),
        cmd(
            "CommissionCapacity",
            "Record capacity commissioned (建成投产)",
            BUREAU,
            &[],
        ),
        cmd(
            "AcceptProject",
            "Accept the project (验收通过)",
            PROVINCE,
            &[],
        ),
        cmd(
            "FailAcceptance",
            "Record a failed acceptance (验收不通过); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "SuspendProject",
            "Suspend the project (暂停); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "ResumeProject",
            "Resume a suspended project (恢复)",
            PROVINCE,
            &[],
        ),
        cmd(
            "CancelProject",
            "Cancel the project (终止); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "AwardFunding",
            "Award funding (资金下达) with its tranches",
            FINANCE,
            &[Fill::NewId("award_id")],
        ),
        cmd("DisburseTranche", "Disburse a tranche (拨付)", FINANCE, &[]),
        cmd(
            "RecoverFunding",
            "Recover disbursed funds (追回); needs a reason",
            FINANCE,
            &[],
        ),
        cmd(
            "OpenConsultation",
            "A standard: put the draft out for consultation (征求意见)",
            BUREAU,
            &[],
        ),
        cmd(
            "ApproveStandard",
            "A standard: approve it (批准), with its document",
            PROVINCE,
            &[],
        ),
        cmd(
            "PublishStandard",
            "A standard: publish it (发布) with its number (标准编号)",
            PROVINCE,
            &[],
        ),
        cmd(
            "WithdrawStandard",
            "A standard: withdraw it (撤回) before publication; needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "RecommendTypicalCase",
            "Recommend the project as a typical case (典型案例推荐)",
            PROVINCE,
            &[],
        ),
        cmd(
            "WithdrawTypicalCase",
            "Withdraw the typical-case recommendation; needs a reason",
            PROVINCE,
            &[],
        ),
    ];

    fn cache(app: &AppState) -> &StateCache<Self> {
        &app.caches.projects
    }

    fn region(&self) -> Option<Region> {
        self.proposal().map(|p| p.region)
    }

    fn columns(&self) -> Columns {
        let Some(proposal) = self.proposal() else {
            return Columns::default();
        };
        let mut tags: Vec<String> = proposal.routes.iter().map(wire).collect();
        if let Some(standard) = &proposal.standard {
            tags.push(format!("standard_type:{}", standard.standard_type));
            tags.push(format!("standard_scope:{}", standard.scope));
        }
        if self.typical_case().is_some_and(|c| c.is_standing()) {
            tags.push("typical_case".to_owned());
        }
        Columns {
            region: Some(proposal.region),
            kind: Some(wire(&proposal.kind)),
            status: Some(wire(&self.status())),
            task: Some(wire(&proposal.task)),
            tags,
            search: proposal.responsible_units.clone(),
            name: proposal.name.clone(),
        }
    }
}

impl Resource for Base {
    const COLLECTION: &'static str = "bases";
    const NOUN: &'static str = "base";
    const ID_FIELD: &'static str = "base_id";
    const COMMANDS: &'static [CommandSpec] = &[
        cmd(
            "DesignateBase",
            "Designate a demonstration base (认定)",
            PROVINCE,
            &[],
        ),
        cmd("AddMember", "Add a member enterprise (入园)", PROVINCE, &[]),
        cmd(
            "RemoveMember",
            "Remove a member enterprise (迁出); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd("LinkProject", "Link a project", PROVINCE, &[]),
        cmd(
            "UnlinkProject",
            "Unlink a project; needs a reason",
            PROVINCE,
            &[],
        ),
        cmd("SetYearTargets", "Set a year's targets", PROVINCE, &[]),
        cmd(
            "ReviseYearTargets",
            "Revise a year's targets; needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "RecordEvaluation",
            "Record a year's evaluation (评估)",
            PROVINCE,
            &[],
        ),
        cmd(
            "RevokeBase",
            "Revoke the designation (撤销); needs a reason",
            PROVINCE,
            &[],
        ),
    ];

    fn cache(app: &AppState) -> &StateCache<Self> {
        &app.caches.bases
    }

    fn region(&self) -> Option<Region> {
        Base::region(self)
    }

    fn columns(&self) -> Columns {
        Columns {
            region: Base::region(self),
            kind: self.kind().map(|k| wire(&k)),
            status: Some(wire(&self.status())),
            task: None,
            tags: self.level().map(|l| wire(&l)).into_iter().collect(),
            search: Vec::new(),
            name: self.name().to_owned(),
        }
    }
}

impl Resource for RegionalPlan {
    const COLLECTION: &'static str = "regional-plans";
    const NOUN: &'static str = "regional plan";
    const ID_FIELD: &'static str = "plan_id";
    const COMMANDS: &'static [CommandSpec] = &[
        cmd(
            "SetTargets",
            "Set a region's targets for a year (年度目标任务)",
            PROVINCE,
            &[],
        ),
        cmd(
            "ReviseTargets",
            "Revise the targets (目标调整); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "SubmitReport",
            "Submit the region's report for a period (定期报送); figures are frozen from the ledgers when not given",
            BUREAU,
            &[],
        ),
        cmd(
            "ReturnReport",
            "Return a submitted report for correction (退回); needs a reason",
            PROVINCE,
            &[],
        ),
        cmd(
            "AcceptReport",
            "Accept a submitted report (审核通过)",
            PROVINCE,
            &[],
        ),
    ];

    fn cache(app: &AppState) -> &StateCache<Self> {
        &app.caches.plans
    }

    fn region(&self) -> Option<Region> {
        RegionalPlan::region(self)
    }

    fn columns(&self) -> Columns {
        let region = RegionalPlan::region(self);
        Columns {
            region,
            kind: Some(self.year().to_string()),
            status: Some(wire(&self.status())),
            task: None,
            tags: self
                .reports()
                .iter()
                .map(|(period, report)| format!("{period}:{}", wire(&report.status)))
                .collect(),
            search: region.map(|r| r.name_en()).into_iter().collect(),
            name: region
                .map(|r| format!("{} {}", r.name_zh(), self.year()))
                .unwrap_or_default(),
        }
    }

    /// Model `regional_report`: one row per submission (key `<plan id>/<period>/<submission>`),
    /// written by the submission itself, so its `valid_from` is the submission's position (the
    /// moment its figures were frozen).
    fn extra_views(&self, id: Uuid, version: u64, event: &Self::Event) -> Vec<ViewChange> {
        let RegionalPlanEvent::ReportSubmitted(e) = event else {
            return Vec::new();
        };
        let region = RegionalPlan::region(self);
        vec![ViewChange::Upsert(ViewRow {
            model: "regional_report".to_owned(),
            key: format!("{id}/{}/{}", e.period, e.submission),
            version,
            region: region.map(|r| r.to_string()).unwrap_or_default(),
            kind: e.period.to_string(),
            status: "submitted".to_owned(),
            task: None,
            tags: Vec::new(),
            search: String::new(),
            sort_name: format!("{} {}", e.period, e.submission),
            doc: serde_json::json!({
                "plan_id": id,
                "region": region,
                "year": self.year(),
                "period": e.period,
                "submission": e.submission,
                "submitted_on": e.submitted_on,
                "figures": e.figures,
            }),
        })]
    }

    fn natural_id(body: &Map<String, Value>) -> Option<Uuid> {
        let region = body.get("region")?.as_str()?;
        let year = body.get("year")?.as_u64()?;
        Some(plan_id(region, year))
    }
}

/// The id of a region's plan for a year: one plan per (region, year).
pub fn plan_id(region: &str, year: u64) -> Uuid {
    Uuid::new_v5(&PLAN_NAMESPACE, format!("{region}/{year}").as_bytes())
}

const PLAN_NAMESPACE: Uuid = Uuid::from_u128(0x9d3c_7e21_5a0b_4c8f_b1e4_6f2a_3d90_c757);

impl Resource for Account {
    const COLLECTION: &'static str = "accounts";
    const NOUN: &'static str = "account";
    const ID_FIELD: &'static str = "account_id";
    const COMMANDS: &'static [CommandSpec] = &[
        cmd(
            "CreateAccount",
            "Create an account with a role (and a bureau's region)",
            ADMIN,
            &[Fill::Today("created_on")],
        ),
        cmd(
            "ChangeRole",
            "Change an account's role or region; needs a reason",
            ADMIN,
            &[Fill::Today("changed_on")],
        ),
        cmd(
            "UpdateProfile",
            "Update an account's display name or organisation",
            ADMIN,
            &[Fill::Today("updated_on")],
        ),
        cmd(
            "DisableAccount",
            "Disable an account (its sessions end); needs a reason",
            ADMIN,
            &[Fill::Today("disabled_on")],
        ),
        cmd(
            "EnableAccount",
            "Enable a disabled account; needs a reason",
            ADMIN,
            &[Fill::Today("enabled_on")],
        ),
    ];

    fn cache(app: &AppState) -> &StateCache<Self> {
        &app.caches.accounts
    }

    fn region(&self) -> Option<Region> {
        Account::region(self)
    }

    fn columns(&self) -> Columns {
        Columns {
            region: Account::region(self),
            kind: self.role().map(|r| crate::auth::role_name(r).to_owned()),
            status: Some(
                if self.is_active() {
                    "enabled"
                } else {
                    "disabled"
                }
                .to_owned(),
            ),
            task: None,
            tags: Vec::new(),
            search: vec![
                self.display_name().to_owned(),
                self.organisation().to_owned(),
            ],
            name: self.username().map(|u| u.to_string()).unwrap_or_default(),
        }
    }

    fn natural_id(body: &Map<String, Value>) -> Option<Uuid> {
        Some(crate::auth::account_id(body.get("username")?.as_str()?))
    }
}

/// Every kind of aggregate in the API, for the OpenAPI document and metrics.
pub const COLLECTIONS: &[&str] = &[
    Enterprise::COLLECTION,
    Project::COLLECTION,
    Base::COLLECTION,
    RegionalPlan::COLLECTION,
    Account::COLLECTION,
];
