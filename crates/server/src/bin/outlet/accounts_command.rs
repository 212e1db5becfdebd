//! `outlet accounts`: create, list, disable and enable accounts, and reset their passwords.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use outlet_core::api::Role;
use outlet_server::accounts::{self, NewAccount};
use outlet_server::store;
use time::OffsetDateTime;

use crate::CliError;

#[derive(Args)]
pub struct AccountsArgs {
    /// Folder that contains the database. The server must not be running on it, because the database
    /// allows one process at a time (a PostgreSQL database given with --database has no such limit).
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    database: crate::database_arg::DatabaseArg,
    #[command(subcommand)]
    action: AccountsAction,
}

#[derive(Subcommand)]
enum AccountsAction {
    /// Create an account and print its generated initial password once.
    Create {
        /// The enforcement certificate number (letters, digits, '-'); stored in upper case.
        #[arg(long)]
        badge_no: String,
        /// The officer's name as it appears on inspection records.
        #[arg(long)]
        name: String,
        /// Jurisdiction: a 6-digit administrative division code; a city's code covers its districts.
        #[arg(long)]
        region: String,
        /// officer (reads cards, submits inspections) or admin (also manages accounts).
        #[arg(long)]
        role: Role,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Print every account: badge number, name, role, jurisdiction and state, one a line.
    List,
    /// Disable an account and revoke its login tokens.
    Disable {
        badge_no: String,
    },
    /// Enable a disabled account; its devices log in again.
    Enable {
        badge_no: String,
    },
    /// Give an account a new password (printed once) and revoke all its login tokens.
    ResetPassword {
        badge_no: String,
        /// Read the new password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

pub fn run(args: AccountsArgs) -> Result<(), CliError> {
    let store = store::open(&args.data_dir.join("db"), args.database.url())?;
    let now = OffsetDateTime::now_utc();

    match args.action {
        AccountsAction::Create { badge_no, name, region, role, password_stdin } => {
            let (password, generated) = choose_password(password_stdin)?;
            let new = NewAccount { badge_no, name, region, role };
            let account = accounts::create_account(store.as_ref(), &new, &password, now)?;
            println!("account {} created: {}, {}, jurisdiction {}", account.badge_no, account.name, account.role, account.region);
            if generated {
                println!("initial password (shown only now): {password}");
            }
        }
        AccountsAction::List => {
            for account in store.accounts()? {
                let state = match account.disabled_at {
                    Some(at) => format!("disabled {at}"),
                    None => "enabled".to_string(),
                };
                println!("{}\t{}\t{}\t{}\t{state}", account.badge_no, account.name, account.role, account.region);
            }
        }
        AccountsAction::Disable { badge_no } => {
            let account = accounts::set_disabled(store.as_ref(), &badge_no, true, now)?;
            println!("account {} disabled; its login tokens are revoked", account.badge_no);
        }
        AccountsAction::Enable { badge_no } => {
            let account = accounts::set_disabled(store.as_ref(), &badge_no, false, now)?;
            println!("account {} enabled; its devices must log in again", account.badge_no);
        }
        AccountsAction::ResetPassword { badge_no, password_stdin } => {
            let (password, generated) = choose_password(password_stdin)?;
            let account = accounts::reset_password(store.as_ref(), &badge_no, &password, now)?;
            println!("password of {} reset; its login tokens are revoked", account.badge_no);
            if generated {
                println!("new password (shown only now): {password}");
            }
        }
    }
    Ok(())
}

/// Reads the password from standard input's first line, or generates one. Returns it and whether it
/// was generated.
fn choose_password(from_stdin: bool) -> Result<(String, bool), CliError> {
    if !from_stdin {
        return Ok((accounts::generate_password()?, true));
    }

    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|source| CliError::Io { path: PathBuf::from("<stdin>"), source })?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err(CliError::Usage("--password-stdin read no password: write it on the first line of standard input".into()));
    }
    Ok((password, false))
}

/// Parses a token lifetime such as `7d`, `12h`, `30m` or `3600s` (a bare number is seconds).
pub fn parse_token_ttl(text: &str) -> Result<time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(split) => text.split_at(split),
        None => (text, "s"),
    };
    let invalid = || format!("{text:?} is not a lifetime: write a whole number with s, m, h or d, e.g. 7d or 12h");
    let count: i64 = number.parse().map_err(|_| invalid())?;
    let seconds_per_unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(invalid()),
    };
    if count <= 0 {
        return Err(format!("{text:?} is not a lifetime: it must be longer than 0"));
    }
    count.checked_mul(seconds_per_unit).map(time::Duration::seconds).ok_or_else(invalid)
}
