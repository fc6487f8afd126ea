//! A small real-time arena game.
//!
//! Players join when they connect and get an avatar; they steer it with `steer`. A scheduled
//! `tick` every 50 ms moves avatars, lets them eat the food they touch (found through a grid
//! index) and respawns food at random places. Scores feed a leaderboard index. One-shot
//! scheduled events announce things or drop bursts of food.

use spacetimedb::rand::Rng;
use spacetimedb::{
    reducer, table, Identity, ReducerContext, ScheduleAt, SpacetimeType, Table, TimeDuration, Timestamp,
};
use std::time::Duration;

/// Side length of the square world.
pub const WORLD_SIZE: f32 = 1000.0;
/// Side length of one grid cell of the collision index.
pub const CELL_SIZE: f32 = 50.0;
/// How often the world advances.
pub const TICK_INTERVAL: Duration = Duration::from_millis(50);
/// Avatar speed in units per second.
pub const SPEED: f32 = 120.0;
/// Food kept in the world.
pub const FOOD_TARGET: u64 = 40;

/// One row of settings, created by `init`.
#[table(name = config)]
pub struct Config {
    #[primary_key]
    pub id: u32,
    pub world_size: f32,
    pub started: Timestamp,
}

/// A player: who they are, what they are called, how they are doing.
#[table(name = player, public, index(name = leaderboard, btree(columns = [score])))]
pub struct Player {
    #[primary_key]
    pub identity: Identity,
    #[unique]
    #[auto_inc]
    pub player_id: u64,
    pub name: String,
    pub online: bool,
    pub score: u32,
}

/// What an entity is.
#[derive(SpacetimeType, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    Avatar,
    Food,
}

/// Anything with a place in the world. `cell_x`/`cell_y` is its grid cell, kept in step with its
/// position so that neighbours can be found through the `by_cell` index.
#[table(name = entity, public, index(name = by_cell, btree(columns = [cell_x, cell_y])))]
pub struct Entity {
    #[primary_key]
    #[auto_inc]
    pub entity_id: u64,
    #[index(btree)]
    pub kind: EntityKind,
    pub x: f32,
    pub y: f32,
    pub radius: f32,
    pub cell_x: i32,
    pub cell_y: i32,
}

/// The steering of a player's avatar entity.
#[table(name = avatar, public)]
pub struct Avatar {
    #[primary_key]
    pub entity_id: u64,
    #[index(btree)]
    pub player_id: u64,
    pub dir_x: f32,
    pub dir_y: f32,
}

/// The world is split into zones with names, looked up by a direct index on their small id.
#[table(name = zone, public)]
pub struct Zone {
    #[unique]
    #[index(direct)]
    pub zone_id: u8,
    pub name: String,
}

/// Drives `tick`.
#[table(name = tick_timer, scheduled(tick))]
pub struct TickTimer {
    #[primary_key]
    #[auto_inc]
    pub scheduled_id: u64,
    pub scheduled_at: ScheduleAt,
}

/// Something that happens once, later.
#[derive(SpacetimeType, Clone, Debug, PartialEq)]
pub enum ArenaEvent {
    /// Drop this much food at random places.
    FoodBurst(u32),
    /// Say something in the log.
    Announce(String),
}

/// One-shot events, each run by `fire_event` at its `at` time and then removed by the host.
#[table(name = event_timer, public, scheduled(fire_event, at = at))]
pub struct EventTimer {
    #[primary_key]
    #[auto_inc]
    pub id: u64,
    pub at: ScheduleAt,
    pub event: ArenaEvent,
}

/// Sets the world up: settings, zones, food, the tick, and a welcome burst of food in 10 s.
#[reducer(init)]
pub fn init(ctx: &ReducerContext) {
    ctx.db.config().insert(Config { id: 0, world_size: WORLD_SIZE, started: ctx.timestamp });
    for (zone_id, name) in [(0u8, "North"), (1, "East"), (2, "South"), (3, "West")] {
        ctx.db.zone().insert(Zone { zone_id, name: name.into() });
    }
    for _ in 0..FOOD_TARGET {
        spawn_food(ctx);
    }
    ctx.db.tick_timer().insert(TickTimer { scheduled_id: 0, scheduled_at: TICK_INTERVAL.into() });
    ctx.db.event_timer().insert(EventTimer {
        id: 0,
        at: (ctx.timestamp + Duration::from_secs(10)).into(),
        event: ArenaEvent::FoodBurst(10),
    });
}

/// A client connected: create or revive their player and give them an avatar.
#[reducer(client_connected)]
pub fn connect(ctx: &ReducerContext) {
    let player = match ctx.db.player().identity().find(ctx.sender) {
        Some(player) => ctx.db.player().identity().update(Player { online: true, ..player }),
        None => ctx.db.player().insert(Player {
            identity: ctx.sender,
            player_id: 0,
            name: String::new(),
            online: true,
            score: 0,
        }),
    };
    let (x, y) = random_point(ctx);
    let entity = ctx.db.entity().insert(new_entity(EntityKind::Avatar, x, y, 10.0));
    ctx.db.avatar().insert(Avatar { entity_id: entity.entity_id, player_id: player.player_id, dir_x: 0.0, dir_y: 0.0 });
}

/// A client disconnected: mark them offline and remove their avatar.
#[reducer(client_disconnected)]
pub fn disconnect(ctx: &ReducerContext) {
    let Some(player) = ctx.db.player().identity().find(ctx.sender) else {
        log::warn!("unknown player {} disconnected", ctx.sender);
        return;
    };
    for avatar in ctx.db.avatar().player_id().filter(player.player_id) {
        ctx.db.entity().entity_id().delete(avatar.entity_id);
        ctx.db.avatar().entity_id().delete(avatar.entity_id);
    }
    ctx.db.player().identity().update(Player { online: false, ..player });
}

