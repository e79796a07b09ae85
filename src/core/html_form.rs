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
/// form, and taking in fields before or after the form whose `form` attribute names it. Values are those a
/// browser submits (a text input's without line breaks). Markup a browser reads as text (see
/// [`html_tokens`](super::html_tokens)) holds no form. What this reader cannot read exactly as a browser does
/// is refused rather than guessed: a form that is not url-encoded (it could not be submitted the same way),
/// HTML inside SVG or MathML, an input whose value a browser would rewrite (`number`, `date`...), a named
/// character reference outside HTML's Latin-1 set.
pub fn first_form(html: &str) -> Result<HtmlForm> {
    if html.len() > MAX_HTML_LEN {
        return Err(ThreeDsError::new(
            ErrorCode::TooLarge,
            format!("html is {} bytes; at most {MAX_HTML_LEN} are read", html.len()),
        ));
    }
    let lower = html.to_ascii_lowercase();
    let mut tags = Tags::new(html, &lower);
    let mut form: Option<Attributes> = None;
    let mut inside = false;
    // Before the form: the ids seen (a `form` attribute names the first element with its id, which must be the
    // form), and the fields that name a form, kept until it is known whether they name this one.
    let mut ids_before = Vec::new();
    // The form's id, if a `form` attribute can name it.
    let mut form_id: Option<String> = None;
    let mut early = Vec::new();
    let mut fields = Vec::new();
    // The fieldsets the cursor is in (whether each is disabled, and the legends open in it), and the datalists:
    // their fields are not submitted, but for those in a disabled fieldset's legend.
    let (mut fieldsets, mut legends, mut barred) = (Vec::<bool>::new(), 0usize, 0usize);
    while let Some(tag) = tags.next_tag() {
        if form.is_none() && !tag.name.starts_with('/') && tag.name != "form" {
            ids_before.extend(tag.attributes.id.clone());
        }
        match tag.name {
            "form" if form.is_none() => {
                // SVG and MathML elements before the form may hold its id too.
                ids_before.append(&mut tags.foreign_ids);
                refuse_unread(&tag.attributes)?;
                // A `form` attribute names this form only if no element before it has its id.
                form_id = tag.attributes.id.clone().filter(|id| !ids_before.contains(id));
                ids_before = Vec::new();
                form = Some(tag.attributes);
                inside = true;
                continue;
            }
            "/form" => inside = false,
            "fieldset" => fieldsets.push(tag.attributes.disabled),
            "/fieldset" => drop(fieldsets.pop()),
            "legend" => legends += 1,
            "/legend" => legends = legends.saturating_sub(1),
            "datalist" => barred += 1,
            "/datalist" => barred = barred.saturating_sub(1),
            "input" | "textarea" | "select" => {
                let attributes = &tag.attributes;
                let values = match tag.name {
                    "select" => select_values(&mut tags, attributes.multiple)?,
                    _ => Vec::new(),
                };
                let named = attributes.name.as_ref().filter(|n| !n.is_empty());
                let in_disabled_fieldset = fieldsets.contains(&true);
                if in_disabled_fieldset && legends > 0 && named.is_some() {
                    // Only a disabled fieldset's first legend enables its fields; which legend is first is not
                    // followed here.
                    return Err(ThreeDsError::invalid("html", "a form without fields in a disabled fieldset's legend"));
                }
                let Some(name) = named.filter(|_| !attributes.disabled && barred == 0 && !in_disabled_fieldset) else {
                    continue;
                };
                let owner = match (&form, &attributes.form) {
                    (_, Some(owner)) if form.is_none() => Some(owner.clone()),
                    (Some(_), Some(owner)) => {
                        if form_id.as_ref() != Some(owner) {
                            continue;
                        }
                        None
                    }
                    (Some(_), None) if inside => None,
                    _ => continue,
                };
                refuse_unread(attributes)?;
                let values = match tag.name {
                    "select" => values,
                    "textarea" => vec![textarea_value(tag.text.unwrap_or_default())?],
                    _ => input_value(name, attributes)?.into_iter().collect(),
                };
                for value in values {
                    match &owner {
                        Some(owner) => early.push((owner.clone(), name.clone(), value)),
                        None => fields.push((name.clone(), value)),
                    }
                }
                if early.len() + fields.len() > MAX_FIELDS {
                    return Err(ThreeDsError::new(
                        ErrorCode::TooLarge,
                        format!("html form has more than {MAX_FIELDS} fields"),
                    ));
                }
            }
            _ => {}
        }
    }
    if tags.foreign_html {
        return Err(ThreeDsError::invalid("html", "a document without HTML inside SVG or MathML"));
    }
    let form = form.ok_or_else(|| ThreeDsError::invalid("html", "a document with a <form> to submit"))?;
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
    // The fields before the form that name it come first, in document order.
    let mut submitted = Vec::new();
    for (owner, name, value) in early {
        if form_id.as_ref() == Some(&owner) {
            submitted.push((name, value));
        }
    }
    submitted.append(&mut fields);
    Ok(HtmlForm { action, method, fields: submitted })
}

