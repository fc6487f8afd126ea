//! Behaviour of the chat module, tested the way a client sees it: people connect, pick names,
//! send messages and leave. Every test builds its own database with `TestDb`; nothing is shared
//! between tests, so they run in parallel.

// Naming the module crate links its tables and reducers into this test binary.
use quickstart_chat::{send_message, set_name, user, Message, User};
use spacetimedb::{Identity, Table, Timestamp};
use std::time::Duration;
use worldtube_lib::raw_def::Lifecycle;
use worldtube_testing::{json, CallError, LogLevel, TestDb};

/// `set_name`'s arguments, typed.
fn name(name: &str) -> (String,) {
    (name.to_string(),)
}

/// `send_message`'s arguments, typed.
fn text(text: &str) -> (String,) {
    (text.to_string(),)
}

/// A user's row, read through the module's own accessor (`user`, the table's accessor trait).
fn user_row(db: &mut TestDb, who: Identity) -> Option<User> {
    db.read(|ctx| ctx.db.user().identity().find(who))
}

/// Every message as `(sender, text)`, in the order they were stored.
fn conversation(db: &TestDb) -> Vec<(Identity, String)> {
    db.rows::<Message>("message").into_iter().map(|m| (m.sender, m.text)).collect()
}

// --- connecting and disconnecting -------------------------------------------------------------

#[test]
fn first_connection_creates_an_online_user_without_a_name() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let user = user_row(&mut db, alice.identity()).expect("alice has a user row");
    assert_eq!(user.identity, alice.identity());
    assert_eq!(user.name, None);
    assert!(user.online);
}

#[test]
fn every_person_gets_their_own_user() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let carol = db.connect("carol");

    assert_eq!(db.count("user"), 3);
    let mut identities: Vec<Identity> = db.rows::<User>("user").into_iter().map(|u| u.identity).collect();
    identities.sort();
    let mut expected = vec![alice.identity(), bob.identity(), carol.identity()];
    expected.sort();
    assert_eq!(identities, expected);
}

#[test]
fn try_connect_accepts_everyone_and_names_the_client() {
    let mut db = TestDb::new();

    let dave = db.try_connect("dave").expect("the chat never rejects a connection");

    assert_eq!(dave.name(), "dave");
    assert_eq!(dave.identity(), TestDb::identity("dave"));
    assert!(user_row(&mut db, dave.identity()).unwrap().online);
}

#[test]
fn disconnecting_marks_the_user_offline_but_keeps_them() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");

    let left = db.disconnect(&bob);

    left.assert_ok();
    assert_eq!(left.reducer(), "identity_disconnected");
    // An update is a delete of the old row and an insert of the new one.
    let before: Vec<User> = left.deleted("user");
    let after: Vec<User> = left.inserted("user");
    assert_eq!((before.len(), after.len()), (1, 1));
    assert!(before[0].online);
    assert!(!after[0].online);
    assert_eq!(after[0].identity, bob.identity());

    assert!(!user_row(&mut db, bob.identity()).unwrap().online);
    assert!(user_row(&mut db, alice.identity()).unwrap().online, "others stay online");
    assert_eq!(db.count("user"), 2);
}

#[test]
fn reconnecting_brings_the_same_user_back_online_with_their_name() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<set_name>(&alice, name("Alice")).assert_ok();
    db.disconnect(&alice).assert_ok();

    let again = db.connect("alice");

    assert_eq!(again.identity(), alice.identity(), "same person, same identity");
    assert_ne!(again.connection_id(), alice.connection_id(), "but a new connection");
    let user = user_row(&mut db, alice.identity()).unwrap();
    assert!(user.online);
    assert_eq!(user.name.as_deref(), Some("Alice"));
    assert_eq!(db.count("user"), 1);
}

#[test]
fn disconnect_of_an_unknown_user_only_logs_a_warning() {
    let mut db = TestDb::new();
    let stranger = db.client("stranger"); // never connected

    let outcome = db.disconnect(&stranger);

    outcome.assert_ok();
    assert!(outcome.logged("Disconnect event for unknown user"));
    assert_eq!(outcome.logs()[0].level, LogLevel::Warn);
    assert_eq!(outcome.inserted_json("user"), json!([]));
    assert_eq!(db.count("user"), 0);
}