/// Chooses the caller's name.
#[reducer]
pub fn enter_game(ctx: &ReducerContext, name: String) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 24 {
        return Err("names need 1 to 24 characters".into());
    }
    let player = ctx.db.player().identity().find(ctx.sender).ok_or("connect before entering the game")?;
    ctx.db.player().identity().update(Player { name: name.into(), ..player });
    log::info!("{name} entered the arena");
    Ok(())
}

/// Points the caller's avatar in a direction (normalised; `(0, 0)` stops it).
#[reducer]
pub fn steer(ctx: &ReducerContext, dir_x: f32, dir_y: f32) -> Result<(), String> {
    if !dir_x.is_finite() || !dir_y.is_finite() {
        return Err("direction must be finite".into());
    }
    // In f64, so that huge or tiny (but finite) directions neither overflow nor vanish.
    let (x, y) = (f64::from(dir_x), f64::from(dir_y));
    let len = x.hypot(y);
    let (dir_x, dir_y) = if len > 0.0 { ((x / len) as f32, (y / len) as f32) } else { (0.0, 0.0) };
    let player = ctx.db.player().identity().find(ctx.sender).ok_or("not a player")?;
    let mut steered = false;
    for avatar in ctx.db.avatar().player_id().filter(player.player_id) {
        ctx.db.avatar().entity_id().update(Avatar { dir_x, dir_y, ..avatar });
        steered = true;
    }
    if steered {
        Ok(())
    } else {
        Err("you have no avatar".into())
    }
}

/// Schedules an announcement `delay_ms` from now.
#[reducer]
pub fn schedule_announcement(ctx: &ReducerContext, text: String, delay_ms: u64) -> Result<(), String> {
    if text.is_empty() {
        return Err("nothing to announce".into());
    }
    let delay = i64::try_from(delay_ms.saturating_mul(1000)).map(TimeDuration::from_micros);
    let at = delay.ok().and_then(|d| ctx.timestamp.checked_add(d)).ok_or("that is too far in the future")?;
    ctx.db.event_timer().insert(EventTimer { id: 0, at: at.into(), event: ArenaEvent::Announce(text) });
    Ok(())
}

/// Advances the world by one tick: movement, eating, food respawn.
#[reducer]
pub fn tick(ctx: &ReducerContext, _timer: TickTimer) -> Result<(), String> {
    if ctx.sender != ctx.identity() {
        return Err("tick may only be run by the scheduler".into());
    }
    let step = SPEED * TICK_INTERVAL.as_secs_f32();
    for avatar in ctx.db.avatar().iter() {
        let Some(entity) = ctx.db.entity().entity_id().find(avatar.entity_id) else { continue };
        let x = (entity.x + avatar.dir_x * step).clamp(0.0, WORLD_SIZE);
        let y = (entity.y + avatar.dir_y * step).clamp(0.0, WORLD_SIZE);
        let moved = ctx.db.entity().entity_id().update(Entity { x, y, cell_x: cell(x), cell_y: cell(y), ..entity });
        let eaten = eat_nearby_food(ctx, &moved);
        if eaten > 0 {
            if let Some(player) = ctx.db.player().player_id().find(avatar.player_id) {
                ctx.db.player().identity().update(Player { score: player.score + eaten, ..player });
            }
        }
    }
    let food = ctx.db.entity().kind().filter(EntityKind::Food).count() as u64;
    for _ in food..FOOD_TARGET {
        spawn_food(ctx);
    }
    Ok(())
}

/// Runs a one-shot event.
#[reducer]
pub fn fire_event(ctx: &ReducerContext, timer: EventTimer) {
    match timer.event {
        ArenaEvent::FoodBurst(n) => {
            for _ in 0..n {
                spawn_food(ctx);
            }
            log::info!("a burst of {n} food appeared");
        }
        ArenaEvent::Announce(text) => log::info!("announcement: {text}"),
    }
}

/// The best `n` players, highest score first.
pub fn top_players(ctx: &ReducerContext, n: usize) -> Vec<Player> {
    let mut players: Vec<Player> = ctx.db.player().leaderboard().filter(1u32..).collect();
    players.reverse();
    players.truncate(n);
    players
}

/// Deletes the food `avatar` touches, looking only at its own and neighbouring grid cells.
fn eat_nearby_food(ctx: &ReducerContext, avatar: &Entity) -> u32 {
    let mut eaten = 0;
    for cx in avatar.cell_x - 1..=avatar.cell_x + 1 {
        for food in ctx.db.entity().by_cell().filter((cx, avatar.cell_y - 1..=avatar.cell_y + 1)) {
            let (dx, dy) = (food.x - avatar.x, food.y - avatar.y);
            let reach = food.radius + avatar.radius;
            if food.kind == EntityKind::Food && dx * dx + dy * dy <= reach * reach {
                ctx.db.entity().entity_id().delete(food.entity_id);
                eaten += 1;
            }
        }
    }
    eaten
}

fn spawn_food(ctx: &ReducerContext) -> Entity {
    let (x, y) = random_point(ctx);
    ctx.db.entity().insert(new_entity(EntityKind::Food, x, y, 4.0))
}

fn random_point(ctx: &ReducerContext) -> (f32, f32) {
    (ctx.rng().gen_range(0.0..WORLD_SIZE), ctx.rng().gen_range(0.0..WORLD_SIZE))
}

fn new_entity(kind: EntityKind, x: f32, y: f32, radius: f32) -> Entity {
    Entity { entity_id: 0, kind, x, y, radius, cell_x: cell(x), cell_y: cell(y) }
}

/// The grid cell of a coordinate.
pub fn cell(v: f32) -> i32 {
    (v / CELL_SIZE).floor() as i32
}
