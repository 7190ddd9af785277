//! Personnel left out is estimated, never silently 0: the capability's standard size × the
//! quantity, marked as an estimate until someone states a figure.
//!
//! A change starts from [`crate::Pledge::to_draft`], which leaves an estimated total out, so
//! a change of quantity re-estimates it and a stated figure ends the estimate.

use crate::error::FieldError;
use crate::message;
use crate::message::Message;
use crate::pledge::{PERSONNEL_MAX, Personnel, PersonnelFigure};
use crate::{CapabilityCode, Catalog, DomainError, Quantity};

/// What an estimate is made of: the capability and its standard personnel size, and the
/// quantity pledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EstimateBasis<'a> {
    pub capability: &'a str,
    pub standard_personnel: u32,
    pub quantity: Quantity,
}

impl EstimateBasis<'_> {
    /// Standard size × quantity, refused past [`PERSONNEL_MAX`].
    pub fn personnel(&self) -> Result<u32, DomainError> {
        u64::from(self.standard_personnel)
            .checked_mul(u64::from(self.quantity.get()))
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n <= PERSONNEL_MAX)
            .ok_or_else(|| {
                DomainError::invalid(message!(
                    "err-estimate-too-large",
                    "personnel was left out and its estimate ({quantity} × {size} for \
                     {capability}) is over {max}: state the personnel",
                    quantity = self.quantity.get(),
                    size = self.standard_personnel,
                    capability = self.capability,
                    max = PERSONNEL_MAX
                ))
            })
    }

    /// `estimate = quantity × size for capability`, as a message to quote in others.
    fn describe(&self, estimate: u32) -> Message {
        message!(
            "err-estimate-described",
            "{estimate} = {quantity} × {size} for {capability}",
            estimate = estimate,
            quantity = self.quantity.get(),
            size = self.standard_personnel,
            capability = self.capability
        )
    }
}

/// What a draft gives of personnel: the total and the women as typed (`None` when left
/// out), and whether a file marks the total as an estimate (its `personnel_estimated` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PersonnelGiven {
    pub total: Option<i64>,
    pub women: Option<i64>,
    pub marked_estimated: bool,
}

impl PersonnelGiven {
    /// [`resolve`]s these figures for a pledge of `capability` × `quantity` (each `None` when
    /// refused), looking the capability's standard size up in `catalog` only when the total is
    /// to be estimated: most files state personnel on every row.
    pub fn resolve_in(
        self,
        catalog: &Catalog,
        capability: Option<&CapabilityCode>,
        quantity: Option<Quantity>,
    ) -> Result<Option<Personnel>, FieldError> {
        let estimating = self.total.is_none() || self.marked_estimated;
        let basis = estimating
            .then_some(capability.zip(quantity))
            .flatten()
            .and_then(|(code, quantity)| {
                Some(EstimateBasis {
                    capability: code.as_str(),
                    standard_personnel: catalog.capability(code.as_str()).ok()?.standard_personnel,
                    quantity,
                })
            });
        resolve(self, basis)
    }
}

