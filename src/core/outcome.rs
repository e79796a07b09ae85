//! One normalised result for every provider's return, saying how far it can be trusted.

use super::json::{Map, ToJson, Value};

/// The normalised outcome of an authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The cardholder was authenticated.
    Authenticated,
    /// Attempts processing: not authenticated, but the issuer stood in.
    Attempted,
    /// The issuer wants a challenge that has not happened yet.
    ChallengeRequired,
    /// Authentication failed.
    NotAuthenticated,
    /// The issuer rejected the transaction.
    Rejected,
    /// Authentication could not be performed.
    Unavailable,
    /// The return carries no result: read it from the provider.
    Pending,
    /// A technical error.
    Error,
}

impl Outcome {
    /// Its snake_case name, as results carry it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Authenticated => "authenticated",
            Outcome::Attempted => "attempted",
            Outcome::ChallengeRequired => "challenge_required",
            Outcome::NotAuthenticated => "not_authenticated",
            Outcome::Rejected => "rejected",
            Outcome::Unavailable => "unavailable",
            Outcome::Pending => "pending",
            Outcome::Error => "error",
        }
    }

    /// The outcome named by its snake_case name (as interpretation tables give it); Error for others.
    pub fn from_name(name: &str) -> Outcome {
        match name {
            "authenticated" => Outcome::Authenticated,
            "attempted" => Outcome::Attempted,
            "challenge_required" => Outcome::ChallengeRequired,
            "not_authenticated" => Outcome::NotAuthenticated,
            "rejected" => Outcome::Rejected,
            "unavailable" => Outcome::Unavailable,
            "pending" => Outcome::Pending,
            _ => Outcome::Error,
        }
    }

    /// The outcome an EMV transStatus stands for.
    pub fn from_trans_status(status: &str) -> Outcome {
        match status {
            "Y" => Outcome::Authenticated,
            "A" => Outcome::Attempted,
            "C" | "D" | "S" => Outcome::ChallengeRequired,
            "N" => Outcome::NotAuthenticated,
            "R" => Outcome::Rejected,
            "U" => Outcome::Unavailable,
            "I" => Outcome::Attempted,
            _ => Outcome::Error,
        }
    }
}

/// A provider's return, normalised.
#[derive(Debug, PartialEq)]
pub struct ReturnResult {
    /// komoju, veritrans, ingenico, shift4, acquired or emv.
    pub provider: &'static str,
    /// What happened, as far as the return says.
    pub outcome: Outcome,
    /// True only when an integrity check with a merchant key passed.
    pub trusted: bool,
    /// The merchant must read the result from the provider before shipping goods.
    pub verify_with_server: bool,
    /// The provider's identifiers for this payment.
    pub ids: Map,
    /// The EMV transStatus, when the return carries one.
    pub trans_status: Option<String>,
    /// The ECI, two digits.
    pub eci: Option<String>,
    /// The CAVV / AAV / cryptogram.
    pub authentication_value: Option<String>,
    /// The provider's reason or result code, when given.
    pub reason: Option<String>,
    /// Every parameter as received.
    pub raw: Map,
}

impl ReturnResult {
    /// A result with only provider and outcome set.
    pub fn new(provider: &'static str, outcome: Outcome) -> Self {
        ReturnResult {
            provider,
            outcome,
            trusted: false,
            verify_with_server: true,
            ids: Map::new(),
            trans_status: None,
            eci: None,
            authentication_value: None,
            reason: None,
            raw: Map::new(),
        }
    }

    /// Records an identifier when present.
    pub fn id(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.ids.insert(name.to_string(), Value::String(value.to_string()));
        }
    }
}

/// Two-digit ECI ("5" becomes "05"); None for anything that is not one or two digits.
pub fn normalise_eci(eci: Option<&str>) -> Option<String> {
    let eci = eci?.trim();
    match eci.len() {
        1 if eci.as_bytes()[0].is_ascii_digit() => Some(format!("0{eci}")),
        2 if eci.bytes().all(|b| b.is_ascii_digit()) => Some(eci.to_string()),
        _ => None,
    }
}

impl ToJson for ReturnResult {
    fn to_json(&self) -> Value {
        Value::object([
            ("provider", self.provider.into()),
            ("outcome", self.outcome.as_str().into()),
            ("trusted", self.trusted.into()),
            ("verifyWithServer", self.verify_with_server.into()),
            ("ids", self.ids.clone().into()),
            ("transStatus", self.trans_status.clone().into()),
            ("eci", self.eci.clone().into()),
            ("authenticationValue", self.authentication_value.clone().into()),
            ("reason", self.reason.clone().into()),
            ("raw", self.raw.clone().into()),
        ])
    }
}
