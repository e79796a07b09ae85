//! The next browser step, as provider adapters decide it from an API response.

use super::error::{Result, ThreeDsError};
use super::fields::{quote_for_message, Fields};
use super::flow::MethodRequest;
use super::html_form::first_form;
use super::json::{object_of, Map, ToJson, Value};
use super::method::MethodData;
use super::url::check_secure_url;
use super::window::window_size;

/// What the browser must do next.
#[derive(Debug, PartialEq)]
pub enum NextAction {
    /// Nothing in the browser: frictionless, already authenticated, or past 3-D Secure.
    None {
        /// The provider's status word that decided it.
        status: String,
        /// What the response says about the authentication (ECI, CAVV present, ...).
        detail: Map,
    },
    /// Run the 3DS Method (device fingerprint), then tell the provider compInd.
    Method {
        /// Where to POST threeDSMethodData.
        method_url: String,
        /// The transaction ID the notification will name.
        three_ds_server_trans_id: String,
        /// Built from the transaction ID when a notification URL was given.
        three_ds_method_data: Option<String>,
        /// What to do with compInd afterwards.
        then: &'static str,
    },
    /// Send the browser to the provider's or issuer's page.
    Redirect {
        /// The page.
        url: String,
        /// "GET" or "POST".
        method: &'static str,
        /// Form fields for a POST (or query fields for a GET).
        fields: Map,
        /// Whether the provider allows showing it in an iframe instead of the whole page.
        iframe_allowed: bool,
        /// The iframe size the provider's page is made for, when known.
        challenge_window_size: Option<String>,
        /// A value the merchant must store server-side to check the return (Ingenico RETURNMAC).
        store: Option<Map>,
    },
    /// Show the provider's HTML document (it auto-submits to the card company).
    Html {
        /// The document.
        html: String,
        /// The provider's flow returns at the top level, so the document should be shown there.
        top_level: bool,
    },
    /// Authentication cannot go on.
    Fail {
        /// Why, in the provider's words where it gives them.
        reason: String,
        /// Whether a new attempt (same or another card) may succeed.
        retryable: bool,
    },
}

/// What `perform` will do in the browser for an action, decided before anything is touched.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Nothing to do in the browser ("none" or "fail").
    Nothing,
    /// Run the 3DS Method.
    Method(MethodRequest),
    /// Submit a form (or follow a link) at the top level or in an iframe.
    Navigate(Navigation),
}

/// A navigation built from DOM nodes: where, how, with what.
#[derive(Debug, PartialEq)]
pub struct Navigation {
    /// The target URL.
    pub url: String,
    /// Its origin as browsers write it (an iframe's `allow` names it).
    pub origin: String,
    /// "GET" or "POST".
    pub method: String,
    /// Form fields (POST only: a GET carries them in `url`).
    pub fields: Vec<(String, String)>,
    /// None: the whole page; Some(size code): a sandboxed iframe of that EMV window size in the container.
    pub iframe_size: Option<String>,
}

/// What a GET navigation does with the query its URL already has.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Query {
    /// A redirect action's URL is the provider's link: its own query (a token, say) stays and the fields follow.
    Keep,
    /// A GET form replaces its action's query with its fields, as a browser submits it.
    Replace,
}

impl Navigation {
    /// A navigation; a GET's fields go into the URL's query (before any fragment), its own query kept or
    /// replaced as `query` says.
    fn new(
        url: &str,
        origin: String,
        method: String,
        fields: Vec<(String, String)>,
        iframe_size: Option<String>,
        query: Query,
    ) -> Navigation {
        if method != "GET" {
            return Navigation { url: url.to_string(), origin, method, fields, iframe_size };
        }
        let (base, fragment) = url.split_once('#').map_or((url, None), |(b, f)| (b, Some(f)));
        let mut full = match query {
            Query::Replace => format!("{}?", base.split('?').next().unwrap_or(base)),
            Query::Keep if fields.is_empty() || base.ends_with('?') => base.to_string(),
            Query::Keep if base.contains('?') => format!("{base}&"),
            Query::Keep => format!("{base}?"),
        };
        full.push_str(&super::form::encode(&fields));
        if let Some(fragment) = fragment {
            full.push('#');
            full.push_str(fragment);
        }
        Navigation { url: full, origin, method, fields: Vec::new(), iframe_size }
    }
}

