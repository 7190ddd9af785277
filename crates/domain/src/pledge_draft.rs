//! Turning a pledge as typed or imported into a valid [`NewPledge`], reporting every bad field.

use crate::message;
use chrono::NaiveDate;

use crate::error::FieldError;
use crate::lineage::{PledgeKey, check_supersedes_key};
use crate::personnel_estimate::PersonnelGiven;
use crate::pledge::{DurationMonths, check_partners};
use crate::{
    Catalog, DomainError, EquipmentLine, Lease, NewPledge, Partner, Pledge, PledgeRef,
    PledgeStatus, Quantity, Readiness, Usd,
};

/// Longest free-text field (caveats, notes) accepted.
pub const FREE_TEXT_MAX_CHARS: usize = 2_000;

/// A pledge as a person or a file gave it: loosely typed, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PledgeDraft {
    pub pledge_ref: String,
    pub member_state: String,
    pub capability: String,
    pub quantity: Option<i64>,
    /// `None` when left out: then estimated (see [`crate::personnel_estimate`]).
    pub personnel: Option<i64>,
    pub female_personnel: Option<i64>,
    /// A file's `personnel_estimated` column: the personnel given is the estimate it exported.
    pub personnel_estimated: bool,
    pub readiness: Option<String>,
    pub available_from: Option<String>,
    pub duration_months: Option<i64>,
    pub mission: Option<String>,
    pub conference: Option<String>,
    pub status: Option<String>,
    pub caveats: Option<String>,
    pub monthly_cost_usd: Option<String>,
    /// `ISO3:role` entries.
    pub partners: Vec<String>,
    pub equipment: Vec<EquipmentDraft>,
    pub notes: Option<String>,
    pub registered_on: Option<String>,
    pub renewed_on: Option<String>,
    /// The earlier pledge it re-announces, `ISO3:REF` (see [`crate::lineage`]).
    pub supersedes: Option<String>,
}

impl PledgeDraft {
    /// A partner as given in two parts (a state's code or name, and a role), written as the
    /// `ISO3:role` entry that [`PledgeDraft::partners`] holds: the form [`Partner`]'s `Display`
    /// writes and a CSV cell lists, read back (and checked) by validation.
    pub fn partner_entry(member_state: &str, role: &str) -> String {
        format!("{member_state}:{role}")
    }
}

/// One equipment line as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EquipmentDraft {
    pub category: String,
    pub description: String,
    pub quantity: Option<i64>,
    pub lease: String,
}

/// Parses a strict ISO date, `YYYY-MM-DD`; `05/06/2023` is refused rather than guessed.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, DomainError> {
    let t = text.trim().as_bytes();
    let shaped = t.len() == 10
        && t.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    // Read straight from the checked digits: a format string parsed per date (chrono's
    // `parse_from_str`) was a twentieth of a large import's reading time.
    let number = |digits: &[u8]| digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    shaped
        .then(|| {
            let year = i32::try_from(number(&t[0..4])).ok()?;
            NaiveDate::from_ymd_opt(year, number(&t[5..7]), number(&t[8..10]))
        })
        .flatten()
        .ok_or_else(|| {
            DomainError::invalid(message!(
                "err-date-shape",
                "'{text}' is not a date written YYYY-MM-DD (e.g. 2025-04-15)",
                text = text
            ))
        })
}

fn non_blank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Collects field errors while the draft is checked.
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn check<T>(&mut self, field: &str, value: &str, result: Result<T, DomainError>) -> Option<T> {
        result
            .map_err(|e| self.errors.push(FieldError::new(field, value, e)))
            .ok()
    }

    fn optional<T>(
        &mut self,
        field: &str,
        value: &Option<String>,
        parse: impl FnOnce(&str) -> Result<T, DomainError>,
    ) -> Option<Option<T>> {
        match non_blank(value) {
            None => Some(None),
            Some(v) => self.check(field, v, parse(v)).map(Some),
        }
    }

    fn text(&mut self, field: &str, value: &Option<String>) -> Option<Option<String>> {
        self.optional(field, value, |v| {
            if v.chars().count() > FREE_TEXT_MAX_CHARS {
                Err(DomainError::invalid(message!(
                    "err-text-too-long",
                    "{field} must be at most {max} characters",
                    field = field,
                    max = FREE_TEXT_MAX_CHARS
                )))
            } else {
                Ok(v.to_owned())
            }
        })
    }
}

