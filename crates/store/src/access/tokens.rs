//! API tokens: random secrets shown once, stored only as SHA-256 hashes.

use chrono::{DateTime, Utc};
use pledgeboard_domain::access::check_token_scope;
use pledgeboard_domain::{MemberStateCode, Role, message};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sha2::{Digest, Sha256};

use crate::clock::now;
use crate::entities::api_token;
use crate::{Store, StoreError};

/// Random bytes in a token: 256 bits, far beyond guessing.
const TOKEN_BYTES: usize = 32;
/// Every token starts with this, so a leaked one is easy to recognise in logs and scanners.
pub const TOKEN_PREFIX: &str = "pb_";

/// A token as listed: never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub member_state: Option<MemberStateCode>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub(crate) fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub(crate) fn new_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Other(format!("no randomness for a token: {e}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

fn to_info(m: api_token::Model) -> Result<TokenInfo, StoreError> {
    Ok(TokenInfo {
        id: m.id,
        name: m.name,
        role: m.role.parse()?,
        member_state: m
            .member_state
            .as_deref()
            .map(MemberStateCode::parse)
            .transpose()?,
        created_at: m.created_at,
        revoked_at: m.revoked_at,
    })
}

impl Store {
    /// Creates a token and returns it with its secret, which is not stored and cannot be
    /// shown again.
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        member_state: Option<MemberStateCode>,
    ) -> Result<(TokenInfo, String), StoreError> {
        check_token_scope(role, member_state.as_ref())
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(
                "a token needs a name, to tell who made each change".into(),
            ));
        }
        let secret = new_secret()?;
        let row = api_token::ActiveModel {
            id: NotSet,
            name: Set(name.to_owned()),
            role: Set(role.to_string()),
            member_state: Set(member_state.map(String::from)),
            token_hash: Set(hash(&secret)),
            created_at: Set(now()),
            revoked_at: Set(None),
        };
        let stored = api_token::Entity::insert(row)
            .exec_with_returning(&self.db)
            .await?;
        Ok((to_info(stored)?, secret))
    }

    /// Every token, oldest first (revoked ones too, marked).
    pub async fn list_tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        api_token::Entity::find()
            .order_by_asc(api_token::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_info)
            .collect()
    }

    /// Revokes a token by id; it stops working at once. Revoking twice is harmless.
    pub async fn revoke_token(&self, id: i64) -> Result<TokenInfo, StoreError> {
        let row = api_token::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(message!("err-missing-token", "token {id}", id = id))
            })?;
        if row.revoked_at.is_some() {
            return to_info(row);
        }
        let mut active: api_token::ActiveModel = row.into();
        active.revoked_at = Set(Some(now()));
        let updated = sea_orm::ActiveModelTrait::update(active, &self.db).await?;
        to_info(updated)
    }

    /// Whether any live token has the given name (used to create the demo admin once).
    pub async fn has_live_token_named(&self, name: &str) -> Result<bool, StoreError> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::Name.eq(name))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_and_long() {
        let s = new_secret().unwrap();
        assert!(s.starts_with(TOKEN_PREFIX));
        assert_eq!(s.len(), TOKEN_PREFIX.len() + TOKEN_BYTES * 2);
        assert_ne!(s, new_secret().unwrap());
    }

    #[test]
    fn the_hash_is_not_the_secret() {
        let s = new_secret().unwrap();
        assert!(!hash(&s).contains(&s[TOKEN_PREFIX.len()..]));
        assert_eq!(hash(&s), hash(&s));
    }
}
