//! Reads the auto-submitting form out of a provider's HTML document (VeriTrans `resResponseContents`), so
//! the browser can submit the same fields with a form built from DOM nodes: the provider's markup and
//! scripts never enter the merchant page, and strict CSP and Trusted Types pages work.

use super::error::{ErrorCode, Result, ThreeDsError};
use super::fields::quote_for_message;
use super::html_tokens::{Attributes, Tags};
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

/// Extracts the first `<form>` and the fields a browser would submit with it: its named `<input>`s (not
/// buttons or disabled ones; check boxes and radio buttons only when checked), in document order, leaving out
/// inputs the `form` attribute gives to another form. Values are those a browser submits (a text input's
/// without line breaks, character references decoded as the tokenizer decodes them). Markup a browser reads as
/// text (see [`html_tokens`](super::html_tokens)) holds no form.
///
/// A provider's auto-submitting form is a handful of hidden inputs. What this reader cannot read exactly as a
/// browser does is refused rather than guessed, because a guess can post the fields to another form's action:
/// `<select>`, `<textarea>`, `<datalist>` and `<keygen>` (the tree builder ends them, and forms around them, in
/// ways a tag reader cannot follow), a disabled `<fieldset>`, `<frameset>`, an input that another element's
/// `form` attribute could give to the form, two checked radio buttons of one name, an input with `dirname`, an
/// input whose value a browser rewrites (`number`, `date`...), a form that is not url-encoded or not UTF-8,
/// HTML inside SVG or MathML, and a named character reference outside HTML's Latin-1 set.
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
    // The `form` attributes seen before the form: one that names it gives it a field from before it.
    let mut owners_before = Vec::new();
    let mut radios: Vec<String> = Vec::new();
    let mut tables = 0usize;
    let mut fields = Vec::new();
    while let Some(tag) = tags.next_tag() {
        let attributes = &tag.attributes;
        match tag.name {
            "form" if form.is_none() => {
                refuse_unread(attributes)?;
                if attributes.id.as_ref().is_some_and(|id| owners_before.contains(id)) {
                    return Err(unread("a form no field before it names with a form attribute"));
                }
                form = Some(tag.attributes);
                inside = true;
            }
            // The tree builder ignores a `</form>` it meets inside a table, which then holds the form's fields.
            "table" if inside => tables += 1,
            "/table" if inside => tables = tables.saturating_sub(1),
            "/form" if inside && tables > 0 => return Err(unread("a form closed outside any table it opened")),
            "/form" => inside = false,
            "select" | "textarea" | "datalist" | "keygen" | "frameset" => {
                return Err(ThreeDsError::invalid(
                    "html",
                    format_args!("a form of inputs (a <{}> is not read)", tag.name),
                ));
            }
            "fieldset" if attributes.disabled => return Err(unread("a form without a disabled <fieldset>")),
            "input" => {
                let Some(form) = &form else {
                    owners_before.extend(attributes.form.clone());
                    continue;
                };
                let ours = match &attributes.form {
                    Some(owner) if form.id.as_ref() == Some(owner) => {
                        return Err(unread("a form whose inputs are inside it, not given to it by a form attribute"))
                    }
                    Some(_) => false,
                    None => inside,
                };
                let Some(name) = attributes.name.as_ref().filter(|n| ours && !n.is_empty() && !attributes.disabled)
                else {
                    continue;
                };
                refuse_unread(attributes)?;
                let Some(value) = input_value(name, attributes)? else { continue };
                if attributes.kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("radio")) {
                    if radios.iter().any(|r| r.eq_ignore_ascii_case(name)) {
                        return Err(unread("a form with one checked radio button of each name"));
                    }
                    radios.push(name.clone());
                }
                if fields.len() == MAX_FIELDS {
                    return Err(ThreeDsError::new(
                        ErrorCode::TooLarge,
                        format!("html form has more than {MAX_FIELDS} fields"),
                    ));
                }
                fields.push((name.clone(), value));
            }
            _ => {}
        }
    }
    if tags.foreign_html {
        return Err(unread("a document without HTML inside SVG or MathML"));
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
    // The form is submitted in UTF-8, as the merchant page is: another charset would encode its values otherwise.
    if let Some(charset) = form.accept_charset.filter(|c| !c.trim_ascii().eq_ignore_ascii_case("utf-8")) {
        return Err(ThreeDsError::invalid(
            "html form accept-charset",
            format_args!("UTF-8 (got {})", quote_for_message(&charset)),
        ));
    }
    Ok(HtmlForm { action, method, fields })
}

