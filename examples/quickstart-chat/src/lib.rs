//! A chat server as a database module: users with names and an online flag, and messages.
//! Clients call `set_name` and `send_message`; connecting and disconnecting keep `online`
//! current.

use spacetimedb::{reducer, table, Identity, ReducerContext, Table, Timestamp};

/// Everyone who has ever connected.
#[table(name = user, public)]
pub struct User {
    #[primary_key]
    pub identity: Identity,
    pub name: Option<String>,
    pub online: bool,
}

/// Every message sent, with its author and time.
#[table(name = message, public)]
pub struct Message {
    pub sender: Identity,
    pub sent: Timestamp,
    pub text: String,
}

/// Sets the caller's display name.
#[reducer]
pub fn set_name(ctx: &ReducerContext, name: String) -> Result<(), String> {
    let name = validate_name(name)?;
    let Some(user) = ctx.db.user().identity().find(ctx.sender) else {
        return Err("Cannot set name for unknown user".to_string());
    };
    log::info!("{} is now known as {name}", ctx.sender);
    ctx.db.user().identity().update(User { name: Some(name), ..user });
    Ok(())
}

/// Names must contain something.
fn validate_name(name: String) -> Result<String, String> {
    if name.is_empty() {
        Err("Names must not be empty".to_string())
    } else {
        Ok(name)
    }
}

/// Posts a message from the caller.
#[reducer]
pub fn send_message(ctx: &ReducerContext, text: String) -> Result<(), String> {
    let text = validate_message(text)?;
    log::info!("{text}");
    ctx.db.message().insert(Message { sender: ctx.sender, text, sent: ctx.timestamp });
    Ok(())
}

/// Messages must contain something.
fn validate_message(text: String) -> Result<String, String> {
    if text.is_empty() {
        Err("Messages must not be empty".to_string())
    } else {
        Ok(text)
    }
}

/// A client connected: mark them online, creating their user on first visit.
#[reducer(client_connected)]
pub fn client_connected(ctx: &ReducerContext) {
    match ctx.db.user().identity().find(ctx.sender) {
        Some(user) => {
            ctx.db.user().identity().update(User { online: true, ..user });
        }
        None => {
            ctx.db.user().insert(User { name: None, identity: ctx.sender, online: true });
        }
    }
}

/// A client disconnected: mark them offline.
#[reducer(client_disconnected)]
pub fn identity_disconnected(ctx: &ReducerContext) {
    match ctx.db.user().identity().find(ctx.sender) {
        Some(user) => {
            ctx.db.user().identity().update(User { online: false, ..user });
        }
        None => log::warn!("Disconnect event for unknown user with identity {:?}", ctx.sender),
    }
}
