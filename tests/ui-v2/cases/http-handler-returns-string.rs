use spacetimedb::http::{HandlerContext, Request};

#[spacetimedb::http::handler]
fn hello(_ctx: &mut HandlerContext, _request: Request) -> String {
    "hi".to_owned()
}

fn main() {}
