//! Navigations for provider actions: a form built from DOM nodes, submitted at the top level or into a
//! sandboxed iframe of an EMV window size. Provider markup never enters the page.

use web_sys::{AbortSignal, Element};

use super::elements::{append, body, form, parent, sized_iframe, submit_and_remove, window_and_document, Placed};
use super::flow::{aborted_error, already_aborted};
use super::names::frame_name;
use super::permissions::payment_and_webauthn;
use crate::core::action::Navigation;
use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::window::window_size;

/// Where a navigation went.
pub enum Shown {
    /// The whole page is leaving.
    TopLevel,
    /// In an iframe in the container, which stays (it is the customer's step).
    Iframe,
}

/// What the provider's pages may do in the iframe: run their scripts and forms, keep their origin, open
/// popups, and end the flow at the top level, but only from the customer's click (a hosted page's button),
/// never by themselves: a script that takes over the merchant's page unasked is what the sandbox is for.
const SANDBOX: &str =
    "allow-forms allow-scripts allow-same-origin allow-top-navigation-by-user-activation allow-popups";

/// Submits `navigation`, unless `signal` has fired. Whatever fails on the way leaves no form and no iframe behind.
pub fn go(navigation: &Navigation, container: Option<Element>, signal: Option<AbortSignal>) -> Result<Shown> {
    // The navigation is done at once: the signal is read before it, as the method's is before its POST.
    if already_aborted(&signal) {
        return Err(aborted_error("perform"));
    }
    let (_, document) = window_and_document("perform")?;
    let fields: Vec<(&str, &str)> = navigation.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let get = navigation.method == "GET";
    match &navigation.iframe_size {
        // A GET is a plain navigation: a GET form would replace the URL's own query with its fields.
        None if get => {
            let (window, _) = window_and_document("perform")?;
            window
                .location()
                .assign(&navigation.url)
                .map_err(|_| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "the page refused to navigate"))?;
            Ok(Shown::TopLevel)
        }
        None => {
            let form = form(&document, &navigation.method, &navigation.url, "_top", &fields)?;
            append(&body(&document, "perform")?, &form)?;
            submit_and_remove(&form, "provider")?;
            Ok(Shown::TopLevel)
        }
        Some(code) => {
            let size = window_size("challengeWindowSize", code)?;
            let parent = parent(container, &document, "perform")?;
            // The provider's page may confirm the payment with Secure Payment Confirmation or WebAuthn.
            let allow = payment_and_webauthn("action.url", &navigation.origin)?;
            let name = frame_name("provider", "perform")?;
            let frame = sized_iframe(&document, &name, "3-D Secure", Some(&allow), &size)?;
            frame.set_attribute("sandbox", SANDBOX).map_err(|_| {
                ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "the page refused to sandbox the iframe")
            })?;
            if get {
                frame.set_src(&navigation.url);
            }
            append(&parent, &frame)?;
            let mut placed = Placed::default();
            let has_window = frame.content_window().is_some();
            placed.own(frame.into());
            // A container outside the document (detached, a template's content) gives the frame no window: the
            // form would post nowhere.
            if !has_window {
                return Err(ThreeDsError::new(
                    ErrorCode::UnsupportedEnvironment,
                    "the iframe has no window (is the container in the document?)",
                ));
            }
            // The page may abort as the iframe is inserted (its load event fires then): nothing is posted.
            if already_aborted(&signal) {
                return Err(aborted_error("perform"));
            }
            if get {
                placed.keep();
                return Ok(Shown::Iframe);
            }
            let form = form(&document, &navigation.method, &navigation.url, &name, &fields)?;
            append(&parent, &form)?;
            submit_and_remove(&form, "provider")?;
            placed.keep();
            Ok(Shown::Iframe)
        }
    }
}
