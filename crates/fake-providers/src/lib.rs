//! A local stand-in for the AI providers' APIs, for tests and benchmarks only. It listens on
//! 127.0.0.1 (or another loopback address) and answers key checks the way each provider does:
//! the same status codes, JSON error bodies (pretty and compact, as captured) and headers.
//!
//! Requests go to `http://ADDR/<provider id>/<the provider's own path>`: use [`FakeProviders::base_url`]
//! as an entry's base URL. What the server answers is chosen by the key: the text after the last
//! `:` of the key names a scenario (`sk-proj-abc:invalid`); a key without `:` is valid.
//! Scenarios: `valid`, `invalid`, `restricted`, `wrong_org`, `no_org`, `no_credit`, `rate_limited`,
//! `region_blocked`, `server_error`, `overloaded`, `disabled`, `not_found`, `no_credit_deep`,
//! `restricted_deep`, and the hostile ones `html`, `html_ok`, `malformed`, `redirect`, `huge`, `hang`.

mod answers;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query, e.g. `/openai/v1/models`.
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A running fake provider server; it stops accepting when dropped.
pub struct FakeProviders {
    addr: SocketAddr,
    state: Arc<State>,
}

struct State {
    log: Mutex<Vec<Request>>,
    /// Requests being answered now, and the most there ever were at once.
    in_flight: Mutex<(usize, usize)>,
    latency: Mutex<Duration>,
    redirect_to: Mutex<String>,
    stopped: std::sync::atomic::AtomicBool,
}

/// A response to send: status, headers, body.
pub(crate) struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

pub(crate) enum Body {
    Text(String),
    /// This many bytes of JSON-looking filler, streamed.
    Huge(usize),
    /// Never answer.
    Hang,
}

impl FakeProviders {
    /// Starts a server on 127.0.0.1 and a free port.
    pub fn start() -> FakeProviders {
        Self::start_on("127.0.0.1")
    }

    /// Starts a server on another loopback address (e.g. `127.0.0.2`, a "different host").
    pub fn start_on(ip: &str) -> FakeProviders {
        let listener = TcpListener::bind((ip, 0)).expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            log: Mutex::new(Vec::new()),
            in_flight: Mutex::new((0, 0)),
            latency: Mutex::new(Duration::ZERO),
            redirect_to: Mutex::new("http://127.0.0.2:9/stolen".to_string()),
            stopped: std::sync::atomic::AtomicBool::new(false),
        });
        let accept_state = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if accept_state.stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let state = Arc::clone(&accept_state);
                thread::spawn(move || serve(stream, &state));
            }
        });
        FakeProviders { addr, state }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL to give an entry of `provider`, shaped like the provider's official one
    /// (`…/openai/v1`, `…/anthropic`, `…/gemini`, …).
    pub fn base_url(&self, provider: &str) -> String {
        let suffix = answers::base_suffix(provider);
        format!("http://{}/{provider}{suffix}", self.addr)
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.state.log.lock().unwrap().clone()
    }

    /// The most requests that were being answered at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.state.in_flight.lock().unwrap().1
    }

    /// Delay before each answer (for benchmarks of many checks).
    pub fn set_latency(&self, latency: Duration) {
        *self.state.latency.lock().unwrap() = latency;
    }

    /// Where the `redirect` scenario points (default: a closed port on 127.0.0.2).
    pub fn set_redirect_target(&self, url: &str) {
        *self.state.redirect_to.lock().unwrap() = url.to_string();
    }
}

/// An HTTPS server on 127.0.0.1 with a self-signed certificate that no trust store accepts. It
/// records requests that get through the TLS handshake (there should be none).
pub struct UntrustedTls {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl UntrustedTls {
    pub fn start() -> UntrustedTls {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .expect("a self-signed certificate");
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert.cert.der().clone()], key)
            .expect("a TLS server configuration");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let accept_log = Arc::clone(&log);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let Ok(conn) = rustls::ServerConnection::new(Arc::clone(&config)) else { continue };
                let log = Arc::clone(&accept_log);
                thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    let mut line = String::new();
                    if BufReader::new(&mut tls).read_line(&mut line).is_ok() && !line.is_empty() {
                        log.lock().unwrap().push(line);
                    }
                });
            }
        });
        UntrustedTls { addr, log }
    }

    pub fn base_url(&self, provider: &str) -> String {
        format!("https://{}/{provider}{}", self.addr, answers::base_suffix(provider))
    }

    /// Request lines that arrived over TLS.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for FakeProviders {
    fn drop(&mut self) {
        self.state.stopped.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, state: &State) {
    let Some(request) = read_request(&stream) else { return };
    state.log.lock().unwrap().push(request.clone());
    {
        let mut n = state.in_flight.lock().unwrap();
        n.0 += 1;
        n.1 = n.1.max(n.0);
    }
    let latency = *state.latency.lock().unwrap();
    if !latency.is_zero() {
        thread::sleep(latency);
    }
    state.in_flight.lock().unwrap().0 -= 1;
    let redirect_to = state.redirect_to.lock().unwrap().clone();
    let answer = answers::answer(&request, &redirect_to);
    let _ = write_answer(stream, answer);
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let mut path = parts.next()?.to_string();
    // As an HTTP proxy, requests come in absolute form (`GET http://host/path`): keep the path.
    if let Some(rest) = path.strip_prefix("http://") {
        path = rest.find('/').map_or("/".to_string(), |i| rest[i..].to_string());
    }
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

fn write_answer(mut stream: TcpStream, answer: Answer) -> std::io::Result<()> {
    let reason = match answer.status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let mut head = format!("HTTP/1.1 {} {reason}\r\nconnection: close\r\n", answer.status);
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match answer.body {
        Body::Text(text) => {
            head.push_str(&format!("content-length: {}\r\n\r\n", text.len()));
            stream.write_all(head.as_bytes())?;
            stream.write_all(text.as_bytes())
        }
        Body::Huge(size) => {
            head.push_str(&format!("content-type: application/json\r\ncontent-length: {size}\r\n\r\n"));
            stream.write_all(head.as_bytes())?;
            stream.write_all(b"{\"data\":[")?;
            let chunk = "{\"id\":\"model\",\"object\":\"model\"},".repeat(2048);
            let mut sent = 9;
            while sent + chunk.len() < size {
                stream.write_all(chunk.as_bytes())?;
                sent += chunk.len();
            }
            Ok(())
        }
        Body::Hang => {
            thread::sleep(Duration::from_secs(120));
            Ok(())
        }
    }
}
