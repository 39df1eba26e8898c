//! A small HTTP/1.1 client for talking to `vanban serve` on 127.0.0.1 from the tests and the
//! page benchmark: one request per connection, multipart uploads, chunked answers.
#![allow(dead_code)] // each user (tests, benchmark) calls part of it

use std::io::{Read, Write};
use std::net::TcpStream;

/// Sends one request to 127.0.0.1:`port`; `Host` is the printed address unless `headers`
/// has one.
pub fn request(port: u16, method: &str, path: &str, body: Body, headers: &[&str]) -> Answer {
    let (content_type, bytes) = body.encode();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|h| h.to_ascii_lowercase().starts_with("host:")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for h in headers {
        head.push_str(&format!("{h}\r\n"));
    }
    if let Some(t) = content_type {
        head.push_str(&format!("Content-Type: {t}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len()));
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(std::time::Duration::from_secs(300))).expect("timeout");
    stream.write_all(head.as_bytes()).expect("send");
    // The server may answer (413) before reading a large body; a broken pipe then is fine.
    let _ = stream.write_all(&bytes);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    Answer::parse(&raw)
}

/// A request body.
pub enum Body {
    None,
    Json(serde_json::Value),
    Text(&'static str, String),
    File(&'static str, Vec<u8>),
    /// A multipart form: each part's field name, file name and bytes.
    Parts(Vec<(&'static str, &'static str, Vec<u8>)>),
}

impl Body {
    fn encode(self) -> (Option<String>, Vec<u8>) {
        match self {
            Body::None => (None, Vec::new()),
            Body::Json(v) => (Some("application/json".into()), v.to_string().into_bytes()),
            Body::Text(t, s) => (Some(t.into()), s.into_bytes()),
            Body::File(name, bytes) => Body::Parts(vec![("file", name, bytes)]).encode(),
            Body::Parts(parts) => {
                let boundary = "vanban-test-boundary";
                let mut body = Vec::new();
                for (field, name, bytes) in parts {
                    body.extend(format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .into_bytes());
                    body.extend(bytes);
                    body.extend(b"\r\n");
                }
                body.extend(format!("--{boundary}--\r\n").into_bytes());
                (Some(format!("multipart/form-data; boundary={boundary}")), body)
            }
        }
    }
}

/// A response: status, headers (lower-case names), body (chunked encoding undone).
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    fn parse(raw: &[u8]) -> Answer {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a response");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked")) {
            body = unchunk(&body);
        }
        Answer { status, headers, body }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend(&body[end + 2..(end + 2 + size).min(body.len())]);
        body = &body[(end + 4 + size).min(body.len())..];
    }
    out
}
