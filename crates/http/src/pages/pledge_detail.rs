//! One pledge: its figures, its history, and an edit form that never overwrites a colleague's
//! change: a stale edit is merged three ways (`pledgeboard_domain::edit_merge`) and shown, with
//! the fields both changed side by side to choose from. Withdrawal and reinstatement are in
//! `pledge_status_forms`, the milestones' timeline and form in `milestone_form`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pledgeboard_domain::edit_merge::{MergeConflict, merge_edit};
use pledgeboard_domain::lineage::classify;
use pledgeboard_domain::pledge_csv::every_error;
use pledgeboard_domain::pledge_draft::PledgeDraft;
use pledgeboard_domain::status::{VersionEvent, status_before_withdrawal};
use pledgeboard_domain::{Actor, FieldError, Milestone, Pledge, PledgeStatus};
use pledgeboard_store::PledgeVersion;
use serde::Deserialize;

use crate::pages::choices::{Lists, readiness_options, status_options};
use crate::pages::error_page::PageError;
use crate::pages::filters;
use crate::pages::form::{Field, FieldErrors, FormValues, Kind, PageWriter};
use crate::pages::milestone_form::{MilestoneForm, MilestoneLine, milestone_form, timeline};
use crate::pages::session::{Nav, PageUser, render};
use crate::pages::version_diff::{FieldChange, changes};
use crate::services::recording::change_pledge;
use crate::{ApiError, AppState};

/// The editable fields of a pledge, in focus order (its state and reference identify it).
fn edit_fields(current: PledgeStatus) -> Vec<Field> {
    vec![
        Field::text("capability", "field-capability")
            .typeahead("capabilities")
            .required(),
        Field::of(Kind::Number, "quantity", "field-quantity").required(),
        Field::of(Kind::Number, "personnel", "field-personnel").hint("hint-personnel-edit"),
        Field::of(Kind::Number, "female_personnel", "field-female_personnel"),
        Field::of(Kind::Choice, "readiness", "field-readiness").options(readiness_options()),
        Field::of(Kind::Choice, "status", "field-status").options(status_options(current)),
        Field::of(Kind::Date, "available_from", "field-available_from"),
        Field::of(Kind::Number, "duration_months", "field-duration_months"),
        Field::text("mission", "field-mission").typeahead("missions"),
        Field::text("conference", "field-conference").typeahead("conferences"),
        Field::text("monthly_cost_usd", "field-monthly_cost_usd"),
        Field::text("partners", "field-partners").hint("hint-partners-short"),
        Field::of(Kind::Date, "registered_on", "field-registered_on"),
        Field::of(Kind::Date, "renewed_on", "field-renewed_on"),
        Field::of(Kind::LongText, "caveats", "field-caveats"),
        Field::of(Kind::LongText, "notes", "field-notes"),
    ]
}

