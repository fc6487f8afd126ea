use spacetimedb::http::{Body, HandlerContext, Request, Response, Router};

#[spacetimedb::http::handler]
fn hello(_ctx: &mut HandlerContext, _request: Request) -> Response {
    Response::new(Body::from_bytes("hi"))
}

#[spacetimedb::http::router]
fn router(prefix: String) -> Router {
    Router::new().get(prefix, hello)
}

fn main() {}