/// Refuses a tag whose attributes hold a character reference this reader does not decode.
fn refuse_unread(attributes: &Attributes) -> Result<()> {
    match &attributes.unread_reference {
        Some(reference) => Err(unread_reference(reference)),
        None => Ok(()),
    }
}

fn unread_reference(reference: &str) -> ThreeDsError {
    ThreeDsError::invalid(
        "html",
        format_args!(
            "a document whose character references are numeric or of HTML's Latin-1 set (got {})",
            quote_for_message(reference)
        ),
    )
}

/// What an `<input>` named `name` submits, if anything: buttons and files never (the page submits by script,
/// with no submitter), check boxes and radio buttons only when checked, `_charset_` as the encoding, and the
/// value as a browser's value sanitization leaves it. An unknown type is a text input, as in a browser.
fn input_value(name: &str, attributes: &Attributes) -> Result<Option<String>> {
    let kind = attributes.kind.as_deref().unwrap_or_default().to_ascii_lowercase();
    let value = attributes.value.clone().unwrap_or_default();
    let without_newlines = || value.replace(['\r', '\n'], "");
    Ok(match kind.as_str() {
        "submit" | "button" | "image" | "reset" | "file" => None,
        "checkbox" | "radio" if !attributes.checked => None,
        "checkbox" | "radio" => Some(attributes.value.clone().unwrap_or_else(|| "on".into())),
        "hidden" if name.eq_ignore_ascii_case("_charset_") => Some("UTF-8".into()),
        "hidden" => Some(value),
        "url" => Some(without_newlines().trim_ascii().to_string()),
        "email" if !attributes.multiple => Some(without_newlines().trim_ascii().to_string()),
        "email" | "number" | "range" | "color" | "date" | "month" | "week" | "time" | "datetime-local" => {
            return Err(ThreeDsError::invalid(
                &format!("html input {}", quote_for_message(name)),
                format_args!("of a type whose value a browser sends as written, not {}", quote_for_message(&kind)),
            ))
        }
        _ => Some(without_newlines()),
    })
}

/// A `<textarea>`'s value: its text, entities decoded, without the one newline that may follow the start tag.
fn textarea_value(text: &str) -> Result<String> {
    let text = text.strip_prefix("\r\n").or_else(|| text.strip_prefix('\n')).unwrap_or(text);
    decode_entities(text, false).map_err(|reference| unread_reference(&reference))
}

