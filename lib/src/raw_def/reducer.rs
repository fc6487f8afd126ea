//! Reducers: the functions clients and the host can call.

use crate::algebraic::ProductType;

/// A reducer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RawReducerDefV9 {
    /// The name clients call it by; unique among reducers.
    pub name: Box<str>,
    /// Its arguments, not counting the reducer context, as an inline product whose elements must
    /// all be named.
    pub params: ProductType,
    /// Set if the host calls it at a lifecycle event; at most one reducer per event.
    pub lifecycle: Option<Lifecycle>,
}
crate::__bsatn_def_product!(RawReducerDefV9 { name, params, lifecycle });

/// The events at which the host calls a reducer by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Lifecycle {
    /// Tag 0: when the database is first published (and not on later updates).
    Init,
    /// Tag 1: when a client connects.
    OnConnect,
    /// Tag 2: when a client disconnects.
    OnDisconnect,
}
crate::__bsatn_def_sum!(Lifecycle { 0 => Init, 1 => OnConnect, 2 => OnDisconnect });

impl Lifecycle {
    /// All lifecycle events, in tag order.
    pub const ALL: [Lifecycle; 3] = [Self::Init, Self::OnConnect, Self::OnDisconnect];

    /// The event's name as the attribute spells it: `init`, `client_connected`,
    /// `client_disconnected`.
    pub fn attribute_name(self) -> &'static str {
        match self {
            Self::Init => "init",
            Self::OnConnect => "client_connected",
            Self::OnDisconnect => "client_disconnected",
        }
    }
}
