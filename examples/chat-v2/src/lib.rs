//! A chat server written for the SpacetimeDB 2.x API: users with names and an online flag,
//! rooms, and messages. Tables are declared with `accessor` (and, for one, a canonical `name`),
//! reducers read the caller with `ctx.sender()`. Room invitations are keyed by a `Uuid`.
//! Procedures report on rooms from transactions of their own, one of them on a schedule.
//! Views give each client its own user row and rooms, and everyone the lobby and who is online.
//! An HTTP route reports the number of rooms.

use spacetimedb::{
    procedure, reducer, table, view, AnonymousViewContext, CaseConversionPolicy, CtxDbRead, Identity, ProcedureContext,
    Query, ReducerContext, ScheduleAt, SpacetimeType, Table, Timestamp, Uuid, ViewContext,
};

/// Canonical names are the snake_case of the source names (the default, stated).
#[spacetimedb::settings]
const CASE_CONVERSION_POLICY: CaseConversionPolicy = CaseConversionPolicy::SnakeCase;

/// Everyone who has ever connected.
#[table(accessor = user, public)]
pub struct User {
    #[primary_key]
    pub identity: Identity,
    pub name: Option<String>,
    pub online: bool,
}

/// How a message is shown.
#[derive(SpacetimeType, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    Plain,
    Shout,
}

/// Every message sent, with its author, room and time.
#[table(accessor = message, name = "chat_message", public, index(accessor = by_room, btree(columns = [room])))]
pub struct Message {
    #[primary_key]
    #[auto_inc]
    pub id: u64,
    pub sender: Identity,
    pub room: u32,
    pub sent: Timestamp,
    pub text: String,
    #[default(Style::Plain)]
    pub style: Style,
}

/// Chat rooms, found by their unique name.
#[table(accessor = room, public)]
pub struct Room {
    #[primary_key]
    #[auto_inc]
    pub id: u32,
    #[unique]
    pub name: String,
    #[index(hash)]
    pub owner: Identity,
}

/// Typing notices: an event table, whose rows last for their transaction only.
#[table(accessor = typing, public, event)]
pub struct Typing {
    pub who: Identity,
    pub room: u32,
}

/// Invitations to a room, each known by a time-ordered code.
#[table(accessor = invite, public)]
pub struct Invite {
    #[primary_key]
    pub code: Uuid,
    #[index(btree)]
    pub room: u32,
    pub by: Identity,
}

/// Creates the lobby.
#[reducer(init)]
pub fn init(ctx: &ReducerContext) {
    ctx.db.room().insert(Room { id: 0, name: "lobby".into(), owner: ctx.sender() });
}

/// Sets the caller's display name.
#[reducer]
pub fn set_name(ctx: &ReducerContext, name: String) -> Result<(), String> {
    if name.is_empty() {
        return Err("Names must not be empty".to_string());
    }
    let Some(user) = ctx.db.user().identity().find(ctx.sender()) else {
        return Err("Cannot set name for unknown user".to_string());
    };
    ctx.db.user().identity().update(User { name: Some(name), ..user });
    Ok(())
}

/// Opens a room owned by the caller.
#[reducer]
pub fn open_room(ctx: &ReducerContext, name: String) -> Result<(), String> {
    ctx.db.room().try_insert(Room { id: 0, name, owner: ctx.sender() }).map_err(|e| e.to_string())?;
    Ok(())
}

/// The token issuer whose users may moderate, and the audience that marks a moderator's token.
pub const MODERATION_ISSUER: &str = "https://auth.chat.example";
/// See [`MODERATION_ISSUER`].
pub const MODERATION_AUDIENCE: &str = "chat-moderation";

/// Removes a message: only for moderators, whose tokens come from [`MODERATION_ISSUER`] for the
/// [`MODERATION_AUDIENCE`].
#[reducer]
pub fn remove_message(ctx: &ReducerContext, id: u64) -> Result<(), String> {
    let Some(jwt) = ctx.sender_auth().jwt() else {
        return Err("Only signed-in moderators can remove messages".to_string());
    };
    if jwt.issuer() != MODERATION_ISSUER || !jwt.audience().iter().any(|a| a == MODERATION_AUDIENCE) {
        return Err(format!("{} is not a moderator", jwt.subject()));
    }
    if !ctx.db.message().id().delete(id) {
        return Err(format!("No message {id}"));
    }
    log::info!("{} removed message {id}", jwt.subject());
    Ok(())
}

/// Does nothing: a liveness check for clients (and the cheapest call there is).
#[reducer]
pub fn ping(_ctx: &ReducerContext) {}

