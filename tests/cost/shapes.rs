//! Worst-case inputs for every core entry point that takes caller data, each at its size limit: repetition,
//! nesting, unclosed constructs, many fields, long runs of one character. Shared by the cost test
//! (tests/cost.rs, which counts memory) and the cost benchmark (benches/cost.rs, which prints times).

use base64::Engine;
use threeds_kit::core::creq::Creq;
use threeds_kit::core::cres::ChallengeResult;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::form;
use threeds_kit::core::html_form::{first_form, MAX_HTML_LEN};
use threeds_kit::core::inspect::inspect;
use threeds_kit::core::integrity;
use threeds_kit::core::json::{Map, ToJson, Value};
use threeds_kit::core::method::{MethodData, MethodNotification};
use threeds_kit::core::notification::{notification_page, NotificationResult};
use threeds_kit::core::payload::MAX_ENCODED_LEN;
use threeds_kit::core::providers::{
    next_action, parse_return, Keys, NextActionOptions, Provider, ReturnOptions, ReturnRequest,
};
use threeds_kit::core::session_data;
use threeds_kit::core::url::check_notification_url;

/// A caller's input of `size` bytes and the entry point it is fed to. The entry's answer is ignored: a typed
/// error is as good as a result here; what counts is the work done to reach it.
pub struct Shape {
    pub name: String,
    pub size: usize,
    pub run: Box<dyn Fn()>,
}

const FORM_LIMIT: usize = form::MAX_FORM_LEN;

