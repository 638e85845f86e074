//! The reader's clock and time zone. chrono's clock is not wired to JavaScript in the
//! browser build, so there we ask `Date` directly.
use chrono::{DateTime, FixedOffset, Offset, Utc};

#[cfg(target_arch = "wasm32")]
mod js {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Date, js_name = now)]
        pub fn date_now() -> f64;
        #[wasm_bindgen(js_name = Date)]
        pub type JsDate;
        #[wasm_bindgen(constructor, js_class = "Date")]
        pub fn new() -> JsDate;
        #[wasm_bindgen(method, js_class = "Date", js_name = getTimezoneOffset)]
        pub fn get_timezone_offset(this: &JsDate) -> f64;
    }
}

pub fn now_utc() -> DateTime<Utc> {
    #[cfg(target_arch = "wasm32")]
    {
        DateTime::from_timestamp_millis(js::date_now() as i64).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Utc::now()
    }
}

/// The reader's UTC offset (the server renders with China time until the browser takes over).
pub fn local_offset() -> FixedOffset {
    #[cfg(target_arch = "wasm32")]
    let secs = -(js::JsDate::new().get_timezone_offset() as i32) * 60;
    #[cfg(not(target_arch = "wasm32"))]
    let secs = 8 * 3600;
    FixedOffset::east_opt(secs).unwrap_or_else(|| Utc.fix())
}
