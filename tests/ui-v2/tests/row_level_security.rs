//! A 2.x module's client visibility filter goes into its V10 definition, as officially. (It was
//! registered as a 1.x item, and a 2.x module with a filter then refused to describe itself for
//! mixing generations; SpacetimeDB's sdk-test module at v2.8.3 has one.)

use spacetimedb::{client_visibility_filter, table, Filter, Identity};
use worldtube_lib::raw_def::RawModuleDef;

#[table(accessor = note, public)]
pub struct Note {
    #[primary_key]
    id: u32,
    owner: Identity,
}

#[client_visibility_filter]
const NOTES_OF_THEIR_OWNER: Filter = Filter::Sql("SELECT * FROM note WHERE owner = :sender");

#[test]
fn the_filter_is_in_the_v10_definition() {
    let def = worldtube_lib::bsatn::from_slice::<RawModuleDef>(&spacetimedb::rt::module().def_bytes).unwrap();
    let RawModuleDef::V10(def) = def else { panic!("a 2.x module describes as V10: {def:?}") };
    let filters: Vec<&str> = def.row_level_security().into_iter().flatten().map(|f| &*f.sql).collect();
    assert_eq!(filters, ["SELECT * FROM note WHERE owner = :sender"]);
    assert_eq!(def.tables().map(Vec::len), Some(1));
}
