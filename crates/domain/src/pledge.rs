//! Pledges: one member state's offer of one capability, and the values a pledge is made of.

use crate::message;
use crate::message::Message;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::capability::word_enum;
use crate::renewal::renewal_due;
use crate::{
    CapabilityCode, Category, ConferenceCode, DomainError, MemberStateCode, MissionAcronym,
    PledgeStatus, Readiness, Usd,
};

/// A delegation's own reference for a pledge, unique within its member state.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PledgeRef(String);

/// Longest pledge reference accepted: long enough for any national numbering scheme.
pub const PLEDGE_REF_MAX_LEN: usize = 64;

impl PledgeRef {
    /// Trims and checks length; any printable text is allowed, as delegations number freely.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let r = text.trim();
        if r.is_empty() {
            return Err(DomainError::invalid(message!(
                "err-pledge-ref-required",
                "a pledge reference is required"
            )));
        }
        if r.chars().count() > PLEDGE_REF_MAX_LEN || r.chars().any(char::is_control) {
            return Err(DomainError::invalid(message!(
                "err-pledge-ref-too-long",
                "pledge reference '{r}' must be at most {max} printable characters",
                r = r,
                max = PLEDGE_REF_MAX_LEN
            )));
        }
        Ok(Self(r.to_owned()))
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PledgeRef {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PledgeRef> for String {
    fn from(r: PledgeRef) -> Self {
        r.0
    }
}

impl fmt::Display for PledgeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How many of a capability are pledged: a whole number of at least one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Quantity(u32);

/// Largest quantity accepted; no pledge offers a million of anything.
pub const QUANTITY_MAX: u32 = 1_000_000;

impl Quantity {
    /// Accepts 1..=[`QUANTITY_MAX`].
    pub fn new(n: i64) -> Result<Self, DomainError> {
        match u32::try_from(n) {
            Ok(q) if (1..=QUANTITY_MAX).contains(&q) => Ok(Self(q)),
            _ => Err(DomainError::invalid(message!(
                "err-quantity-range",
                "quantity must be a whole number from 1 to {max}, not {n}",
                max = QUANTITY_MAX,
                n = n
            ))),
        }
    }

    /// The quantity as a number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = DomainError;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<Quantity> for i64 {
    fn from(q: Quantity) -> Self {
        i64::from(q.0)
    }
}

/// Largest personnel figure accepted on one pledge.
pub const PERSONNEL_MAX: u32 = 1_000_000;

/// The people a pledge brings, and how many of them are women (never more than all of them);
/// `estimated` when nobody stated the total and it is the capability's standard size × the
/// quantity (see [`crate::personnel_estimate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Personnel {
    total: u32,
    women: u32,
    estimated: bool,
}

/// The figure of a [`Personnel`] that was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonnelFigure {
    /// Everyone: out of range.
    Total,
    /// The women: out of range, or more than everyone.
    Women,
}

impl PersonnelFigure {
    /// The field (and CSV column) that holds this figure.
    pub fn field(self) -> &'static str {
        match self {
            Self::Total => "personnel",
            Self::Women => "female_personnel",
        }
    }
}

/// Why personnel figures were refused, and which figure is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct PersonnelError {
    pub figure: PersonnelFigure,
    pub error: DomainError,
}

impl From<PersonnelError> for DomainError {
    fn from(e: PersonnelError) -> Self {
        e.error
    }
}

impl Personnel {
    /// Accepts 0..=[`PERSONNEL_MAX`] people with `women <= total`.
    pub fn new(total: i64, women: i64) -> Result<Self, DomainError> {
        Self::checked(total, women).map_err(Into::into)
    }

    /// As [`Personnel::new`], naming the figure refused: the total when it is out of range,
    /// else the women's figure.
    pub fn checked(total: i64, women: i64) -> Result<Self, PersonnelError> {
        let refuse = |figure, message: Message| PersonnelError {
            figure,
            error: DomainError::invalid(message),
        };
        let in_range = |n: i64| u32::try_from(n).ok().filter(|n| *n <= PERSONNEL_MAX);
        let total = in_range(total).ok_or_else(|| {
            refuse(
                PersonnelFigure::Total,
                message!(
                    "err-personnel-range",
                    "personnel must be a whole number from 0 to {max}, not {total}",
                    max = PERSONNEL_MAX,
                    total = total
                ),
            )
        })?;
        let women = in_range(women).ok_or_else(|| {
            refuse(
                PersonnelFigure::Women,
                message!(
                    "err-female-personnel-range",
                    "female personnel must be a whole number from 0 to {max}, not {women}",
                    max = PERSONNEL_MAX,
                    women = women
                ),
            )
        })?;
        if women > total {
            return Err(refuse(
                PersonnelFigure::Women,
                message!(
                    "err-female-over-total",
                    "female personnel ({women}) cannot exceed personnel ({total})",
                    women = women,
                    total = total
                ),
            ));
        }
        Ok(Self {
            total,
            women,
            estimated: false,
        })
    }