#[test]
fn set_name_names_the_caller() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<set_name>(&alice, name("Alice"));

    outcome.assert_ok();
    let renamed: Vec<User> = outcome.inserted("user");
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0].name.as_deref(), Some("Alice"));
    assert_eq!(user_row(&mut db, alice.identity()).unwrap().name.as_deref(), Some("Alice"));
}

#[test]
fn set_name_changes_only_the_callers_name() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");

    db.call::<set_name>(&alice, name("Alice")).assert_ok();

    assert_eq!(user_row(&mut db, bob.identity()).unwrap().name, None);
}

#[test]
fn renaming_replaces_the_old_name() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<set_name>(&alice, name("Alice")).assert_ok();

    let outcome = db.call::<set_name>(&alice, name("Queen Alice"));

    assert_eq!(outcome.deleted_json("user")[0]["name"], "Alice");
    assert_eq!(outcome.inserted_json("user")[0]["name"], "Queen Alice");
    assert_eq!(db.count("user"), 1);
}

#[test]
fn set_name_logs_who_is_now_known_as_what() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<set_name>(&alice, name("Alice"));

    let expected = format!("{} is now known as Alice", alice.identity());
    assert!(outcome.logged(&expected), "log was {:?}", outcome.logs());
    assert_eq!(outcome.logs()[0].level, LogLevel::Info);
    assert!(db.logs().iter().any(|l| l.message == expected), "the database keeps every call's log");
}

#[test]
fn an_empty_name_is_rejected() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<set_name>(&alice, name(""));

    outcome.assert_err("Names must not be empty");
    assert_eq!(outcome.error(), Some("Names must not be empty"));
    assert_eq!(outcome.result(), Err("Names must not be empty".to_string()));
    assert!(!outcome.panicked());
    assert_eq!(user_row(&mut db, alice.identity()).unwrap().name, None);
}

#[test]
fn a_rejected_call_is_logged_as_an_error_under_the_reducers_name() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<set_name>(&alice, name(""));

    let record = outcome.logs().last().expect("the host logs the error");
    assert_eq!(record.level, LogLevel::Error);
    assert_eq!(record.target.as_deref(), Some("set_name"));
    assert_eq!(record.message, "Names must not be empty");
}

#[test]
fn someone_who_never_connected_cannot_set_a_name() {
    let mut db = TestDb::new();
    db.connect("alice");
    // A bare identity calls without a connection (as over HTTP) and without ever connecting.
    let mallory = TestDb::identity("mallory");

    let outcome = db.call::<set_name>(mallory, name("Mallory"));

    assert_eq!(outcome.error(), Some("Cannot set name for unknown user"));
    assert!(user_row(&mut db, mallory).is_none());
    assert_eq!(db.count("user"), 1);
}

#[test]
fn set_name_can_be_called_by_name_with_json_arguments() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");

    db.call_json(&alice, "set_name", r#"["Alice"]"#).assert_ok(); // positional
    db.call_json(&bob, "set_name", r#"{"name": "Bob"}"#).assert_ok(); // by parameter name

    let mut names: Vec<_> = db.table_json("user").as_array().unwrap().iter().map(|u| u["name"].clone()).collect();
    names.sort_by_key(|n| n.to_string());
    assert_eq!(names, vec![json!("Alice"), json!("Bob")]);
}

#[test]
fn json_calls_are_validated_too() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    db.call_json(&alice, "set_name", r#"[""]"#).assert_err("Names must not be empty");
}

#[test]
fn json_calls_to_unknown_reducers_or_with_wrong_arguments_are_refused_before_running() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let before = db.table_json("user");

    let unknown = db.try_call_json(&alice, "set_nickname", r#"["Al"]"#);
    let wrong_type = db.try_call_json(&alice, "set_name", "[42]");
    let too_many = db.try_call_json(&alice, "set_name", r#"["Al", "ice"]"#);
    let not_json = db.try_call_json(&alice, "set_name", "[Alice]");

    assert!(matches!(unknown, Err(CallError::NoSuchReducer(r)) if r == "set_nickname"));
    for refused in [wrong_type, too_many, not_json] {
        assert!(matches!(refused, Err(CallError::InvalidArguments { ref reducer, .. }) if reducer == "set_name"));
    }
    assert_eq!(db.table_json("user"), before);
}

// --- messages ---------------------------------------------------------------------------------

#[test]
fn send_message_stores_the_text_the_sender_and_the_time() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<send_message>(&alice, text("Hello, world!"));

    outcome.assert_ok();
    let sent: Vec<Message> = outcome.inserted("message");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].sender, alice.identity());
    assert_eq!(sent[0].text, "Hello, world!");
    assert_eq!(sent[0].sent, outcome.timestamp());
    assert_eq!(db.count("message"), 1);
}