/// `unit` repeated to `limit` bytes (whole units only).
fn fill(unit: &str, limit: usize) -> String {
    unit.repeat(limit / unit.len())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Base64url JSON as long as a decoder accepts.
fn b64_json(unit: &str, open: &str, close: &str) -> String {
    let room = MAX_ENCODED_LEN / 4 * 3 - open.len() - close.len();
    b64(format!("{open}{}{close}", fill(unit, room)).as_bytes())
}

/// An object of distinct keys that the method notification's lenient ID search looks at (`three…servertransid`),
/// none with a UUID: the search once looked each one up again (quadratic).
fn id_shaped_keys() -> String {
    let room = MAX_ENCODED_LEN / 4 * 3 - 2;
    let mut json = String::from("{");
    for i in 0.. {
        let member = format!("\"three{i}servertransid\":\"x\",");
        if json.len() + member.len() + 8 > room {
            break;
        }
        json.push_str(&member);
    }
    json.push_str("\"z\":1}");
    json
}

fn post(body: String) -> ReturnRequest {
    ReturnRequest {
        method: "POST".into(),
        url: "/return".into(),
        body,
        content_type: Some("application/x-www-form-urlencoded".into()),
    }
}

fn shape(name: impl Into<String>, size: usize, run: impl Fn() + 'static) -> Shape {
    Shape { name: name.into(), size, run: Box::new(run) }
}

fn veritrans_keys() -> ReturnOptions {
    ReturnOptions {
        provider: Some(Provider::Veritrans),
        keys: Keys {
            veritrans_merchant_cc_id: Some("A100000000000001".into()),
            veritrans_merchant_password: Some("secret".into()),
            ..Keys::default()
        },
        ..ReturnOptions::default()
    }
}

/// Every shape.
pub fn all() -> Vec<Shape> {
    let mut shapes = Vec::new();

    // Base64 JSON decoders: long strings, many keys, escapes, deep nesting, runs of padding and junk.
    let payloads = [
        ("many keys", b64_json("\"k\":1,", "{", "\"z\":1}")),
        ("distinct keys shaped like the transaction ID's", b64(id_shaped_keys().as_bytes())),
        ("long string of escapes", b64_json("\\u0000", "{\"threeDSServerTransID\":\"", "\"}")),
        ("array of empty objects", b64_json("{},", "{\"messageExtension\":[", "{}]}")),
        ("nesting", b64_json("[", "{\"a\":", "")),
        ("padding", fill("=", MAX_ENCODED_LEN)),
        ("whitespace", fill(" ", MAX_ENCODED_LEN)),
        ("one long run", fill("A", MAX_ENCODED_LEN)),
    ];
    for (what, payload) in payloads {
        let size = payload.len();
        let p = payload.clone();
        shapes.push(shape(format!("decodeCres: {what}"), size, move || drop(ChallengeResult::decode(&p))));
        let p = payload.clone();
        shapes.push(shape(format!("decodeCreq: {what}"), size, move || drop(Creq::decode(&p))));
        let p = payload.clone();
        shapes.push(shape(format!("decodeMethodData: {what}"), size, move || drop(MethodData::decode(&p))));
        let p = payload.clone();
        shapes.push(shape(format!("decodeMethodNotification: {what}"), size, move || {
            drop(MethodNotification::decode(&p))
        }));
        let p = payload.clone();
        shapes.push(shape(format!("decodeSessionData: {what}"), size, move || drop(session_data::decode(&p))));
        let p = payload;
        shapes.push(shape(format!("inspect: {what}"), size, move || drop(inspect(&p))));
    }

    // Form bodies: many fields, many empty fields, percent runs, plus runs.
    let bodies = [
        ("many fields", fill("a=b&", FORM_LIMIT)),
        ("many empty fields", fill("&", FORM_LIMIT)),
        ("percent escapes", format!("cres={}", fill("%41", FORM_LIMIT - 5))),
        ("lone percents", format!("cres={}", fill("%", FORM_LIMIT - 5))),
        ("plus runs", format!("threeDSSessionData={}", fill("+", FORM_LIMIT - 19))),
        ("one name many times", fill("cres=x&", FORM_LIMIT)),
    ];
    for (what, body) in bodies {
        let size = body.len();
        let b = body.clone();
        shapes.push(shape(format!("respondToNotification: {what}"), size, move || {
            let result = NotificationResult::from_form_or_error(&b, Some("application/x-www-form-urlencoded"));
            drop(notification_page(&result, "https://shop.example", Some("nonce")));
        }));
        let request = post(body.clone());
        shapes.push(shape(format!("parseReturn (detected): {what}"), size, move || {
            drop(parse_return(&request, &ReturnOptions::default()))
        }));
        for provider in
            [Provider::Komoju, Provider::Veritrans, Provider::Ingenico, Provider::Shift4, Provider::Acquired]
        {
            let request = post(body.clone());
            let options = ReturnOptions { provider: Some(provider), ..ReturnOptions::default() };
            shapes.push(shape(format!("parseReturn ({}): {what}", provider.name()), size, move || {
                drop(parse_return(&request, &options))
            }));
        }
        let b = body;
        shapes.push(shape(format!("verifyAcquiredRedirect: {what}"), size, move || {
            let pairs = form::parse(&b).unwrap_or_default();
            let get = |n: &str| form::only(&pairs, n).ok().flatten();
            drop(integrity::verify_acquired_redirect(
                get("status"),
                get("transaction_id"),
                get("order_id"),
                get("timestamp"),
                get("hash"),
                "app_key",
            ))
        }));
    }

    // VeriTrans4G: authParams naming one large field again and again, or many absent fields; a signed return
    // whose 64 names each point at a large field.
    let big = "x".repeat(20 * 1024);
    let repeated = b64(vec!["Big"; 45_000].join(",").as_bytes());
    let body = format!("RequestId=r&Big={big}&authParams={repeated}&vAuthInfo={}", "0".repeat(64));
    shapes.push(veritrans_shape("one field named 45,000 times", body));
    let absent: Vec<String> = (0..32_000).map(|i| format!("f{i}")).collect();
    let body = format!("RequestId=r&authParams={}&vAuthInfo={}", b64(absent.join(",").as_bytes()), "0".repeat(64));
    shapes.push(veritrans_shape("32,000 absent fields", body));
    let names: Vec<String> = (0..64).map(|i| format!("f{i}")).collect();
    let fields: String = names.iter().map(|n| format!("{n}={}&", "y".repeat(FORM_LIMIT / 70))).collect();
    let body =
        format!("{fields}RequestId=r&authParams={}&vAuthInfo={}", b64(names.join(",").as_bytes()), "0".repeat(64));
    shapes.push(veritrans_shape("64 large signed fields", body));

    // Webhooks and push notifications: the whole body is hashed once.
    let body = fill("{\"a\": 1}\n", FORM_LIMIT);
    let size = body.len();
    let b = body.clone();
    shapes.push(shape("verifyAcquiredWebhook: whitespace-heavy JSON", size, move || {
        drop(integrity::verify_acquired_webhook(&b, &"0".repeat(64), "app_key"))
    }));
    let b = body;
    shapes.push(shape("verifyVeritransPush: a large body", size, move || {
        drop(integrity::verify_veritrans_push(&b, &format!("h=HmacSHA256;s=A1;v={}", "0".repeat(64)), "00ff"))
    }));

    // The provider HTML form reader: textareas, entities, inputs, comments and unclosed constructs.
    let form_open = "<form action=\"https://acs.example/p\" method=post>";
    let documents = [
        ("repeated textareas", format!("{form_open}{}", fill("<textarea name=a>", MAX_HTML_LEN - 60))),
        ("an attribute of '&'", format!("{form_open}<input name=a value=\"{}\">", fill("&", MAX_HTML_LEN - 80))),
        ("many inputs", format!("{form_open}{}", fill("<input name=a value=b>", MAX_HTML_LEN - 60))),
        ("many comments", format!("{form_open}{}", fill("<!--", MAX_HTML_LEN - 60))),
        ("many '<'", format!("{form_open}{}", fill("<", MAX_HTML_LEN - 60))),
        ("unclosed quotes", format!("{form_open}{}", fill("<input name=\"", MAX_HTML_LEN - 60))),
        ("many attributes", format!("{form_open}<input {}>", fill("a=b ", MAX_HTML_LEN - 80))),
        ("entities", format!("{form_open}<textarea name=a>{}", fill("&#x41;&amp;", MAX_HTML_LEN - 80))),
        ("Latin-1 names without ';'", format!("{form_open}<textarea name=a>{}", fill("&yumlx", MAX_HTML_LEN - 80))),
        ("long numeric references", format!("{form_open}<input name=a value=\"&#{}\">", fill("9", MAX_HTML_LEN - 80))),
        ("comment dashes", format!("{form_open}<!--{}", fill("-!", MAX_HTML_LEN - 80))),
        ("nested SVG", format!("{}{form_open}", fill("<svg><g>", MAX_HTML_LEN - 80))),
        (
            "ids, then fields that name the form",
            format!(
                "{}<form id=f action=x>{}",
                fill("<p id=f>", MAX_HTML_LEN / 2),
                fill("<input name=a form=f>", MAX_HTML_LEN / 2 - 80)
            ),
        ),
        (
            "fields that name a form, then the form",
            format!("{}<form id=f action=x>", fill("<input name=a form=f>", MAX_HTML_LEN - 80)),
        ),
    ];
    for (what, html) in documents {
        let size = html.len();
        let h = html.clone();
        shapes.push(shape(format!("html form reader: {what}"), size, move || drop(first_form(&h))));
        let response = json!({"mstatus": "success", "vResultCode": "G001000000000000", "resResponseContents": html});
        shapes.push(shape(format!("nextAction + plan (veritrans html): {what}"), size, move || {
            if let Ok(action) = next_action(Provider::Veritrans, &response, &NextActionOptions::default()) {
                let action = action.to_json();
                drop(threeds_kit::core::action::plan(&action, &Fields::of(&json!({}), "").unwrap()));
            }
        }));
    }

    // nextAction on large responses for every provider: wide objects and long arrays of links.
    let wide: Map = (0..10_000).map(|i| (format!("k{i}"), Value::String("v".repeat(16)))).collect();
    let links: Vec<Value> = (0..5_000).map(|_| json!({"rel": "self", "href": "/v1/x"})).collect();
    let responses = [
        ("wide object", Value::Object(wide)),
        ("long links", Value::object([("status", "tds_pending".into()), ("links", Value::Array(links))])),
    ];
    for (what, response) in responses {
        let size = response.to_string().len();
        for provider in
            [Provider::Komoju, Provider::Veritrans, Provider::Ingenico, Provider::Shift4, Provider::Acquired]
        {
            let r = response.clone();
            shapes.push(shape(format!("nextAction ({}): {what}", provider.name()), size, move || {
                drop(next_action(provider, &r, &NextActionOptions::default()))
            }));
        }
    }

    // URL checks at their length limit.
    let url = format!("https://{}/n", fill("a.", 250));
    let size = url.len();
    shapes.push(shape("notification URL: many labels", size, move || drop(check_notification_url("u", &url))));
    shapes
}

fn veritrans_shape(what: &str, body: String) -> Shape {
    let size = body.len();
    let (request, options) = (post(body), veritrans_keys());
    shape(format!("parseReturn (veritrans, keys): {what}"), size, move || drop(parse_return(&request, &options)))
}
