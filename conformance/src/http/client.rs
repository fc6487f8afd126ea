//! The plumbing of the HTTP adapter: one HTTP/1.1 request per connection over a plain
//! [`TcpStream`] (`http://` only), enough for SpacetimeDB's HTTP API.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A server's address (`host:port`), parsed from `http://host:port` (a trailing `/` allowed).
pub(crate) fn authority(url: &str) -> Result<String, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| format!("`{url}`: only http:// URLs are supported"))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains('/') {
        return Err(format!("`{url}`: expected http://HOST:PORT"));
    }
    Ok(if rest.contains(':') { rest.to_owned() } else { format!("{rest}:80") })
}

/// Sends one request and returns the status code and the body (de-chunked), or `Err` if the
/// connection fails or no answer comes within `timeout`.
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> Result<(u16, Vec<u8>), String> {
    request_with_headers(addr, method, path, headers, body, timeout).map(|(status, body, _)| (status, body))
}

/// [`request`], also returning the response's header lines (names in lower case).
pub(crate) fn request_with_headers(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    timeout: Duration,
) -> Result<Response, String> {
    let fail = |e: std::io::Error| format!("{method} {path}: {e}");
    let mut stream = TcpStream::connect(addr).map_err(fail)?;
    stream.set_read_timeout(Some(timeout)).map_err(fail)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).map_err(fail)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(fail)?;
    parse_response(&response).ok_or_else(|| format!("{method} {path}: a malformed HTTP response"))
}

/// The status, the body (de-chunked) and the header lines (lower-case names) of a response.
type Response = (u16, Vec<u8>, Vec<(String, String)>);

fn parse_response(response: &[u8]) -> Option<Response> {
    let split = response.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&response[..split]).ok()?;
    let body = &response[split + 4..];
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    if !headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value.to_ascii_lowercase().contains("chunked"))
    {
        return Some((status, body.to_vec(), headers));
    }
    let (mut out, mut rest) = (Vec::new(), body);
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size = std::str::from_utf8(&rest[..line_end]).ok()?.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        let chunk = rest.get(line_end + 2..line_end + 2 + size)?;
        if size == 0 {
            return Some((status, out, headers));
        }
        out.extend_from_slice(chunk);
        rest = rest.get(line_end + 4 + size..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_parse_plain_and_chunked() {
        let plain = b"HTTP/1.1 530 Internal\r\ncontent-length: 4\r\n\r\nnope";
        let length = ("content-length".to_owned(), "4".to_owned());
        assert_eq!(parse_response(plain), Some((530, b"nope".to_vec(), vec![length])));
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let encoding = ("transfer-encoding".to_owned(), "chunked".to_owned());
        assert_eq!(parse_response(chunked), Some((200, b"abcde".to_vec(), vec![encoding])));
        assert_eq!(authority("http://127.0.0.1:3100/").as_deref(), Ok("127.0.0.1:3100"));
        assert!(authority("https://example.com").is_err());
    }
}
