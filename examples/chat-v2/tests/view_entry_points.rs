//! The 2.x chat module's views from the module's side: the query views render the SQL the server
//! runs, each view's entry point writes the result format the host reads (a `ViewResultHeader`,
//! then the rows or the SQL), and the definition lists the views with their ids, kinds and keys.

use chat_v2::{invited_rooms, online_users, rooms_i_own, Message, User};
use spacetimedb::{AnonymousViewContext, ViewContext};
use worldtube_lib::bsatn;
use worldtube_testing::host::schema::ModuleDef;
use worldtube_testing::{json, TestDb};

#[test]
fn query_views_render_the_sql_the_server_runs() {
    let anyone = AnonymousViewContext::default();
    assert_eq!(online_users(&anyone).sql(), r#"SELECT * FROM "user" WHERE ("user"."online" = TRUE)"#);
    let who = spacetimedb::Identity::from_byte_array([1; 32]);
    let ctx = ViewContext::new(who);
    let hex = who.to_hex();
    assert_eq!(rooms_i_own(&ctx).sql(), format!(r#"SELECT * FROM "room" WHERE ("room"."owner" = 0x{hex})"#));
    assert_eq!(
        invited_rooms(&ctx).sql(),
        format!(
            r#"SELECT "room".* FROM "invite" JOIN "room" ON "invite"."room" = "room"."id" WHERE ("invite"."by" = 0x{hex}) AND ("room"."name" <> 'lobby')"#
        )
    );
}

/// The position of view `name` among the views of its kind, from the module's definition.
fn view_id(name: &str) -> (u32, bool) {
    let def = bsatn::from_slice::<worldtube_lib::raw_def::RawModuleDef>(&spacetimedb::rt::module().def_bytes).unwrap();
    let worldtube_lib::raw_def::RawModuleDef::V10(def) = def else { panic!("not a 2.x module") };
    let view = def.views().iter().flat_map(|v| v.iter()).find(|v| &*v.source_name == name).expect("the view exists");
    (view.index, view.is_anonymous)
}

#[test]
fn the_entry_points_write_a_header_then_rows_or_sql() {
    let mut db = TestDb::new();
    let ana = db.connect("ana");
    db.call_json(&ana, "post", &json!([1, "hello", { "shout": [] }]).to_string()).assert_ok();

    let (id, anonymous) = view_id("lobby_messages");
    assert!(anonymous);
    let bytes = db.read(|_| (spacetimedb::rt::module().views_anon[id as usize])(None, &[]));
    // Tag 0 (`RowData`), then the rows as an array.
    assert_eq!(bytes[0], 0);
    let rows: Vec<Message> = bsatn::from_slice(&bytes[1..]).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].text, "hello");

    let (id, anonymous) = view_id("my_user");
    assert!(!anonymous);
    let bytes = db.read(|_| (spacetimedb::rt::module().views[id as usize])(Some(ana.identity()), &[]));
    assert_eq!(bytes[0], 0);
    let rows: Vec<User> = bsatn::from_slice(&bytes[1..]).unwrap();
    assert_eq!(rows.iter().map(|u| u.identity).collect::<Vec<_>>(), [ana.identity()]);

    // A query view: tag 1 (`RawSql`), then the SQL as a BSATN string.
    let (id, _) = view_id("online_users");
    let bytes = (spacetimedb::rt::module().views_anon[id as usize])(None, &[]);
    assert_eq!(bytes[0], 1);
    let sql: String = bsatn::from_slice(&bytes[1..]).unwrap();
    assert_eq!(sql, r#"SELECT * FROM "user" WHERE ("user"."online" = TRUE)"#);
}

#[test]
fn the_definition_lists_the_views_with_their_kinds_and_keys() {
    let mut db = TestDb::new();
    let ModuleDef::V10(def) = db.engine().schema().module_def() else { panic!("a 2.x module") };
    let views: Vec<(&str, u32, bool, bool)> = def
        .views()
        .iter()
        .flat_map(|v| v.iter())
        .map(|v| (&*v.source_name, v.index, v.is_public, v.is_anonymous))
        .collect();
    assert_eq!(
        views,
        [
            ("invited_rooms", 0, true, false),
            ("lobby_messages", 0, true, true),
            ("my_rooms", 1, true, false),
            ("my_user", 2, true, false),
            ("online_users", 1, true, true),
        ]
    );
    let keys: Vec<(&str, Vec<&str>)> = def
        .view_primary_keys()
        .iter()
        .flat_map(|k| k.iter())
        .map(|k| (&*k.view_source_name, k.columns.iter().map(|c| &**c).collect()))
        .collect();
    assert_eq!(keys, [("lobby_messages", vec!["id"]), ("my_user", vec!["identity"])]);
}
