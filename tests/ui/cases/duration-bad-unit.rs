fn main() {
    let _ = spacetimedb::duration!("10 parsecs");
}
