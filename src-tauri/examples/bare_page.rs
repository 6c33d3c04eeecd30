//! A bare Tauri page, for the benchmark only (scripts/bench-app.sh, issue 12): one window, one
//! static form in plain HTML (no script, no framework), the same WebKit settings as Keyward
//! (webview_tuning.rs), none of Keyward's commands or plugins. Keyward's memory and start-up
//! are compared with it: what is left is what a Tauri app on WebKitGTK costs at least.

const PAGE: &str = "<!doctype html><meta charset=utf-8><title>Bare Tauri page</title>\
<body style='font:16px system-ui;margin:40px'><h1>Bare Tauri page</h1>\
<label>Passphrase <input type=password autofocus></label> <button>Unlock</button></body>";

fn main() {
    let mut context = tauri::generate_context!();
    // Not Keyward's window (its page) from tauri.conf.json: only the bare one below.
    context.config_mut().app.windows.clear();
    // Its own WebKit data folder, not Keyward's (both run in the benchmark's one home).
    context.config_mut().identifier = "dev.keyward.bare-page".into();
    tauri::Builder::default()
        // Served the way Keyward's own page is: from the binary, through a custom URI scheme.
        .register_uri_scheme_protocol("bare", |_, _| {
            tauri::http::Response::builder().header("Content-Type", "text/html").body(PAGE.as_bytes().to_vec()).unwrap()
        })
        .setup(|app| {
            let url = tauri::WebviewUrl::CustomProtocol("bare://localhost/".parse().expect("the page's URL"));
            let window = tauri::WebviewWindowBuilder::new(app, "main", url)
                .title("Bare Tauri page")
                .inner_size(980.0, 680.0)
                .build()?;
            keyward_app::webview_tuning::apply(&window);
            Ok(())
        })
        .run(context)
        .expect("the bare page could not start");
}