/// Asks for a digest of `room` (posted by the `post_digest` procedure) `after_ms` milliseconds
/// from now.
#[reducer]
pub fn schedule_digest(ctx: &ReducerContext, room: u32, after_ms: u64) {
    let at = ctx.timestamp + std::time::Duration::from_millis(after_ms);
    ctx.db.digest().insert(Digest { scheduled_id: 0, scheduled_at: ScheduleAt::Time(at), room });
}

/// Posts a message from the caller to a room.
#[reducer(name = "post")]
pub fn send_message(ctx: &ReducerContext, room: u32, text: String, style: Style) -> Result<(), String> {
    if text.is_empty() {
        return Err("Messages must not be empty".to_string());
    }
    log::info!("{text}");
    ctx.db.message().insert(Message { id: 0, sender: ctx.sender(), room, sent: ctx.timestamp, text, style });
    Ok(())
}

/// Invites to a room the caller owns: a new code (UUID v7) for the room.
#[reducer]
pub fn invite_to(ctx: &ReducerContext, room: u32) -> Result<(), String> {
    match ctx.db.room().id().find(room) {
        Some(r) if r.owner == ctx.sender() => {}
        _ => return Err("Only a room's owner can invite to it".to_string()),
    }
    let code = ctx.new_uuid_v7().map_err(|e| e.to_string())?;
    ctx.db.invite().insert(Invite { code, room, by: ctx.sender() });
    Ok(())
}

/// Uses an invitation: the caller learns the room from the code, which is then spent.
#[reducer]
pub fn redeem(ctx: &ReducerContext, code: Uuid) -> Result<(), String> {
    let Some(invite) = ctx.db.invite().code().find(code) else {
        return Err(format!("No invitation {code}"));
    };
    ctx.db.invite().code().delete(invite.code);
    log::info!("{} joins room {}", ctx.sender(), invite.room);
    Ok(())
}

/// Announces that the caller is typing in a room.
#[reducer]
pub fn start_typing(ctx: &ReducerContext, room: u32) {
    ctx.db.typing().insert(Typing { who: ctx.sender(), room });
}

/// A client connected: mark them online, creating their user on first visit.
#[reducer(client_connected)]
pub fn client_connected(ctx: &ReducerContext) {
    match ctx.db.user().identity().find(ctx.sender()) {
        Some(user) => {
            ctx.db.user().identity().update(User { online: true, ..user });
        }
        None => {
            ctx.db.user().insert(User { name: None, identity: ctx.sender(), online: true });
        }
    }
}

/// A client disconnected: mark them offline.
#[reducer(client_disconnected)]
pub fn identity_disconnected(ctx: &ReducerContext) {
    if let Some(user) = ctx.db.user().identity().find(ctx.sender()) {
        ctx.db.user().identity().update(User { online: false, ..user });
    }
}

/// What `room_stats` reports.
#[derive(SpacetimeType, Clone, Debug, PartialEq)]
pub struct RoomStats {
    pub room: u32,
    pub messages: u64,
    pub invites: u64,
    pub at: Timestamp,
}

/// Counts a room's messages and open invitations, in a transaction of its own.
#[procedure]
pub fn room_stats(ctx: &mut ProcedureContext, room: u32) -> RoomStats {
    ctx.with_tx(|tx| RoomStats {
        room,
        messages: tx.db.message().by_room().filter(room).count() as u64,
        invites: tx.db.invite().room().filter(room).count() as u64,
        at: tx.timestamp,
    })
}

/// A fresh random code, as a caller would print it.
#[procedure(name = "fresh_code")]
pub fn new_code(ctx: &mut ProcedureContext) -> String {
    ctx.new_uuid_v4().expect("the generator does not fail").to_string()
}

/// Digests to post to a room, each run by `post_digest` at its time.
#[table(accessor = digest, scheduled(post_digest))]
pub struct Digest {
    #[primary_key]
    #[auto_inc]
    pub scheduled_id: u64,
    pub scheduled_at: ScheduleAt,
    pub room: u32,
}

/// Posts how many messages a room has, as a message from the database; gives up (rolling back)
/// if the room is gone.
#[procedure]
pub fn post_digest(ctx: &mut ProcedureContext, digest: Digest) {
    let room = digest.room;
    let posted: Result<(), String> = ctx.try_with_tx(|tx| {
        if tx.db.room().id().find(room).is_none() {
            return Err(format!("room {room} is gone"));
        }
        let count = tx.db.message().by_room().filter(room).count();
        let text = format!("{count} messages so far");
        let sender = tx.database_identity();
        tx.db.message().insert(Message { id: 0, sender, room, sent: tx.timestamp, text, style: Style::Plain });
        Ok(())
    });
    if let Err(e) = posted {
        log::warn!("no digest: {e}");
    }
}

