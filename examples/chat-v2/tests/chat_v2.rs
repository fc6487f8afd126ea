//! The 2.x chat module (`RawModuleDef::V10`) run natively through `TestDb`: connecting, names,
//! rooms (a unique name, a hash index on the owner), messages (a canonical table name that
//! differs from its accessor, a column default), and typing notices in an event table, whose rows
//! are in a call's outcome and never in the database.

use chat_v2::{message, room, typing, user, Message, Room, Style, Typing, User};
use spacetimedb::{Identity, Table};
use std::ops::Bound;
use worldtube_abi::{Host, HostError, IndexPrefix, RowIterAdvance};
use worldtube_lib::algebraic::AlgebraicValue;
use worldtube_lib::bsatn;
use worldtube_lib::raw_def::Lifecycle;
use worldtube_testing::host::schema::{Generation, IndexKind, ModuleDef, ScheduleTarget};
use worldtube_testing::{json, CallError, TestDb};

fn user_row(db: &mut TestDb, who: Identity) -> Option<User> {
    db.read(|ctx| ctx.db.user().identity().find(who))
}

/// `post`'s JSON arguments: room, text, style.
fn post(room: u32, text: &str, style: &str) -> String {
    json!([room, text, { style: [] }]).to_string()
}

// --- the definition -----------------------------------------------------------------------------

#[test]
fn the_module_installs_as_a_2x_module_under_canonical_names() {
    let mut db = TestDb::new();
    let schema = db.engine().schema().clone();
    assert_eq!(schema.generation(), Generation::V10);
    assert!(matches!(schema.module_def(), ModuleDef::V10(_)));
    let tables: Vec<(&str, Option<&str>, bool)> =
        schema.tables().iter().map(|t| (t.name.as_str(), t.accessor_name.as_deref(), t.is_event)).collect();
    assert_eq!(
        tables,
        [
            ("digest", Some("digest"), false),
            ("invite", Some("invite"), false),
            ("chat_message", Some("message"), false),
            ("room", Some("room"), false),
            ("typing", Some("typing"), true),
            ("user", Some("user"), false),
        ]
    );
    // `digest`'s schedule calls a procedure.
    let digest = schema.table_by_name("digest").and_then(|t| t.schedule.as_ref()).expect("a schedule table");
    let post_digest = schema.procedure_id("post_digest").expect("a procedure");
    assert_eq!(digest.target, ScheduleTarget::Procedure(post_digest));
    let reducers: Vec<(&str, Option<Lifecycle>)> =
        schema.reducers().iter().map(|r| (r.name.as_str(), r.lifecycle)).collect();
    assert!(reducers.contains(&("post", None)), "the explicit reducer name: {reducers:?}");
    assert!(reducers.contains(&("init", Some(Lifecycle::Init))), "{reducers:?}");
    assert!(reducers.contains(&("client_connected", Some(Lifecycle::OnConnect))), "{reducers:?}");
    assert!(reducers.contains(&("identity_disconnected", Some(Lifecycle::OnDisconnect))), "{reducers:?}");
    // The server's records name tables canonically, in name order.
    let created: Vec<&str> =
        db.logs().iter().map(|l| l.message.as_str()).filter(|m| m.starts_with("Creating table")).collect();
    assert_eq!(
        created,
        [
            "Creating table `chat_message`",
            "Creating table `digest`",
            "Creating table `invite`",
            "Creating table `room`",
            "Creating table `typing`",
            "Creating table `user`"
        ]
    );
}

#[test]
fn the_style_column_carries_its_default_value() {
    let mut db = TestDb::new();
    let schema = db.engine().schema().clone();
    let message = schema.table_by_name("chat_message").expect("the canonical name");
    let style = message.column_by_name("style").expect("a style column");
    assert_eq!(message.default_values.len(), 1);
    let (col, value) = &message.default_values[0];
    assert_eq!(*col, style.col);
    // `Style::Plain`: variant 0, no payload.
    assert!(matches!(value, AlgebraicValue::Sum(s) if s.tag == 0), "{value:?}");
    // Inserts still write every column: a default only fills rows a migration adds the column to.
    let alice = db.connect("alice");
    db.call_json(&alice, "post", &post(1, "hey", "shout")).assert_ok();
    assert_eq!(db.rows::<Message>("chat_message")[0].style, Style::Shout);
}

