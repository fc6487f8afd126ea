//! chat-v2's moderation reads the caller's token through `ctx.sender_auth()`: clients connect
//! with claims, and their identity derives from issuer and subject as on the server.

use chat_v2::{MODERATION_AUDIENCE, MODERATION_ISSUER};
use spacetimedb::Identity;
use worldtube_testing::{json, TestDb};

fn posted_message(db: &mut TestDb, who: &worldtube_testing::Client) -> u64 {
    let outcome = db.call_json(who, "post", &json!([1, "spam", { "plain": [] }]).to_string());
    outcome.assert_ok();
    outcome.inserted_json("chat_message")[0]["id"].as_u64().expect("an id")
}

#[test]
fn a_moderator_token_may_remove_messages() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let id = posted_message(&mut db, &alice);
    let mod_claims =
        json!({ "iss": MODERATION_ISSUER, "sub": "mia", "aud": [MODERATION_AUDIENCE, "other"], "level": 3 });
    let mia = db.connect_with_claims(&mod_claims);
    assert_eq!(mia.identity(), Identity::from_claims(MODERATION_ISSUER, "mia"), "the identity comes from the claims");
    assert_eq!(mia.name(), "mia");
    let removed = db.call_json(&mia, "remove_message", &format!("[{id}]"));
    removed.assert_ok();
    assert!(removed.logged("mia removed message"));
    assert_eq!(db.count("chat_message"), 0);
}

#[test]
fn other_tokens_and_calls_without_a_connection_are_refused() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let id = posted_message(&mut db, &alice);
    // A named test client's token: subject `alice`, issuer `worldtube-test`.
    assert!(alice.claims().contains("\"sub\":\"alice\"") && alice.claims().contains("\"iss\":\"worldtube-test\""));
    db.call_json(&alice, "remove_message", &format!("[{id}]")).assert_err_eq("alice is not a moderator");
    // The right audience from another issuer is not enough.
    let fake =
        db.connect_with_claims(&json!({ "iss": "https://evil.example", "sub": "mia", "aud": MODERATION_AUDIENCE }));
    assert_ne!(fake.identity(), Identity::from_claims(MODERATION_ISSUER, "mia"));
    db.call_json(&fake, "remove_message", &format!("[{id}]")).assert_err_eq("mia is not a moderator");
    // A call without a connection (as over HTTP without one) has no token.
    db.call_json(TestDb::identity("mia"), "remove_message", &format!("[{id}]"))
        .assert_err_eq("Only signed-in moderators can remove messages");
    assert_eq!(db.count("chat_message"), 1);
}

#[test]
fn a_token_lasts_as_long_as_its_connection() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let id = posted_message(&mut db, &alice);
    let mia = db.connect_with_claims(&json!({ "iss": MODERATION_ISSUER, "sub": "mia", "aud": MODERATION_AUDIENCE }));
    db.disconnect(&mia);
    // The connection is gone, and with it the token the host held for it.
    db.call_json(&mia, "remove_message", &format!("[{id}]"))
        .assert_err_eq("Only signed-in moderators can remove messages");
}
