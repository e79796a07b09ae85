//! Adapters for the five providers: each turns its API response into the next browser step
//! ([`next_action`]) and its return into one normalised result ([`parse_return`]).

mod acquired;
mod emv;
mod ingenico;
mod komoju;
mod shift4;
mod veritrans;

use std::collections::BTreeMap;

use super::action::NextAction;
use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::quote_for_message;
use super::form;
use super::outcome::ReturnResult;
use crate::core::json::{Map, Value};

/// The providers this library knows, plus plain EMV returns (cres, method notifications).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    /// KOMOJU Secure Tokens.
    Komoju,
    /// VeriTrans4G MPI.
    Veritrans,
    /// Ingenico (GlobalCollect) Connect.
    Ingenico,
    /// Shift4 3D Secure Standalone.
    Shift4,
    /// Acquired.com.
    Acquired,
    /// Plain EMV 3DS (returns only).
    Emv,
}

impl Provider {
    /// Reads a provider name.
    pub fn parse(name: &str, allow_emv: bool) -> Result<Provider> {
        match name {
            "komoju" => Ok(Provider::Komoju),
            "veritrans" => Ok(Provider::Veritrans),
            "ingenico" => Ok(Provider::Ingenico),
            "shift4" => Ok(Provider::Shift4),
            "acquired" => Ok(Provider::Acquired),
            "emv" if allow_emv => Ok(Provider::Emv),
            _ => Err(ThreeDsError::new(
                ErrorCode::UnknownProvider,
                format!(
                    "provider must be one of \"komoju\", \"veritrans\", \"ingenico\", \"shift4\", \"acquired\"{} (got {})",
                    if allow_emv { ", \"emv\"" } else { "" },
                    quote_for_message(name)
                ),
            )),
        }
    }

    /// The name results carry.
    pub fn name(self) -> &'static str {
        match self {
            Provider::Komoju => "komoju",
            Provider::Veritrans => "veritrans",
            Provider::Ingenico => "ingenico",
            Provider::Shift4 => "shift4",
            Provider::Acquired => "acquired",
            Provider::Emv => "emv",
        }
    }
}

/// Options of [`next_action`].
#[derive(Debug, Default)]
pub struct NextActionOptions {
    /// Where the ACS should notify the end of a 3DS Method (to build threeDSMethodData for Shift4).
    pub method_notification_url: Option<String>,
    /// The challenge window size the merchant asked for ("01"-"05"; Acquired's integer 1-5 also read).
    pub challenge_window_size: Option<String>,
}

/// Turns a provider's API response into the next browser step.
pub fn next_action(provider: Provider, response: &Value, options: &NextActionOptions) -> Result<NextAction> {
    if !response.is_object() {
        return Err(ThreeDsError::invalid("response", "the provider's API response object"));
    }
    // `lookup` matches keys case-insensitively: `{"TRANSACTION": .., "Transaction": ..}` would be read as
    // whichever comes first, where another reader sees neither.
    super::payload::refuse_key_in_two_cases("response", response.key_in_two_cases())?;
    match provider {
        Provider::Komoju => komoju::next_action(response),
        Provider::Veritrans => veritrans::next_action(response),
        Provider::Ingenico => ingenico::next_action(response),
        Provider::Shift4 => shift4::next_action(response, options),
        Provider::Acquired => acquired::next_action(response, options),
        Provider::Emv => Err(ThreeDsError::new(
            ErrorCode::UnknownProvider,
            "nextAction takes a provider's response; plain EMV has none",
        )),
    }
}

/// A return as it reached the merchant: the browser's GET or POST to a return or notification URL.
#[derive(Debug, Default)]
pub struct ReturnRequest {
    /// GET or POST.
    pub method: String,
    /// The URL (absolute, or path and query).
    pub url: String,
    /// The raw body (form-urlencoded for POSTs).
    pub body: String,
    /// The body's content type.
    pub content_type: Option<String>,
}

/// Merchant keys for integrity checks (server and edge only). Keys fail closed: an empty key, one VeriTrans
/// key without the other, or a key for another provider than the return's is an `invalid_keys` error, never
/// a quiet unsigned result.
#[derive(Debug, Default)]
pub struct Keys {
    /// Acquired.com app_key.
    pub acquired_app_key: Option<String>,
    /// VeriTrans4G merchant CCID.
    pub veritrans_merchant_cc_id: Option<String>,
    /// VeriTrans4G merchant password.
    pub veritrans_merchant_password: Option<String>,
    /// The RETURNMAC Ingenico returned when the payment was created, as the merchant stored it.
    pub ingenico_return_mac: Option<String>,
}

