//! Behaviour of the arena game: joining and leaving, steering, the 50 ms tick (movement,
//! eating, food respawn), the leaderboard, one-shot scheduled events and seeded randomness.
//! Every test builds its own database with `TestDb` and drives time itself with `advance`.

// Naming the module crate links its tables and reducers into this test binary.
use arena::{
    avatar, config, enter_game, entity, player, schedule_announcement, steer, tick, top_players, zone, ArenaEvent,
    Avatar, Entity, EntityKind, EventTimer, Player, TickTimer, FOOD_TARGET, SPEED, TICK_INTERVAL, WORLD_SIZE,
};
use spacetimedb::{Identity, Timestamp};
use std::time::Duration;
use worldtube_testing::{json, CallOutcome, Client, Json, LogLevel, TestDb};

/// How far an avatar moves in one tick.
const STEP: f32 = SPEED * 0.05;

// --- helpers ----------------------------------------------------------------------------------

/// A database whose clock only moves when the test advances it, for exact timing.
fn stopped_clock() -> TestDb {
    TestDb::builder().tick_per_call(Duration::ZERO).build()
}

/// `who`'s player row.
fn player_of(db: &mut TestDb, who: Identity) -> Player {
    db.read(|ctx| ctx.db.player().identity().find(who)).expect("a player row")
}

/// `who`'s avatar (steering) and its entity (position), if they have one.
fn avatar_of(db: &mut TestDb, who: Identity) -> Option<(Avatar, Entity)> {
    db.read(|ctx| {
        let player = ctx.db.player().identity().find(who)?;
        let avatar = ctx.db.avatar().player_id().filter(player.player_id).next()?;
        let entity = ctx.db.entity().entity_id().find(avatar.entity_id)?;
        Some((avatar, entity))
    })
}

/// Where `who`'s avatar is.
fn position(db: &mut TestDb, who: Identity) -> (f32, f32) {
    let (_, e) = avatar_of(db, who).expect("an avatar");
    (e.x, e.y)
}

/// Every food entity.
fn food(db: &mut TestDb) -> Vec<Entity> {
    db.read(|ctx| ctx.db.entity().kind().filter(EntityKind::Food).collect())
}

/// The food closest to `who`'s avatar.
fn nearest_food(db: &mut TestDb, who: Identity) -> Entity {
    let (x, y) = position(db, who);
    let dist = |f: &Entity| (f.x - x).powi(2) + (f.y - y).powi(2);
    food(db).into_iter().min_by(|a, b| dist(a).total_cmp(&dist(b))).expect("there is food")
}

/// Steers `who` straight at `target` and ticks until it is eaten, then stops; returns the ticks.
fn chase(db: &mut TestDb, who: &Client, target: &Entity) -> Vec<CallOutcome> {
    let (x, y) = position(db, who.identity());
    db.call::<steer>(who, (target.x - x, target.y - y)).assert_ok();
    let mut ticks = Vec::new();
    while db.read(|ctx| ctx.db.entity().entity_id().find(target.entity_id).is_some()) {
        assert!(ticks.len() < 1_000, "{} never reached the food", who.name());
        ticks.extend(db.advance(TICK_INTERVAL));
    }
    db.call::<steer>(who, (0.0, 0.0)).assert_ok();
    ticks
}

/// Every table, as JSON: the whole visible state, to compare before and after.
fn all_tables(db: &TestDb) -> Json {
    let names: Vec<String> = db.module_def().tables.iter().map(|t| t.name.to_string()).collect();
    Json::Object(names.into_iter().map(|name| (name.clone(), db.table_json(&name))).collect())
}

/// The `tick` calls among scheduled outcomes.
fn ticks(outcomes: &[CallOutcome]) -> usize {
    outcomes.iter().filter(|o| o.reducer() == "tick").count()
}

// --- the world at start -----------------------------------------------------------------------