fn text(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The pledge's personnel: as stated, or estimated from `basis` when the total is left out
/// (or marked estimated and equal to the estimate). `Ok(None)` when the total is left out and
/// there is no basis (the capability or quantity is itself refused, and says so).
pub fn resolve(
    given: PersonnelGiven,
    basis: Option<EstimateBasis<'_>>,
) -> Result<Option<Personnel>, FieldError> {
    let women = given.women.unwrap_or(0);
    let stated = |total: i64| {
        Personnel::checked(total, women).map_err(|e| {
            let value = match e.figure {
                PersonnelFigure::Total => given.total,
                PersonnelFigure::Women => given.women,
            };
            FieldError::new(e.figure.field(), &text(value), e.error)
        })
    };
    match (given.total, basis) {
        (Some(total), _) if !given.marked_estimated => stated(total).map(Some),
        (Some(_), None) => Ok(None),
        (None, None) => Ok(None),
        (total, Some(basis)) => {
            let estimate = basis
                .personnel()
                .map_err(|e| FieldError::new("personnel", &text(total), e))?;
            if let Some(total) = total
                && total != i64::from(estimate)
            {
                return Err(FieldError::new(
                    "personnel",
                    &total.to_string(),
                    estimate_mismatch(total, basis.describe(estimate)),
                ));
            }
            match Personnel::checked(i64::from(estimate), women) {
                Ok(p) => Ok(Some(p.marked_estimated(true))),
                Err(e) if e.figure == PersonnelFigure::Women && women >= 0 => Err(FieldError::new(
                    "female_personnel",
                    &women.to_string(),
                    women_over_estimate(women, basis.describe(estimate)),
                )),
                Err(e) => Err(FieldError::new(
                    e.figure.field(),
                    &text(given.women),
                    e.error,
                )),
            }
        }
    }
}

/// A total marked estimated that is not the estimate; `described` is quoted inside.
fn estimate_mismatch(total: i64, described: Message) -> Message {
    let m = message!(
        "err-estimate-mismatch",
        "personnel {total} is marked as estimated, but the estimate is {estimate}: \
         leave personnel empty to estimate it, or set personnel_estimated to \
         false to state {total}",
        total = total,
        estimate = &described
    );
    m.quoting("estimate", described)
}

/// More women than the estimate; `described` is quoted inside.
fn women_over_estimate(women: i64, described: Message) -> Message {
    let m = message!(
        "err-women-over-estimate",
        "female personnel ({women}) cannot exceed the estimated personnel \
         ({estimate}): state the personnel",
        women = women,
        estimate = &described
    );
    m.quoting("estimate", described)
}

/// Reads a `personnel_estimated` cell: `true`/`false` (also `yes`/`no`, `1`/`0`), any case.
pub fn parse_marked_estimated(text: &str) -> Result<bool, DomainError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Ok(true),
        "false" | "no" | "0" | "" => Ok(false),
        other => Err(DomainError::invalid(message!(
            "err-estimated-flag",
            "personnel_estimated '{other}' should be true or false",
            other = other
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basis(quantity: i64) -> EstimateBasis<'static> {
        EstimateBasis {
            capability: "INF-BN",
            standard_personnel: 850,
            quantity: Quantity::new(quantity).unwrap(),
        }
    }

    fn given(total: Option<i64>, women: Option<i64>, marked: bool) -> PersonnelGiven {
        PersonnelGiven {
            total,
            women,
            marked_estimated: marked,
        }
    }

    fn figures(p: Result<Option<Personnel>, FieldError>) -> Option<(u32, u32, bool)> {
        p.ok()
            .flatten()
            .map(|p| (p.total(), p.women(), p.is_estimated()))
    }

    #[test]
    fn personnel_left_out_is_the_standard_size_times_the_quantity_marked_estimated() {
        assert_eq!(
            figures(resolve(given(None, None, false), Some(basis(2)))),
            Some((1700, 0, true))
        );
    }

    #[test]
    fn a_stated_figure_is_kept_and_not_an_estimate() {
        assert_eq!(
            figures(resolve(given(Some(800), Some(40), false), Some(basis(1)))),
            Some((800, 40, false))
        );
        assert_eq!(
            figures(resolve(given(Some(0), None, false), Some(basis(1)))),
            Some((0, 0, false)),
            "a stated 0 is a figure, not an omission"
        );
    }

    #[test]
    fn women_may_not_exceed_the_estimate() {
        assert_eq!(
            figures(resolve(given(None, Some(100), false), Some(basis(1)))),
            Some((850, 100, true))
        );
        let e = resolve(given(None, Some(900), false), Some(basis(1))).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.value.as_str()),
            ("female_personnel", "900")
        );
        assert!(
            e.message
                .contains("estimated personnel (850 = 1 × 850 for INF-BN)"),
            "{}",
            e.message
        );
        let e = resolve(given(None, Some(-1), false), Some(basis(1))).unwrap_err();
        assert_eq!(e.field, "female_personnel");
    }

    #[test]
    fn a_figure_marked_estimated_must_be_the_estimate() {
        assert_eq!(
            figures(resolve(given(Some(1700), None, true), Some(basis(2)))),
            Some((1700, 0, true)),
            "an exported estimate reads back as the estimate"
        );
        let e = resolve(given(Some(850), None, true), Some(basis(2))).unwrap_err();
        assert_eq!(e.field, "personnel");
        assert!(
            e.message.contains("the estimate is 1700 = 2 × 850"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_estimate_past_the_largest_figure_is_refused() {
        let e = resolve(given(None, None, false), Some(basis(1_000_000))).unwrap_err();
        assert_eq!(e.field, "personnel");
        assert!(e.message.contains("state the personnel"), "{}", e.message);
    }

    #[test]
    fn without_a_basis_nothing_is_estimated_and_nothing_is_added() {
        assert_eq!(resolve(given(None, Some(5), false), None), Ok(None));
        assert!(resolve(given(Some(-1), None, false), None).is_err());
    }

    fn catalog() -> crate::Catalog {
        let capabilities = crate::reference_csv::parse_capabilities(include_str!(
            "../../../fixtures/capabilities.csv"
        ))
        .unwrap();
        crate::Catalog::new(
            crate::MemberStates::load(),
            capabilities,
            vec![],
            vec![],
            vec![],
        )
    }

    /// A pledge stored from `draft`, as a change starts from it.
    fn stored(draft: crate::pledge_draft::PledgeDraft) -> crate::Pledge {
        let new = draft.validate(&catalog()).unwrap();
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        let first = crate::Pledge {
            id: 1,
            pledge_ref: new.pledge_ref.clone(),
            member_state: new.member_state.clone(),
            capability: new.capability.clone(),
            category: crate::Category::Unit,
            quantity: new.quantity,
            personnel: new.personnel,
            readiness: new.readiness,
            available_from: None,
            duration_months: None,
            mission: None,
            conference: None,
            status: new.status,
            caveats: None,
            monthly_cost_usd: None,
            partners: Vec::new(),
            equipment: Vec::new(),
            notes: None,
            registered_on: at.date_naive(),
            renewed_on: None,
            supersedes: None,
            version: 1,
            created_at: at,
            updated_at: at,
            updated_by: "test".into(),
        };
        first.next_version(&new, crate::Category::Unit, "test", at)
    }

    /// `current` changed by `edit` on its draft, as the API, the form and a re-import do.
    fn changed(
        current: &crate::Pledge,
        edit: impl FnOnce(&mut crate::pledge_draft::PledgeDraft),
    ) -> (u32, bool) {
        let mut draft = current.to_draft();
        edit(&mut draft);
        let next = draft.validate_change(&catalog(), current).unwrap();
        (next.personnel.total(), next.personnel.is_estimated())
    }

    #[test]
    fn an_estimate_follows_the_quantity_until_someone_states_a_figure() {
        let estimated = stored(crate::pledge_draft::PledgeDraft {
            pledge_ref: "PAK-1".into(),
            member_state: "PAK".into(),
            capability: "INF-BN".into(),
            quantity: Some(1),
            ..Default::default()
        });
        assert_eq!(
            estimated.to_draft().personnel,
            None,
            "an estimate is not a stated figure"
        );
        assert_eq!(changed(&estimated, |d| d.quantity = Some(3)), (2550, true));
        assert_eq!(
            changed(&estimated, |d| d.notes = Some("x".into())),
            (850, true)
        );
        assert_eq!(
            changed(&estimated, |d| d.personnel = Some(850)),
            (850, false),
            "stating the same figure ends the estimate"
        );
        let stated = stored(crate::pledge_draft::PledgeDraft {
            personnel: Some(800),
            ..estimated.to_draft()
        });
        assert_eq!(changed(&stated, |d| d.quantity = Some(3)), (800, false));
        assert_eq!(changed(&stated, |d| d.personnel = None), (850, true));
    }

    #[test]
    fn the_estimated_cell_reads_true_or_false() {
        for (cell, flag) in [
            ("true", true),
            ("Yes", true),
            ("1", true),
            ("FALSE", false),
            ("", false),
        ] {
            assert_eq!(parse_marked_estimated(cell), Ok(flag), "{cell}");
        }
        assert!(parse_marked_estimated("maybe").is_err());
    }
}
