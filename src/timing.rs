//! Time on the page: the browser's clock and timers, as futures.

/// Unix seconds by the browser's clock (the server's, when rendered there).
pub fn now_seconds() -> i64 {
    #[cfg(not(feature = "ssr"))]
    return (js_sys::Date::now() / 1000.0) as i64;
    #[cfg(feature = "ssr")]
    return std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