/// Fetches the message of the day from `url` and posts it to `room` as the database; answers the
/// response's status code, or why nothing was posted.
#[procedure]
pub fn post_motd(ctx: &mut ProcedureContext, room: u32, url: String) -> Result<u16, String> {
    let response = ctx.http.get(url).map_err(|e| format!("no message of the day: {e}"))?;
    let status = response.status().as_u16();
    if status != 200 {
        return Err(format!("no message of the day: status {status}"));
    }
    let text = response.into_body().into_string_lossy();
    ctx.try_with_tx(|tx| {
        if tx.db.room().id().find(room).is_none() {
            return Err(format!("room {room} is gone"));
        }
        let sender = tx.database_identity();
        tx.db.message().insert(Message {
            id: 0,
            sender,
            room,
            sent: tx.timestamp,
            text: text.clone(),
            style: Style::Plain,
        });
        Ok(())
    })?;
    Ok(status)
}

/// Waits until `at`, then posts `text` to `room` as its caller; answers when it woke up.
#[procedure]
pub fn remind_at(ctx: &mut ProcedureContext, room: u32, at: Timestamp, text: String) -> Timestamp {
    ctx.sleep_until(at);
    let sender = ctx.sender();
    ctx.with_tx(|tx| {
        tx.db.message().insert(Message {
            id: 0,
            sender,
            room,
            sent: tx.timestamp,
            text: text.clone(),
            style: Style::Plain,
        });
    });
    ctx.timestamp
}

/// The caller's own user row, if they have connected.
#[view(accessor = my_user, public, primary_key = identity)]
pub fn my_user(ctx: &ViewContext) -> Option<User> {
    ctx.db.user().identity().find(ctx.sender())
}

/// The lobby's id, read through any context that can read the database.
fn lobby_id(ctx: &impl CtxDbRead) -> u32 {
    ctx.db_read_only().room().name().find("lobby".to_string()).map_or(0, |r| r.id)
}

/// The messages of the lobby, for everyone.
#[view(accessor = lobby_messages, public, primary_key = id)]
pub fn lobby_messages(ctx: &AnonymousViewContext) -> Vec<Message> {
    let lobby = lobby_id(ctx);
    ctx.db.message().by_room().filter(lobby).collect()
}

/// Who is online: a query the server runs and keeps up to date.
#[view(accessor = online_users, public)]
pub fn online_users(ctx: &AnonymousViewContext) -> impl Query<User> {
    ctx.from.user().r#where(|u| u.online)
}

/// The rooms the caller owns, under the canonical name `MyRooms`.
#[view(accessor = my_rooms, name = "MyRooms", public)]
pub fn rooms_i_own(ctx: &ViewContext) -> impl Query<Room> {
    ctx.from.room().r#where(|r| r.owner.eq(ctx.sender()))
}

/// The rooms the caller owns that have open invitations: a semijoin of invitations and rooms.
#[view(accessor = invited_rooms, public)]
pub fn invited_rooms(ctx: &ViewContext) -> impl Query<Room> {
    ctx.from
        .invite()
        .r#where(|i| i.by.eq(ctx.sender()))
        .right_semijoin(ctx.from.room(), |i, r| i.room.eq(r.id))
        .r#where(|r| r.name.ne("lobby".to_string()))
}

/// `GET /rooms`: how many rooms there are, as text.
#[spacetimedb::http::handler]
fn room_count(
    ctx: &mut spacetimedb::http::HandlerContext,
    _request: spacetimedb::http::Request,
) -> spacetimedb::http::Response {
    let count = ctx.with_tx(|tx| tx.db.room().count());
    spacetimedb::http::Response::new(spacetimedb::http::Body::from_bytes(count.to_string()))
}

/// `POST /echo`: answers 201 with what it received — the method, the last segment of the
/// path, and the body — and the `x-note` header back as `x-echo`. A body of `panic` makes it
/// panic (the client gets a 500).
#[spacetimedb::http::handler]
fn echo(
    _ctx: &mut spacetimedb::http::HandlerContext,
    request: spacetimedb::http::Request,
) -> spacetimedb::http::Response {
    let note = request.headers().get("x-note").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let method = request.method().to_string();
    let last = request.uri().path().rsplit('/').next().unwrap_or("").to_owned();
    let body = request.into_body().into_string_lossy();
    if body == "panic" {
        panic!("echo was asked to panic");
    }
    spacetimedb::http::Response::builder()
        .status(201)
        .header("x-echo", note)
        .body(spacetimedb::http::Body::from_bytes(format!("{method} {last} {body}")))
        .expect("a valid response")
}

/// The module's HTTP routes.
#[spacetimedb::http::router]
fn router() -> spacetimedb::http::Router {
    spacetimedb::http::Router::new()
        .get("/rooms", room_count)
        .post("/echo", echo)
        .nest("/v1", spacetimedb::http::Router::new().any("/count", room_count))
}
