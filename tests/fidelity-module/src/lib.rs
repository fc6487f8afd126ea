//! The fidelity module: small reducers that each exercise one datastore or runtime behaviour, so
//! that a scenario (`scenarios/*.json`: steps and expected results) can drive them with JSON
//! arguments — natively through `worldtube-host` (`tests/fidelity.rs`) and over HTTP against
//! the real SpacetimeDB 1.3 server (`scripts/fidelity-real-server.sh`). The server is the arbiter.
//!
//! Every reducer logs what it observed, so that scenarios can compare logs as well as tables.
//! The module defines no `client_connected` / `client_disconnected`: the server runs those around
//! every HTTP call, the host does not.

use spacetimedb::{reducer, table, Identity, ReducerContext, ScheduleAt, Table, TimeDuration};
use std::ops::Bound;

/// Rows with an auto-increment primary key and a unique name.
#[table(name = item, public)]
pub struct Item {
    #[primary_key]
    #[auto_inc]
    pub id: u64,
    #[unique]
    pub name: String,
    pub value: u32,
}

/// Rows without a primary key (set semantics), a single-column btree index on `x` and a
/// two-column btree index on `(x, y)`.
#[table(name = point, public, index(name = by_xy, btree(columns = [x, y])))]
pub struct Point {
    #[index(btree)]
    pub x: u32,
    pub y: u32,
    pub label: String,
}

/// The schedule table: `on_tick` runs for each row. An `Interval` row deletes itself after
/// `limit` runs.
#[table(name = tick, scheduled(on_tick))]
pub struct Tick {
    #[primary_key]
    #[auto_inc]
    pub scheduled_id: u64,
    pub scheduled_at: ScheduleAt,
    pub label: String,
    pub limit: u32,
}

/// One row per run of `on_tick`.
#[table(name = tick_log, public)]
pub struct TickLog {
    #[primary_key]
    #[auto_inc]
    pub id: u64,
    pub label: String,
    pub run: u32,
    /// Whether the caller was the database itself (as for every scheduled call).
    pub by_scheduler: bool,
}

/// Who called `whoami`.
#[table(name = caller, public)]
pub struct Caller {
    #[primary_key]
    pub label: String,
    pub sender: Identity,
    pub has_connection: bool,
}

#[reducer(init)]
pub fn init(_ctx: &ReducerContext) {
    log::info!("fidelity module initialised");
}

// ---------------------------------------------------------------------------------------------
// Inserts, unique constraints, auto-increment, rollback.

/// Inserts an item; panics on a unique violation (the SDK's `insert` does).
#[reducer]
pub fn insert_item(ctx: &ReducerContext, name: String, value: u32) {
    let row = ctx.db.item().insert(Item { id: 0, name, value });
    log::info!("inserted item {} `{}`", row.id, row.name);
}

/// Inserts an item with `try_insert`; a unique violation is returned as the reducer's error.
#[reducer]
pub fn try_insert_item(ctx: &ReducerContext, name: String, value: u32) -> Result<(), String> {
    let row = ctx.db.item().try_insert(Item { id: 0, name, value })?;
    log::info!("inserted item {} `{}`", row.id, row.name);
    Ok(())
}

/// Inserts an item, then fails: the insert is rolled back, the id it took is not reused.
#[reducer]
pub fn insert_then_fail(ctx: &ReducerContext, name: String, value: u32) -> Result<(), String> {
    let row = ctx.db.item().insert(Item { id: 0, name, value });
    log::info!("inserted item {} `{}`", row.id, row.name);
    Err(format!("failing after inserting `{}`", row.name))
}

/// Inserts an item, then panics.
#[reducer]
pub fn insert_then_panic(ctx: &ReducerContext, name: String, value: u32) {
    let row = ctx.db.item().insert(Item { id: 0, name, value });
    log::info!("inserted item {} `{}`", row.id, row.name);
    panic!("panicking after inserting `{}`", row.name);
}

