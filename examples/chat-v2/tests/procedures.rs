//! chat-v2's procedures run natively through `TestDb`: return values (typed and JSON), their own
//! transactions, reproducible random values, simulated HTTP, sleeping on the virtual clock, and
//! a procedure run by a schedule.

use std::time::Duration;

use chat_v2::{message, post_motd, remind_at, room, room_stats, Message, RoomStats};
use spacetimedb::{Table, Timestamp};
use worldtube_testing::host::http::HttpReply;
use worldtube_testing::{call_procedure, json, CallError, TestDb, DATABASE};

fn messages(db: &mut TestDb) -> Vec<Message> {
    db.read(|ctx| ctx.db.message().iter().collect())
}

fn lobby(db: &mut TestDb) -> u32 {
    db.read(|ctx| ctx.db.room().name().find("lobby".to_string()).expect("init made the lobby").id)
}

#[test]
fn a_procedure_returns_its_value_typed_and_as_json() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = lobby(&mut db);
    db.call_json(&alice, "post", &json!([lobby, "hi", { "plain": [] }]).to_string()).assert_ok();

    let stats = call_procedure!(db, &alice, room_stats(lobby));
    stats.assert_ok();
    let RoomStats { room, messages, invites, at } = stats.returned();
    assert_eq!((room, messages, invites), (lobby, 1, 0));
    // Its transaction starts at the procedure's time.
    assert_eq!(at, stats.timestamp());
    assert_eq!(stats.commits(), 1, "with_tx commits even when it changed nothing");

    let as_json = db.call_procedure_json(&alice, "room_stats", &format!("[{lobby}]"));
    assert_eq!(as_json.returned_json()["messages"], 1);
}

#[test]
fn unknown_private_and_badly_called_procedures_are_refused() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    assert_eq!(
        db.try_call_procedure_json(&alice, "no_such", "[]").unwrap_err(),
        CallError::NoSuchProcedure("no_such".into())
    );
    assert_eq!(CallError::NoSuchProcedure("x".into()).server_message(), "No such procedure");
    // A schedule's target is not for clients.
    assert!(matches!(
        db.try_call_procedure_json(
            &alice,
            "post_digest",
            r#"[{"scheduled_id": 1, "scheduled_at": {"Time": 0}, "room": 1}]"#
        ),
        Err(CallError::NoSuchProcedure(_))
    ));
    let bad = db.try_call_procedure_json(&alice, "room_stats", r#"["seven"]"#).unwrap_err();
    assert!(bad.server_message().starts_with("invalid arguments for procedure room_stats: "), "{bad}");
    // The canonical name only: `new_code` is called `fresh_code`.
    assert!(db.try_call_procedure_json(&alice, "new_code", "[]").is_err());
    db.call_procedure_json(&alice, "fresh_code", "[]").assert_ok();
}

#[test]
fn random_values_are_reproducible_from_the_clock() {
    let code = |db: &mut TestDb| {
        let alice = db.connect("alice");
        db.call_procedure_json(&alice, "fresh_code", "[]").returned::<String>()
    };
    let (first, again) = (code(&mut TestDb::new()), code(&mut TestDb::new()));
    assert_eq!(first, again, "same seed (the call's time), same code");
    assert_eq!(first.len(), 36);
    assert_eq!(&first[14..15], "4", "a version 4 UUID: {first}");
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let one = db.call_procedure_json(&alice, "fresh_code", "[]").returned::<String>();
    let two = db.call_procedure_json(&alice, "fresh_code", "[]").returned::<String>();
    assert_ne!(one, two, "each call has its own time, so its own seed");
}

#[test]
fn http_requests_are_answered_by_responders_and_fail_without_one() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = lobby(&mut db);
    db.http().respond(Some("GET"), "https://motd.example.com/today", HttpReply::ok("Welcome back!")).respond(
        None,
        "https://motd.example.com/*",
        HttpReply::status(503, "busy"),
    );

    let posted = call_procedure!(db, &alice, post_motd(lobby, "https://motd.example.com/today".into()));
    assert_eq!(posted.returned::<Result<u16, String>>(), Ok(200));
    let inserted: Vec<Message> = posted.inserted("chat_message");
    assert_eq!(inserted.len(), 1);
    assert_eq!((inserted[0].text.as_str(), inserted[0].sender), ("Welcome back!", TestDb::identity(DATABASE)));
    assert_eq!(posted.http_requests().len(), 1);
    assert_eq!(posted.http_requests()[0].answer, Ok(200));

    let busy = call_procedure!(db, &alice, post_motd(lobby, "https://motd.example.com/tomorrow".into()));
    assert_eq!(busy.returned::<Result<u16, String>>(), Err("no message of the day: status 503".into()));
    assert_eq!(busy.commits(), 0);

    let unreachable = call_procedure!(db, &alice, post_motd(lobby, "https://elsewhere.example.org/?key=secret".into()));
    let error = unreachable.returned::<Result<u16, String>>().unwrap_err();
    assert!(
        error.starts_with("no message of the day: error sending request for url (https://elsewhere.example.org/)"),
        "the server's form, without the query: {error}"
    );
    let private = call_procedure!(db, &alice, post_motd(lobby, "http://127.0.0.1:8080/motd".into()));
    assert_eq!(
        private.returned::<Result<u16, String>>(),
        Err("no message of the day: refusing to connect to private or special-purpose addresses".into())
    );
    assert_eq!(messages(&mut db).len(), 1, "only the first call posted");
}

#[test]
fn sleeping_moves_the_procedures_time_and_then_the_clock() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = lobby(&mut db);
    let wake = db.now() + Duration::from_secs(60);
    let reminder = call_procedure!(db, &alice, remind_at(lobby, wake, "stand up".into()));
    assert_eq!(reminder.returned::<Timestamp>(), wake);
    assert_eq!(reminder.ended_at(), wake);
    let posted: Vec<Message> = reminder.inserted("chat_message");
    assert_eq!((posted[0].sent, posted[0].sender), (wake, alice.identity()));
    assert!(db.now() > wake, "the clock moved past the wake-up time: {}", db.now());

    // A time in the past wakes at once.
    let now = db.now();
    let at_once = call_procedure!(db, &alice, remind_at(lobby, Timestamp::UNIX_EPOCH, "now".into()));
    assert_eq!(at_once.returned::<Timestamp>(), now);
}

#[test]
fn a_schedule_runs_its_procedure_as_the_database() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = lobby(&mut db);
    db.call_json(&alice, "post", &json!([lobby, "one", { "plain": [] }]).to_string()).assert_ok();
    db.call_json(&alice, "schedule_digest", &format!("[{lobby}, 1000]")).assert_ok();
    assert!(db.advance(Duration::from_millis(500)).is_empty());
    let ran = db.advance(Duration::from_millis(600));
    assert_eq!(ran.len(), 1);
    ran[0].assert_ok();
    assert_eq!(ran[0].reducer(), "post_digest");
    let digest: Vec<Message> = ran[0].inserted("chat_message");
    assert_eq!((digest[0].text.as_str(), digest[0].sender), ("1 messages so far", TestDb::identity(DATABASE)));
    assert_eq!(db.count("digest"), 0, "a one-off schedule row is gone after it ran");
}
