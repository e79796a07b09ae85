//! Building the few elements the flows need, with DOM methods only (never markup), so that nothing a
//! caller or an ACS sends can become HTML, and pages enforcing Trusted Types work unchanged.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlFormElement, HtmlIFrameElement, HtmlInputElement, Window};

use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::window::WindowSize;

fn dom_error(what: &str) -> ThreeDsError {
    ThreeDsError::new(ErrorCode::UnsupportedEnvironment, format!("the page refused to {what}"))
}

/// The window and document, or a typed error in runtimes without them (workers, Node, workerd).
pub fn window_and_document(function: &str) -> Result<(Window, Document)> {
    let missing = || {
        ThreeDsError::new(
            ErrorCode::UnsupportedEnvironment,
            format!("{function} needs a browser window with a document"),
        )
    };
    let window = web_sys::window().ok_or_else(missing)?;
    let document = window.document().ok_or_else(missing)?;
    Ok((window, document))
}

/// The document body, or a typed error naming `function` when the page has none yet.
pub fn body(document: &Document, function: &str) -> Result<Element> {
    document.body().map(Into::into).ok_or_else(|| {
        ThreeDsError::new(ErrorCode::UnsupportedEnvironment, format!("{function} needs a document body"))
    })
}

/// Where a flow's elements go: the caller's container, else the body.
pub fn parent(container: Option<Element>, document: &Document, function: &str) -> Result<Element> {
    match container {
        Some(container) => Ok(container),
        None => body(document, function),
    }
}

/// An iframe of exactly `size` (full screen fills its container), with the `allow` attribute `allow`.
pub fn sized_iframe(
    document: &Document,
    name: &str,
    title: &str,
    allow: Option<&str>,
    size: &WindowSize,
) -> Result<HtmlIFrameElement> {
    iframe(
        document,
        name,
        title,
        allow,
        &[("width", size.width), ("height", size.height), ("border", "0"), ("display", "block")],
    )
}

/// An iframe named `name`, styled through the CSSOM (allowed under a strict style-src), with the `allow`
/// attribute `allow` (none: the browser's defaults, which give a frame of another origin neither payment nor
/// WebAuthn).
pub fn iframe(
    document: &Document,
    name: &str,
    title: &str,
    allow: Option<&str>,
    style: &[(&str, &str)],
) -> Result<HtmlIFrameElement> {
    let frame: HtmlIFrameElement =
        document.create_element("iframe").map_err(|_| dom_error("create an iframe"))?.unchecked_into();
    frame.set_name(name);
    frame.set_title(title);
    if let Some(allow) = allow {
        frame.set_attribute("allow", allow).map_err(|_| dom_error("set the iframe's allow attribute"))?;
    }
    let css = frame.style();
    for (property, value) in style {
        let _ = css.set_property(property, value);
    }
    Ok(frame)
}

/// A hidden form that POSTs `fields` to `action` in the browsing context `target`.
pub fn post_form(document: &Document, action: &str, target: &str, fields: &[(&str, &str)]) -> Result<HtmlFormElement> {
    let form: HtmlFormElement =
        document.create_element("form").map_err(|_| dom_error("create a form"))?.unchecked_into();
    form.set_method("POST");
    form.set_action(action);
    form.set_target(target);
    form.set_enctype("application/x-www-form-urlencoded");
    let _ = form.style().set_property("display", "none");
    for (name, value) in fields {
        let input: HtmlInputElement =
            document.create_element("input").map_err(|_| dom_error("create an input"))?.unchecked_into();
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input).map_err(|_| dom_error("build the form"))?;
    }
    Ok(form)
}

/// Appends `child` to `parent`.
pub fn append(parent: &Element, child: &Element) -> Result<()> {
    parent.append_child(child).map(|_| ()).map_err(|_| dom_error("insert an element into the container"))
}