#[test]
fn tables_are_found_by_canonical_and_accessor_names() {
    let db = TestDb::new();
    assert_eq!(db.count("chat_message"), 0);
    assert_eq!(db.count("message"), 0, "the accessor is the server's alias for the table");
    assert_eq!(db.count("room"), 1, "init opened the lobby");
}

// --- connecting and names ---------------------------------------------------------------------

#[test]
fn connecting_creates_an_online_user_and_disconnecting_keeps_them_offline() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let user = user_row(&mut db, alice.identity()).expect("a user row");
    assert_eq!((user.name, user.online), (None, true));

    let left = db.disconnect(&alice);
    left.assert_ok();
    assert_eq!(left.reducer(), "identity_disconnected");
    assert!(!user_row(&mut db, alice.identity()).unwrap().online);

    db.connect_client(&alice).assert_ok();
    assert!(user_row(&mut db, alice.identity()).unwrap().online);
    assert_eq!(db.count("user"), 1);
}

#[test]
fn set_name_updates_the_callers_row_and_refuses_empty_names() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let outcome = db.call_json(&alice, "set_name", r#"["Alice"]"#);
    outcome.assert_ok();
    assert_eq!(outcome.deleted_json("user")[0]["name"], json!(null));
    assert_eq!(outcome.inserted_json("user")[0]["name"], json!("Alice"));
    assert_eq!(user_row(&mut db, alice.identity()).unwrap().name.as_deref(), Some("Alice"));

    let before = db.table_json("user");
    db.call_json(&alice, "set_name", r#"[""]"#).assert_err_eq("Names must not be empty");
    assert_eq!(db.table_json("user"), before, "a failed call changes nothing");

    // Someone who never connected has no user row.
    db.call_json(TestDb::identity("mallory"), "set_name", r#"["M"]"#).assert_err_eq("Cannot set name for unknown user");
}

// --- messages -------------------------------------------------------------------------------------

#[test]
fn posting_stores_messages_with_ids_times_and_styles() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let first = db.call_json(&alice, "post", &post(1, "hello", "plain"));
    first.assert_ok();
    assert!(first.logged("hello"));
    db.call_json(&bob, "post", &post(1, "HI", "shout")).assert_ok();

    let messages = db.rows::<Message>("chat_message");
    let summary: Vec<(u64, Identity, &str, Style)> =
        messages.iter().map(|m| (m.id, m.sender, m.text.as_str(), m.style)).collect();
    assert_eq!(summary, [(1, alice.identity(), "hello", Style::Plain), (2, bob.identity(), "HI", Style::Shout)]);
    assert_eq!(messages[0].sent, first.timestamp());
    let in_lobby = db.read(|ctx| ctx.db.message().by_room().filter(1u32).count());
    assert_eq!(in_lobby, 2);

    let before = db.table_json("chat_message");
    db.call_json(&alice, "post", &post(1, "", "plain")).assert_err_eq("Messages must not be empty");
    assert_eq!(db.table_json("chat_message"), before);
}

#[test]
fn the_reducer_goes_by_its_canonical_name_only() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    match db.try_call_json(&alice, "send_message", &post(1, "x", "plain")) {
        Err(CallError::NoSuchReducer(name)) => assert_eq!(name, "send_message"),
        other => panic!("{other:?}"),
    }
    match db.try_call_json(&alice, "init", "[]") {
        Err(e @ CallError::LifecycleReducer { .. }) => {
            assert_eq!(e.server_message(), "can't directly call special Init lifecycle reducer")
        }
        other => panic!("{other:?}"),
    }
}

// --- rooms: a unique name and a hash index ------------------------------------------------------