/// Updates the item called `name` through the unique `name` column. For a missing row the id is
/// 0 (so the auto-inc column is generated) and the update panics.
#[reducer]
pub fn update_item(ctx: &ReducerContext, name: String, value: u32) {
    let id = ctx.db.item().name().find(&name).map_or(0, |row| row.id);
    let row = ctx.db.item().name().update(Item { id, name, value });
    log::info!("updated item {} `{}` to {}", row.id, row.name, row.value);
}

/// Deletes the item called `name`.
#[reducer]
pub fn delete_item(ctx: &ReducerContext, name: String) {
    let deleted = ctx.db.item().name().delete(&name);
    log::info!("deleted item `{name}`: {deleted}");
}

/// Returns `message` as the reducer's error.
#[reducer]
pub fn fail_with(_ctx: &ReducerContext, message: String) -> Result<(), String> {
    Err(message)
}

// ---------------------------------------------------------------------------------------------
// Set semantics, deletes by value and by index range.

/// Inserts a point.
#[reducer]
pub fn insert_point(ctx: &ReducerContext, x: u32, y: u32, label: String) {
    ctx.db.point().insert(Point { x, y, label });
}

/// Inserts the same point twice: the second insert changes nothing.
#[reducer]
pub fn insert_point_twice(ctx: &ReducerContext, x: u32, y: u32, label: String) {
    ctx.db.point().insert(Point { x, y, label: label.clone() });
    ctx.db.point().insert(Point { x, y, label });
    log::info!("points: {}", ctx.db.point().count());
}

/// Deletes the point equal to `(x, y, label)`, if any.
#[reducer]
pub fn delete_point(ctx: &ReducerContext, x: u32, y: u32, label: String) {
    let deleted = ctx.db.point().delete(Point { x, y, label });
    log::info!("deleted point: {deleted}");
}

/// The bounds `kind` names over `a` and `b`: `a..=b`, `a..b`, `a..`, `..b`, `..=b`, `..`,
/// `(a,b)` (both excluded), `(a,b]`, `[a,b)`.
fn bounds(kind: &str, a: u32, b: u32) -> Result<(Bound<u32>, Bound<u32>), String> {
    use Bound::*;
    Ok(match kind {
        "a..=b" | "[a,b]" => (Included(a), Included(b)),
        "a..b" | "[a,b)" => (Included(a), Excluded(b)),
        "a.." => (Included(a), Unbounded),
        "..b" => (Unbounded, Excluded(b)),
        "..=b" => (Unbounded, Included(b)),
        ".." => (Unbounded, Unbounded),
        "(a,b)" => (Excluded(a), Excluded(b)),
        "(a,b]" => (Excluded(a), Included(b)),
        "(a.." => (Excluded(a), Unbounded),
        _ => return Err(format!("unknown bounds `{kind}`")),
    })
}