    /// The same figures, marked as an estimate (`true`) or as stated (`false`): how a stored
    /// pledge's flag is read back.
    pub fn marked_estimated(self, estimated: bool) -> Self {
        Self { estimated, ..self }
    }

    /// Whether the total is an estimate rather than a figure someone stated.
    pub fn is_estimated(self) -> bool {
        self.estimated
    }

    /// Everyone the pledge brings.
    pub fn total(self) -> u32 {
        self.total
    }

    /// The women among them.
    pub fn women(self) -> u32 {
        self.women
    }
}

/// How many months a pledged capability is offered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct DurationMonths(u8);

/// Longest offer accepted, in months (five years, the PCRS planning horizon).
pub const DURATION_MONTHS_MAX: u8 = 60;

impl DurationMonths {
    /// Accepts 1..=[`DURATION_MONTHS_MAX`].
    pub fn new(n: i64) -> Result<Self, DomainError> {
        match u8::try_from(n) {
            Ok(m) if (1..=DURATION_MONTHS_MAX).contains(&m) => Ok(Self(m)),
            _ => Err(DomainError::invalid(message!(
                "err-duration-range",
                "duration must be from 1 to {max} months, not {n}",
                max = DURATION_MONTHS_MAX,
                n = n
            ))),
        }
    }

    /// The number of months.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for DurationMonths {
    type Error = DomainError;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<DurationMonths> for i64 {
    fn from(m: DurationMonths) -> Self {
        i64::from(m.0)
    }
}

word_enum!(
    /// What a partner state does in a joint ("smart") pledge.
    PartnerRole, "partner role", {
        Trains => "trains",
        Equips => "equips",
        Funds => "funds",
        Deploys => "deploys",
    }
);

/// A partner state in a joint pledge, with its role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Partner {
    pub member_state: MemberStateCode,
    pub role: PartnerRole,
}

/// Checks partners against the lead: no partner twice, and the lead is not its own partner.
pub fn check_partners(lead: &MemberStateCode, partners: &[Partner]) -> Result<(), DomainError> {
    for (i, p) in partners.iter().enumerate() {
        if &p.member_state == lead {
            return Err(DomainError::invalid(message!(
                "err-partner-is-lead",
                "{lead} leads this pledge and cannot also be its partner",
                lead = lead
            )));
        }
        if partners[..i]
            .iter()
            .any(|q| q.member_state == p.member_state)
        {
            return Err(DomainError::invalid(message!(
                "err-partner-twice",
                "partner {partner} is listed twice",
                partner = &p.member_state
            )));
        }
    }
    Ok(())
}

word_enum!(
    /// Whether the UN reimburses equipment with maintenance (`wet`) or without (`dry`).
    Lease, "lease", {
        Wet => "wet",
        Dry => "dry",
    }
);

/// One line of a pledge's major-equipment list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EquipmentLine {
    pub category: String,
    pub description: String,
    pub quantity: Quantity,
    pub lease: Lease,
}

/// A pledge as entered, before it is stored: every field already valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPledge {
    pub pledge_ref: PledgeRef,
    pub member_state: MemberStateCode,
    pub capability: CapabilityCode,
    pub quantity: Quantity,
    pub personnel: Personnel,
    pub readiness: Readiness,
    pub available_from: Option<NaiveDate>,
    pub duration_months: Option<DurationMonths>,
    pub mission: Option<MissionAcronym>,
    pub conference: Option<ConferenceCode>,
    pub status: PledgeStatus,
    pub caveats: Option<String>,
    pub monthly_cost_usd: Option<Usd>,
    pub partners: Vec<Partner>,
    pub equipment: Vec<EquipmentLine>,
    pub notes: Option<String>,
    /// When the pledge was registered in PCRS; `None` means "the day it is recorded".
    pub registered_on: Option<NaiveDate>,
    pub renewed_on: Option<NaiveDate>,
    /// The earlier pledge of the same member state that this one re-announces
    /// (see [`crate::lineage`]).
    pub supersedes: Option<PledgeRef>,
}

/// A stored pledge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    pub id: i64,
    pub pledge_ref: PledgeRef,
    pub member_state: MemberStateCode,
    pub capability: CapabilityCode,
    pub category: Category,
    pub quantity: Quantity,
    pub personnel: Personnel,
    pub readiness: Readiness,
    pub available_from: Option<NaiveDate>,
    pub duration_months: Option<DurationMonths>,
    pub mission: Option<MissionAcronym>,
    pub conference: Option<ConferenceCode>,
    pub status: PledgeStatus,
    pub caveats: Option<String>,
    pub monthly_cost_usd: Option<Usd>,
    pub partners: Vec<Partner>,
    pub equipment: Vec<EquipmentLine>,
    pub notes: Option<String>,
    pub registered_on: NaiveDate,
    pub renewed_on: Option<NaiveDate>,
    /// The earlier pledge of the same member state that this one re-announces.
    pub supersedes: Option<PledgeRef>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The name of the token that made the current version.
    pub updated_by: String,
}

