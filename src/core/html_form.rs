//! Reads the auto-submitting form out of a provider's HTML document (VeriTrans `resResponseContents`), so
//! the browser can submit the same fields with a form built from DOM nodes: the provider's markup and
//! scripts never enter the merchant page, and strict CSP and Trusted Types pages work.

use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::quote_for_message;
use super::html_tokens::{decode_entities, Attributes, Tags};
use super::json::{ToJson, Value};

/// The first form of a document: where it posts and what.
#[derive(Debug, PartialEq, Eq)]
pub struct HtmlForm {
    /// The form's action URL.
    pub action: String,
    /// "GET" or "POST".
    pub method: String,
    /// Its named inputs (and textareas), in document order.
    pub fields: Vec<(String, String)>,
}

/// The largest document read, in bytes.
pub const MAX_HTML_LEN: usize = 256 * 1024;

/// The most fields read from a form: a provider's auto-submitting form has a handful.
pub const MAX_FIELDS: usize = 1000;

/// Extracts the first `<form>` and the fields a browser would submit with it: named `<input>`s (not buttons,
/// files, unchecked boxes, or disabled ones), `<textarea>`s and `<select>`s, in document order, leaving out
/// fields inside a disabled `<fieldset>` or a `<datalist>` and fields the `form` attribute gives to another
/// form, and taking in fields after the form whose `form` attribute names it. Markup a browser reads as text
/// (see [`html_tokens`](super::html_tokens)) holds no form. A form that is not url-encoded is refused: it
/// could not be submitted the same way.
pub fn first_form(html: &str) -> Result<HtmlForm> {
    if html.len() > MAX_HTML_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("html is {} bytes; at most {MAX_HTML_LEN} are read", html.len()),
        ));
    }
    let lower = html.to_ascii_lowercase();
    let mut tags = Tags::new(html, &lower);
    let form = loop {
        match tags.next_tag() {
            Some(tag) if tag.name == "form" => break tag.attributes,
            Some(_) => continue,
            None => return Err(ThreeDsError::invalid("html", "a document with a <form> to submit")),
        }
    };
    let action = form.action.filter(|a| !a.is_empty()).ok_or_else(|| ThreeDsError::missing("html form action"))?;
    let method = form.method.unwrap_or_else(|| "GET".into()).to_ascii_uppercase();
    if method != "GET" && method != "POST" {
        return Err(ThreeDsError::invalid("html form method", "GET or POST"));
    }
    let enctype = form.enctype.unwrap_or_default().to_ascii_lowercase();
    if method == "POST" && (enctype == "multipart/form-data" || enctype == "text/plain") {
        return Err(ThreeDsError::invalid(
            "html form enctype",
            format_args!("application/x-www-form-urlencoded (got {})", quote_for_message(&enctype)),
        ));
    }
    let mut fields = Vec::new();
    let mut inside = true;
    // Depths of the disabled fieldsets and datalists the cursor is in: their fields are not submitted.
    let (mut fieldsets, mut barred) = (Vec::<bool>::new(), 0usize);
    while let Some(tag) = tags.next_tag() {
        match tag.name {
            "/form" => inside = false,
            "fieldset" => fieldsets.push(tag.attributes.disabled),
            "/fieldset" => drop(fieldsets.pop()),
            "datalist" => barred += 1,
            "/datalist" => barred = barred.saturating_sub(1),
            "input" | "textarea" | "select" => {
                let attributes = &tag.attributes;
                let owned = match (&attributes.form, &form.id) {
                    (Some(owner), Some(id)) => owner == id,
                    (Some(_), None) => false,
                    (None, _) => inside,
                };
                let submitted = owned && !attributes.disabled && barred == 0 && !fieldsets.contains(&true);
                let value = match tag.name {
                    "select" => select_values(&mut tags, attributes.multiple),
                    "textarea" => vec![textarea_value(tag.text.unwrap_or_default())],
                    _ => input_value(attributes).into_iter().collect(),
                };
                let Some(name) = attributes.name.as_ref().filter(|n| !n.is_empty() && submitted) else { continue };
                for value in value {
                    if fields.len() == MAX_FIELDS {
                        return Err(ThreeDsError::new(
                            ErrorCode::TooLarge,
                            format!("html form has more than {MAX_FIELDS} fields"),
                        ));
                    }
                    fields.push((name.clone(), value));
                }
            }
            _ => {}
        }
    }
    Ok(HtmlForm { action, method, fields })
}

/// What an `<input>` submits, if anything: buttons and files never (the page submits by script, with no
/// submitter), check boxes and radio buttons only when checked, `_charset_` as the encoding.
fn input_value(attributes: &Attributes) -> Option<String> {
    let kind = attributes.kind.as_deref().unwrap_or_default().to_ascii_lowercase();
    match kind.as_str() {
        "submit" | "button" | "image" | "reset" | "file" => None,
        "checkbox" | "radio" if !attributes.checked => None,
        "checkbox" | "radio" => Some(attributes.value.clone().unwrap_or_else(|| "on".into())),
        "hidden" if attributes.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case("_charset_")) => {
            Some("UTF-8".into())
        }
        _ => Some(attributes.value.clone().unwrap_or_default()),
    }
}

/// A `<textarea>`'s value: its text, entities decoded, without the one newline that may follow the start tag.
fn textarea_value(text: &str) -> String {
    let text = text.strip_prefix("\r\n").or_else(|| text.strip_prefix('\n')).unwrap_or(text);
    decode_entities(text)
}