/// Decides the [`Step`] for an action from `nextAction`, with `perform`'s options
/// (`notificationUrl`, `timeoutMs`, `display`: "top" or "iframe", `challengeWindowSize`).
pub fn plan(action: &Value, options: &Fields) -> Result<Step> {
    let fields = Fields::of(action, "action")?;
    let display = match options.optional_str("display")? {
        None => None,
        Some(d @ ("top" | "iframe")) => Some(d),
        Some(_) => return Err(ThreeDsError::invalid(&options.name("display"), "\"top\" or \"iframe\"")),
    };
    let iframe_size = |allowed: bool, default: Option<&str>| -> Result<Option<String>> {
        if display != Some("iframe") {
            return Ok(None);
        }
        if !allowed {
            return Err(ThreeDsError::invalid(
                &options.name("display"),
                "\"top\" for this action (the provider's flow returns at the top level)",
            ));
        }
        let code = options.optional_str("challengeWindowSize")?.or(default).unwrap_or("05");
        window_size(&options.name("challengeWindowSize"), code).map(|s| Some(s.code.to_string()))
    };
    match fields.required_str("type")? {
        "none" | "fail" => Ok(Step::Nothing),
        "method" => {
            let mut request = Map::new();
            for key in ["methodUrl", "threeDSServerTransID"] {
                if let Some(value) = fields.get(key) {
                    request.insert(key.to_string(), value.clone());
                }
            }
            // The notification URL: the caller's, or the one the provider's threeDSMethodData names.
            let notification = match options.optional_str("notificationUrl")? {
                Some(url) => url.to_string(),
                None => match fields.optional_str("threeDSMethodData")? {
                    Some(data) => MethodData::decode(data)?.notification_url,
                    None => return Err(ThreeDsError::missing(&options.name("notificationUrl"))),
                },
            };
            request.insert("notificationUrl", Value::String(notification));
            if let Some(timeout) = options.get("timeoutMs") {
                request.insert("timeoutMs", timeout.clone());
            }
            let request = Value::Object(request);
            let method = MethodRequest::from_fields(&Fields::of(&request, "action")?)?;
            if method == MethodRequest::NoMethodUrl {
                return Err(ThreeDsError::missing("action.methodUrl"));
            }
            Ok(Step::Method(method))
        }
        "redirect" => {
            let url = fields.required_str("url")?;
            let origin = check_secure_url(&fields.name("url"), url, 8 * 1024)?;
            let method = match fields.optional_str("method")?.unwrap_or("GET") {
                m @ ("GET" | "POST") => m.to_string(),
                _ => return Err(ThreeDsError::invalid(&fields.name("method"), "\"GET\" or \"POST\"")),
            };
            let mut pairs = Vec::new();
            if let Some(form) = fields.get("fields") {
                let form = Fields::of(form, "action.fields")?;
                for (name, value) in form.entries() {
                    match value {
                        Value::String(s) => pairs.push((name.clone(), s.clone())),
                        Value::Number(n) => pairs.push((name.clone(), n.as_text().to_string())),
                        _ => return Err(ThreeDsError::invalid(&form.name(name), "a string")),
                    }
                }
            }
            let allowed = matches!(fields.get("iframeAllowed"), Some(Value::Bool(true)));
            let size = iframe_size(allowed, fields.optional_str("challengeWindowSize")?)?;
            Ok(Step::Navigate(Navigation::new(url, origin, method, pairs, size, Query::Keep)))
        }
        "html" => {
            let form = first_form(fields.required_str("html")?)?;
            let origin = check_secure_url("action.html form action", &form.action, 8 * 1024)?;
            let top_level = matches!(fields.get("topLevel"), Some(Value::Bool(true)));
            // A provider that returns at the top level gets the top level unless the caller insists.
            let iframe_size = iframe_size(true, None)?.filter(|_| display == Some("iframe") || !top_level);
            let navigation =
                Navigation::new(&form.action, origin, form.method, form.fields, iframe_size, Query::Replace);
            Ok(Step::Navigate(navigation))
        }
        other => Err(ThreeDsError::invalid(
            &fields.name("type"),
            format_args!("an action from nextAction (got {})", quote_for_message(other)),
        )),
    }
}

