//! The challenge window sizes of the EMV table (width x height), exactly as the CReq announces them.

use super::error::{Result, ThreeDsError};
use super::fields::quote_for_message;
use super::json::{ToJson, Value};

/// A challenge window size: its code and CSS lengths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WindowSize {
    /// "01" to "05".
    pub code: &'static str,
    /// CSS width ("250px", or "100%" for full screen).
    pub width: &'static str,
    /// CSS height.
    pub height: &'static str,
}

impl ToJson for WindowSize {
    fn to_json(&self) -> Value {
        Value::object([("code", self.code.into()), ("width", self.width.into()), ("height", self.height.into())])
    }
}

/// The EMV table, in code order. Width first: Global Payments' library swaps them.
pub const WINDOW_SIZES: [WindowSize; 5] = [
    WindowSize { code: "01", width: "250px", height: "400px" },
    WindowSize { code: "02", width: "390px", height: "400px" },
    WindowSize { code: "03", width: "500px", height: "600px" },
    WindowSize { code: "04", width: "600px", height: "400px" },
    WindowSize { code: "05", width: "100%", height: "100%" },
];

/// The codes, for enum checks and messages.
pub const WINDOW_SIZE_CODES: [&str; 5] = ["01", "02", "03", "04", "05"];

/// The size for `code` of `field` ("01" to "05"; anything else is an error, never a silent default).
pub fn window_size(field: &str, code: &str) -> Result<WindowSize> {
    WINDOW_SIZES.iter().find(|s| s.code == code).copied().ok_or_else(|| {
        ThreeDsError::invalid(
            field,
            format_args!("one of \"01\", \"02\", \"03\", \"04\", \"05\" (got {})", quote_for_message(code)),
        )
    })
}

impl WindowSize {
    /// Width and height in CSS pixels, or None for full screen.
    pub fn pixels(&self) -> Option<(u32, u32)> {
        let px = |s: &str| s.strip_suffix("px").and_then(|n| n.parse().ok());
        Some((px(self.width)?, px(self.height)?))
    }
}

/// The size to render in a container `available_width` CSS pixels wide: the requested size when it fits
/// (full screen always does), else the widest fixed size that fits, else the smallest ("01"). Chosen before
/// the CReq is encoded, so the ACS is told the size it really gets.
pub fn fit_to_width(requested: WindowSize, available_width: f64) -> WindowSize {
    let fits = |size: &WindowSize| size.pixels().is_none_or(|(width, _)| f64::from(width) <= available_width);
    if fits(&requested) {
        return requested;
    }
    WINDOW_SIZES
        .iter()
        .filter(|s| s.pixels().is_some() && fits(s))
        .max_by_key(|s| s.pixels().map(|(width, _)| width))
        .copied()
        .unwrap_or(WINDOW_SIZES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_emv_table() {
        let table: Vec<_> = WINDOW_SIZES.iter().map(|s| (s.code, s.pixels())).collect();
        assert_eq!(
            table,
            [
                ("01", Some((250, 400))),
                ("02", Some((390, 400))),
                ("03", Some((500, 600))),
                ("04", Some((600, 400))),
                ("05", None)
            ]
        );
        assert!(window_size("challengeWindowSize", "06").is_err());
        assert!(window_size("challengeWindowSize", "1").is_err());
    }

    #[test]
    fn fitting() {
        let code = |requested: usize, width: f64| fit_to_width(WINDOW_SIZES[requested], width).code;
        assert_eq!(code(3, 1000.0), "04");
        assert_eq!(code(3, 550.0), "03");
        assert_eq!(code(2, 450.0), "02");
        assert_eq!(code(1, 300.0), "01");
        assert_eq!(code(0, 100.0), "01");
        assert_eq!(code(4, 100.0), "05");
    }
}