impl Keys {
    /// Each key by its option name, with the provider whose check uses it.
    fn each(&self) -> [(&'static str, Provider, Option<&str>); 4] {
        [
            ("acquiredAppKey", Provider::Acquired, self.acquired_app_key.as_deref()),
            ("veritransMerchantCcId", Provider::Veritrans, self.veritrans_merchant_cc_id.as_deref()),
            ("veritransMerchantPassword", Provider::Veritrans, self.veritrans_merchant_password.as_deref()),
            ("ingenicoReturnMac", Provider::Ingenico, self.ingenico_return_mac.as_deref()),
        ]
    }

    /// Whether no key was given at all.
    pub fn is_empty(&self) -> bool {
        self.each().iter().all(|(_, _, key)| key.is_none())
    }

    /// Refuses keys no check can use: empty (an unset secret read as ""), with whitespace at an end, or one
    /// VeriTrans key alone.
    pub fn check(&self) -> Result<()> {
        for (name, _, key) in self.each() {
            if let Some(key) = key {
                super::integrity::check_secret(&["keys.", name].concat(), key)?;
            }
        }
        if self.veritrans_merchant_cc_id.is_some() != self.veritrans_merchant_password.is_some() {
            return Err(invalid_keys(format_args!(
                "keys.veritransMerchantCcId and keys.veritransMerchantPassword go together: one was given alone"
            )));
        }
        Ok(())
    }

    /// Whether the keys `provider`'s check needs are here (checked keys are complete).
    fn can_check(&self, provider: Provider) -> bool {
        self.each().iter().any(|(_, p, key)| *p == provider && key.is_some())
    }

    /// The option name of a key given for another provider than `provider`.
    fn foreign_to(&self, provider: Provider) -> Option<&'static str> {
        self.each().iter().find(|(_, p, key)| *p != provider && key.is_some()).map(|(name, _, _)| *name)
    }
}

fn invalid_keys(message: impl core::fmt::Display) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::InvalidKeys, message.to_string())
}

/// Options of [`parse_return`].
#[derive(Debug, Default)]
pub struct ReturnOptions {
    /// The provider, when known; otherwise detected from the parameters.
    pub provider: Option<Provider>,
    /// The EMV transaction the merchant expects (EMV returns are checked against it).
    pub expected_three_ds_server_trans_id: Option<String>,
    /// The order this return must be for (Acquired.com `order_id`, VeriTrans4G `OrderId`, Shift4
    /// `transaction.invoice`, Ingenico `REF` / `hostedCheckoutId`, required with its RETURNMAC): binds a
    /// return to its order, and pins the boundary between signed fields that no format check can.
    pub expected_order_id: Option<String>,
    /// Keys for the integrity checks.
    pub keys: Keys,
    /// Refuse a signed return whose own timestamp (Acquired.com's `timestamp`) is older than this many
    /// seconds, or more than 5 minutes in the future: a replayed return is authentic but stale.
    pub max_age_seconds: Option<u64>,
    /// The current time in Unix seconds, for `max_age_seconds` (the core has no clock of its own).
    pub now_seconds: Option<u64>,
}

/// The largest return URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 16 * 1024;

/// The parameters of a return: its query and, for form POSTs, its body, read as one list. A name sent twice
/// (in the query, the body or both) is refused when read, so that a signature check and the result can
/// never read different copies.
pub struct Params {
    pairs: Vec<(String, String)>,
    /// Where the body's fields start in `pairs` (the query's come first).
    body_start: usize,
    /// Each name's position in `pairs`, or None when it came more than once.
    index: BTreeMap<String, Option<usize>>,
}

impl Params {
    fn read(request: &ReturnRequest) -> Result<Params> {
        if request.url.len() > MAX_URL_LEN {
            return Err(ThreeDsError::new(
                ErrorCode::TooLarge,
                format!("url is {} bytes; at most {MAX_URL_LEN} are accepted", request.url.len()),
            ));
        }
        let mut pairs = form::parse(query_of(&request.url))?;
        let body_start = pairs.len();
        let method = request.method.to_ascii_uppercase();
        if method != "GET" && method != "POST" && method != "HEAD" {
            return Err(ThreeDsError::invalid(
                "method",
                format_args!("GET or POST (got {})", quote_for_message(&request.method)),
            ));
        }
        if !request.body.trim().is_empty() {
            let media = request
                .content_type
                .as_deref()
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if media != "application/x-www-form-urlencoded" && !media.is_empty() {
                return Err(ThreeDsError::invalid(
                    "contentType",
                    format_args!("application/x-www-form-urlencoded (got {})", quote_for_message(&media)),
                ));
            }
            pairs.extend(form::parse(&request.body)?);
        }
        let mut index = BTreeMap::new();
        for (i, (name, _)) in pairs.iter().enumerate() {
            index.entry(name.clone()).and_modify(|slot| *slot = None).or_insert(Some(i));
        }
        Ok(Params { pairs, body_start, index })
    }