fn number_text(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

impl PledgeDraft {
    /// Checks every field of a new pledge against the rules and the catalog; returns all errors
    /// at once.
    pub fn validate(&self, catalog: &Catalog) -> Result<NewPledge, Vec<FieldError>> {
        self.checked(catalog, None)
    }

    /// Checks a draft that changes `current` as [`PledgeDraft::validate`] does, except that the
    /// stored monthly cost may stay as it is even past [`crate::money::MAX_MONTHLY_COST_USD`]
    /// (it was recorded before the bound): a change that leaves the cost is not refused for
    /// it, and one that sets another cost is held to the bound.
    pub fn validate_change(
        &self,
        catalog: &Catalog,
        current: &Pledge,
    ) -> Result<NewPledge, Vec<FieldError>> {
        self.checked(catalog, current.monthly_cost_usd)
    }

    fn checked(
        &self,
        catalog: &Catalog,
        stored_cost: Option<Usd>,
    ) -> Result<NewPledge, Vec<FieldError>> {
        let mut c = Checker { errors: Vec::new() };
        let pledge_ref = c.check(
            "pledge_ref",
            &self.pledge_ref,
            PledgeRef::parse(&self.pledge_ref),
        );
        let member_state = c.check(
            "member_state",
            &self.member_state,
            match self.member_state.trim() {
                "" => Err(DomainError::invalid(message!(
                    "err-member-state-required",
                    "a member state is required"
                ))),
                s => catalog.member_state(s).map(|m| m.code.clone()),
            },
        );
        let capability = c.check(
            "capability",
            &self.capability,
            match self.capability.trim() {
                "" => Err(DomainError::invalid(message!(
                    "err-capability-required",
                    "a capability is required"
                ))),
                s => catalog.capability(s).map(|cap| cap.code.clone()),
            },
        );
        let quantity = c.check(
            "quantity",
            &number_text(self.quantity),
            self.quantity
                .ok_or_else(|| {
                    DomainError::invalid(message!(
                        "err-quantity-required",
                        "a quantity is required"
                    ))
                })
                .and_then(Quantity::new),
        );
        let given = PersonnelGiven {
            total: self.personnel,
            women: self.female_personnel,
            marked_estimated: self.personnel_estimated,
        };
        let personnel = given
            .resolve_in(catalog, capability.as_ref(), quantity)
            .map_err(|e| c.errors.push(e))
            .ok()
            .flatten();
        let readiness = c.optional("readiness", &self.readiness, str::parse::<Readiness>);
        let available_from = c.optional("available_from", &self.available_from, parse_iso_date);
        let duration_months = match self.duration_months {
            None => Some(None),
            Some(n) => c
                .check("duration_months", &n.to_string(), DurationMonths::new(n))
                .map(Some),
        };
        let mission = c.optional("mission", &self.mission, |m| {
            catalog.mission(m).map(|m| m.acronym.clone())
        });
        let conference = c.optional("conference", &self.conference, |x| {
            catalog.conference(x).map(|x| x.code.clone())
        });
        let status = c.optional("status", &self.status, str::parse::<PledgeStatus>);
        let caveats = c.text("caveats", &self.caveats);
        let notes = c.text("notes", &self.notes);
        let monthly_cost_usd = c.optional("monthly_cost_usd", &self.monthly_cost_usd, |v| {
            Usd::parse_monthly_cost(v, stored_cost)
        });
        let registered_on = c.optional("registered_on", &self.registered_on, parse_iso_date);
        let renewed_on = c.optional("renewed_on", &self.renewed_on, parse_iso_date);
        if let (Some(Some(reg)), Some(Some(ren))) = (registered_on, renewed_on)
            && ren < reg
        {
            c.errors.push(FieldError::new(
                "renewed_on",
                &ren.to_string(),
                message!(
                    "err-renewed-before-registered",
                    "a pledge cannot be renewed ({ren}) before it was registered ({reg})",
                    ren = ren,
                    reg = reg
                ),
            ));
        }
        let supersedes = c.optional("supersedes", &self.supersedes, |text| {
            let key = PledgeKey::parse(text, catalog)?;
            match (&member_state, &pledge_ref) {
                (Some(state), Some(own)) => check_supersedes_key(state, own, &key, catalog),
                _ => Ok(key.pledge_ref),
            }
        });
        let partners = self.partners_checked(&mut c, catalog, member_state.as_ref());
        let equipment = self.equipment_checked(&mut c);

        match (
            pledge_ref,
            member_state,
            capability,
            quantity,
            personnel,
            readiness,
            available_from,
            duration_months,
            mission,
            conference,
            status,
            caveats,
            notes,
            monthly_cost_usd,
            registered_on,
            renewed_on,
            supersedes,
            partners,
            equipment,
        ) {
            (
                Some(pledge_ref),
                Some(member_state),
                Some(capability),
                Some(quantity),
                Some(personnel),
                Some(readiness),
                Some(available_from),
                Some(duration_months),
                Some(mission),
                Some(conference),
                Some(status),
                Some(caveats),
                Some(notes),
                Some(monthly_cost_usd),
                Some(registered_on),
                Some(renewed_on),
                Some(supersedes),
                Some(partners),
                Some(equipment),
            ) if c.errors.is_empty() => Ok(NewPledge {
                pledge_ref,
                member_state,
                capability,
                quantity,
                personnel,
                readiness: readiness.unwrap_or(Readiness::L1),
                available_from,
                duration_months,
                mission,
                conference,
                status: status.unwrap_or(PledgeStatus::Pledged),
                caveats,
                monthly_cost_usd,
                partners,
                equipment,
                notes,
                registered_on,
                renewed_on,
                supersedes,
            }),
            _ => Err(c.errors),
        }
    }

    fn partners_checked(
        &self,
        c: &mut Checker,
        catalog: &Catalog,
        lead: Option<&crate::MemberStateCode>,
    ) -> Option<Vec<Partner>> {
        let before = c.errors.len();
        let mut partners = Vec::with_capacity(self.partners.len());
        for entry in self
            .partners
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            let parsed = entry
                .split_once(':')
                .ok_or_else(|| {
                    DomainError::invalid(message!(
                        "err-partner-shape",
                        "partner '{entry}' should be written ISO3:role, e.g. JPN:equips",
                        entry = entry
                    ))
                })
                .and_then(|(state, role)| {
                    Ok(Partner {
                        member_state: catalog.member_state(state)?.code.clone(),
                        role: role.parse()?,
                    })
                });
            if let Some(p) = c.check("partners", entry, parsed) {
                partners.push(p);
            }
        }
        if let Some(lead) = lead {
            let joined = self.partners.join(";");
            c.check("partners", &joined, check_partners(lead, &partners));
        }
        (c.errors.len() == before).then_some(partners)
    }

    fn equipment_checked(&self, c: &mut Checker) -> Option<Vec<EquipmentLine>> {
        let before = c.errors.len();
        let mut lines = Vec::with_capacity(self.equipment.len());
        for (i, e) in self.equipment.iter().enumerate() {
            let field = |name: &str| format!("equipment[{i}].{name}");
            let category = c.check(
                &field("category"),
                &e.category,
                required_text(&e.category, "category"),
            );
            let description = c.check(
                &field("description"),
                &e.description,
                required_text(&e.description, "description"),
            );
            let quantity = c.check(
                &field("quantity"),
                &number_text(e.quantity),
                e.quantity
                    .ok_or_else(|| {
                        DomainError::invalid(message!(
                            "err-quantity-required",
                            "a quantity is required"
                        ))
                    })
                    .and_then(Quantity::new),
            );
            let lease = c.check(&field("lease"), &e.lease, e.lease.parse::<Lease>());
            if let (Some(category), Some(description), Some(quantity), Some(lease)) =
                (category, description, quantity, lease)
            {
                lines.push(EquipmentLine {
                    category,
                    description,
                    quantity,
                    lease,
                });
            }
        }
        (c.errors.len() == before).then_some(lines)
    }
}

