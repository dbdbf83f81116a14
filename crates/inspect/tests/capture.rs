//! The capture readers on their own: HAR entries in order with bodies decoded, the fields a
//! HAR file may lack, errors with their place and without the input's text.

use custodian_inspect::{CaptureError, Exchange, read_har, read_ndjson};

fn har(entries: &str) -> String {
    format!(
        "{{\"log\": {{\"version\": \"1.2\", \"creator\": {{\"name\": \"t\"}}, \"entries\": [{entries}], \"pages\": []}}}}"
    )
}

fn all_har(text: &str) -> Result<Vec<Exchange>, CaptureError> {
    let mut out = Vec::new();
    read_har(text.as_bytes(), |x| {
        out.push(x);
        Ok(())
    })?;
    Ok(out)
}

#[test]
fn har_entries_come_in_order_with_their_bodies() {
    let text = har(r#"
        {"startedDateTime": "2026-12-03T08:00:00.250+08:00", "request": {"method": "post", "url": "https://a.example/x",
            "headers": [{"name": "Cookie", "value": "s=1"}], "cookies": [{"name": "s", "value": "1"}],
            "postData": {"mimeType": "Application/JSON", "text": "{\"a\": 1}"}},
         "response": {"status": 201, "content": {"mimeType": "text/plain", "text": "aGVsbG8=", "encoding": "base64"}}},
        {"request": {"method": "GET", "url": "https://a.example/y"}, "response": {"status": 0, "content": {}}}"#);
    let got = all_har(&text).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!((got[0].method.as_str(), got[0].status), ("POST", 201));
    assert_eq!(
        got[0].time_ms,
        Some(1_796_256_000_250),
        "2026-12-03T00:00:00.250Z"
    );
    assert_eq!(
        got[0].request_body.as_ref().unwrap().mime,
        "Application/JSON",
        "as captured"
    );
    assert_eq!(got[0].response_body.as_ref().unwrap().bytes, b"hello");
    assert_eq!(got[0].cookies, [("s".to_string(), "1".to_string())]);
    assert!(got[1].time_ms.is_none() && got[1].response_body.is_none());
}

#[test]
fn errors_say_where_and_never_what() {
    let e = all_har("{\"log\": {\"entries\": [\n{\"request\": {\"url\": \"https://a.example/?p=13812345678\",\n \"method\": 7}}]}}").unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("HAR at line 3, column"), "{msg}");
    assert!(!msg.contains("13812345678"), "{msg}");
    let e = all_har("[1, 2]").unwrap_err();
    assert!(e.to_string().contains("HAR at line 1"), "{e}");
    let e = all_har("{\"log\": {}}").unwrap_err();
    assert!(e.to_string().contains("no `log.entries`"), "{e}");
    let e = all_har(&format!("{} trailing", har(""))).unwrap_err();
    assert!(e.to_string().contains("trailing"), "{e}");
    // The handler can stop the reading.
    let e = read_har(
        har(r#"{"request": {"url": "https://a.example/"}}"#).as_bytes(),
        |_| Err("enough".into()),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "enough");
}

#[test]
fn ndjson_takes_har_entries_and_the_short_form() {
    let text = concat!(
        r#"{"request": {"method": "GET", "url": "https://a.example/1"}, "startedDateTime": "2026-12-03T00:00:00Z"}"#,
        "\n",
        "   \n",
        r#"{"time": 5, "method": "put", "url": "https://a.example/2", "headers": {"X-Device": "d1", "Content-Type": "application/x-www-form-urlencoded"}, "body": "a=1", "response": {"status": 204}}"#,
        "\n",
        r#"{"time": "2026-12-03T00:00:01Z", "method": "POST", "url": "https://a.example/3", "body": {"k": [1, 2]}}"#,
    );
    let mut got = Vec::new();
    let n = read_ndjson(text.as_bytes(), |x| {
        got.push(x);
        Ok(())
    })
    .unwrap();
    assert_eq!(n, 3);
    assert_eq!(got[1].method, "PUT");
    assert_eq!(got[1].time_ms, Some(5));
    assert_eq!(
        got[1].request_body.as_ref().unwrap().mime,
        "application/x-www-form-urlencoded"
    );
    assert_eq!(got[1].status, 204);
    assert_eq!(
        got[2].request_body.as_ref().unwrap().bytes,
        br#"{"k":[1,2]}"#
    );
    assert_eq!(
        got[2].request_body.as_ref().unwrap().mime,
        "application/json"
    );
    let e = read_ndjson(
        "{\"url\": \"https://a.example/\"}\n{\"method\": \"GET\"}\n".as_bytes(),
        |_| Ok(()),
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("NDJSON at line 2") && e.to_string().contains("without a `url`"),
        "{e}"
    );
}
