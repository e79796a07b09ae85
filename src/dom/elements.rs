//! Building the few elements the flows need, with DOM methods only (never markup), so that nothing a
//! caller or an ACS sends can become HTML, and pages enforcing Trusted Types work unchanged.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlFormElement, HtmlIFrameElement, HtmlInputElement, Node, Window};

use crate::core::error::{ErrorCode, Result, ThreeDsError};
use crate::core::window::WindowSize;

#[wasm_bindgen]
extern "C" {
    // The DOM's own methods, called on their prototypes (`final`): a form's named controls are properties of
    // the form, so a provider's field named "submit", "appendChild" or "remove" hides the method of that name
    // from `form.submit()` (web-sys's bindings look methods up on the object itself).
    #[wasm_bindgen(js_name = HTMLFormElement)]
    type FormMethods;
    #[wasm_bindgen(catch, method, final, js_class = "HTMLFormElement", js_name = submit)]
    fn submit(this: &FormMethods) -> core::result::Result<(), JsValue>;

    #[wasm_bindgen(js_name = Node)]
    type NodeMethods;
    #[wasm_bindgen(catch, method, final, js_class = "Node", js_name = appendChild)]
    fn append_child(this: &NodeMethods, child: &Node) -> core::result::Result<Node, JsValue>;

    #[wasm_bindgen(js_name = Element)]
    type ElementMethods;
    #[wasm_bindgen(method, final, js_class = "Element", js_name = remove)]
    fn remove(this: &ElementMethods);
}

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

/// A hidden form that sends `fields` to `action` with `method` in the browsing context `target`.
pub fn form(
    document: &Document,
    method: &str,
    action: &str,
    target: &str,
    fields: &[(&str, &str)],
) -> Result<HtmlFormElement> {
    let form: HtmlFormElement =
        document.create_element("form").map_err(|_| dom_error("create a form"))?.unchecked_into();
    // Attributes, not the IDL properties: once the fields are in, `form.action` may be an input named
    // "action" (and so on), and assigning to it would not set the form's action.
    for (attribute, value) in
        [("method", method), ("action", action), ("target", target), ("enctype", "application/x-www-form-urlencoded")]
    {
        form.set_attribute(attribute, value).map_err(|_| dom_error("set the form's attributes"))?;
    }
    let _ = form.style().set_property("display", "none");
    for (name, value) in fields {
        let input: HtmlInputElement =
            document.create_element("input").map_err(|_| dom_error("create an input"))?.unchecked_into();
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.unchecked_ref::<NodeMethods>().append_child(&input).map_err(|_| dom_error("build the form"))?;
    }
    Ok(form)
}

/// Submits `form` and takes it out of the page, whether or not the page let it submit (the browser has
/// read the fields by then). `what` names the form in the error.
pub fn submit_and_remove(form: &HtmlFormElement, what: &str) -> Result<()> {
    let submitted = form.unchecked_ref::<FormMethods>().submit();
    remove(form);
    submitted.map_err(|_| {
        ThreeDsError::new(ErrorCode::UnsupportedEnvironment, format!("the page refused to submit the {what} form"))
    })
}

/// Takes `element` out of the page (nothing when it is not in it).
pub fn remove(element: &Element) {
    element.unchecked_ref::<ElementMethods>().remove();
}

/// Elements a step has put in the page, taken out again when dropped unless kept: a step that fails
/// half-way leaves nothing behind.
#[derive(Default)]
pub struct Placed(Vec<Element>);

impl Placed {
    /// Takes `element` out of the page on drop.
    pub fn own(&mut self, element: Element) {
        self.0.push(element);
    }

    /// Leaves everything in the page (the step succeeded).
    pub fn keep(mut self) {
        self.0.clear();
    }
}

impl Drop for Placed {
    fn drop(&mut self) {
        for element in self.0.drain(..) {
            remove(&element);
        }
    }
}

/// Appends `child` to `parent`.
pub fn append(parent: &Element, child: &Element) -> Result<()> {
    parent.append_child(child).map(|_| ()).map_err(|_| dom_error("insert an element into the container"))
}
