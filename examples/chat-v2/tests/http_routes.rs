//! chat-v2's HTTP handlers run natively through `TestDb`: requests are matched to routes by exact
//! path and method (as the 2.8 server matches them), the handler reads the database in its own
//! transaction, sees the request's method, URI, headers and body, and answers with its status,
//! headers and body; a panicking handler answers 500 and an unmatched request 404.

use chat_v2 as _;
use worldtube_lib::http::Method;
use worldtube_testing::host::engine::NO_SUCH_ROUTE;
use worldtube_testing::{json, CallError, RouteRequest, TestDb};

#[test]
fn a_handler_reads_the_database_in_its_own_transaction() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let rooms = db.route(RouteRequest::get("/rooms"));
    assert_eq!((rooms.status(), rooms.text()), (200, "1".to_owned()), "init made the lobby");
    assert_eq!(rooms.commits(), 1, "with_tx commits, though it changed nothing");

    db.call_json(&alice, "open_room", &json!(["games"]).to_string()).assert_ok();
    assert_eq!(db.route(RouteRequest::get("/rooms")).text(), "2");
    // The nested router's route takes any method.
    let nested = db.route(RouteRequest::new(Method::from_name("PUT"), "/v1/count"));
    assert_eq!(nested.text(), "2");
}

#[test]
fn the_handler_sees_the_request_and_sets_the_response() {
    let mut db = TestDb::new();
    let reply = db.route(RouteRequest::post("/echo?x=1", "hello").header("x-note", "from a test"));
    let response = reply.response();
    assert_eq!(response.status, 201);
    assert_eq!(response.text(), "POST echo hello", "the query is not part of the path");
    assert_eq!(response.header("X-Echo"), Some(&b"from a test"[..]));
}

#[test]
fn a_panicking_handler_answers_500() {
    let mut db = TestDb::new();
    let tables = ["room", "message", "user"];
    let dump = |db: &TestDb| tables.map(|t| db.table_json(t));
    let before = dump(&db);
    let reply = db.route(RouteRequest::post("/echo", "panic"));
    assert_eq!(reply.status(), 500);
    assert!(reply.error().is_some_and(|e| e.contains("echo was asked to panic")), "{:?}", reply.error());
    assert_eq!(dump(&db), before, "nothing changed");
}

#[test]
fn unmatched_requests_are_refused_as_the_server_refuses_them() {
    let mut db = TestDb::new();
    for request in [
        RouteRequest::post("/rooms", ""),
        RouteRequest::get("/echo"),
        RouteRequest::get("/rooms/"),
        RouteRequest::get("/Rooms"),
        RouteRequest::get(""),
    ] {
        let shown = format!("{} {:?}", request.method.as_str(), request.target);
        match db.try_route(request) {
            Err(e @ CallError::NoSuchRoute { .. }) => assert_eq!(e.server_message(), NO_SUCH_ROUTE),
            other => panic!("{shown}: expected no route, got {:?}", other.map(|o| o.status())),
        }
    }
}