#[test]
fn room_names_are_unique_and_owners_are_found_through_the_hash_index() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    db.call_json(&alice, "open_room", r#"["games"]"#).assert_ok();
    db.call_json(&alice, "open_room", r#"["music"]"#).assert_ok();
    let before = db.table_json("room");
    let taken = db.call_json(&bob, "open_room", r#"["games"]"#);
    let error = taken.error().expect("the name is taken").to_owned();
    assert!(error.contains("room_name_key") || error.to_lowercase().contains("unique"), "{error}");
    assert_eq!(db.table_json("room"), before, "nothing changed");

    let schema = db.engine().schema().clone();
    let owner_index = schema.index_id("room_owner_idx_hash").expect("the hash index's canonical name");
    assert_eq!(schema.index(owner_index).unwrap().kind, IndexKind::Hash);

    // Through the host's point scan, the import a 2.x SDK's hash-index `filter` uses (the
    // official one's `PointIndex`); a range scan on the hash index is refused as on a 2.8 server.
    let owned = |db: &mut TestDb, who: Identity| {
        let (mut names, range) = db.engine().with_read_transaction(|mut host, _| {
            let index = host.index_id_from_name("room_owner_idx_hash").expect("found");
            let point = bsatn::to_vec(&who);
            let iter = host.datastore_index_scan_point_bsatn(index, &point).expect("a point scan");
            let mut buffer = vec![0u8; 64 * 1024];
            let written = match host.row_iter_bsatn_advance(iter, &mut buffer).expect("advanced") {
                RowIterAdvance::Exhausted { written } => written,
                other => panic!("{other:?}"),
            };
            let mut reader = bsatn::Reader::new(&buffer[..written]);
            let mut names = Vec::new();
            while reader.remaining() > 0 {
                let room: Room = bsatn::Decode::decode(&mut reader).expect("a room row");
                names.push(room.name);
            }
            let unbounded = bsatn::to_vec(&Bound::<Identity>::Unbounded);
            let range = host.datastore_index_scan_range_bsatn(
                index,
                IndexPrefix { bytes: &[], elems: 0 },
                &unbounded,
                &unbounded,
            );
            let range = match range {
                Err(HostError::Errno(e)) => e.code(),
                other => panic!("a range scan on a hash index: {other:?}"),
            };
            (host, Ok((names, range)))
        });
        assert_eq!(range, 10, "WRONG_INDEX_ALGO");
        names.sort();
        names
    };
    assert_eq!(owned(&mut db, alice.identity()), ["games", "music"]);
    assert!(owned(&mut db, bob.identity()).is_empty());
    assert_eq!(owned(&mut db, TestDb::identity("owner")), ["lobby"], "init ran as the owner");
    let by_name = db.read(|ctx| ctx.db.room().name().find("music".to_string()).map(|r| r.owner));
    assert_eq!(by_name, Some(alice.identity()));
}

// --- the event table ----------------------------------------------------------------------------

#[test]
fn typing_notices_are_in_the_outcome_and_never_in_the_database() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let outcome = db.call_json(&alice, "start_typing", "[1]");
    outcome.assert_ok();
    assert_eq!(outcome.inserted::<Typing>("typing").len(), 1);
    let row = &outcome.inserted::<Typing>("typing")[0];
    assert_eq!((row.who, row.room), (alice.identity(), 1));
    assert_eq!(outcome.inserted_json("typing"), json!([{ "who": alice.identity().to_hex(), "room": 1 }]));
    assert!(outcome.deleted_json("typing").as_array().is_some_and(|a| a.is_empty()));
    assert_eq!(db.count("typing"), 0, "event rows are not committed");
    assert_eq!(db.read(|ctx| ctx.db.typing().count()), 0);

    // The same notice again is new again: nothing was kept to make it a duplicate.
    let again = db.call_json(&alice, "start_typing", "[1]");
    assert_eq!(again.inserted::<Typing>("typing").len(), 1);
    assert_eq!(db.count("typing"), 0);
}

#[test]
fn a_failed_call_leaves_the_database_byte_identical() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call_json(&alice, "post", &post(1, "one", "plain")).assert_ok();
    let before = db.engine().datastore().dump();
    db.call_json(&alice, "open_room", r#"["lobby"]"#).error().expect("the lobby exists");
    db.call_json(&alice, "post", &post(1, "", "plain")).error().expect("empty");
    assert_eq!(db.engine().datastore().dump(), before);
}

#[test]
fn typed_calls_go_by_the_reducers_canonical_names() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<chat_v2::set_name>(&alice, ("Alice".to_string(),)).assert_ok();
    let sent = db.call::<chat_v2::send_message>(&alice, (1, "typed".to_string(), Style::Plain));
    sent.assert_ok();
    assert_eq!(sent.reducer(), "post");
    assert!(sent.is::<chat_v2::send_message>());
    assert_eq!(db.rows::<Message>("chat_message")[0].text, "typed");
}
