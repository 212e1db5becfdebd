//! `outlet keys`: list, rotate and retire the placard signing keys.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use outlet_server::keys::Keyring;
use outlet_server::placards;
use outlet_server::store;

use crate::CliError;

#[derive(Args)]
pub struct KeysArgs {
    /// Folder that contains the database and the placard signing keys.
    #[arg(long, default_value = "outlet-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    database: crate::database_arg::DatabaseArg,
    #[command(subcommand)]
    action: KeysAction,
}

#[derive(Subcommand)]
enum KeysAction {
    /// Print each key with its state.
    List,
    /// Create a new key that signs placards from now on; older keys keep verifying.
    Rotate,
    /// Retire a key so devices reject its placards, and list the placards to reprint.
    Retire {
        /// The key id, e.g. K1.
        key_id: String,
    },
}

pub fn run(args: KeysArgs) -> Result<(), CliError> {
    let mut keyring = Keyring::open(&args.data_dir)?;
    match args.action {
        KeysAction::List => {
            for entry in keyring.entries() {
                let state = match (entry.id == keyring.active_id(), entry.retired_at) {
                    (true, _) => "active".to_string(),
                    (false, Some(at)) => format!("retired {at}"),
                    (false, None) => "verifies only".to_string(),
                };
                println!("{}\tcreated {}\t{state}", entry.id, entry.created_at);
            }
        }
        KeysAction::Rotate => {
            let id = keyring.rotate()?;
            println!("{id} is now the active key; restart the server so devices receive it");
        }
        KeysAction::Retire { key_id } => {
            keyring.retire(&key_id)?;
            let store = store::open(&args.data_dir.join("db"), args.database.url())?;
            let affected = placards::signed_with(store.as_ref(), &key_id)?;
            println!("{key_id} is retired; restart the server so devices stop accepting it");
            println!("{} placards must be reprinted (outlet placard --reissue \"key {key_id} retired\" --outlet ...):", affected.len());
            for (outlet, serial) in affected {
                println!("{outlet}\tno. {serial}");
            }
        }
    }
    Ok(())
}