#[test]
fn init_creates_the_settings_the_zones_and_forty_food() {
    let start = Timestamp::from_micros_since_unix_epoch(1_700_000_000_000_000);
    let mut db = TestDb::builder().start_time(start).build();

    let settings = db.read(|ctx| ctx.db.config().id().find(0)).expect("a config row");
    assert_eq!(settings.world_size, WORLD_SIZE);
    // `init` ran at the start time; the clock has moved on by one call since.
    assert_eq!(settings.started, start);
    assert_eq!(db.count("zone"), 4);
    assert_eq!(food(&mut db).len() as u64, FOOD_TARGET);
    assert_eq!(db.count("player"), 0);
}

#[test]
fn zones_are_found_by_their_id() {
    let mut db = TestDb::new();

    let south = db.read(|ctx| ctx.db.zone().zone_id().find(2)).map(|z| z.name);

    assert_eq!(south.as_deref(), Some("South"));
    assert_eq!(db.table_json("zone")[0], json!({"zone_id": 0, "name": "North"}));
}

#[test]
fn all_food_lies_inside_the_world_in_the_right_grid_cell() {
    let mut db = TestDb::new();

    for f in food(&mut db) {
        assert!((0.0..WORLD_SIZE).contains(&f.x) && (0.0..WORLD_SIZE).contains(&f.y));
        assert_eq!((f.cell_x, f.cell_y), (arena::cell(f.x), arena::cell(f.y)));
        assert_eq!(f.radius, 4.0);
    }
}

#[test]
fn init_schedules_the_tick_and_a_food_burst() {
    let db = TestDb::new();

    assert_eq!(db.scheduled_count(), 2);
    assert_eq!(db.count("tick_timer"), 1);
    assert_eq!(
        db.table_json("event_timer"),
        json!([{"id": 1, "at": {"Time": "2025-01-01T00:00:10+00:00"}, "event": {"FoodBurst": 10}}])
    );
}

#[test]
fn the_scheduled_tables_name_their_reducers() {
    let db = TestDb::new();
    let def = db.module_def();

    let schedules: Vec<(&str, &str)> =
        def.tables.iter().filter_map(|t| t.schedule.as_ref().map(|s| (&*t.name, &*s.reducer_name))).collect();

    assert_eq!(schedules, [("event_timer", "fire_event"), ("tick_timer", "tick")]);
}

#[test]
fn settings_are_private_and_game_state_is_public() {
    use worldtube_lib::raw_def::TableAccess::{Private, Public};
    let db = TestDb::new();

    let access: Vec<_> = db.module_def().tables.iter().map(|t| (t.name.to_string(), t.table_access)).collect();

    for (table, expected) in [("config", Private), ("tick_timer", Private), ("player", Public), ("entity", Public)] {
        assert!(access.contains(&(table.to_string(), expected)), "{table} should be {expected:?}");
    }
}

// --- joining and leaving ----------------------------------------------------------------------

#[test]
fn connecting_creates_an_online_player_with_a_still_avatar() {
    let mut db = TestDb::new();

    let alice = db.connect("alice");

    let player = player_of(&mut db, alice.identity());
    assert!(player.online);
    assert_eq!((player.name.as_str(), player.score), ("", 0));
    let (avatar, body) = avatar_of(&mut db, alice.identity()).expect("alice has an avatar");
    assert_eq!(avatar.player_id, player.player_id);
    assert_eq!((avatar.dir_x, avatar.dir_y), (0.0, 0.0));
    assert_eq!((body.kind, body.radius), (EntityKind::Avatar, 10.0));
}

#[test]
fn connecting_inserts_one_player_one_avatar_and_one_entity() {
    let mut db = TestDb::new();
    let alice = db.client("alice");

    let joined = db.connect_client(&alice);

    joined.assert_ok();
    assert_eq!(joined.inserted::<Player>("player").len(), 1);
    assert_eq!(joined.inserted::<Avatar>("avatar").len(), 1);
    assert_eq!(joined.inserted::<Entity>("entity")[0].kind, EntityKind::Avatar);
}

