use spacetimedb::http::{Body, Request, Response};
use spacetimedb::ReducerContext;

#[spacetimedb::http::handler]
fn hello(_ctx: &ReducerContext, _request: Request) -> Response {
    Response::new(Body::from_bytes("hi"))
}

fn main() {}
