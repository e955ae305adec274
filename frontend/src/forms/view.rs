//! The forms in the browser: a detail page's actions ([`CommandForms`]), a list page's "new" button
//! ([`NewRecord`]) and one command's form ([`CommandForm`]). Thin: parsing, the body and the
//! domain's check are [`super::validate`]; this only binds inputs and sends.

use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;
use redmud_domain::{NaiveDate, Region};
use serde_json::Value;

use super::{Agg, FieldSpec, FormSpec, Kind, Target, rules, specs, state_options};
use crate::api::{self, Problem, Reply};
use crate::format;
use crate::i18n::{Key, Lang, fill, text};
use crate::roles::Role;

/// What the forms need of the application (built by `app::forms_env`).
#[derive(Clone, Copy)]
pub(crate) struct Env {
    /// The interface language.
    pub lang: RwSignal<Lang>,
    /// The session's bearer token.
    pub token: Signal<Option<String>>,
    /// The signed-in role.
    pub role: Signal<Option<Role>>,
    /// A bureau's own region code (empty for the province-wide roles): region fields start there.
    pub own_region: Signal<String>,
    /// Whether an audit moment is being replayed (no actions then).
    pub replaying: Signal<bool>,
    /// A 401: the session is gone.
    pub unauthorized: StoredValue<Box<dyn Fn() + Send + Sync>>,
    /// Opens a created aggregate's detail page, where there is one.
    pub open: StoredValue<Box<dyn Fn(Agg, String) + Send + Sync>>,
}

/// A detail's reply, as the page loads it.
pub(crate) type Detail = RwSignal<Option<Result<Reply, Problem>>>;

fn today() -> NaiveDate {
    // The browser's clock in China Standard Time, as the server decides "today".
    #[allow(clippy::cast_possible_truncation)]
    let millis = js_sys::Date::now() as i64;
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| (t + chrono::Duration::hours(8)).date_naive())
        .unwrap_or_default()
}

/// The server's refusal: its status and problem+json body.
#[derive(Debug, Clone, PartialEq)]
struct Refusal {
    status: u16,
    body: Value,
}

impl Refusal {
    fn message(&self, lang: Lang) -> String {
        rules::message(&self.body, lang).unwrap_or_else(|| {
            let title = self.body["title"].as_str().unwrap_or_default();
            let detail = self.body["detail"].as_str().unwrap_or_default();
            match (title.is_empty(), detail.is_empty()) {
                (false, false) => format!("{title} — {detail}"),
                (false, true) => title.to_owned(),
                _ => detail.to_owned(),
            }
        })
    }
}

