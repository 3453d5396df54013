//! Links the Wasm with a small stack: see `actorlib_kit::WASM_STACK_SIZE` for why.
fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=65536");
    }
}