/// The values a `<select>` submits, reading its options up to `</select>`: the selected ones (for a single
/// select, the last one marked selected), else the first enabled option of a single select.
fn select_values(tags: &mut Tags, multiple: bool) -> Vec<String> {
    let mut options: Vec<(String, bool, bool)> = Vec::new();
    while let Some(tag) = tags.next_tag() {
        match tag.name {
            "/select" => break,
            "option" => {
                let value = match &tag.attributes.value {
                    Some(value) => value.clone(),
                    // The option's text, whitespace stripped and collapsed.
                    None => decode_entities(tags.text()).split_ascii_whitespace().collect::<Vec<_>>().join(" "),
                };
                options.push((value, tag.attributes.selected, tag.attributes.disabled));
            }
            _ => {}
        }
    }
    let selected = |(_, selected, disabled): &&(String, bool, bool)| *selected && !*disabled;
    if multiple {
        return options.iter().filter(selected).map(|(value, ..)| value.clone()).collect();
    }
    options
        .iter()
        .rfind(|o| o.1)
        .or_else(|| options.iter().find(|o| !o.2))
        .filter(|o| !o.2)
        .map(|(value, ..)| vec![value.clone()])
        .unwrap_or_default()
}

impl ToJson for HtmlForm {
    fn to_json(&self) -> Value {
        let fields = self.fields.iter().map(|(name, value)| Value::Array(vec![name.into(), value.into()])).collect();
        Value::object([
            ("action", (&self.action).into()),
            ("method", (&self.method).into()),
            ("fields", Value::Array(fields)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_auto_submit_document() {
        let html = r#"<html><body onload="document.forms[0].submit()">
            <FORM name=f method="post" action="https://acs.example/pareq?a=1&amp;b=2">
              <input type="hidden" name="PaReq" value="eJx+/=">
              <input type=hidden name='TermUrl' value='https://shop.example/r'>
              <input type="hidden" name="MD" value="&quot;x&#39;&#x41;">
              <textarea name="note">a &lt; b</textarea>
              <input type="submit" name="go" value="Go"><input name="">
            </FORM><input name="outside" value="no"></body></html>"#;
        let form = first_form(html).unwrap();
        assert_eq!(form.action, "https://acs.example/pareq?a=1&b=2");
        assert_eq!(form.method, "POST");
        let expected = [("PaReq", "eJx+/="), ("TermUrl", "https://shop.example/r"), ("MD", "\"x'A"), ("note", "a < b")];
        assert_eq!(form.fields, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn reads_markup_as_a_browser_tokenizer_does() {
        // Tags inside a textarea are its text; comments and scripts hold no fields.
        let html = r#"<form action="https://acs.example/p" method=post>
            <textarea name=a><input name=b value=x></TEXTAREA>
            <!-- <input name=c value=y> --><script>var s = "<input name=d>";</script>
            <input name=e value=z></form>"#;
        let form = first_form(html).unwrap();
        let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(fields, [("a", "<input name=b value=x>"), ("e", "z")]);
        // An unclosed textarea runs to the end of the document, once.
        let html = format!("<form action=x>{}", "<textarea name=a>".repeat(1000));
        let form = first_form(&html).unwrap();
        assert_eq!(form.fields.len(), 1);
        assert_eq!(form.fields[0].1.len(), html.len() - "<form action=x><textarea name=a>".len());
    }

    #[test]
    fn a_form_a_browser_reads_as_text_is_no_form() {
        let decoy = "<form method=post action=https://evil.example/b><input name=stolen value=1>";
        let real = "<form method=post action=https://acs.example/a><input name=PaReq value=1></form>";
        for wrapper in [
            format!("<textarea>{decoy}</textarea>"),
            format!("<title>{decoy}</title>"),
            format!("<noscript>{decoy}</noscript><xmp>{decoy}</xmp><iframe>{decoy}</iframe><style>{decoy}</style>"),
            format!("<template><template></template>{decoy}</template>"),
            format!("<svg><g>{decoy}</g></svg><math>{decoy}</math>"),
            format!("<script><!--<script></script>{decoy}</script>--></script>"),
            format!("<![CDATA[{decoy}]]><!-- {decoy} -->"),
        ] {
            let form = first_form(&format!("{wrapper}{real}")).unwrap();
            assert_eq!((form.action.as_str(), form.fields.len()), ("https://acs.example/a", 1), "{wrapper}");
        }
    }

    #[test]
    fn submits_the_fields_a_browser_would() {
        let html = "<form id=f method=post action=https://acs.example/a><input name=a value=1 disabled>\
            <fieldset disabled><input name=b value=1></fieldset><select name=c><option value=x>X<option selected> Y  y </select>\
            <textarea name=d>\nline</textarea><input type=hidden name=_charset_><input name=e form=other value=1>\
            <input name=f value='&#0;&#xD800;'></form><input name=g form=f value=2>";
        let form = first_form(html).unwrap();
        let fields: Vec<(&str, &str)> = form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            fields,
            [("c", "Y y"), ("d", "line"), ("_charset_", "UTF-8"), ("f", "\u{fffd}\u{fffd}"), ("g", "2")]
        );
        let multipart = "<form method=post enctype=multipart/form-data action=https://acs.example/a></form>";
        assert_eq!(first_form(multipart).unwrap_err().code, ErrorCode::InvalidField);
    }

    #[test]
    fn refuses_documents_without_a_form() {
        assert!(first_form("<p>hello</p>").is_err());
        assert!(first_form("<form><input name=a value=b></form>").is_err(), "no action");
        assert!(first_form("<formal action=x>").is_err());
        assert!(first_form("<form action='x' method='dance'>").is_err());
        // Truncated markup never panics.
        for cut in
            ["<form action=\"", "<form action=x><input name=\"a", "<form action=x><textarea name=t>", "&#xFFFFFFFF;"]
        {
            let _ = first_form(cut);
        }
    }
}
