//! The demo's accounts, with fixed passwords that the README lists. They exist only in data folders
//! served with `--demo`.

use outlet_core::api::Role;
use time::OffsetDateTime;

use super::{create_account, AccountError, NewAccount};
use crate::store::ServerStore;

/// Password of the demo officers.
pub const DEMO_OFFICER_PASSWORD: &str = "demo-officer";

/// Password of the demo administrator.
pub const DEMO_ADMIN_PASSWORD: &str = "demo-admin-pass";

/// The demo region, the city of every demo outlet.
pub const DEMO_REGION: &str = "350100";

/// Badge number, name and role of each demo account. The officers are the two an inspection needs.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 3] =
    [("35000001", "林执法", Role::Officer), ("35000002", "陈执法", Role::Officer), ("35009001", "示例管理员", Role::Admin)];

/// Creates the demo accounts that do not exist yet. Returns how many it created.
pub fn seed_accounts(store: &dyn ServerStore, now: OffsetDateTime) -> Result<usize, AccountError> {
    let mut created = 0;
    for (badge_no, name, role) in DEMO_ACCOUNTS {
        if store.account(badge_no)?.is_some() {
            continue;
        }
        let password = match role {
            Role::Officer => DEMO_OFFICER_PASSWORD,
            Role::Admin => DEMO_ADMIN_PASSWORD,
        };
        let new = NewAccount { badge_no: badge_no.into(), name: name.into(), region: DEMO_REGION.into(), role };
        create_account(store, &new, password, now)?;
        created += 1;
    }
    Ok(created)
}