/// An equipment line's `part` (`category`, `description`), which must be given.
fn required_text(value: &str, part: &str) -> Result<String, DomainError> {
    match value.trim() {
        "" => Err(DomainError::invalid(message!(
            "err-equipment-required",
            "an equipment {part} is required",
            part = part
        ))),
        v if v.chars().count() > FREE_TEXT_MAX_CHARS => Err(DomainError::invalid(message!(
            "err-equipment-too-long",
            "an equipment {part} must be at most {max} characters",
            part = part,
            max = FREE_TEXT_MAX_CHARS
        ))),
        v => Ok(v.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iso_dates_parse() {
        assert_eq!(
            parse_iso_date("2025-04-15").map(|d| d.to_string()),
            Ok("2025-04-15".into())
        );
    }

    #[test]
    fn ambiguous_or_malformed_dates_are_refused() {
        for bad in [
            "05/06/2023",
            "2023-6-5",
            "2023-02-30",
            "15.04.2025",
            "20250415",
            "",
        ] {
            assert!(parse_iso_date(bad).is_err(), "{bad}");
        }
    }

    fn catalog() -> Catalog {
        let capabilities = crate::reference_csv::parse_capabilities(include_str!(
            "../../../fixtures/capabilities.csv"
        ))
        .unwrap();
        Catalog::new(
            crate::MemberStates::load(),
            capabilities,
            vec![],
            vec![],
            vec![],
        )
    }

    fn draft(cost: &str) -> PledgeDraft {
        PledgeDraft {
            pledge_ref: "PAK-1".into(),
            member_state: "PAK".into(),
            capability: "INF-BN".into(),
            quantity: Some(1),
            monthly_cost_usd: Some(cost.into()),
            ..PledgeDraft::default()
        }
    }

    /// A pledge as stored before the bound, with `cents` as its monthly cost.
    fn stored_with_cost(cents: i64) -> Pledge {
        let new = draft("1.00").validate(&catalog()).unwrap();
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        Pledge {
            id: 1,
            pledge_ref: new.pledge_ref,
            member_state: new.member_state,
            capability: new.capability,
            category: crate::Category::Unit,
            quantity: new.quantity,
            personnel: new.personnel,
            readiness: new.readiness,
            available_from: new.available_from,
            duration_months: new.duration_months,
            mission: new.mission,
            conference: new.conference,
            status: new.status,
            caveats: new.caveats,
            monthly_cost_usd: Some(Usd::from_cents(cents).unwrap()),
            partners: new.partners,
            equipment: new.equipment,
            notes: new.notes,
            registered_on: at.date_naive(),
            renewed_on: None,
            supersedes: None,
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: "test".into(),
        }
    }

    fn cost_errors(result: Result<NewPledge, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_partner_entry_is_what_a_partner_displays_and_validation_reads() {
        let partner = Partner {
            member_state: crate::MemberStateCode::parse("JPN").unwrap(),
            role: crate::PartnerRole::Equips,
        };
        let entry = PledgeDraft::partner_entry("JPN", "equips");
        assert_eq!(entry, partner.to_string());
        let mut d = draft("1.00");
        d.partners = vec![entry, PledgeDraft::partner_entry("Korea", "trains")];
        let partners = d.validate(&catalog()).map(|p| p.partners);
        assert_eq!(
            partners.map(|p| crate::pledge::partners_text(&p)),
            Ok("JPN:equips;KOR:trains".into())
        );
    }

    #[test]
    fn a_refused_personnel_figure_is_reported_under_its_own_field() {
        let catalog = catalog();
        let fields = |personnel, female_personnel| {
            let mut d = draft("1.00");
            d.personnel = personnel;
            d.female_personnel = female_personnel;
            d.validate(&catalog)
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|e| (e.field, e.value))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(Some(-3), Some(1)),
            [("personnel".into(), "-3".into())]
        );
        assert_eq!(
            fields(Some(10), Some(11)),
            [("female_personnel".into(), "11".into())]
        );
        assert_eq!(
            fields(None, Some(2)),
            Vec::<(String, String)>::new(),
            "personnel left out is estimated (850 for an INF-BN), and 2 women fit"
        );
        assert_eq!(
            fields(None, Some(851)),
            [("female_personnel".into(), "851".into())]
        );
        assert_eq!(fields(Some(10), Some(3)), Vec::<(String, String)>::new());
    }

    #[test]
    fn a_monthly_cost_over_one_trillion_dollars_is_refused_naming_the_field() {
        let catalog = catalog();
        assert!(draft("1000000000000.00").validate(&catalog).is_ok());
        let errors = cost_errors(draft("1000000000000.01").validate(&catalog));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "monthly_cost_usd");
        assert!(
            errors[0]
                .1
                .contains("at most one trillion US dollars (1000000000000.00)")
        );
    }

    #[test]
    fn a_change_may_keep_a_stored_cost_past_the_bound_but_not_set_one() {
        let catalog = catalog();
        let current = stored_with_cost(9_000_000_000_000_000_000);
        let mut more = current.to_draft();
        more.quantity = Some(3);
        let next = more.validate_change(&catalog, &current).unwrap();
        assert_eq!(next.monthly_cost_usd, current.monthly_cost_usd);
        assert_eq!(next.quantity.get(), 3);
        assert_eq!(
            cost_errors(more.validate(&catalog))[0].0,
            "monthly_cost_usd",
            "a new pledge with that cost is refused"
        );

        let mut other = current.to_draft();
        other.monthly_cost_usd = Some("90000000000000000.01".into());
        assert_eq!(
            cost_errors(other.validate_change(&catalog, &current))[0].0,
            "monthly_cost_usd"
        );
        for allowed in [Some("2500.00"), None] {
            let mut lower = current.to_draft();
            lower.monthly_cost_usd = allowed.map(Into::into);
            let next = lower.validate_change(&catalog, &current).unwrap();
            assert_eq!(
                next.monthly_cost_usd.map(|u| u.to_string()),
                allowed.map(Into::into)
            );
        }
    }

    proptest! {
        #[test]
        fn date_parsing_never_panics(text in ".*") {
            let _ = parse_iso_date(&text);
        }

        #[test]
        fn dates_parse_as_chrono_reads_them(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let ours = parse_iso_date(&text).ok();
            prop_assert_eq!(ours, NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok());
        }

        #[test]
        fn every_day_of_four_digit_years_reads_back(days in 0i64..3_652_000) {
            let day = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default()
                + chrono::Duration::days(days);
            prop_assert_eq!(parse_iso_date(&day.format("%Y-%m-%d").to_string()), Ok(day));
        }
    }
}