#[test]
fn send_message_logs_the_text() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<send_message>(&alice, text("Hello, world!"));

    assert!(outcome.logged("Hello, world!"));
}

#[test]
fn an_empty_message_is_rejected_and_nothing_is_stored() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<send_message>(&alice, text(""));

    assert_eq!(outcome.error(), Some("Messages must not be empty"));
    assert!(outcome.inserted::<Message>("message").is_empty());
    assert_eq!(db.count("message"), 0);
}

#[test]
fn messages_can_be_sent_by_name_with_json_arguments() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call_json(&alice, "send_message", r#"{"text": "hi"}"#);

    outcome.assert_ok();
    let row = &outcome.inserted_json("message")[0];
    assert_eq!(row["text"], "hi");
    assert_eq!(row["sender"], alice.identity().to_hex());
    assert_eq!(row["sent"], outcome.timestamp().to_rfc3339().unwrap());
}

#[test]
fn a_conversation_between_three_people_is_kept_in_order() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let carol = db.connect("carol");

    db.call::<send_message>(&alice, text("hi all")).assert_ok();
    db.call::<send_message>(&bob, text("hey alice")).assert_ok();
    db.call::<send_message>(&carol, text("o/")).assert_ok();

    assert_eq!(
        conversation(&db),
        vec![
            (alice.identity(), "hi all".to_string()),
            (bob.identity(), "hey alice".to_string()),
            (carol.identity(), "o/".to_string()),
        ]
    );
    let times: Vec<Timestamp> = db.rows::<Message>("message").into_iter().map(|m| m.sent).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "each call gets a later timestamp: {times:?}");
}

#[test]
fn messages_from_someone_offline_are_still_accepted() {
    // The module does not check `online`: anyone may post, even without a user row.
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.disconnect(&alice).assert_ok();

    db.call::<send_message>(alice.identity(), text("posted over HTTP")).assert_ok();

    assert_eq!(conversation(&db), vec![(alice.identity(), "posted over HTTP".to_string())]);
}

// --- time -------------------------------------------------------------------------------------

#[test]
fn messages_are_stamped_with_the_database_clock() {
    let start = Timestamp::parse_from_rfc3339("2030-06-01T12:00:00Z").unwrap();
    let mut db = TestDb::builder().start_time(start).tick_per_call(Duration::ZERO).build();
    let alice = db.connect("alice");

    db.call::<send_message>(&alice, text("first")).assert_ok();
    db.call::<send_message>(&alice, text("same instant")).assert_ok();
    db.advance(Duration::from_secs(90));
    db.call::<send_message>(&alice, text("ninety seconds later")).assert_ok();

    let times: Vec<Timestamp> = db.rows::<Message>("message").into_iter().map(|m| m.sent).collect();
    assert_eq!(times, vec![start, start, start + Duration::from_secs(90)]);
    assert_eq!(db.now(), start + Duration::from_secs(90));
}

#[test]
fn each_call_moves_the_clock_on_by_a_microsecond_by_default() {
    let mut db = TestDb::new();
    let start = db.now();
    let alice = db.connect("alice");

    let sent = db.call::<send_message>(&alice, text("hi"));

    assert_eq!(sent.timestamp(), start + Duration::from_micros(1), "connect took the first microsecond");
    assert_eq!(db.now(), start + Duration::from_micros(2));
}

// --- rollback, snapshots ----------------------------------------------------------------------

#[test]
fn rejected_calls_leave_every_table_exactly_as_it_was() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    db.call::<set_name>(&alice, name("Alice")).assert_ok();
    db.call::<send_message>(&bob, text("hello")).assert_ok();
    let users = db.table_json("user");
    let messages = db.table_json("message");

    db.call::<set_name>(&bob, name("")).assert_err("Names must not be empty");
    db.call::<send_message>(&alice, text("")).assert_err("Messages must not be empty");
    db.call::<set_name>(TestDb::identity("nobody"), name("x")).assert_err("unknown user");

    assert_eq!(db.table_json("user"), users);
    assert_eq!(db.table_json("message"), messages);
}

