//! Reference data under `/api/reference/…`: the plan's structure, for clients to label and
//! filter with.

use actix_web::{HttpResponse, web};
use redmud_domain::plan::{PlanItem, tasks_of};
use redmud_domain::{PlanTask, ResponsibleUnit};
use redmud_reports::tasks::UnitRef;
use serde::Serialize;

use crate::auth::Actor;
use crate::error::ApiResult;

/// Registers the reference routes (under `/api`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/reference/plan-tasks", web::get().to(plan_tasks));
}

/// A main task or safeguard with its responsible units.
#[derive(Debug, Serialize)]
struct Item {
    code: &'static str,
    number: u8,
    name_zh: &'static str,
    name_en: &'static str,
    responsible_units: Vec<UnitRef>,
}

/// A unit with the main tasks the plan names it for.
#[derive(Debug, Serialize)]
struct UnitTasks {
    #[serde(flatten)]
    unit: UnitRef,
    tasks: Vec<PlanTask>,
}

/// The document of `GET /api/reference/plan-tasks`.
#[derive(Debug, Serialize)]
struct PlanTasks {
    tasks: Vec<Item>,
    safeguards: Vec<Item>,
    units: Vec<UnitTasks>,
}

fn item(item: PlanItem) -> Item {
    Item {
        code: item.code(),
        number: item.number(),
        name_zh: item.name_zh(),
        name_en: item.name_en(),
        responsible_units: item
            .responsible_units()
            .iter()
            .copied()
            .map(UnitRef::from)
            .collect(),
    }
}

/// `GET /api/reference/plan-tasks`: the five main tasks and four safeguards with their
/// responsible units, and each unit with its tasks.
async fn plan_tasks(_actor: Actor) -> ApiResult<HttpResponse> {
    let (tasks, safeguards): (Vec<PlanItem>, Vec<PlanItem>) =
        PlanItem::all().partition(|i| matches!(i, PlanItem::Task(_)));
    Ok(HttpResponse::Ok().json(PlanTasks {
        tasks: tasks.into_iter().map(item).collect(),
        safeguards: safeguards.into_iter().map(item).collect(),
        units: ResponsibleUnit::ALL
            .iter()
            .map(|u| UnitTasks {
                unit: (*u).into(),
                tasks: tasks_of(*u),
            })
            .collect(),
    }))
}