/// `POST` a command: the reply's body and `Location`, or the refusal (status 0: the network).
async fn send(
    url: &str,
    token: Option<&str>,
    body: &Value,
    if_match: Option<&str>,
) -> Result<(Value, Option<String>), Refusal> {
    let network = |e: gloo_net::Error| Refusal {
        status: 0,
        body: serde_json::json!({ "title": "network", "detail": e.to_string() }),
    };
    let mut builder = Request::post(url);
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(etag) = if_match {
        builder = builder.header("If-Match", etag);
    }
    let response = builder
        .json(body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    let location = response.headers().get("location");
    let reply: Value = response.json().await.unwrap_or(Value::Null);
    if (200..300).contains(&status) {
        Ok((reply, location))
    } else {
        Err(Refusal {
            status,
            body: reply,
        })
    }
}

/// A detail page's actions: the commands the role may run, one form open at a time; hidden while
/// replaying an audit moment.
#[component]
pub(crate) fn CommandForms(
    env: Env,
    agg: Agg,
    id: String,
    detail: Detail,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let open = RwSignal::new(None::<&'static FormSpec>);
    let notice = RwSignal::new(None::<String>);
    let state = Signal::derive(move || {
        detail.with(|d| match d {
            Some(Ok(reply)) => reply.body["state"].clone(),
            _ => Value::Null,
        })
    });
    let etag = Signal::derive(move || {
        detail.with(|d| {
            d.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|r| r.etag.clone())
        })
    });
    let forms = move || {
        env.role
            .get()
            .map(|role| {
                state.with(|state| {
                    super::detail_forms(agg, role)
                        .into_iter()
                        // The ledger has its own form (with per-route inputs) on the page.
                        .filter(|s| s.command != "RecordLedger" && super::applies(s, state))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default()
    };
    let id = StoredValue::new(id);
    view! {
        <Show when=move || !env.replaying.get() && !forms().is_empty() && state.with(|s| !s.is_null())>
            <div class="card actions" id="actions">
                <h2>{move || text(env.lang.get(), Key::FormActions)}</h2>
                {move || notice.get().map(|n| view! { <p class="ok" id="form-done" role="status">{n}</p> })}
                <div class="action-buttons">
                    {move || {
                        let lang = env.lang.get();
                        forms().into_iter().map(|spec| {
                            let selected = move || open.get().is_some_and(|o| o.command == spec.command);
                            view! {
                                <button type="button" class="action" class:active=selected
                                    data-command=spec.segment()
                                    aria-pressed=move || selected().to_string()
                                    on:click=move |_| { notice.set(None); open.set(Some(spec)); }>
                                    {spec.title.get(lang)}
                                </button>
                            }
                        }).collect_view()
                    }}
                </div>
                {move || open.get().map(|spec| view! {
                    <CommandForm env=env spec=spec id=Some(id.get_value()) state=state etag=etag
                        reload=reload open=open notice=notice/>
                })}
            </div>
        </Show>
    }
}

/// A list page's "new" button and creating form, for the roles that may create.
#[component]
pub(crate) fn NewRecord(env: Env, agg: Agg) -> impl IntoView {
    let open = RwSignal::new(None::<&'static FormSpec>);
    let notice = RwSignal::new(None::<String>);
    let reload = RwSignal::new(0u32);
    let spec = move || {
        env.role
            .get()
            .and_then(|role| super::creation_form(agg, role))
    };
    view! {
        {move || spec().filter(|_| !env.replaying.get()).map(|spec| view! {
            <div class="new-record" data-collection=agg.collection()>
                {move || notice.get().map(|n| view! { <p class="ok" id="form-done" role="status">{n}</p> })}
                <Show when=move || open.with(Option::is_none)>
                    <button type="button" class="new" id=format!("new-{}", agg.collection())
                        on:click=move |_| { notice.set(None); open.set(Some(spec)); }>
                        "+ "{move || text(env.lang.get(), Key::FormNew)}" · "{move || spec.title.get(env.lang.get())}
                    </button>
                </Show>
                {move || open.get().map(|spec| view! {
                    <div class="card">
                        <CommandForm env=env spec=spec id=None state=Signal::derive(|| Value::Null)
                            etag=Signal::derive(|| None) reload=reload open=open notice=notice/>
                    </div>
                })}
            </div>
        })}
    }
}

/// Options for a reference to another aggregate, from its list.
fn list_options(env: Env, target: Target, options: RwSignal<Vec<(String, String)>>) {
    let path = match target {
        Target::Enterprise => "/api/enterprises?limit=500&sort=name",
        Target::Project => "/api/projects?limit=500&sort=name",
        _ => return,
    };
    let token = env.token.get_untracked();
    spawn_local(async move {
        if let Ok(reply) = api::get(path, token.as_deref()).await {
            let items = reply.body["items"].as_array().cloned().unwrap_or_default();
            options.set(
                items
                    .iter()
                    .map(|item| {
                        let state = &item["state"];
                        let name = state["name"]
                            .as_str()
                            .or_else(|| state["proposal"]["name"].as_str())
                            .unwrap_or_default();
                        (
                            item["id"].as_str().unwrap_or_default().to_owned(),
                            name.to_owned(),
                        )
                    })
                    .collect(),
            );
        }
    });
}

fn select_view(
    env: Env,
    name: String,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
) -> AnyView {
    view! {
        <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" selected=move || value.with(String::is_empty)>
                {move || text(env.lang.get(), Key::FormChoose)}
            </option>
            {move || options.get().into_iter().map(|(code, label)| {
                let selected = code.clone();
                view! { <option value=code selected=move || value.with(|v| *v == selected)>{label}</option> }
            }).collect_view()}
        </select>
    }
    .into_any()
}

fn input_view(
    env: Env,
    field: FieldSpec,
    value: RwSignal<String>,
    state: Signal<Value>,
) -> AnyView {
    let name = field.name();
    let lang = env.lang;
    match field.kind {
        Kind::LongText | Kind::Lines => view! {
            <textarea name=name rows="3" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        }
        .into_any(),
        Kind::Choice(options) => {
            select_view(env, name, value, Signal::derive(move || options(lang.get())))
        }
        Kind::Region => select_view(
            env,
            name,
            value,
            Signal::derive(move || {
                let lang = lang.get();
                Region::named()
                    .map(|r| (r.code().to_string(), format::region(r, lang)))
                    .collect()
            }),
        ),
        Kind::Ref(target @ (Target::Enterprise | Target::Project)) => {
            let options = RwSignal::new(Vec::new());
            list_options(env, target, options);
            select_view(env, name, value, options.into())
        }
        Kind::Ref(target @ (Target::Member | Target::Linked)) => {
            // The base's state holds ids: name them from the enterprise or project list.
            let names = RwSignal::new(Vec::new());
            let list = if target == Target::Member {
                Target::Enterprise
            } else {
                Target::Project
            };
            list_options(env, list, names);
            select_view(
                env,
                name,
                value,
                Signal::derive(move || {
                    let options = state.with(|s| state_options(target, s, lang.get()));
                    names.with(|names| super::with_names(options, names))
                }),
            )
        }
        Kind::Ref(target) => select_view(
            env,
            name,
            value,
            Signal::derive(move || state.with(|s| state_options(target, s, lang.get()))),
        ),
        Kind::Condition => select_view(
            env,
            name,
            value,
            Signal::derive(move || {
                let lang = lang.get();
                let milestones = state.with(|s| state_options(Target::Milestone, s, lang));
                specs::condition_options(&milestones, lang)
            }),
        ),
        Kind::Multi(options) => view! {
            <span class="checks">
                {move || options(lang.get()).into_iter().map(|(code, label)| {
                    let checked_code = code.clone();
                    let toggle_code = code.clone();
                    let checked = move || value.with(|v| v.split(',').any(|c| c == checked_code));
                    view! {
                        <label class="check">
                            <input type="checkbox" name=name.clone() value=code prop:checked=checked
                                on:change=move |_| value.update(|v| {
                                    let mut codes: Vec<String> = v.split(',').filter(|c| !c.is_empty()).map(str::to_owned).collect();
                                    if let Some(i) = codes.iter().position(|c| *c == toggle_code) {
                                        codes.remove(i);
                                    } else {
                                        codes.push(toggle_code.clone());
                                    }
                                    *v = codes.join(",");
                                })/>
                            {label}
                        </label>
                    }
                }).collect_view()}
            </span>
        }
        .into_any(),
        kind => {
            let (input_type, mode, hint) = match kind {
                Kind::Date => ("date", "text", Some(Key::FormDateHint)),
                Kind::Password => ("password", "text", None),
                Kind::Tonnes => ("text", "decimal", Some(Key::TonnesHint)),
                Kind::Money => ("text", "decimal", Some(Key::FormMoneyHint)),
                Kind::Percent => ("text", "decimal", Some(Key::FormPercentHint)),
                Kind::Integer | Kind::Year => ("text", "numeric", None),
                Kind::Period => ("text", "text", Some(Key::PeriodHint)),
                _ => ("text", "text", None),
            };
            let autocomplete = if input_type == "password" {
                "new-password"
            } else {
                "off"
            };
            view! {
                <input type=input_type name=name inputmode=mode autocomplete=autocomplete
                    placeholder=move || hint.map_or("", |k| text(lang.get(), k))
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))/>
            }
            .into_any()
        }
    }
}

/// One command's form: inputs, the inline check (fields, then the domain's `decide` on `state`),
/// submit with `If-Match`, the server's answer, and the 412 explanation with a reload.
#[component]
pub(crate) fn CommandForm(
    env: Env,
    spec: &'static FormSpec,
    id: Option<String>,
    state: Signal<Value>,
    etag: Signal<Option<String>>,
    reload: RwSignal<u32>,
    open: RwSignal<Option<&'static FormSpec>>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let fields = spec.all_fields();
    let today_text = today().to_string();
    let values: Vec<RwSignal<String>> = fields
        .iter()
        .map(|f| {
            RwSignal::new(match f.kind {
                Kind::Date if f.need == super::Need::Required => today_text.clone(),
                // Optional region fields mean "blank: unchanged"; only required ones start there.
                Kind::Region if f.need == super::Need::Required => env.own_region.get_untracked(),
                _ => String::new(),
            })
        })
        .collect();
    let touched = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<Refusal>);
    let inputs = {
        let values = values.clone();
        move || values.iter().map(|v| v.get()).collect::<Vec<String>>()
    };
    let checked = Memo::new({
        let inputs = inputs.clone();
        move |_| super::validate(spec, &inputs(), &state.get(), today(), env.lang.get())
    });
    let error_of = move |index: Option<usize>| {
        Signal::derive(move || {
            if !touched.get() {
                return None;
            }
            checked.with(|c| {
                c.as_ref().err().and_then(|errors| {
                    errors
                        .iter()
                        .find(|e| e.field == index)
                        .map(|e| e.message.clone())
                })
            })
        })
    };
    let url = spec.url(id.as_deref());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        refusal.set(None);
        let Ok(body) = checked.get_untracked() else {
            return;
        };
        let url = url.clone();
        let token = env.token.get_untracked();
        let if_match = if spec.creates {
            None
        } else {
            etag.get_untracked()
        };
        busy.set(true);
        spawn_local(async move {
            let reply = send(&url, token.as_deref(), &body, if_match.as_deref()).await;
            busy.set(false);
            match reply {
                Ok((reply, location)) => {
                    let lang = env.lang.get_untracked();
                    notice.set(Some(fill(
                        lang,
                        Key::FormDone,
                        &[("title", spec.title.get(lang))],
                    )));
                    open.set(None);
                    if spec.creates {
                        let created = location
                            .as_deref()
                            .and_then(|l| l.rsplit('/').next())
                            .map(str::to_owned)
                            .or_else(|| reply["id"].as_str().map(str::to_owned));
                        if let Some(created) = created {
                            env.open.with_value(|open| open(spec.agg, created));
                        }
                    }
                    reload.update(|n| *n += 1);
                }
                Err(problem) => {
                    if problem.status == 401 {
                        env.unauthorized.with_value(|signed_out| signed_out());
                    }
                    refusal.set(Some(problem));
                }
            }
        });
    };
    let field_views = fields
        .iter()
        .zip(values.iter())
        .enumerate()
        .map(|(index, (field, value))| {
            let field = *field;
            let value = *value;
            let error = error_of(Some(index));
            let all = fields.clone();
            let inputs = inputs.clone();
            let active = move || field.active(&all, &inputs());
            let wide = matches!(field.kind, Kind::LongText | Kind::Lines | Kind::Multi(_));
            let label = move || field.label.get(env.lang.get());
            let invalid = move || error.with(Option::is_some);
            if matches!(field.kind, Kind::Multi(_)) {
                // Checkboxes have labels of their own: a labelled group, not a <label>.
                view! {
                    <div class="field wide" role="group" aria-label=label class:invalid=invalid
                        data-field=field.name() hidden=move || !active()>
                        <span>{label}</span>
                        {input_view(env, field, value, state)}
                        <span class="field-error">{move || error.get()}</span>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <label class="field" class:wide=wide class:invalid=invalid data-field=field.name()
                        hidden=move || !active()>
                        <span>{label}</span>
                        {input_view(env, field, value, state)}
                        <span class="field-error">{move || error.get()}</span>
                    </label>
                }
                .into_any()
            }
        })
        .collect_view();
    let form_error = error_of(None);
    view! {
        <form class="command-form" id=spec.html_id() on:submit=submit novalidate>
            <h3>{move || spec.title.get(env.lang.get())}</h3>
            <div class="grid">{field_views}</div>
            <p class="error form-error" role="alert">{move || form_error.get()}</p>
            <Show when=move || touched.get() && checked.with(Result::is_err)>
                <p class="error fix-errors">{move || text(env.lang.get(), Key::FixErrors)}</p>
            </Show>
            {move || refusal.get().map(|problem| {
                let lang = env.lang.get();
                if problem.status == 412 {
                    view! {
                        <div class="error stale" role="alert">
                            <p>{text(lang, Key::FormStale)}</p>
                            <button type="button" class="reload" on:click=move |_| {
                                refusal.set(None);
                                reload.update(|n| *n += 1);
                            }>{text(lang, Key::Reload)}</button>
                        </div>
                    }.into_any()
                } else {
                    let code = problem.body["code"].as_str().unwrap_or_default().to_owned();
                    view! {
                        <div class="error problem" role="alert">
                            <p>{text(lang, Key::ServerRefused)}" ("{problem.status}" "{code}")"</p>
                            <p class="problem-message">{problem.message(lang)}</p>
                        </div>
                    }.into_any()
                }
            })}
            <div class="form-buttons">
                <button type="submit" disabled=move || busy.get()>
                    {move || text(env.lang.get(), if busy.get() { Key::Submitting } else { Key::Submit })}
                </button>
                <button type="button" class="cancel" on:click=move |_| open.set(None)>
                    {move || text(env.lang.get(), Key::FormCancel)}
                </button>
            </div>
        </form>
    }
}
