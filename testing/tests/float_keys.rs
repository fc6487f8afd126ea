//! Float columns in keys, as the official SDK and the server accept them: a unique `f64`, a
//! single-column btree over an `f32`, and a two-column btree over `(u32, f32)` (the shape of the
//! upstream sdk-test module's `indexed_table_2`). The server orders float index keys totally, and
//! so does the reference host.

// The module defined here is written as module authors write it (tables without Debug).
#![allow(missing_debug_implementations)]

use worldtube::{reducer, table, ReducerContext, Table};
use worldtube_testing::TestDb;

#[table(name = body, index(name = by_owner_mass, btree(columns = [owner, mass])))]
pub struct Body {
    #[unique]
    radius: f64,
    #[index(btree)]
    mass: f32,
    owner: u32,
}

#[reducer]
pub fn add_body(ctx: &ReducerContext, radius: f64, mass: f32, owner: u32) -> Result<(), String> {
    ctx.db.body().try_insert(Body { radius, mass, owner }).map(drop).map_err(|e| e.to_string())
}

#[test]
fn float_columns_can_be_unique_and_indexed() {
    let mut db = TestDb::new();
    let owner = TestDb::identity("owner");
    db.call::<add_body>(owner, (1.5, 2.0, 7)).assert_ok();
    db.call::<add_body>(owner, (-0.25, 2.0, 7)).assert_ok();
    db.call::<add_body>(owner, (f64::INFINITY, f32::NAN, 8)).assert_ok();
    // The unique float column refuses a second row with an equal radius, and the failed call
    // leaves nothing behind.
    let clash = db.call::<add_body>(owner, (1.5, 9.0, 1));
    assert!(clash.error().is_some_and(|e| e.contains("unique")), "{:?}", clash.error());
    assert_eq!(db.count("body"), 3);
    let mut radii: Vec<f64> =
        db.table_json("body").as_array().unwrap().iter().map(|r| r["radius"].as_f64().unwrap_or(f64::NAN)).collect();
    radii.sort_by(f64::total_cmp);
    assert_eq!(radii[..2], [-0.25, 1.5]);
}
