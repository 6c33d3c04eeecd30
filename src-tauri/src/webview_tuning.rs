//! WebKitGTK's settings for Keyward's one static page (issue 12). WebKit's defaults are a web
//! browser's (a cache of pages visited, WebGL and WebAudio, which wry also turns on), and they
//! cost memory and start-up time a vault has no use for. What each setting does is measured in
//! docs/benchmarks.md (`scripts/bench-app.sh`). For those measurements only,
//! `KEYWARD_WEBKIT_DEFAULTS` names settings to leave as WebKit has them (`cache-model`,
//! `page-cache`, `webgl`, `webaudio`, `dns-prefetch`, `compositing`; `all`).
//!
//! `compositing`: the page is drawn without WebKit's accelerated compositing. A form-like page
//! has no use for it, and without it the web process draws without a GL context: about 86 MB
//! less with 1,000 keys (Mesa's libraries are still loaded: WebKit sets up EGL in any mode).

/// The settings, by the names `KEYWARD_WEBKIT_DEFAULTS` uses.
pub const SETTINGS: [&str; 6] = ["cache-model", "page-cache", "webgl", "webaudio", "dns-prefetch", "compositing"];

/// The settings to apply: all of them but those named in `defaults` (the variable's value).
pub fn chosen(defaults: Option<&str>) -> Vec<&'static str> {
    let keep: Vec<&str> = defaults.unwrap_or("").split(',').map(str::trim).collect();
    if keep.contains(&"all") {
        return Vec::new();
    }
    SETTINGS.into_iter().filter(|s| !keep.contains(s)).collect()
}

/// Applies the chosen settings to the window's webview (Linux; nothing elsewhere).
pub fn apply(window: &tauri::WebviewWindow) {
    let chosen = chosen(std::env::var("KEYWARD_WEBKIT_DEFAULTS").ok().as_deref());
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(move |webview| {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if chosen.contains(&"cache-model") {
            // "Disable the cache completely, which substantially reduces memory usage."
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(!chosen.contains(&"page-cache"));
            settings.set_enable_webgl(!chosen.contains(&"webgl"));
            settings.set_enable_webaudio(!chosen.contains(&"webaudio"));
            settings.set_enable_dns_prefetching(!chosen.contains(&"dns-prefetch"));
            if chosen.contains(&"compositing") {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = (window, chosen);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_applies_unless_left_at_webkits_default() {
        assert_eq!(chosen(None), SETTINGS.to_vec());
        assert_eq!(chosen(Some("webgl, page-cache")), vec!["cache-model", "webaudio", "dns-prefetch", "compositing"]);
        assert!(chosen(Some("all")).is_empty());
        assert_eq!(chosen(Some("no-such-setting")), SETTINGS.to_vec());
    }
}