/// The values a `<select>` submits, reading its options up to `</select>`: the selected ones (for a single
/// select, the last one marked selected), else the first enabled option of a single select.
fn select_values(tags: &mut Tags, multiple: bool) -> Result<Vec<String>> {
    let mut options: Vec<(String, bool, bool)> = Vec::new();
    while let Some(tag) = tags.next_tag() {
        match tag.name {
            "/select" => break,
            "option" => {
                refuse_unread(&tag.attributes)?;
                let value = match &tag.attributes.value {
                    Some(value) => value.clone(),
                    // The option's text, whitespace stripped and collapsed.
                    None => decode_entities(tags.text(), false)
                        .map_err(|reference| unread_reference(&reference))?
                        .split_ascii_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                options.push((value, tag.attributes.selected, tag.attributes.disabled));
            }
            _ => {}
        }
    }
    let selected = |(_, selected, disabled): &&(String, bool, bool)| *selected && !*disabled;
    if multiple {
        return Ok(options.iter().filter(selected).map(|(value, ..)| value.clone()).collect());
    }
    Ok(options
        .iter()
        .rfind(|o| o.1)
        .or_else(|| options.iter().find(|o| !o.2))
        .filter(|o| !o.2)
        .map(|(value, ..)| vec![value.clone()])
        .unwrap_or_default())
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

    /// The fields of the first form, as (name, value) pairs.
    fn fields_of(html: &str) -> Vec<(String, String)> {
        first_form(html).unwrap().fields
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn comments_end_where_a_browser_ends_them() {
        let decoy = "<form method=post action=https://evil.example/b><input name=stolen value=1></form>";
        let real = "<form method=post action=https://acs.example/a><input name=PaReq value=1></form>";
        // "</" before anything but a letter is a bogus comment to the next '>': the decoy tag is inside it.
        for hidden in [format!("</ {decoy}"), format!("</1{decoy}"), format!("</-{decoy}")] {
            assert_eq!(first_form(&format!("{hidden}{real}")).unwrap().action, "https://acs.example/a", "{hidden}");
        }
        // "<!-->" and "<!--->" are whole comments, and "--!>" ends one: the form after each is a form.
        for shown in [format!("<!-->{decoy}"), format!("<!--->{decoy}"), format!("<!-- x --!>{decoy}")] {
            assert_eq!(first_form(&format!("{shown}{real}")).unwrap().action, "https://evil.example/b", "{shown}");
        }
        // "</>" is nothing; "--!-" does not end a comment.
        assert_eq!(first_form(&format!("</>{real}")).unwrap().action, "https://acs.example/a");
        assert_eq!(first_form(&format!("<!-- --!- {decoy} -->{real}")).unwrap().action, "https://acs.example/a");
    }

    #[test]
    fn html_inside_svg_or_math_is_refused() {
        let decoy = "<form method=post action=https://evil.example/b><input name=stolen value=1></form>";
        let real = "<form method=post action=https://acs.example/a><input name=PaReq value=1></form>";
        for wrapper in [
            format!("<svg><foreignObject>{decoy}</foreignObject></svg>"),
            format!("<math><mtext>{decoy}</mtext></math>"),
            format!("<svg><p>{decoy}</svg>"),
            "<svg><title><b>x</b></title></svg>".to_string(),
            format!("<template><svg></template>{decoy}"),
            format!("<svg><style><div>{decoy}</style></svg>"),
        ] {
            let error = first_form(&format!("{wrapper}{real}")).unwrap_err();
            assert_eq!(error.message, "html must be a document without HTML inside SVG or MathML", "{wrapper}");
        }
        // A logo is no trouble: text in its title, styles, self-closing shapes, CDATA.
        let logo = "<svg viewBox='0 0 1 1'><title>Shop &amp; co</title><style>.a{fill:red}</style><path d=M0/>\
            <g><circle r=1 /></g><![CDATA[ <p> ]]><desc/></svg><svg/><math><mi>x</mi></math>";
        assert_eq!(fields_of(&format!("{logo}{real}")), pairs(&[("PaReq", "1")]));
    }

    #[test]
    fn values_are_those_a_browser_submits() {
        let html = "<form method=post action=https://acs.example/a><input name=t value='a&#10;b&#13;'>\
            <input type=password name=p value='x&#10;'><input type='hidden ' name=h value='c&#10;d'>\
            <input type=hidden name=kept value='e&#10;f'><input type=url name=u value=' https://x.example/&#10; '>\
            <input type=email name=e value=' a@b.example '></form>";
        let expected =
            [("t", "ab"), ("p", "x"), ("h", "cd"), ("kept", "e\nf"), ("u", "https://x.example/"), ("e", "a@b.example")];
        assert_eq!(fields_of(html), pairs(&expected));
        for kind in ["number", "range", "color", "date", "month", "week", "time", "datetime-local"] {
            let html = format!("<form action=https://acs.example/a><input type={kind} name=n value=1></form>");
            let error = first_form(&html).unwrap_err();
            assert!(error.message.starts_with("html input \"n\" must be of a type"), "{kind}: {}", error.message);
            // Not submitted, not read.
            let html = format!("<form action=https://acs.example/a><input type={kind} name=n value=1 disabled></form>");
            assert!(first_form(&html).is_ok());
        }
        let multiple = "<form action=https://acs.example/a><input type=email multiple name=m value='a, b'></form>";
        assert!(first_form(multiple).is_err());
    }

    #[test]
    fn fields_before_the_form_that_name_it_come_first() {
        let html = "<input name=early form=f value=1><input name=other form=g value=2><input name=loose value=3>\
            <form id=f action=https://acs.example/a><input name=in value=4></form><input name=late form=f value=5>";
        assert_eq!(fields_of(html), pairs(&[("early", "1"), ("in", "4"), ("late", "5")]));
        // An element before the form with the same id takes the name: the fields name that element.
        let html = "<div id=f></div><input name=early form=f value=1><form id=f action=https://acs.example/a>\
            <input name=in value=4></form><input name=late form=f value=5>";
        assert_eq!(fields_of(html), pairs(&[("in", "4")]));
        let html = "<svg id=f /><form id=f action=https://acs.example/a><input name=in value=4></form><input name=late form=f value=5>";
        assert_eq!(fields_of(html), pairs(&[("in", "4")]));
        // A disabled fieldset around the form disables its fields.
        let html = "<fieldset disabled><form action=https://acs.example/a><input name=in value=4></form></fieldset>";
        assert_eq!(fields_of(html), pairs(&[]));
        let html = "<form action=https://acs.example/a><fieldset disabled><legend><input name=l></legend></fieldset>";
        assert!(first_form(html).is_err());
    }

    #[test]
    fn character_references_decode_as_in_a_browser() {
        let decode = |text: &str, in_attribute: bool| decode_entities(text, in_attribute).unwrap();
        // Numeric: with or without ';', any number of digits, C1 controls as windows-1252.
        assert_eq!(
            decode("&#65&#x42;&#0000000000067;&#x80;&#150;&#x81;&#0;&#xD800;&#99999999999;", true),
            "ABC\u{20ac}\u{2013}\u{81}\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(decode("&#;&#x;&#xg", true), "&#;&#x;&#xg");
        // Latin-1 names, with ';' everywhere, without it as the tokenizer allows.
        assert_eq!(decode("&copy;&eacute;&yuml;&nbsp;&AMP;&apos;", true), "\u{a9}\u{e9}\u{ff}\u{a0}&'");
        assert_eq!(decode("&lt&gt &copy x", true), "<> \u{a9} x");
        // In an attribute, not when letters, digits or '=' follow; in text, the longest name that starts the run.
        assert_eq!(decode("?a=1&copy=2&notify=3&b=4", true), "?a=1&copy=2&notify=3&b=4");
        assert_eq!(decode("&notify &ampx", false), "\u{ac}ify &x");
        // A name with ';' outside the set is refused: a browser may know it.
        assert_eq!(decode_entities("&hellip;", true), Err("&hellip;".to_string()));
        let html = "<form action=https://acs.example/a><input name=n value='&hellip;'></form>";
        assert!(first_form(html).unwrap_err().message.contains("&hellip;"));
        // A run of '&' or digits costs linear time.
        let long = "&".repeat(100_000) + &"&#".repeat(50_000) + "&#" + &"9".repeat(100_000);
        assert_eq!(decode(&long, false).chars().count(), 200_001);
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