#[test]
fn each_player_gets_their_own_id_and_avatar() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let carol = db.connect("carol");

    let ids: Vec<u64> = [&alice, &bob, &carol].iter().map(|c| player_of(&mut db, c.identity()).player_id).collect();

    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(db.count("avatar"), 3);
    assert_eq!(db.rows::<Entity>("entity").iter().filter(|e| e.kind == EntityKind::Avatar).count(), 3);
}

#[test]
fn try_connect_lets_everyone_in() {
    let mut db = TestDb::new();

    let dave = db.try_connect("dave").expect("the arena never rejects a connection");

    assert!(avatar_of(&mut db, dave.identity()).is_some());
}

#[test]
fn disconnecting_removes_the_avatar_and_marks_the_player_offline() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let (avatar, body) = avatar_of(&mut db, bob.identity()).unwrap();

    let left = db.disconnect(&bob);

    left.assert_ok();
    let removed_avatars: Vec<Avatar> = left.deleted("avatar");
    let removed_entities: Vec<Entity> = left.deleted("entity");
    assert_eq!(removed_avatars.iter().map(|a| a.entity_id).collect::<Vec<_>>(), [avatar.entity_id]);
    assert_eq!(removed_entities.iter().map(|e| e.entity_id).collect::<Vec<_>>(), [body.entity_id]);
    assert!(!player_of(&mut db, bob.identity()).online);
    assert!(avatar_of(&mut db, bob.identity()).is_none());
    assert!(avatar_of(&mut db, alice.identity()).is_some(), "alice is still playing");
}

#[test]
fn reconnecting_revives_the_player_with_a_fresh_avatar() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<enter_game>(&alice, ("Alice".to_string(),)).assert_ok();
    let first_body = avatar_of(&mut db, alice.identity()).unwrap().1.entity_id;
    db.disconnect(&alice).assert_ok();

    let back = db.connect("alice");

    let player = player_of(&mut db, back.identity());
    assert!(player.online);
    assert_eq!((player.player_id, player.name.as_str()), (1, "Alice"));
    assert_ne!(avatar_of(&mut db, alice.identity()).unwrap().1.entity_id, first_body);
    assert_eq!(db.count("player"), 1);
}

#[test]
fn disconnect_of_an_unknown_player_only_logs_a_warning() {
    let mut db = TestDb::new();
    let ghost = db.client("ghost");

    let outcome = db.disconnect(&ghost);

    outcome.assert_ok();
    assert!(outcome.logged("unknown player"));
    assert_eq!(outcome.logs()[0].level, LogLevel::Warn);
}

// --- entering the game ------------------------------------------------------------------------

#[test]
fn enter_game_sets_the_trimmed_name_and_announces_it() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call::<enter_game>(&alice, ("  Alice  ".to_string(),));

    outcome.assert_ok();
    assert!(outcome.logged("Alice entered the arena"));
    assert_eq!(outcome.inserted::<Player>("player")[0].name, "Alice");
    assert_eq!(player_of(&mut db, alice.identity()).name, "Alice");
}

#[test]
fn enter_game_can_be_called_by_name_with_json() {
    let mut db = TestDb::new();
    let bob = db.connect("bob");

    db.call_json(&bob, "enter_game", r#"{"name": "Bob"}"#).assert_ok();

    assert_eq!(db.table_json("player")[0]["name"], "Bob");
}

#[test]
fn names_must_have_between_1_and_24_characters() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    for bad in ["", "    ", &"x".repeat(25)] {
        let outcome = db.call::<enter_game>(&alice, (bad.to_string(),));
        assert_eq!(outcome.error(), Some("names need 1 to 24 characters"), "for {bad:?}");
    }
    db.call::<enter_game>(&alice, ("é".repeat(24),)).assert_ok(); // characters, not bytes
    assert_eq!(player_of(&mut db, alice.identity()).name, "é".repeat(24));
}

