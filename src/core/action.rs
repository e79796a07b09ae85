//! The next browser step, as provider adapters decide it from an API response.

use serde::Serialize;
use serde_json::{Map, Value};

/// What the browser must do next.
#[derive(Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum NextAction {
    /// Nothing in the browser: frictionless, already authenticated, or past 3-D Secure.
    #[serde(rename_all = "camelCase")]
    None {
        /// The provider's status word that decided it.
        status: String,
        /// What the response says about the authentication (ECI, CAVV present, ...).
        detail: Map<String, Value>,
    },
    /// Run the 3DS Method (device fingerprint), then tell the provider compInd.
    #[serde(rename_all = "camelCase")]
    Method {
        /// Where to POST threeDSMethodData.
        method_url: String,
        /// The transaction ID the notification will name.
        #[serde(rename = "threeDSServerTransID")]
        three_ds_server_trans_id: String,
        /// Built from the transaction ID when a notification URL was given.
        #[serde(rename = "threeDSMethodData", skip_serializing_if = "Option::is_none")]
        three_ds_method_data: Option<String>,
        /// What to do with compInd afterwards.
        then: &'static str,
    },
    /// Send the browser to the provider's or issuer's page.
    #[serde(rename_all = "camelCase")]
    Redirect {
        /// The page.
        url: String,
        /// "GET" or "POST".
        method: &'static str,
        /// Form fields for a POST (or query fields for a GET).
        fields: Map<String, Value>,
        /// Whether the provider allows showing it in an iframe instead of the whole page.
        iframe_allowed: bool,
        /// The iframe size the provider's page is made for, when known.
        #[serde(skip_serializing_if = "Option::is_none")]
        challenge_window_size: Option<String>,
        /// A value the merchant must store server-side to check the return (Ingenico RETURNMAC).
        #[serde(skip_serializing_if = "Option::is_none")]
        store: Option<Map<String, Value>>,
    },
    /// Show the provider's HTML document (it auto-submits to the card company).
    #[serde(rename_all = "camelCase")]
    Html {
        /// The document.
        html: String,
        /// The provider's flow returns at the top level, so the document should be shown there.
        top_level: bool,
    },
    /// Authentication cannot go on.
    #[serde(rename_all = "camelCase")]
    Fail {
        /// Why, in the provider's words where it gives them.
        reason: String,
        /// Whether a new attempt (same or another card) may succeed.
        retryable: bool,
    },
}
