//! For notification pages that read their result in the browser: post it to the parent window.

use js_sys::JSON;

use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::notification::{check_target_origin, Envelope, NotificationResult};

/// Posts `result` to the parent window with exactly `target_origin`. Returns false when the page is not
/// framed (a redirect-mode return page), where there is no one to tell.
pub fn notify_parent(result: NotificationResult, target_origin: &str) -> Result<bool> {
    let origin = check_target_origin(target_origin)?;
    let missing = || ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "notifyParent needs a browser window");
    let window = web_sys::window().ok_or_else(missing)?;
    let parent = window.parent().ok().flatten().ok_or_else(missing)?;
    if parent == window {
        return Ok(false);
    }
    let message = JSON::parse(&Envelope(result).to_json().to_json()).map_err(|_| missing())?;
    parent
        .post_message(&message, &origin)
        .map_err(|_| ThreeDsError::new(ErrorCode::UnsupportedEnvironment, "postMessage to the parent failed"))?;
    Ok(true)
}