#[test]
fn only_connected_players_can_enter_the_game() {
    let mut db = TestDb::new();
    let stranger = TestDb::identity("stranger");

    let outcome = db.call::<enter_game>(stranger, ("Stranger".to_string(),));

    outcome.assert_err("connect before entering the game");
    assert_eq!(db.count("player"), 0);
}

// --- steering ---------------------------------------------------------------------------------

#[test]
fn steering_normalises_the_direction() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    db.call::<steer>(&alice, (3.0, 4.0)).assert_ok();

    let (avatar, _) = avatar_of(&mut db, alice.identity()).unwrap();
    assert_eq!((avatar.dir_x, avatar.dir_y), (0.6, 0.8));
}

#[test]
fn steering_by_json_works_like_a_typed_call() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    let outcome = db.call_json(&alice, "steer", "[0, -2]");

    assert_eq!(outcome.inserted_json("avatar")[0]["dir_y"], -1.0);
}

#[test]
fn steering_at_zero_stops_the_avatar() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (1.0, 0.0)).assert_ok();

    db.call::<steer>(&alice, (0.0, 0.0)).assert_ok();
    let before = position(&mut db, alice.identity());
    db.advance(Duration::from_secs(1));

    assert_eq!(position(&mut db, alice.identity()), before);
}

#[test]
fn steering_rejects_directions_that_are_not_finite() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    for (x, y) in [(f32::NAN, 0.0), (0.0, f32::INFINITY), (f32::NEG_INFINITY, 1.0)] {
        db.call::<steer>(&alice, (x, y)).assert_err("direction must be finite");
    }
}

#[test]
fn steering_needs_a_player_with_an_avatar() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.disconnect(&alice).assert_ok();

    assert_eq!(db.call::<steer>(&alice, (1.0, 0.0)).error(), Some("you have no avatar"));
    assert_eq!(db.call::<steer>(TestDb::identity("nobody"), (1.0, 0.0)).error(), Some("not a player"));
}

#[test]
fn steering_with_a_huge_vector_still_points_that_way() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");

    db.call::<steer>(&alice, (f32::MAX, 0.0)).assert_ok();

    let (avatar, _) = avatar_of(&mut db, alice.identity()).unwrap();
    assert_eq!((avatar.dir_x, avatar.dir_y), (1.0, 0.0));
}

// --- the tick ---------------------------------------------------------------------------------

#[test]
fn the_world_ticks_every_50_ms() {
    let mut db = stopped_clock();
    let start = db.now();

    let first = db.advance(TICK_INTERVAL);
    let second_early = db.advance(TICK_INTERVAL - Duration::from_micros(1));
    let a_second = db.advance(Duration::from_secs(1));

    assert_eq!(ticks(&first), 1);
    assert_eq!(first[0].timestamp(), start + TICK_INTERVAL);
    assert_eq!(ticks(&second_early), 0);
    assert_eq!(ticks(&a_second), 20);
    assert!(a_second.iter().all(|o| o.is_ok()));
}

#[test]
fn the_next_tick_is_due_one_interval_after_the_last() {
    let mut db = stopped_clock();
    let start = db.now();

    db.advance(TICK_INTERVAL);

    assert_eq!(db.engine().scheduler().next_due(), Some(start + TICK_INTERVAL * 2));
}

#[test]
fn a_steered_avatar_moves_speed_times_a_twentieth_of_a_second_per_tick() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let (x, y) = position(&mut db, alice.identity());
    let towards_centre = if x < WORLD_SIZE / 2.0 { 1.0 } else { -1.0 };
    db.call::<steer>(&alice, (towards_centre, 0.0)).assert_ok();

    let outcomes = db.advance(TICK_INTERVAL);

    assert_eq!(ticks(&outcomes), 1);
    assert_eq!(position(&mut db, alice.identity()), (x + towards_centre * STEP, y));
    assert_eq!(STEP, 6.0);
}

