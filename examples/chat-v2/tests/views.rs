//! chat-v2's views read natively through `TestDb`: per caller and anonymous, rows computed by the
//! module and queries the host runs, re-read after each change as a subscribed client sees them.

use chat_v2::{Message, Room, User};
use worldtube_testing::{json, TestDb, ViewError};

fn post(db: &mut TestDb, who: &worldtube_testing::Client, room: u32, text: &str) {
    db.call_json(who, "post", &json!([room, text, { "plain": [] }]).to_string()).assert_ok();
}

#[test]
fn a_per_caller_view_gives_each_caller_their_own_rows() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let mine: Vec<User> = db.view(&alice, "my_user");
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].identity, alice.identity());
    let bobs: Vec<User> = db.view(&bob, "my_user");
    assert_eq!(bobs[0].identity, bob.identity());
    // Someone who never connected has no user row.
    assert!(db.view::<User>(TestDb::identity("carol"), "my_user").is_empty());
    // It follows the committed state.
    db.call_json(&alice, "set_name", r#"["Alice"]"#).assert_ok();
    assert_eq!(db.view::<User>(&alice, "my_user")[0].name.as_deref(), Some("Alice"));
    // A failed call changes nothing it shows.
    db.call_json(&alice, "set_name", r#"[""]"#).error().expect("refused");
    assert_eq!(db.view::<User>(&alice, "my_user")[0].name.as_deref(), Some("Alice"));
}

#[test]
fn an_anonymous_view_is_the_same_for_everyone() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = db.read(|ctx| {
        use chat_v2::room;
        use spacetimedb::Table as _;
        ctx.db.room().iter().find(|r| r.name == "lobby").unwrap().id
    });
    post(&mut db, &alice, lobby, "hello");
    db.call_json(&alice, "open_room", r#"["games"]"#).assert_ok();
    post(&mut db, &alice, lobby + 1, "elsewhere");
    let seen: Vec<Message> = db.view(&alice, "lobby_messages");
    assert_eq!(seen.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["hello"]);
    let anonymous = db.try_view_json(None, "lobby_messages").expect("an anonymous view reads without a caller");
    assert_eq!(anonymous[0]["text"], "hello");
    // A per-caller view cannot be read anonymously; an unknown view is refused.
    assert_eq!(db.try_view_json(None, "my_user").unwrap_err(), ViewError::NeedsCaller("my_user".into()));
    assert_eq!(db.try_view_json(Some(&alice), "nope").unwrap_err(), ViewError::NoSuchView("nope".into()));
}

#[test]
fn query_views_are_run_by_the_host() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let online: Vec<User> = db.view(&alice, "online_users");
    assert_eq!(online.len(), 2);
    db.disconnect(&bob);
    let online: Vec<User> = db.view(&alice, "online_users");
    assert_eq!(online.iter().map(|u| u.identity).collect::<Vec<_>>(), [alice.identity()]);

    // Canonical name `MyRooms`; the owner's filter is the caller's identity.
    db.call_json(&alice, "open_room", r#"["games"]"#).assert_ok();
    db.call_json(&bob, "open_room", r#"["music"]"#).assert_ok();
    let alices: Vec<Room> = db.view(&alice, "MyRooms");
    assert_eq!(alices.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["games"]);

    // A semijoin: rooms the caller invited someone to, but not the lobby.
    assert!(db.view::<Room>(&alice, "invited_rooms").is_empty());
    let games = alices[0].id;
    db.call_json(&alice, "invite_to", &format!("[{games}]")).assert_ok();
    db.call_json(&alice, "invite_to", &format!("[{games}]")).assert_ok();
    let invited: Vec<Room> = db.view(&alice, "invited_rooms");
    assert_eq!(invited.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["games"], "once, not per invitation");
    assert!(db.view::<Room>(&bob, "invited_rooms").is_empty());
}

#[test]
fn a_view_is_evaluated_again_only_after_a_change_to_what_it_read() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let _: Vec<User> = db.view(&alice, "my_user");
    let evaluated = db.engine().view_evaluations();
    let _: Vec<User> = db.view(&alice, "my_user");
    assert_eq!(db.engine().view_evaluations(), evaluated, "nothing changed: the kept result");
    // A change to a table `my_user` does not read (a room) keeps it.
    db.call_json(&alice, "open_room", r#"["games"]"#).assert_ok();
    let _: Vec<User> = db.view(&alice, "my_user");
    assert_eq!(db.engine().view_evaluations(), evaluated);
    // A change to the user table does not.
    db.call_json(&alice, "set_name", r#"["Alice"]"#).assert_ok();
    assert_eq!(db.view::<User>(&alice, "my_user")[0].name.as_deref(), Some("Alice"));
    assert_eq!(db.engine().view_evaluations(), evaluated + 1);
    // Each reader of a per-caller view has its own result; an anonymous view has one.
    let _: Vec<User> = db.view(TestDb::identity("bob"), "my_user");
    assert_eq!(db.engine().view_evaluations(), evaluated + 2);
    let _: Vec<Message> = db.view(&alice, "lobby_messages");
    let _: Vec<Message> = db.view(TestDb::identity("bob"), "lobby_messages");
    assert_eq!(db.engine().view_evaluations(), evaluated + 3);
}

#[test]
fn subscribers_see_each_commits_changes_to_their_views() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let lobby = db.read(|ctx| {
        use chat_v2::room;
        use spacetimedb::Table as _;
        ctx.db.room().iter().find(|r| r.name == "lobby").unwrap().id
    });
    assert!(db.subscribe::<Message>(&alice, "lobby_messages").is_empty());
    assert_eq!(db.subscribe::<User>(&alice, "online_users").len(), 1);

    let posted = db.call_json(&alice, "post", &json!([lobby, "first", { "plain": [] }]).to_string());
    let added: Vec<Message> = posted.view_inserted("lobby_messages");
    assert_eq!(added.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["first"]);
    assert!(posted.view_inserted::<User>("online_users").is_empty(), "users did not change");

    let bob = db.connect("bob");
    let joined = db.call_json(&bob, "set_name", r#"["Bob"]"#);
    // The online view's row for bob changed (name set): the old row out, the new one in.
    assert_eq!(joined.view_deleted::<User>("online_users")[0].name, None);
    assert_eq!(joined.view_inserted::<User>("online_users")[0].name.as_deref(), Some("Bob"));

    // A failed call changes nothing, and reports nothing.
    let refused = db.call_json(&alice, "post", &json!([lobby, "", { "plain": [] }]).to_string());
    assert!(refused.view_inserted::<Message>("lobby_messages").is_empty());
    let _ = bob;
}
