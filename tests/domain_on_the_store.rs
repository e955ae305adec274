//! End to end across the crates: domain commands decided, their events stored on each engine,
//! read back, decoded and replayed to the same state; the chain verifies.

#[path = "../crates/store/tests/common/mod.rs"]
mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::{Engine, TestDb, meta};
use redmud_domain::enterprise::{Enterprise, EnterpriseCommand};
use redmud_domain::values::{EnterpriseKind, Region, Uscc};
use redmud_domain::{Aggregate, DomainEvent, execute, replay, stream_name};
use redmud_store::{Direction, Effective, ExpectedVersion, NewEvent, StreamAppend, StreamId};
use uuid::Uuid;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn to_new_event(event: &<Enterprise as Aggregate>::Event) -> NewEvent {
    let (event_type, payload) = event.to_payload();
    let mut new =
        NewEvent::new(event_type, payload, meta()).with_schema_version(event.schema_version());
    if let Some(effective) = event.effective() {
        new = new
            .with_effective(Effective::new(effective).expect("domain periods are store periods"));
    }
    new
}

async fn enterprise_round_trip(engine: Engine) {
    let db = TestDb::new(engine).await;
    let store = db.store().await;
    let id = Uuid::now_v7();
    let stream = StreamId::new(stream_name::<Enterprise>(id))
        .expect("domain stream names are store stream names");

    let commands = [
        EnterpriseCommand::Register {
            enterprise_id: id,
            name: "贵州示范氧化铝有限公司".into(),
            uscc: "914403001922038216".parse::<Uscc>().expect("valid code"),
            region: "520100".parse::<Region>().expect("Guiyang"),
            kinds: BTreeSet::from([EnterpriseKind::AluminaRefinery]),
            registered_on: date(2025, 3, 1),
        },
        EnterpriseCommand::Amend {
            name: Some("贵州示范氧化铝股份有限公司".into()),
            uscc: None,
            region: None,
            kinds: None,
            amended_on: date(2025, 6, 1),
        },
    ];
    let mut state = Enterprise::default();
    for command in &commands {
        let version = store.stream_version(&stream).await.expect("version");
        let (next, events) = execute(&state, command).expect("accepted");
        let expected = if version == 0 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(version)
        };
        store
            .append(StreamAppend::new(
                stream.clone(),
                expected,
                events.iter().map(to_new_event).collect(),
            ))
            .await
            .expect("append");
        state = next;
    }

    let recorded = store
        .read_stream(&stream, 1, Direction::Forward, 100)
        .await
        .expect("read");
    let events: Vec<_> = recorded
        .into_iter()
        .map(|e| {
            <Enterprise as Aggregate>::Event::from_payload(&e.event_type, e.payload)
                .expect("decodes")
        })
        .collect();
    assert_eq!(replay::<Enterprise, _>(events.iter()), state);
    assert_eq!(state.name(), "贵州示范氧化铝股份有限公司");
    assert!(store.verify().await.expect("verify").is_intact());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_round_trip_on_sqlite() {
    enterprise_round_trip(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enterprise_round_trip_on_postgres() {
    enterprise_round_trip(Engine::Postgres).await;
}