impl ToJson for NextAction {
    fn to_json(&self) -> Value {
        match self {
            NextAction::None { status, detail } => {
                Value::object([("type", "none".into()), ("status", status.into()), ("detail", detail.clone().into())])
            }
            NextAction::Method { method_url, three_ds_server_trans_id, three_ds_method_data, then } => object_of([
                ("type", Some("method".into())),
                ("methodUrl", Some(method_url.into())),
                ("threeDSServerTransID", Some(three_ds_server_trans_id.into())),
                ("threeDSMethodData", three_ds_method_data.as_ref().map(Value::from)),
                ("then", Some((*then).into())),
            ]),
            NextAction::Redirect { url, method, fields, iframe_allowed, challenge_window_size, store } => object_of([
                ("type", Some("redirect".into())),
                ("url", Some(url.into())),
                ("method", Some((*method).into())),
                ("fields", Some(fields.clone().into())),
                ("iframeAllowed", Some((*iframe_allowed).into())),
                ("challengeWindowSize", challenge_window_size.as_ref().map(Value::from)),
                ("store", store.clone().map(Value::from)),
            ]),
            NextAction::Html { html, top_level } => {
                Value::object([("type", "html".into()), ("html", html.into()), ("topLevel", (*top_level).into())])
            }
            NextAction::Fail { reason, retryable } => {
                Value::object([("type", "fail".into()), ("reason", reason.into()), ("retryable", (*retryable).into())])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::json;

    fn step(action: Value, options: Value) -> Result<Step> {
        plan(&action, &Fields::of(&options, "options").unwrap())
    }

    #[test]
    fn plans() {
        assert_eq!(step(json!({"type": "none", "status": "OK", "detail": {}}), json!({})).unwrap(), Step::Nothing);
        let method = step(
            json!({"type": "method", "methodUrl": "https://acs.example/m", "threeDSServerTransID": "cc78c193-eaec-494f-9cf0-eb5fa3940b13"}),
            json!({"notificationUrl": "https://shop.example/n"}),
        );
        assert!(matches!(method.unwrap(), Step::Method(MethodRequest::Run(_))));
        assert!(step(json!({"type": "method", "methodUrl": "https://acs.example/m", "threeDSServerTransID": "cc78c193-eaec-494f-9cf0-eb5fa3940b13"}), json!({})).is_err());
        let Step::Navigate(nav) = step(json!({"type": "html", "html": "<form method=post action='https://acs.example/p'><input name=PaReq value=x></form>", "topLevel": true}), json!({})).unwrap() else { panic!() };
        assert_eq!((nav.method.as_str(), nav.iframe_size), ("POST", None));
        let Step::Navigate(nav) = step(json!({"type": "redirect", "url": "https://auth.acquired.com/x", "method": "GET", "fields": {}, "iframeAllowed": true, "challengeWindowSize": "03"}), json!({"display": "iframe"})).unwrap() else { panic!() };
        assert_eq!(nav.iframe_size.as_deref(), Some("03"));
        assert!(step(
            json!({"type": "redirect", "url": "https://komoju.com/x", "iframeAllowed": false}),
            json!({"display": "iframe"})
        )
        .is_err());
        assert!(step(json!({"type": "redirect", "url": "javascript:alert(1)"}), json!({})).is_err());
        let Step::Navigate(nav) = step(json!({"type": "redirect", "url": "https://a.example/x?token=1#f", "method": "GET", "fields": {"b": "2 3"}}), json!({})).unwrap() else { panic!() };
        assert_eq!((nav.url.as_str(), nav.fields.len()), ("https://a.example/x?token=1&b=2+3#f", 0));
        for (url, fields, expected) in [
            ("https://a.example/x?", serde_json::json!({"b": "2"}), "https://a.example/x?b=2"),
            ("https://a.example/x?token=1#f", serde_json::json!({}), "https://a.example/x?token=1#f"),
            ("https://a.example/x#f", serde_json::json!({"b": "2"}), "https://a.example/x?b=2#f"),
        ] {
            let Step::Navigate(nav) =
                step(json!({"type": "redirect", "url": url, "method": "GET", "fields": fields}), json!({})).unwrap()
            else {
                panic!()
            };
            assert_eq!(nav.url, expected, "{url}");
        }
        assert!(step(json!({"type": "teleport"}), json!({})).is_err());
        // A GET form in provider HTML replaces its action's query, as a browser submits it.
        let html = |form: &str| json!({"type": "html", "html": form, "topLevel": true});
        for (form, url) in [
            (
                "<form action='https://acs.example/p?token=1#f'><input name=PaReq value=x></form>",
                "https://acs.example/p?PaReq=x#f",
            ),
            ("<form action='https://acs.example/p?token=1'></form>", "https://acs.example/p?"),
            ("<form method=post action='https://acs.example/p?token=1'></form>", "https://acs.example/p?token=1"),
        ] {
            let Step::Navigate(nav) = step(html(form), json!({})).unwrap() else { panic!() };
            assert_eq!(nav.url, url, "{form}");
        }
    }
}
