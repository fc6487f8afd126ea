use spacetimedb::http::{Body, HandlerContext, Response};

#[spacetimedb::http::handler]
fn hello(_ctx: &mut HandlerContext) -> Response {
    Response::new(Body::from_bytes("hi"))
}

fn main() {}
