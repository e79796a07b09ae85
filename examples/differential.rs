//! The host half of the differential test (tests/package/differential.test.mjs): reads one call per line on
//! stdin (`{"fn": "decodeCres", "args": [...]}`, the package's export names and arguments), runs the same core
//! function the wasm export runs, and writes one answer per line: `{"ok": result}` or `{"error": code, "message"}`.
//! The test feeds the same lines to the packed wasm in Node and compares: the two can never disagree.

use std::io::{BufRead, Write};

use threeds_kit::core::action::NextAction;
use threeds_kit::core::creq::Creq;
use threeds_kit::core::cres::ChallengeResult;
use threeds_kit::core::error::ThreeDsError;
use threeds_kit::core::inspect::inspect;
use threeds_kit::core::json::{self, ToJson, Value};
use threeds_kit::core::method::{MethodData, MethodNotification};
use threeds_kit::core::notification::{notification_page, NotificationResult};
use threeds_kit::core::providers::{self, Keys, NextActionOptions, Provider, ReturnOptions, ReturnRequest};
use threeds_kit::core::session_data;

fn answer<T: ToJson>(result: Result<T, ThreeDsError>) -> Value {
    match result {
        Ok(value) => Value::object([("ok", value.to_json())]),
        Err(error) => Value::object([("error", error.code.as_str().into()), ("message", error.message.into())]),
    }
}

fn text(args: &[Value], i: usize) -> String {
    args.get(i).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn keys(options: &Value) -> Keys {
    let key = |name: &str| options["keys"][name].as_str().map(str::to_string);
    Keys {
        acquired_app_key: key("acquiredAppKey"),
        veritrans_merchant_cc_id: key("veritransMerchantCcId"),
        veritrans_merchant_password: key("veritransMerchantPassword"),
        ingenico_return_mac: key("ingenicoReturnMac"),
    }
}

fn call(name: &str, args: &[Value]) -> Value {
    match name {
        "decodeCres" => answer(ChallengeResult::decode(&text(args, 0))),
        "decodeCreq" => answer(Creq::decode(&text(args, 0))),
        "decodeMethodData" => answer(MethodData::decode(&text(args, 0))),
        "decodeMethodNotification" => answer(MethodNotification::decode(&text(args, 0))),
        "decodeSessionData" => answer(session_data::decode(&text(args, 0))),
        "inspectPayload" => answer(inspect(&text(args, 0))),
        "respondToNotification" => {
            let result =
                NotificationResult::from_form_or_error(&text(args, 0), Some("application/x-www-form-urlencoded"));
            answer(
                notification_page(&result, "https://shop.example", None)
                    .map(|html| Value::object([("result", result.to_json()), ("html", html.into())])),
            )
        }
        "nextAction" => {
            let provider = Provider::parse(&text(args, 0), false);
            let response = args.get(1).cloned().unwrap_or(Value::Null);
            // The export reads its argument as a JS object first, as every export does.
            if !response.is_object() && !response.is_array() {
                return answer::<Value>(Err(ThreeDsError::invalid("response", "an object")));
            }
            answer(
                provider
                    .and_then(|p| providers::next_action(p, &response, &NextActionOptions::default()))
                    .map(|action: NextAction| action.to_json()),
            )
        }
        "parseReturn" => {
            let request = &args[0];
            let options = args.get(1).cloned().unwrap_or(Value::Object(json::Map::new()));
            let provider = match options["provider"].as_str() {
                Some(name) => match Provider::parse(name, true) {
                    Ok(p) => Some(p),
                    Err(e) => return answer::<Value>(Err(e)),
                },
                None => None,
            };
            let options = ReturnOptions {
                provider,
                keys: keys(&options),
                expected_order_id: options["expectedOrderId"].as_str().map(str::to_string),
                ..ReturnOptions::default()
            };
            let request = ReturnRequest {
                method: request["method"].as_str().unwrap_or("GET").to_string(),
                url: request["url"].as_str().unwrap_or_default().to_string(),
                body: request["body"].as_str().unwrap_or_default().to_string(),
                content_type: request["contentType"].as_str().map(str::to_string),
            };
            answer(providers::parse_return(&request, &options))
        }
        other => Value::object([("error", "unknown_function".into()), ("message", other.into())]),
    }
}

fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let request = json::parse(&line).unwrap_or(Value::Null);
        let args = request["args"].as_array().cloned().unwrap_or_default();
        let answer = call(request["fn"].as_str().unwrap_or_default(), &args);
        if writeln!(out, "{answer}").is_err() {
            break;
        }
    }
}