#[test]
fn a_rejected_call_reports_no_changes() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<set_name>(&alice, name(""));

    assert_eq!(outcome.inserted_json("user"), json!([]));
    assert_eq!(outcome.deleted_json("user"), json!([]));
}

#[test]
fn restoring_a_snapshot_rewinds_rows_and_clock() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<send_message>(&alice, text("kept")).assert_ok();
    let saved = db.snapshot();
    let (saved_time, saved_users) = (db.now(), db.table_json("user"));

    let bob = db.connect("bob");
    db.call::<send_message>(&bob, text("forgotten")).assert_ok();
    db.advance(Duration::from_secs(60));
    db.restore(&saved);

    assert_eq!(conversation(&db), vec![(alice.identity(), "kept".to_string())]);
    assert_eq!(db.table_json("user"), saved_users);
    assert_eq!(db.now(), saved_time);
    assert!(user_row(&mut db, bob.identity()).is_none());
}

#[test]
fn a_snapshot_can_be_used_to_try_two_alternatives() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let fork = db.snapshot();

    db.call::<set_name>(&alice, name("Alice")).assert_ok();
    let first = user_row(&mut db, alice.identity()).unwrap().name;
    db.restore(&fork);
    db.call::<set_name>(&alice, name("Alicia")).assert_ok();
    let second = user_row(&mut db, alice.identity()).unwrap().name;

    assert_eq!(first.as_deref(), Some("Alice"));
    assert_eq!(second.as_deref(), Some("Alicia"));
}

// --- the module itself ------------------------------------------------------------------------

#[test]
fn the_module_has_a_user_and_a_message_table_both_public() {
    let db = TestDb::new();
    let def = db.module_def();

    let tables: Vec<&str> = def.tables.iter().map(|t| &*t.name).collect();
    assert_eq!(tables, ["message", "user"]); // sorted by name, as the official SDK describes them
    assert!(def.tables.iter().all(|t| t.table_access == worldtube_lib::raw_def::TableAccess::Public));
    assert!(def.tables.iter().all(|t| t.schedule.is_none()));
}

#[test]
fn the_module_has_two_reducers_and_two_lifecycle_hooks() {
    let db = TestDb::new();
    let def = db.module_def();

    let reducers: Vec<(&str, Option<Lifecycle>)> = def.reducers.iter().map(|r| (&*r.name, r.lifecycle)).collect();
    assert_eq!(
        reducers,
        [
            ("client_connected", Some(Lifecycle::OnConnect)),
            ("identity_disconnected", Some(Lifecycle::OnDisconnect)),
            ("send_message", None),
            ("set_name", None),
        ]
    );
}

#[test]
fn nothing_is_ever_scheduled() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<send_message>(&alice, text("hi")).assert_ok();

    assert_eq!(db.scheduled_count(), 0);
    assert!(db.run_scheduled().is_empty());
    assert!(db.advance(Duration::from_secs(3600)).is_empty());
}

#[test]
fn a_fresh_database_is_empty() {
    let mut db = TestDb::new();

    assert_eq!(db.table_json("user"), json!([]));
    assert_eq!(db.count("message"), 0);
    assert_eq!(db.read(|ctx| ctx.db.user().count()), 0);
}

#[test]
fn identities_are_the_same_in_every_database() {
    let mut one = TestDb::new();
    let mut two = TestDb::new();

    assert_eq!(one.connect("alice").identity(), two.connect("alice").identity());
    assert_ne!(TestDb::identity("alice"), TestDb::identity("bob"));
}

#[test]
fn lifecycle_reducers_cannot_be_called_like_ordinary_reducers() {
    let mut db = TestDb::new();
    let bob = db.client("bob");

    let refused = db.try_call_json(&bob, "client_connected", "[]");

    assert!(matches!(refused, Err(CallError::LifecycleReducer { lifecycle: Lifecycle::OnConnect, .. })));
    assert_eq!(db.count("user"), 0, "bob only gets a user by connecting");
}