/// The error for a document this reader does not read: `html` must be `expected`.
fn unread(expected: &str) -> ThreeDsError {
    ThreeDsError::invalid("html", expected)
}

/// Refuses a tag whose attributes hold a character reference this reader does not decode.
fn refuse_unread(attributes: &Attributes) -> Result<()> {
    match &attributes.unread_reference {
        Some(reference) => Err(ThreeDsError::invalid(
            "html",
            format_args!(
                "a document whose character references are numeric or of HTML's Latin-1 set (got {})",
                quote_for_message(reference)
            ),
        )),
        None => Ok(()),
    }
}

/// What an `<input>` named `name` submits, if anything: buttons never (the page submits by script, with no
/// submitter), check boxes and radio buttons only when checked, a file input an empty file name, `_charset_`
/// as the encoding, and the value as a browser's value sanitization leaves it. An unknown type is a text
/// input, as in a browser.
fn input_value(name: &str, attributes: &Attributes) -> Result<Option<String>> {
    let kind = attributes.kind.as_deref().unwrap_or_default().to_ascii_lowercase();
    let value = attributes.value.clone().unwrap_or_default();
    let without_newlines = || value.replace(['\r', '\n'], "");
    let field = || format!("html input {}", quote_for_message(name));
    if attributes.dirname {
        return Err(ThreeDsError::invalid(&field(), "an input without dirname (a browser adds a field for it)"));
    }
    let charset = name.eq_ignore_ascii_case("_charset_");
    Ok(match kind.as_str() {
        "submit" | "button" | "image" | "reset" => None,
        "checkbox" | "radio" if !attributes.checked => None,
        "checkbox" | "radio" => Some(attributes.value.clone().unwrap_or_else(|| "on".into())),
        "hidden" if charset => Some("UTF-8".into()),
        "hidden" => Some(value),
        _ if charset => {
            // Rebuilt as a hidden input, it would send the encoding instead of its value.
            return Err(ThreeDsError::invalid(&field(), "a hidden input, if it is named _charset_"));
        }
        "file" => Some(String::new()),
        "url" => Some(without_newlines().trim_ascii().to_string()),
        "email" if !attributes.multiple => Some(without_newlines().trim_ascii().to_string()),
        "email" | "number" | "range" | "color" | "date" | "month" | "week" | "time" | "datetime-local" => {
            return Err(ThreeDsError::invalid(
                &field(),
                format_args!("of a type whose value a browser sends as written, not {}", quote_for_message(&kind)),
            ))
        }
        _ => Some(without_newlines()),
    })
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
    use crate::core::html_tokens::decode_entities;

    const REAL: &str = "<form method=post action=https://acs.example/a><input name=PaReq value=1></form>";
    const DECOY: &str = "<form method=post action=https://evil.example/b><input name=stolen value=1></form>";

    /// The fields of the first form, as (name, value) pairs.
    fn fields_of(html: &str) -> Vec<(String, String)> {
        first_form(html).unwrap().fields
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn refusal(html: &str) -> String {
        first_form(html).unwrap_err().message
    }

    #[test]
    fn reads_an_auto_submit_document() {
        let html = r#"<html><body onload="document.forms[0].submit()">
            <FORM name=f method="post" action="https://acs.example/pareq?a=1&amp;b=2">
              <input type="hidden" name="PaReq" value="eJx+/=">
              <input type=hidden name='TermUrl' value='https://shop.example/r'>
              <input type="hidden" name="MD" value="&quot;x&#39;&#x41;">
              <input type="submit" name="go" value="Go"><input name="">
            </FORM><input name="outside" value="no"></body></html>"#;
        let form = first_form(html).unwrap();
        assert_eq!(form.action, "https://acs.example/pareq?a=1&b=2");
        assert_eq!(form.method, "POST");
        assert_eq!(form.fields, pairs(&[("PaReq", "eJx+/="), ("TermUrl", "https://shop.example/r"), ("MD", "\"x'A")]));
    }

    #[test]
    fn a_form_a_browser_reads_as_text_is_no_form() {
        let decoy = "<form method=post action=https://evil.example/b><input name=stolen value=1>";
        for wrapper in [
            format!("<title>{decoy}</title>"),
            format!("<noscript>{decoy}</noscript><xmp>{decoy}</xmp><iframe>{decoy}</iframe><style>{decoy}</style>"),
            format!("<template><template></template>{decoy}</template>"),
            format!("<svg><g>{decoy}</g></svg><math>{decoy}</math>"),
            format!("<script><!--<script></script>{decoy}</script>--></script>"),
            format!("<![CDATA[{decoy}]]><!-- {decoy} -->"),
            format!("</ {decoy}</1{decoy}"),
            format!("<!-- --!- {decoy} -->"),
        ] {
            assert_eq!(first_form(&format!("{wrapper}{REAL}")).unwrap().action, "https://acs.example/a", "{wrapper}");
        }
    }

    #[test]
    fn comments_and_scripts_end_where_a_browser_ends_them() {
        // "<!-->" and "<!--->" are whole comments, and "--!>" ends one: the form after each is a form.
        for shown in [format!("<!-->{DECOY}"), format!("<!--->{DECOY}"), format!("<!-- x --!>{DECOY}")] {
            assert_eq!(first_form(&format!("{shown}{REAL}")).unwrap().action, "https://evil.example/b", "{shown}");
        }
        assert_eq!(first_form(&format!("</>{REAL}")).unwrap().action, "https://acs.example/a");
        // In a script, "<!-->" escapes nothing: the next "<script>" is text and "</script>" ends the script.
        for script in
            ["<script><!--><script></script>", "<script><!----><script></script>", "<script><!---><script></script>"]
        {
            assert_eq!(
                first_form(&format!("{script}{DECOY}{REAL}")).unwrap().action,
                "https://evil.example/b",
                "{script}"
            );
        }
    }

    #[test]
    fn html_inside_svg_or_math_is_refused() {
        for wrapper in [
            format!("<svg><foreignObject>{DECOY}</foreignObject></svg>"),
            format!("<math><mtext>{DECOY}</mtext></math>"),
            format!("<svg><p>{DECOY}</svg>"),
            "<svg><title><b>x</b></title></svg>".to_string(),
            format!("<template><svg></template>{DECOY}"),
            format!("<svg><style><div>{DECOY}</style></svg>"),
        ] {
            assert_eq!(
                refusal(&format!("{wrapper}{REAL}")),
                "html must be a document without HTML inside SVG or MathML"
            );
        }
        // A logo is no trouble: text in its title, styles, self-closing shapes, CDATA.
        let logo = "<svg viewBox='0 0 1 1'><title>Shop &amp; co</title><style>.a{fill:red}</style><path d=M0/>\
            <g><circle r=1 /></g><![CDATA[ <p> ]]><desc/></svg><svg/><math><mi>x</mi></math>";
        assert_eq!(fields_of(&format!("{logo}{REAL}")), pairs(&[("PaReq", "1")]));
    }

    #[test]
    fn submits_the_inputs_a_browser_would() {
        let html = "<form id=f method=post action=https://acs.example/a><input name=a value=1 disabled>\
            <fieldset><input name=b value=2></fieldset><input type=checkbox name=c><input type=checkbox name=d checked>\
            <input type=radio name=e value=x checked><input type=hidden name=_charset_><input name=g form=other value=1>\
            <input name=h value='&#0;&#xD800;'><input type=file name=i><input type=image name=j><form action=x>\
            <input name=k value=' a&#10;b '><input name=l value='\0'></form><input name=m value=1><input name=n form=x>";
        let expected = [
            ("b", "2"),
            ("d", "on"),
            ("e", "x"),
            ("_charset_", "UTF-8"),
            ("h", "\u{fffd}\u{fffd}"),
            ("i", ""),
            ("k", " ab "),
            ("l", "\u{fffd}"),
        ];
        assert_eq!(fields_of(html), pairs(&expected));
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
            assert!(refusal(&html).starts_with("html input \"n\" must be of a type"), "{kind}");
            // Not submitted, not read.
            let html = format!("<form action=https://acs.example/a><input type={kind} name=n value=1 disabled></form>");
            assert!(first_form(&html).is_ok());
        }
    }

    #[test]
    fn what_a_tag_reader_cannot_follow_is_refused() {
        let form = "<form id=f method=post action=https://acs.example/a>";
        for (html, message) in [
            (format!("<select><input>{form}</select>{DECOY}"), "html must be a form of inputs (a <select> is not read)"),
            (format!("{form}<textarea name=t>x</textarea></form>"), "html must be a form of inputs (a <textarea> is not read)"),
            (format!("{form}<datalist><input name=d></datalist></form>"), "html must be a form of inputs (a <datalist> is not read)"),
            (format!("<frameset></frameset>{form}</form>"), "html must be a form of inputs (a <frameset> is not read)"),
            (format!("{form}<keygen name=k></form>"), "html must be a form of inputs (a <keygen> is not read)"),
            (format!("{form}<fieldset disabled><input name=x></fieldset></form>"), "html must be a form without a disabled <fieldset>"),
            (format!("<input name=early form=f>{form}</form>"), "html must be a form no field before it names with a form attribute"),
            (format!("{form}</form><input name=late form=f>"), "html must be a form whose inputs are inside it, not given to it by a form attribute"),
            (format!("{form}<input type=radio name=r checked><input type=radio name=R checked></form>"), "html must be a form with one checked radio button of each name"),
            (format!("{form}<table><tr><td></form><input name=x></table>"), "html must be a form closed outside any table it opened"),
            (format!("{form}<input name=a dirname=a.dir></form>"), "html input \"a\" must be an input without dirname (a browser adds a field for it)"),
            (format!("{form}<input name=_charset_></form>"), "html input \"_charset_\" must be a hidden input, if it is named _charset_"),
            (format!("{form}<input type=email multiple name=m></form>"), "html input \"m\" must be of a type whose value a browser sends as written, not \"email\""),
            ("<form action=https://acs.example/a accept-charset=shift_jis></form>".into(), "html form accept-charset must be UTF-8 (got \"shift_jis\")"),
            (format!("{form}<input name=n value='&hellip;'></form>"), "html must be a document whose character references are numeric or of HTML's Latin-1 set (got \"&hellip;\")"),
            ("<form action=x method=post enctype=multipart/form-data></form>".into(), "html form enctype must be application/x-www-form-urlencoded (got \"multipart/form-data\")"),
        ] {
            assert_eq!(refusal(&html), message, "{html}");
        }
        // What stays readable: a table inside the form, an UTF-8 charset, an input for another form.
        let html = format!("{form}<table><tr><td><input name=a value=1></td></tr></table><input name=b form=g></form>");
        assert_eq!(fields_of(&html.replace("<form ", "<form accept-charset=' UTF-8 ' ")), pairs(&[("a", "1")]));
    }

    #[test]
    fn character_references_decode_as_in_a_browser() {
        let decode = |text: &str| decode_entities(text).unwrap();
        // Numeric: with or without ';', any number of digits, C1 controls as windows-1252.
        assert_eq!(
            decode("&#65&#x42;&#0000000000067;&#x80;&#150;&#x81;&#0;&#xD800;&#99999999999;"),
            "ABC\u{20ac}\u{2013}\u{81}\u{fffd}\u{fffd}\u{fffd}"
        );
        assert_eq!(decode("&#;&#x;&#xg"), "&#;&#x;&#xg");
        // Latin-1 names, with ';', and without it where a letter, a digit or '=' does not follow.
        assert_eq!(decode("&copy;&eacute;&yuml;&nbsp;&AMP;&apos;"), "\u{a9}\u{e9}\u{ff}\u{a0}&'");
        assert_eq!(decode("&lt&gt &copy x"), "<> \u{a9} x");
        assert_eq!(decode("?a=1&copy=2&notify=3&b=4&ampx"), "?a=1&copy=2&notify=3&b=4&ampx");
        // A name with ';' outside the set is refused: a browser may know it.
        assert_eq!(decode_entities("&hellip;"), Err("&hellip;".to_string()));
        // A run of '&' or digits costs linear time.
        let long = "&".repeat(100_000) + &"&#".repeat(50_000) + "&#" + &"9".repeat(100_000);
        assert_eq!(decode(&long).chars().count(), 200_001);
    }

    #[test]
    fn refuses_documents_without_a_form() {
        assert!(first_form("<p>hello</p>").is_err());
        assert!(first_form("<form><input name=a value=b></form>").is_err(), "no action");
        assert!(first_form("<formal action=x>").is_err());
        assert!(first_form("<form action='x' method='dance'>").is_err());
        // Truncated markup never panics.
        for cut in [
            "<form action=\"",
            "<form action=x><input name=\"a",
            "<form action=x><title>",
            "&#xFFFFFFFF;",
            "<script><!--",
        ] {
            let _ = first_form(cut);
        }
    }
}