#[test]
fn diagonal_movement_covers_the_same_distance() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let (x, y) = position(&mut db, alice.identity());
    let (dx, dy) = (if x < 500.0 { 1.0 } else { -1.0 }, if y < 500.0 { 1.0 } else { -1.0 });
    db.call::<steer>(&alice, (dx, dy)).assert_ok();

    db.advance(TICK_INTERVAL * 10);

    let (nx, ny) = position(&mut db, alice.identity());
    let travelled = ((nx - x).powi(2) + (ny - y).powi(2)).sqrt();
    assert!((travelled - 10.0 * STEP).abs() < 1e-3, "travelled {travelled}");
}

#[test]
fn the_tick_keeps_the_avatars_grid_cell_in_step() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (1.0, 1.0)).assert_ok();

    db.advance(Duration::from_secs(2));

    let (_, body) = avatar_of(&mut db, alice.identity()).unwrap();
    assert_eq!((body.cell_x, body.cell_y), (arena::cell(body.x), arena::cell(body.y)));
}

#[test]
fn avatars_stop_at_the_edge_of_the_world() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (-1.0, 0.0)).assert_ok();

    db.advance(Duration::from_secs(10)); // 1200 units: further than the world is wide

    assert_eq!(position(&mut db, alice.identity()).0, 0.0);
}

#[test]
fn eating_food_raises_the_score() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let target = nearest_food(&mut db, alice.identity());

    let ticks = chase(&mut db, &alice, &target);

    let meal = ticks.last().expect("at least one tick");
    let eaten: Vec<Entity> = meal.deleted("entity");
    assert!(eaten.iter().any(|e| e.entity_id == target.entity_id));
    let scored: Vec<Player> = meal.inserted("player");
    assert_eq!(scored.len(), 1);
    assert!(scored[0].score >= 1);
    assert_eq!(player_of(&mut db, alice.identity()).score, scored[0].score);
}

#[test]
fn eaten_food_is_replaced_in_the_same_tick() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let target = nearest_food(&mut db, alice.identity());

    let ticks = chase(&mut db, &alice, &target);

    let meal = ticks.last().unwrap();
    let is_food = |e: &Entity| e.kind == EntityKind::Food;
    let eaten = meal.deleted::<Entity>("entity").into_iter().filter(is_food).count();
    let spawned = meal.inserted::<Entity>("entity").into_iter().filter(is_food).count();
    assert!(eaten >= 1);
    assert_eq!(spawned, eaten);
}

#[test]
fn a_player_who_has_not_eaten_is_not_on_the_leaderboard() {
    let mut db = TestDb::new();
    db.connect("alice");

    let top = db.read(|ctx| top_players(ctx, 10));

    assert!(top.is_empty());
}

#[test]
fn the_leaderboard_lists_scoring_players_best_first() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    let carol = db.connect("carol"); // never moves, never scores (unless food lands on her)
    let bob_target = nearest_food(&mut db, bob.identity());
    chase(&mut db, &bob, &bob_target);
    while player_of(&mut db, alice.identity()).score <= player_of(&mut db, bob.identity()).score {
        let target = nearest_food(&mut db, alice.identity());
        chase(&mut db, &alice, &target);
    }

    let top = db.read(|ctx| top_players(ctx, 10));
    let best = db.read(|ctx| top_players(ctx, 1));

    let order: Vec<Identity> = top.iter().map(|p| p.identity).collect();
    assert_eq!(&order[..2], [alice.identity(), bob.identity()]);
    assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(top.iter().all(|p| p.score > 0));
    assert_eq!(top.iter().any(|p| p.identity == carol.identity()), player_of(&mut db, carol.identity()).score > 0);
    assert_eq!(best.len(), 1);
    assert_eq!(best[0].identity, alice.identity());
}

#[test]
fn only_the_scheduler_may_run_the_tick() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (1.0, 0.0)).assert_ok();
    let before = all_tables(&db);
    let timer = TickTimer { scheduled_id: 1, scheduled_at: TICK_INTERVAL.into() };

    let outcome = db.call::<tick>(&alice, (timer,));

    assert_eq!(outcome.error(), Some("tick may only be run by the scheduler"));
    assert_eq!(all_tables(&db), before, "nothing moved");
}