/// A field's label on the edit form; a field off the form ("female_personnel" aside) in
/// words ("Equipment", "Personnel estimated").
fn label_of(name: &str) -> String {
    let lang = crate::i18n::current();
    let label = edit_fields(PledgeStatus::Pledged)
        .into_iter()
        .find(|f| f.name == name)
        .map_or_else(|| format!("field-{name}"), |f| f.label.to_owned());
    match lang.t(&label) {
        said if said != label => said,
        _ => {
            let words = name.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// A version's reason in the page's language: the reason a milestone wrote is said again from
/// its parts; a reason a person typed is shown as typed.
fn reason_in_page_language(reason: &str) -> String {
    match pledgeboard_domain::milestone_rules::reason_messages(reason) {
        None => reason.to_owned(),
        Some((head, raised)) => {
            let mut said = crate::i18n::said(&head);
            if !raised.is_empty() {
                let raised: Vec<String> = raised.iter().map(crate::i18n::said).collect();
                said.push_str(": ");
                said.push_str(&raised.join(", "));
            }
            said
        }
    }
}

/// A changed value as the history shows it: statuses, categories and yes/no in the page's
/// language, everything else as stored (codes, figures, dates).
fn value_of(field: &str, value: String) -> String {
    let lang = crate::i18n::current();
    match field {
        "status" if value != "—" => crate::pages::coverage_view::status_word(&value, lang),
        "category" => value
            .parse::<pledgeboard_domain::Category>()
            .map_or(value, |c| crate::i18n::category_name(c, lang)),
        "personnel_estimated" => match value.as_str() {
            "true" => lang.t("history-yes"),
            "false" => lang.t("history-no"),
            _ => value,
        },
        _ => value,
    }
}

/// A pledge's values as its edit form shows them.
pub(crate) fn draft_values(d: &PledgeDraft) -> FormValues {
    let mut v = FormValues::default();
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    v.set("capability", d.capability.clone());
    v.set("quantity", num(d.quantity));
    v.set("personnel", num(d.personnel));
    v.set("female_personnel", num(d.female_personnel));
    v.set("readiness", text(&d.readiness));
    v.set("status", text(&d.status));
    v.set("available_from", text(&d.available_from));
    v.set("duration_months", num(d.duration_months));
    v.set("mission", text(&d.mission));
    v.set("conference", text(&d.conference));
    v.set("monthly_cost_usd", text(&d.monthly_cost_usd));
    v.set("partners", d.partners.join(";"));
    v.set("registered_on", text(&d.registered_on));
    v.set("renewed_on", text(&d.renewed_on));
    v.set("caveats", text(&d.caveats));
    v.set("notes", text(&d.notes));
    v
}

/// One version in the history, with what it changed.
struct HistoryLine {
    version: i32,
    at: String,
    by: String,
    /// "recorded", "withdrawn", "reinstated", "milestone", or empty for another change.
    event: String,
    /// Why the version was made, for a milestone's.
    reason: Option<String>,
    changes: Vec<FieldChange>,
}

/// A field both the colleague and the planner changed, as the page names it.
struct BothChanged {
    field: String,
    label: String,
    base: String,
    theirs: String,
    mine: String,
}

/// A colleague's change that arrived while the planner was editing: what of theirs is kept,
/// and what both changed.
struct Conflict {
    by: String,
    at: String,
    kept: Vec<FieldChange>,
    both: Vec<BothChanged>,
}

/// An empty value as the page shows it.
fn or_dash(value: &str) -> String {
    if value.trim().is_empty() {
        "—".into()
    } else {
        value.to_owned()
    }
}

impl BothChanged {
    fn of(c: MergeConflict) -> Self {
        Self {
            label: label_of(&c.field),
            base: or_dash(&c.base),
            theirs: or_dash(&c.theirs),
            mine: or_dash(&c.mine),
            field: c.field,
        }
    }
}

#[derive(Template)]
#[template(path = "pledge_detail.html")]
pub(crate) struct PledgePage {
    nav: Nav,
    pub(crate) pledge: Pledge,
    /// "Utility helicopters (HEL-UTIL)".
    capability: String,
    renewal_due: String,
    may_edit: bool,
    may_withdraw: bool,
    /// Shows the withdrawal's confirmation step.
    pub(crate) confirm_withdraw: bool,
    /// The status an admin's reinstatement would return this withdrawn pledge to.
    reinstate_to: Option<PledgeStatus>,
    fields: Vec<Field>,
    others: Vec<String>,
    /// The version the form's change is based on.
    base_version: i32,
    /// That version's values, sent back with the form for a three-way merge.
    base_values: Vec<(String, String)>,
    conflict: Option<Conflict>,
    saved: bool,
    history: Vec<HistoryLine>,
    /// The milestones, by date.
    pub(crate) milestones: Vec<MilestoneLine>,
    /// Whether each milestone shows a delete button (admins only).
    may_delete_milestones: bool,
    /// Shows that an admin just deleted a milestone.
    milestone_deleted: bool,
    /// The form recording the next milestone, for whoever may.
    pub(crate) milestone_form: Option<MilestoneForm>,
    /// Shows that a milestone was just recorded.
    milestone_recorded: bool,
    lists: Lists,
    /// What it supersedes and what superseded it.
    lineage: LineageView,
}

impl PledgePage {
    /// `PAK PAK-2023-001`, as the title and the withdrawal's questions name the pledge.
    fn pledge_key(&self) -> String {
        format!("{} {}", self.pledge.member_state, self.pledge.pledge_ref)
    }
}

/// Another pledge of the lineage, as the page links it.
pub(crate) struct LineageLink {
    id: i64,
    /// `ISO3:REF`.
    key: String,
    conference: String,
}

/// A pledge's place in its lineage, as the page shows it.
#[derive(Default)]
pub(crate) struct LineageView {
    /// `new`, `reaffirmed` or `upgraded`.
    class: String,
    /// The rule of that class, in words.
    rule: String,
    predecessor: Option<LineageLink>,
    successor: Option<LineageLink>,
}

impl LineageLink {
    fn of(p: &Pledge) -> Self {
        Self {
            id: p.id,
            key: p.key().to_string(),
            conference: p
                .conference
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        }
    }
}

/// The lineage of `pledge`, read from the store and classified by the domain.
async fn lineage_view(state: &AppState, pledge: &Pledge) -> Result<LineageView, ApiError> {
    let lineage = state.store.pledge_lineage(pledge).await?;
    let class = classify(pledge, lineage.predecessor.as_ref());
    Ok(LineageView {
        class: crate::i18n::current().t(&format!("lineage-{class}")),
        rule: crate::i18n::current().t(&format!("lineage-rule-{class}")),
        predecessor: lineage.predecessor.as_ref().map(LineageLink::of),
        successor: lineage.successor.as_ref().map(LineageLink::of),
    })
}

fn history_lines(versions: &[PledgeVersion]) -> Vec<HistoryLine> {
    let mut lines: Vec<HistoryLine> = versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let previous = i.checked_sub(1).and_then(|p| versions.get(p));
            HistoryLine {
                version: v.version,
                at: v.valid_from.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                by: v.changed_by.clone(),
                event: match VersionEvent::of_version(
                    previous.map(|p| p.status),
                    v.status,
                    v.reason.is_some(),
                ) {
                    VersionEvent::Changed => String::new(),
                    event => crate::i18n::current().t(&format!("history-event-{}", event.as_str())),
                },
                reason: v.reason.as_deref().map(reason_in_page_language),
                changes: previous.map_or_else(Vec::new, |p| {
                    changes(&p.values, &v.values)
                        .into_iter()
                        .map(|c| FieldChange {
                            field: label_of(&c.field),
                            before: value_of(&c.field, c.before),
                            after: value_of(&c.field, c.after),
                        })
                        .collect()
                }),
            }
        })
        .collect();
    lines.reverse();
    lines
}

/// Everything the page shows, with the form filled from `values`.
pub(crate) fn page(
    state: &AppState,
    actor: &Actor,
    pledge: Pledge,
    versions: &[PledgeVersion],
    milestones: &[Milestone],
    values: &FormValues,
    errors: &FieldErrors,
) -> PledgePage {
    let may_edit = actor.may_record_pledges().is_ok()
        && actor.may_write_pledge_of(&pledge.member_state).is_ok();
    let fields: Vec<Field> = edit_fields(pledge.status)
        .into_iter()
        .map(|f| f.filled(values, errors))
        .collect();
    let reinstate_to = (actor.may_administer().is_ok() && !pledge.status.is_active())
        .then(|| status_before_withdrawal(versions.iter().map(|v| v.status)).ok())
        .flatten();
    PledgePage {
        nav: Nav::of(actor),
        capability: crate::i18n::capability_name(
            &state.catalog(),
            pledge.capability.as_str(),
            crate::i18n::current(),
        ),
        renewal_due: pledge.renewal_due().to_string(),
        may_edit,
        may_withdraw: may_edit && pledge.status != PledgeStatus::Withdrawn,
        confirm_withdraw: false,
        reinstate_to,
        others: errors.others(&fields),
        fields,
        base_version: pledge.version,
        base_values: draft_values(&pledge.to_draft()).pairs().to_vec(),
        conflict: None,
        saved: false,
        history: history_lines(versions),
        milestones: timeline(milestones),
        may_delete_milestones: actor.may_administer().is_ok(),
        milestone_deleted: false,
        milestone_form: milestone_form(
            actor,
            &pledge,
            milestones,
            &FormValues::default(),
            &FieldErrors::default(),
        ),
        milestone_recorded: false,
        lists: Lists::of(&state.catalog()),
        lineage: LineageView::default(),
        pledge,
    }
}

/// `?saved` after an edit was saved, `?milestone` after a milestone was recorded,
/// `?milestone_deleted` after an admin deleted one.
#[derive(Deserialize)]
pub struct SavedFlag {
    saved: Option<String>,
    milestone: Option<String>,
    milestone_deleted: Option<String>,
}

/// The page of pledge `id` as stored now, its forms holding its values and no errors; with
/// its milestones, for a caller that shows them again.
pub(crate) async fn stored_page(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(PledgePage, Vec<Milestone>), ApiError> {
    let pledge = state.store.find_pledge(id).await?;
    let values = draft_values(&pledge.to_draft());
    let versions = state.store.pledge_history(id).await?;
    let milestones = state.store.pledge_milestones(id).await?;
    let lineage = lineage_view(state, &pledge).await?;
    let mut page = page(
        state,
        actor,
        pledge,
        &versions,
        &milestones,
        &values,
        &FieldErrors::default(),
    );
    page.lineage = lineage;
    Ok((page, milestones))
}

/// `GET /pledges/{id}`
pub async fn show_pledge(
    State(state): State<AppState>,
    PageUser(actor): PageUser,
    Path(id): Path<i64>,
    Query(flag): Query<SavedFlag>,
) -> Result<Response, PageError> {
    let (mut page, _) = stored_page(&state, &actor, id).await?;
    page.saved = flag.saved.is_some();
    page.milestone_recorded = flag.milestone.is_some();
    page.milestone_deleted = flag.milestone_deleted.is_some();
    Ok(render(&page))
}

/// The version a form was based on: its hidden `version` field.
pub(crate) fn base_version(values: &FormValues) -> Result<i32, ApiError> {
    values
        .get("version")
        .parse()
        .map_err(|_| ApiError::BadRequest("the form lost its version: reload the page".into()))
}

/// The page again after a change that was not saved, with the planner's values kept. When a
/// colleague saved meanwhile, the planner's changes are merged onto theirs and the form is
/// based on their version: saving again applies only what the planner changed.
pub(crate) async fn refused(
    state: &AppState,
    actor: &Actor,
    id: i64,
    values: &FormValues,
    error: ApiError,
    based_on: i32,
) -> Result<Response, PageError> {
    let (status, errors) = match error {
        ApiError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        ApiError::Forbidden(detail) => {
            (StatusCode::FORBIDDEN, vec![FieldError::new("", "", detail)])
        }
        ApiError::PreconditionFailed { .. } => (StatusCode::CONFLICT, Vec::new()),
        other => return Err(other.into()),
    };
    let pledge = state.store.find_pledge(id).await?;
    let versions = state.store.pledge_history(id).await?;
    let milestones = state.store.pledge_milestones(id).await?;
    let lineage = lineage_view(state, &pledge).await?;
    if pledge.version == based_on {
        let mut page = page(
            state,
            actor,
            pledge,
            &versions,
            &milestones,
            values,
            &FieldErrors::new(errors),
        );
        page.lineage = lineage;
        return Ok((status, render(&page)).into_response());
    }
    let theirs = draft_values(&pledge.to_draft());
    let merge = merge_edit(
        theirs.pairs(),
        |f| values.find(&format!("base.{f}")).map(str::to_owned),
        |f| values.find(f).map(str::to_owned),
    );
    let kept = merge
        .kept_theirs
        .iter()
        .map(|f| FieldChange {
            field: label_of(f),
            before: or_dash(values.get(&format!("base.{f}"))),
            after: or_dash(theirs.get(f)),
        })
        .collect();
    let now = versions.last();
    let conflict = Conflict {
        by: now.map(|v| v.changed_by.clone()).unwrap_or_default(),
        at: now
            .map(|v| v.valid_from.format("%Y-%m-%d %H:%M:%S UTC").to_string())
            .unwrap_or_default(),
        kept,
        both: merge.conflicts.into_iter().map(BothChanged::of).collect(),
    };
    let merged = FormValues::new(merge.values);
    let mut page = page(
        state,
        actor,
        pledge,
        &versions,
        &milestones,
        &merged,
        &FieldErrors::new(errors),
    );
    page.conflict = Some(conflict);
    page.lineage = lineage;
    Ok((StatusCode::CONFLICT, render(&page)).into_response())
}

/// The planner's choices for fields both changed: `resolve.F=theirs` puts back the value of
/// the version the form is based on (the colleague's, after a conflict).
fn with_choices(mut values: FormValues) -> FormValues {
    let theirs: Vec<String> = values
        .pairs()
        .iter()
        .filter(|(n, v)| n.starts_with("resolve.") && v == "theirs")
        .map(|(n, _)| n.trim_start_matches("resolve.").to_owned())
        .collect();
    for field in theirs {
        let value = values.get(&format!("base.{field}")).to_owned();
        values.set(&field, value);
    }
    values
}

/// `POST /pledges/{id}`: saves an edit made on version `version` of the pledge.
pub async fn edit_pledge(
    State(state): State<AppState>,
    PageWriter(actor): PageWriter,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = with_choices(FormValues::new(pairs));
    let based_on = base_version(&values)?;
    let current = state.store.find_pledge(id).await?;
    let (draft, unread) = values.read_pledge(current.to_draft());
    // Fields that cannot even be read (a quantity of "ten") are reported with every other
    // mistake, and nothing is saved.
    let result = if unread.is_empty() {
        change_pledge(&state, &actor, id, Some(based_on), "update", |draft| {
            values.read_pledge(draft).0
        })
        .await
    } else {
        let checked = draft.validate_change(&state.catalog(), &current);
        Err(ApiError::Invalid(
            every_error(unread, checked).err().unwrap_or_default(),
        ))
    };
    match result {
        Ok(p) => Ok(Redirect::to(&format!("/pledges/{}?saved", p.id)).into_response()),
        Err(e) => refused(&state, &actor, id, &values, e, based_on).await,
    }
}
