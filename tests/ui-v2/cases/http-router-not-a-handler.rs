use spacetimedb::http::{Body, HandlerContext, Request, Response, Router};

fn hello(_ctx: &mut HandlerContext, _request: Request) -> Response {
    Response::new(Body::from_bytes("hi"))
}

#[spacetimedb::http::router]
fn router() -> Router {
    Router::new().get("/hello", hello)
}

fn main() {}