/// Filters (`op = "filter"`: logs the labels found, in index order) or deletes (`op =
/// "delete"`: logs how many) points through an index:
///
/// * `index = "x"`: the single-column index on `x`, bounds over `x`;
/// * `index = "xy"`: the `(x, y)` index with `x = prefix` and bounds over `y`;
/// * `index = "xy_first"`: the `(x, y)` index with bounds over `x` (the non-last column);
/// * `index = "x_eq"` / `"xy_eq"`: a point lookup (`x = a`, `(x, y) = (prefix, a)`).
#[reducer]
pub fn range(
    ctx: &ReducerContext,
    op: String,
    index: String,
    kind: String,
    prefix: u32,
    a: u32,
    b: u32,
) -> Result<(), String> {
    let (lo, hi) = bounds(&kind, a, b).or_else(|e| {
        if index.ends_with("_eq") {
            Ok((Bound::Unbounded, Bound::Unbounded))
        } else {
            Err(e)
        }
    })?;
    let points = ctx.db.point();
    match op.as_str() {
        "filter" => {
            let labels: Vec<String> = match index.as_str() {
                "x" => points.x().filter((lo, hi)).map(|p| p.label).collect(),
                "xy" => points.by_xy().filter((prefix, (lo, hi))).map(|p| p.label).collect(),
                "xy_first" => points.by_xy().filter((lo, hi)).map(|p| p.label).collect(),
                "x_eq" => points.x().filter(a).map(|p| p.label).collect(),
                "xy_eq" => points.by_xy().filter((prefix, a)).map(|p| p.label).collect(),
                _ => return Err(format!("unknown index `{index}`")),
            };
            log::info!("found [{}]", labels.join(", "));
        }
        "delete" => {
            let n = match index.as_str() {
                "x" => points.x().delete((lo, hi)),
                "xy" => points.by_xy().delete((prefix, (lo, hi))),
                "xy_first" => points.by_xy().delete((lo, hi)),
                "x_eq" => points.x().delete(a),
                "xy_eq" => points.by_xy().delete((prefix, a)),
                _ => return Err(format!("unknown index `{index}`")),
            };
            log::info!("deleted {n}");
        }
        _ => return Err(format!("unknown op `{op}`")),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Scheduling.

/// Schedules `on_tick` once, `delay_ms` from now (`ScheduleAt::Time`).
#[reducer]
pub fn schedule_once(ctx: &ReducerContext, label: String, delay_ms: u64) {
    let at = ctx.timestamp + TimeDuration::from_micros(delay_ms as i64 * 1000);
    let row = ctx.db.tick().insert(Tick { scheduled_id: 0, scheduled_at: ScheduleAt::Time(at), label, limit: 1 });
    log::info!("scheduled `{}` once as {}", row.label, row.scheduled_id);
}

/// Schedules `on_tick` every `interval_ms` (`ScheduleAt::Interval`), `limit` times.
#[reducer]
pub fn schedule_every(ctx: &ReducerContext, label: String, interval_ms: u64, limit: u32) {
    let every = TimeDuration::from_micros(interval_ms as i64 * 1000);
    let row = ctx.db.tick().insert(Tick { scheduled_id: 0, scheduled_at: ScheduleAt::Interval(every), label, limit });
    log::info!("scheduled `{}` every {interval_ms} ms as {}", row.label, row.scheduled_id);
}

/// Cancels every schedule called `label`.
#[reducer]
pub fn cancel(ctx: &ReducerContext, label: String) {
    let ids: Vec<u64> = ctx.db.tick().iter().filter(|t| t.label == label).map(|t| t.scheduled_id).collect();
    for id in &ids {
        ctx.db.tick().scheduled_id().delete(id);
    }
    log::info!("cancelled {}", ids.len());
}

/// The scheduled reducer: records the run; labels starting with `fail` return an error, with
/// `panic` panic (after recording, so the record is rolled back).
#[reducer]
pub fn on_tick(ctx: &ReducerContext, tick: Tick) -> Result<(), String> {
    let run = ctx.db.tick_log().iter().filter(|l| l.label == tick.label).count() as u32 + 1;
    let by_scheduler = ctx.sender == ctx.identity();
    ctx.db.tick_log().insert(TickLog { id: 0, label: tick.label.clone(), run, by_scheduler });
    log::info!("tick `{}` run {run}", tick.label);
    if matches!(tick.scheduled_at, ScheduleAt::Interval(_)) && run >= tick.limit {
        ctx.db.tick().scheduled_id().delete(tick.scheduled_id);
    }
    if tick.label.starts_with("fail") {
        return Err(format!("tick `{}` failed", tick.label));
    }
    if tick.label.starts_with("panic") {
        panic!("tick `{}` panicked", tick.label);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Logs and callers.

/// Logs `message` at every level, then panics with it if `panic`.
#[reducer]
pub fn log_levels(_ctx: &ReducerContext, message: String, panic: bool) {
    log::trace!("trace: {message}");
    log::debug!("debug: {message}");
    log::info!("info: {message}");
    log::warn!("warn: {message}");
    log::error!("error: {message}");
    if panic {
        panic!("{message}");
    }
}

/// Records who called.
#[reducer]
pub fn whoami(ctx: &ReducerContext, label: String) {
    ctx.db.caller().insert(Caller { label, sender: ctx.sender, has_connection: ctx.connection_id.is_some() });
}