// --- one-shot events --------------------------------------------------------------------------

#[test]
fn the_food_burst_fires_once_after_ten_seconds_and_its_timer_goes() {
    let mut db = stopped_clock();
    let start = db.now();

    let before = db.advance(Duration::from_secs(10) - Duration::from_micros(1));
    let at_ten = db.advance(Duration::from_micros(1));
    let later = db.advance(Duration::from_secs(30));

    assert!(before.iter().all(|o| o.reducer() == "tick"));
    let bursts: Vec<&CallOutcome> = at_ten.iter().filter(|o| o.reducer() == "fire_event").collect();
    assert_eq!(bursts.len(), 1);
    let burst = bursts[0];
    assert_eq!(burst.timestamp(), start + Duration::from_secs(10));
    assert!(burst.logged("a burst of 10 food appeared"));
    assert_eq!(burst.logs()[0].level, LogLevel::Info);
    assert_eq!(burst.inserted::<Entity>("entity").len(), 10);
    assert_eq!(db.table_json("event_timer"), json!([]));
    assert!(later.iter().all(|o| o.reducer() == "tick"), "the burst does not repeat");
    assert_eq!(food(&mut db).len() as u64, FOOD_TARGET + 10);
}

#[test]
fn one_shot_events_are_run_by_the_database_and_removed_after_the_call() {
    let mut db = stopped_clock();

    let outcomes = db.advance_to(db.now() + Duration::from_secs(10));

    let burst = outcomes.iter().find(|o| o.reducer() == "fire_event").expect("the burst ran");
    assert_eq!(burst.outcome().caller.identity, db.read(|ctx| ctx.identity()));
    // The host deletes the row in a transaction of its own, so the call itself does not.
    assert!(burst.deleted::<EventTimer>("event_timer").is_empty());
    assert_eq!(db.count("event_timer"), 0);
}

#[test]
fn an_announcement_is_made_at_the_requested_time() {
    let mut db = stopped_clock();
    let alice = db.connect("alice");
    let start = db.now();

    let scheduled = db.call::<schedule_announcement>(&alice, ("Double points!".to_string(), 1_500));
    let early = db.advance(Duration::from_millis(1_499));
    let on_time = db.advance(Duration::from_millis(1));

    let timers: Vec<EventTimer> = scheduled.inserted("event_timer");
    assert_eq!(timers[0].event, ArenaEvent::Announce("Double points!".to_string()));
    assert!(!early.iter().any(|o| o.logged("announcement")));
    let made = on_time.iter().find(|o| o.logged("announcement: Double points!")).expect("announced");
    assert_eq!(made.timestamp(), start + Duration::from_millis(1_500));
    assert_eq!(db.count("event_timer"), 1, "only the food burst is left");
}

#[test]
fn an_announcement_adds_one_scheduled_call() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let queued = db.scheduled_count();

    db.call::<schedule_announcement>(&alice, ("hello".to_string(), 60_000)).assert_ok();

    assert_eq!(db.scheduled_count(), queued + 1);
}

#[test]
fn an_announcement_due_now_runs_with_run_scheduled() {
    let mut db = stopped_clock();
    let alice = db.connect("alice");
    db.call_json(&alice, "schedule_announcement", r#"{"text": "now!", "delay_ms": 0}"#).assert_ok();

    let outcomes = db.run_scheduled();

    assert_eq!(outcomes.len(), 1);
    assert!(outcomes[0].logged("announcement: now!"));
}

#[test]
fn an_empty_announcement_is_rejected() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let queued = db.scheduled_count();

    let outcome = db.call::<schedule_announcement>(&alice, (String::new(), 10));

    assert_eq!(outcome.error(), Some("nothing to announce"));
    assert_eq!(db.scheduled_count(), queued);
    assert_eq!(db.count("event_timer"), 1);
}