    /// The fields of the body alone (what a provider POSTed), in order.
    pub fn body(&self) -> &[(String, String)] {
        &self.pairs[self.body_start..]
    }

    /// The fields of the URL's query alone, in order.
    pub fn query(&self) -> &[(String, String)] {
        &self.pairs[..self.body_start]
    }

    /// The value of `name`, as sent (possibly empty); a name sent twice is an error.
    pub fn get(&self, name: &str) -> Result<Option<&str>> {
        match self.index.get(name) {
            None => Ok(None),
            Some(Some(i)) => Ok(self.pairs.get(*i).map(|(_, v)| v.as_str())),
            Some(None) => Err(form::duplicate(name)),
        }
    }

    /// The value of `name` when present and not empty.
    pub fn value(&self, name: &str) -> Result<Option<&str>> {
        Ok(self.get(name)?.filter(|v| !v.is_empty()))
    }

    /// The non-empty value of `name`, or a `missing_field` error.
    pub fn required(&self, name: &str) -> Result<&str> {
        self.value(name)?.ok_or_else(|| ThreeDsError::missing(name))
    }

    /// Whether a parameter of that name (in any case) is present, for detection only.
    fn has(&self, name: &str) -> bool {
        self.index.keys().any(|n| n.eq_ignore_ascii_case(name))
    }

    /// Every parameter, as received.
    pub fn raw(&self) -> Map {
        self.pairs.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()
    }
}

/// Normalises a provider's return.
pub fn parse_return(request: &ReturnRequest, options: &ReturnOptions) -> Result<ReturnResult> {
    let params = Params::read(request)?;
    let keys = &options.keys;
    keys.check()?;
    let provider = match options.provider {
        Some(provider) => {
            if let Some(name) = keys.foreign_to(provider) {
                return Err(invalid_keys(format_args!(
                    "keys.{name} is not a key of {}: pass only the keys of the return's provider",
                    provider.name()
                )));
            }
            provider
        }
        None => {
            let provider = detect(&params)?;
            // With keys, a return may not choose a provider whose check those keys cannot run: adding
            // `j=` or `secure_token_id=` to a tampered signed return must not make it an unsigned one.
            if !keys.is_empty() && !keys.can_check(provider) {
                return Err(ThreeDsError::new(
                    ErrorCode::IntegrityFailed,
                    format!(
                        "the return's parameters are {}'s, whose integrity the keys given cannot check: refused (name options.provider to read it unchecked)",
                        provider.name()
                    ),
                ));
            }
            provider
        }
    };
    // An option whose check cannot run for this provider is an error, never a check quietly skipped.
    let not_for = |option: &str, what: &str| {
        ThreeDsError::invalid(
            &format!("options.{option}"),
            format_args!("absent: {} returns carry no {what} to check it against", provider.name()),
        )
    };
    if options.expected_order_id.is_some() && matches!(provider, Provider::Komoju | Provider::Emv) {
        return Err(not_for("expectedOrderId", "order reference"));
    }
    if options.max_age_seconds.is_some() && provider != Provider::Acquired {
        return Err(not_for("maxAgeSeconds", "signed time"));
    }
    if options.expected_three_ds_server_trans_id.is_some() && provider != Provider::Emv {
        return Err(not_for("expectedThreeDSServerTransID", "EMV transaction ID"));
    }
    let mut result = match provider {
        Provider::Emv => emv::parse_return(request, &params, options)?,
        Provider::Komoju => komoju::parse_return(&params)?,
        Provider::Veritrans => veritrans::parse_return(&params, options)?,
        Provider::Ingenico => ingenico::parse_return(&params, options)?,
        Provider::Shift4 => shift4::parse_return(&params, options)?,
        Provider::Acquired => acquired::parse_return(&params, options)?,
    };
    if result.raw.is_empty() {
        result.raw = params.raw();
    }
    Ok(result)
}

