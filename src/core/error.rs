//! The one error type of the crate: a stable machine-readable code and a message that names the field.

use core::fmt;

/// Stable codes, the contract JS callers match on (`err.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The value is not base64 (either alphabet, padded or not).
    InvalidBase64,
    /// The decoded bytes are not UTF-8 JSON of the expected shape (an object).
    InvalidJson,
    /// A required field is absent, null or empty.
    MissingField,
    /// A field is present but of the wrong type, format or enum value.
    InvalidField,
    /// The input is larger than any genuine payload of its kind; refused before decoding.
    TooLarge,
    /// The caller's AbortSignal fired.
    Aborted,
    /// A challenge did not end within its time limit.
    Timeout,
    /// The ACS posted an empty result (no cres, no erro).
    EmptyResult,
    /// The function needs something this runtime lacks (a window and document for the browser steps).
    UnsupportedEnvironment,
    /// A provider response or return carries a status this library does not know.
    UnknownStatus,
    /// The provider of a return could not be told from its fields, or is not one of the five.
    UnknownProvider,
    /// An integrity check with a merchant key failed: the payload was altered or the key is wrong.
    IntegrityFailed,
    /// The keys given for integrity checks cannot be used as given (empty, incomplete, misspelled, or for
    /// another provider than the return's): a configuration error, never the customer's.
    InvalidKeys,
}

/// Every code, for reading one back from its string.
const ALL: [ErrorCode; 13] = [
    ErrorCode::InvalidBase64,
    ErrorCode::InvalidJson,
    ErrorCode::MissingField,
    ErrorCode::InvalidField,
    ErrorCode::TooLarge,
    ErrorCode::Aborted,
    ErrorCode::Timeout,
    ErrorCode::EmptyResult,
    ErrorCode::UnsupportedEnvironment,
    ErrorCode::UnknownStatus,
    ErrorCode::UnknownProvider,
    ErrorCode::IntegrityFailed,
    ErrorCode::InvalidKeys,
];

impl ErrorCode {
    /// The code named `name`, if it is one.
    pub fn named(name: &str) -> Option<ErrorCode> {
        ALL.into_iter().find(|code| code.as_str() == name)
    }

    /// The string JS sees in `err.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidBase64 => "invalid_base64",
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::Aborted => "aborted",
            ErrorCode::Timeout => "timeout",
            ErrorCode::EmptyResult => "empty_result",
            ErrorCode::UnsupportedEnvironment => "unsupported_environment",
            ErrorCode::UnknownStatus => "unknown_status",
            ErrorCode::UnknownProvider => "unknown_provider",
            ErrorCode::IntegrityFailed => "integrity_failed",
            ErrorCode::InvalidKeys => "invalid_keys",
        }
    }
}

/// A failure with a stable code and a human message naming what was wrong and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThreeDsError {
    /// What kind of failure, for programs.
    pub code: ErrorCode,
    /// What was wrong and with which field, for people.
    pub message: String,
}

impl ThreeDsError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ThreeDsError { code, message: message.into() }
    }

    /// `field` is absent (or null, or an empty string).
    pub fn missing(field: &str) -> Self {
        Self::new(ErrorCode::MissingField, format!("{field} is required"))
    }

    /// `field` is present but wrong; `expected` says what it should be.
    pub fn invalid(field: &str, expected: impl fmt::Display) -> Self {
        Self::new(ErrorCode::InvalidField, format!("{field} must be {expected}"))
    }
}

impl fmt::Display for ThreeDsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ThreeDsError {}

/// The crate's result type.
pub type Result<T> = core::result::Result<T, ThreeDsError>;
