//! Named clients: the identities and connection ids that tests and the `worldtube` CLI derive
//! from plain names (`"alice"`), and the default settings of a database they start. Both use
//! this one module, so a native test and a CLI run of the same steps see the same identities,
//! clock and random seeds.

use worldtube_lib::{ConnectionId, Identity, TimeDuration, Timestamp};

use crate::engine::EngineOptions;

/// The name whose identity is the database's own (who runs scheduled reducers).
pub const DATABASE: &str = "database";

/// The default owner's name: who runs `init`.
pub const OWNER: &str = "owner";

/// Where the virtual clock starts by default: 2025-01-01T00:00:00Z. Fixed, so that runs (and
/// `ctx.rng()`, seeded from the time) repeat exactly.
pub const DEFAULT_START_TIME: Timestamp = Timestamp::from_micros_since_unix_epoch(1_735_689_600_000_000);

/// How far the clock moves with each call by default: 1 µs, so calls have distinct timestamps.
pub const DEFAULT_TICK_PER_CALL: TimeDuration = TimeDuration::from_micros(1);

/// The identity of the user called `name`: the same in every test and every run.
pub fn identity(name: &str) -> Identity {
    Identity::from_claims("worldtube-test", name)
}

/// The issuer of the tokens of named clients ([`claims`]).
pub const ISSUER: &str = "worldtube-test";

/// The claims (a JWT payload, JSON) of the token the client called `name` connects with, issued
/// at `issued_at`: subject `name`, issuer [`ISSUER`], so that they derive [`identity`]`(name)`,
/// shaped like the tokens a SpacetimeDB server issues (`hex_identity`, `sub`, `iss`, `aud`,
/// `iat`, `exp`).
pub fn claims(name: &str, issued_at: Timestamp) -> String {
    serde_json::json!({
        "hex_identity": identity(name).to_hex(),
        "sub": name,
        "iss": ISSUER,
        "aud": ["spacetimedb"],
        "iat": issued_at.to_micros_since_unix_epoch().div_euclid(1_000_000),
        "exp": null,
    })
    .to_string()
}

/// The identity a token's claims (a JSON object with `iss` and `sub` strings) stand for, as the
/// server derives it; or what is wrong with them.
pub fn identity_from_claims(payload: &str) -> Result<Identity, String> {
    let claims: serde_json::Value =
        serde_json::from_str(payload).map_err(|e| format!("the claims are not JSON: {e}"))?;
    let field = |name: &str| {
        claims.get(name).and_then(|v| v.as_str()).ok_or_else(|| format!("the claims have no `{name}` string"))
    };
    Ok(Identity::from_claims(field("iss")?, field("sub")?))
}

/// The connection id of the `n`th connection made by the client called `name`: the same in
/// every test and every run.
pub fn connection_id(name: &str, n: u128) -> ConnectionId {
    let seed = Identity::from_claims("worldtube-test-connection", &format!("{name}#{n}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&seed.to_byte_array()[..16]);
    ConnectionId::from_le_byte_array(bytes)
}

impl EngineOptions {
    /// The settings of a database owned by the user called `owner`, with the database identity
    /// of [`DATABASE`], the clock at [`DEFAULT_START_TIME`] and [`DEFAULT_TICK_PER_CALL`], and
    /// at most [`DEFAULT_MAX_RUNS_PER_ADVANCE`](crate::engine::DEFAULT_MAX_RUNS_PER_ADVANCE)
    /// scheduled calls per advance.
    pub fn named(owner: &str) -> EngineOptions {
        EngineOptions {
            owner: identity(owner),
            database_identity: identity(DATABASE),
            start_time: DEFAULT_START_TIME,
            tick_per_call: DEFAULT_TICK_PER_CALL,
            max_runs_per_advance: crate::engine::DEFAULT_MAX_RUNS_PER_ADVANCE,
        }
    }
}