/// Tells the provider from the parameters' names. A return whose names fit more than one provider is
/// refused rather than read by whichever rule comes first.
fn detect(params: &Params) -> Result<Provider> {
    let any = |names: &[&str]| names.iter().any(|n| params.has(n));
    let fits = [
        (Provider::Emv, any(&["cres", "creq", "erro", "threeDSMethodData"]) || params.pairs.is_empty()),
        (Provider::Shift4, any(&["j"])),
        (Provider::Komoju, any(&["secure_token_id"])),
        (Provider::Ingenico, any(&["RETURNMAC", "hostedCheckoutId"])),
        (
            Provider::Veritrans,
            any(&["vResultCode", "mpiMstatus", "vAuthInfo", "authParams"])
                || (params.has("RequestId") && params.has("OrderId")),
        ),
        (Provider::Acquired, params.has("transaction_id") && params.has("status")),
    ];
    let mut fitting = fits.iter().filter(|(_, fit)| *fit).map(|(provider, _)| *provider);
    match (fitting.next(), fitting.next()) {
        (Some(provider), None) => Ok(provider),
        (Some(first), Some(second)) => Err(ThreeDsError::new(
            ErrorCode::UnknownProvider,
            format!("the return's parameters fit both {} and {}: pass options.provider", first.name(), second.name()),
        )),
        (None, _) => Err(ThreeDsError::new(
            ErrorCode::UnknownProvider,
            "the return's parameters match no known provider: pass options.provider",
        )),
    }
}

/// The query of a URL (absolute, or path and query), without its fragment: a '?' after the '#' starts none.
pub(crate) fn query_of(url: &str) -> &str {
    url.split('#').next().unwrap_or("").split_once('?').map_or("", |(_, query)| query)
}

/// Refuses a signed return whose provider's own fields came in the return URL's query: the provider posts
/// them, signed, and a copy in the query is nobody's signature (`raw` and readers would see it).
pub(crate) fn refuse_provider_fields_in_query(params: &Params, provider_fields: &[&str]) -> Result<()> {
    match params.query().iter().find(|(name, _)| provider_fields.contains(&name.as_str())) {
        Some((name, _)) => Err(ThreeDsError::new(
            ErrorCode::IntegrityFailed,
            format!("{name} came in the return URL's query, outside the signed POST: the return cannot be trusted"),
        )),
        None => Ok(()),
    }
}

/// Checks a return's order reference against `options.expected_order_id`, exactly.
pub(crate) fn check_order(options: &ReturnOptions, field: &str, actual: Option<&str>) -> Result<()> {
    let Some(expected) = options.expected_order_id.as_deref() else { return Ok(()) };
    let actual = actual.ok_or_else(|| ThreeDsError::missing(field))?;
    if actual != expected {
        return Err(ThreeDsError::invalid(
            field,
            format_args!("the expected order {} (got {})", quote_for_message(expected), quote_for_message(actual)),
        ));
    }
    Ok(())
}

/// Looks up `path` in a JSON response, matching keys case-insensitively (providers are not consistent).
pub(crate) fn lookup<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |current, key| {
        let object = current.as_object()?;
        object.get(key).or_else(|| object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
    })
}

/// A string (or number, as text) at `path`; empty strings count as absent.
pub(crate) fn lookup_str(value: &Value, path: &[&str]) -> Option<String> {
    match lookup(value, path)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.as_text().to_string()),
        _ => None,
    }
}

/// The first of several spellings of one field.
pub(crate) fn lookup_any(value: &Value, paths: &[&[&str]]) -> Option<String> {
    paths.iter().find_map(|path| lookup_str(value, path))
}

/// Checks a URL the browser will be sent to, as the flows check theirs: https (http only to a potentially
/// trustworthy host), a host a browser would load (none, a user name or an impossible port is an error now
/// rather than a navigation that fails later), at most 8 KiB.
pub(crate) fn check_redirect_url(field: &str, url: &str) -> Result<String> {
    super::url::check_secure_url(field, url, 8 * 1024)?;
    Ok(url.to_string())
}

/// An unknown status word.
pub(crate) fn unknown_status(field: &str, value: &str, known: &[&str]) -> ThreeDsError {
    ThreeDsError::new(
        ErrorCode::UnknownStatus,
        format!("{field} {} is not one of {}", quote_for_message(value), known.join(", ")),
    )
}

/// The integrity failure every provider reports the same way.
pub(crate) fn integrity_failed(what: &str) -> ThreeDsError {
    ThreeDsError::new(
        ErrorCode::IntegrityFailed,
        format!("{what} does not match: the return was altered, or the key is wrong"),
    )
}