impl Pledge {
    /// The date its PCRS registration must next be renewed.
    pub fn renewal_due(&self) -> NaiveDate {
        renewal_due(self.registered_on, self.renewed_on)
    }

    /// The pledge this one supersedes, as `ISO3:REF`.
    pub fn supersedes_key(&self) -> Option<crate::lineage::PledgeKey> {
        self.supersedes
            .as_ref()
            .map(|pledge_ref| crate::lineage::PledgeKey {
                member_state: self.member_state.clone(),
                pledge_ref: pledge_ref.clone(),
            })
    }

    /// This pledge's own key, `ISO3:REF`.
    pub fn key(&self) -> crate::lineage::PledgeKey {
        crate::lineage::PledgeKey {
            member_state: self.member_state.clone(),
            pledge_ref: self.pledge_ref.clone(),
        }
    }
}

impl fmt::Display for Partner {
    /// `ISO3:role`, e.g. `JPN:equips`: the form [`Partner::from_str`] reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.member_state, self.role)
    }
}

/// Partners as `ISO3:role` entries joined by `;`, the CSV form (e.g. `JPN:equips;KOR:trains`).
pub fn partners_text(partners: &[Partner]) -> String {
    partners
        .iter()
        .map(Partner::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

impl FromStr for Partner {
    type Err = DomainError;

    /// Parses `ISO3:role`, e.g. `JPN:equips` (the state code must be checked against the catalog).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (state, role) = s.split_once(':').ok_or_else(|| {
            DomainError::invalid(message!(
                "err-partner-shape",
                "partner '{entry}' should be written ISO3:role, e.g. JPN:equips",
                entry = s
            ))
        })?;
        Ok(Self {
            member_state: MemberStateCode::parse(state)?,
            role: role.parse()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_personnel_figure_is_named() {
        let figure = |total, women| Personnel::checked(total, women).err().map(|e| e.figure);
        assert_eq!(figure(-1, 0), Some(PersonnelFigure::Total));
        assert_eq!(
            figure(-1, -1),
            Some(PersonnelFigure::Total),
            "the total first"
        );
        assert_eq!(figure(10, -1), Some(PersonnelFigure::Women));
        assert_eq!(figure(10, 11), Some(PersonnelFigure::Women));
        assert_eq!(figure(10, 10), None);
        assert_eq!(PersonnelFigure::Total.field(), "personnel");
        assert_eq!(PersonnelFigure::Women.field(), "female_personnel");
        let error = Personnel::checked(5, 6).err().map(DomainError::from);
        assert_eq!(
            error.map(|e| e.to_string()),
            Some("female personnel (6) cannot exceed personnel (5)".into())
        );
    }
    use proptest::prelude::*;

    #[test]
    fn female_personnel_above_personnel_is_rejected() {
        let err = Personnel::new(10, 11).unwrap_err();
        assert_eq!(
            err.to_string(),
            "female personnel (11) cannot exceed personnel (10)"
        );
    }

    #[test]
    fn quantity_zero_is_rejected() {
        assert!(Quantity::new(0).is_err());
        assert!(Quantity::new(1).is_ok());
    }

    #[test]
    fn duration_is_one_to_sixty_months() {
        assert!(DurationMonths::new(0).is_err());
        assert!(DurationMonths::new(60).is_ok());
        assert!(DurationMonths::new(61).is_err());
    }

    #[test]
    fn an_empty_pledge_ref_is_rejected() {
        assert!(PledgeRef::parse("  ").is_err());
    }

    #[test]
    fn the_lead_cannot_be_its_own_partner() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        let partners = vec!["PAK:trains".parse::<Partner>().unwrap()];
        assert!(check_partners(&pak, &partners).is_err());
    }

    #[test]
    fn a_partner_listed_twice_is_rejected() {
        let pak = MemberStateCode::parse("PAK").unwrap();
        let partners: Vec<Partner> = ["JPN:equips", "JPN:funds"]
            .iter()
            .map(|p| p.parse().unwrap())
            .collect();
        assert!(
            check_partners(&pak, &partners)
                .unwrap_err()
                .to_string()
                .contains("twice")
        );
    }

    #[test]
    fn partner_parsing_needs_a_role() {
        assert!("JPN".parse::<Partner>().is_err());
        assert!("JPN:pays".parse::<Partner>().is_err());
        assert_eq!(
            "jpn:Equips".parse::<Partner>().map(|p| p.role),
            Ok(PartnerRole::Equips)
        );
    }

    proptest! {
        #[test]
        fn personnel_accepts_exactly_women_up_to_total(total in -5i64..2000, women in -5i64..2000) {
            let ok = Personnel::new(total, women).is_ok();
            prop_assert_eq!(ok, total >= 0 && women >= 0 && women <= total);
        }
    }
}