#[test]
fn an_announcement_too_far_ahead_is_rejected_and_changes_nothing() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.advance(Duration::from_secs(1));
    let (before, queued) = (all_tables(&db), db.scheduled_count());

    let outcome = db.call::<schedule_announcement>(&alice, ("never".to_string(), u64::MAX));

    outcome.assert_err("too far in the future");
    assert_eq!(all_tables(&db), before);
    assert_eq!(db.scheduled_count(), queued);
}

#[test]
fn rejected_calls_change_nothing() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");
    db.call::<steer>(&bob, (0.0, 1.0)).assert_ok();
    db.advance(Duration::from_millis(500));
    let before = all_tables(&db);

    db.call::<enter_game>(&alice, (String::new(),)).assert_err("names need 1 to 24 characters");
    db.call::<steer>(&alice, (f32::NAN, 1.0)).assert_err("direction must be finite");
    db.call::<schedule_announcement>(&bob, (String::new(), 5)).assert_err("nothing to announce");

    assert_eq!(all_tables(&db), before);
}

// --- randomness and time ----------------------------------------------------------------------

#[test]
fn the_same_start_time_gives_the_same_world() {
    let start = Timestamp::parse_from_rfc3339("2031-03-14T15:09:26Z").unwrap();
    let mut one = TestDb::builder().start_time(start).build();
    let mut two = TestDb::builder().start_time(start).build();

    for db in [&mut one, &mut two] {
        let alice = db.connect("alice");
        db.call::<steer>(&alice, (1.0, 2.0)).assert_ok();
        db.advance(Duration::from_secs(12));
    }

    assert_eq!(one.table_json("entity"), two.table_json("entity"));
    assert_eq!(one.table_json("player"), two.table_json("player"));
}

#[test]
fn a_different_start_time_gives_different_food() {
    let one = TestDb::builder().start_time(Timestamp::from_micros_since_unix_epoch(1_000_000)).build();
    let two = TestDb::builder().start_time(Timestamp::from_micros_since_unix_epoch(2_000_000)).build();

    assert_ne!(one.table_json("entity"), two.table_json("entity"));
}

#[test]
fn with_a_stopped_clock_every_call_draws_the_same_random_numbers() {
    // `ctx.rng()` is seeded from the call's time: two calls at the same instant draw alike.
    let mut db = stopped_clock();
    let alice = db.connect("alice");
    let bob = db.connect("bob");

    assert_eq!(position(&mut db, alice.identity()), position(&mut db, bob.identity()));
}

#[test]
fn by_default_each_call_gets_its_own_time_and_so_its_own_random_numbers() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    let bob = db.connect("bob");

    assert_ne!(position(&mut db, alice.identity()), position(&mut db, bob.identity()));
}

#[test]
fn restoring_a_snapshot_rewinds_the_world_and_the_schedule() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (1.0, 0.0)).assert_ok();
    let saved = db.snapshot();
    let (world, time, queued) = (all_tables(&db), db.now(), db.scheduled_count());

    db.advance(Duration::from_secs(15)); // ticks, the food burst
    db.connect("bob");
    db.restore(&saved);

    assert_eq!(all_tables(&db), world);
    assert_eq!(db.now(), time);
    assert_eq!(db.scheduled_count(), queued);
}

#[test]
fn replaying_from_a_snapshot_plays_out_the_same() {
    let mut db = TestDb::new();
    let alice = db.connect("alice");
    db.call::<steer>(&alice, (-1.0, 1.0)).assert_ok();
    let saved = db.snapshot();

    let first: Vec<String> = db.advance(Duration::from_secs(11)).iter().map(|o| o.reducer().to_string()).collect();
    let first_world = all_tables(&db);
    db.restore(&saved);
    let second: Vec<String> = db.advance(Duration::from_secs(11)).iter().map(|o| o.reducer().to_string()).collect();

    assert_eq!(first, second);
    assert_eq!(all_tables(&db), first_world);
}
