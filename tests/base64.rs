//! Our base64 codec (src/core/base64.rs) against the base64 crate it replaced, configured exactly as
//! src/core/payload.rs configured it: every input either both accept, with the same bytes, or both refuse.
#![cfg(not(target_arch = "wasm32"))]

use base64::alphabet;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use proptest::prelude::*;
use threeds_kit::core::base64::{decode, encode_url_no_pad};
use threeds_kit::core::error::ErrorCode;
use threeds_kit::core::payload::{self, MAX_ENCODED_LEN};

/// The engine payload.rs decoded with before it had its own codec.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// payload::decode_bytes as it was: normalise into a copy, then the lenient engine. Ok, or the error code.
fn old_decode_bytes(value: &str) -> Result<Vec<u8>, ErrorCode> {
    if value.len() > MAX_ENCODED_LEN {
        return Err(ErrorCode::TooLarge);
    }
    let mut normalised = Vec::with_capacity(value.len());
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if b.is_ascii_whitespace() => {}
            b'-' => normalised.push(b'+'),
            b'_' => normalised.push(b'/'),
            b'%' if bytes.get(i + 1..i + 3).is_some_and(|h| h.eq_ignore_ascii_case(b"3D")) => {
                normalised.push(b'=');
                i += 2;
            }
            b => normalised.push(b),
        }
        i += 1;
    }
    if normalised.is_empty() {
        return Err(ErrorCode::MissingField);
    }
    LENIENT.decode(&normalised).map_err(|_| ErrorCode::InvalidBase64)
}

fn agree(input: &[u8]) -> Result<(), TestCaseError> {
    let ours = decode(input).ok();
    let theirs = LENIENT.decode(input).ok();
    prop_assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(input));
    Ok(())
}

/// Bytes for decoder inputs: mostly symbols, often padding, sometimes a byte of neither (the URL alphabet's
/// two, whitespace, `%`, a NUL, non-ASCII).
fn base64ish_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        10 => prop::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".to_vec()),
        4 => Just(b'='),
        1 => prop::sample::select(b"-_ \n\r\t%!.\0\x7f\x80\xc3\xff".to_vec()),
    ]
}

/// What payload values are made of: the above, plus `%3D` in both cases and runs of whitespace.
fn payload_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        12 => base64ish_byte().prop_filter_map("ASCII", |b| b.is_ascii().then(|| char::from(b).to_string())),
        2 => prop::sample::select(vec!["%3D", "%3d", "%3", "%", "%3D%3D", "  ", "\r\n", "\u{e9}", "=="])
            .prop_map(str::to_string),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn encodes_as_the_crate_does(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(encode_url_no_pad(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
    }

    #[test]
    fn decodes_random_strings_as_the_crate_does(input in prop::collection::vec(base64ish_byte(), 0..40)) {
        agree(&input)?;
    }

    /// Symbols then padding then maybe more: every length modulo 4 with every amount of padding.
    #[test]
    fn decodes_every_padding_as_the_crate_does(
        symbols in prop::collection::vec(prop::sample::select(b"AQgw/+9z".to_vec()), 0..80),
        padding in 0usize..6,
        tail in prop::collection::vec(base64ish_byte(), 0..3),
    ) {
        let mut input = symbols;
        input.resize(input.len() + padding, b'=');
        agree(&input)?;
        input.extend(tail);
        agree(&input)?;
    }

    /// Valid encodings, long enough for the crate's unrolled loops, with one byte replaced, inserted or removed.
    #[test]
    fn decodes_near_misses_as_the_crate_does(
        bytes in prop::collection::vec(any::<u8>(), 0..120),
        padded in any::<bool>(),
        at in any::<prop::sample::Index>(),
        edit in 0u8..3,
        byte in base64ish_byte(),
    ) {
        let mut input = STANDARD.encode(&bytes).into_bytes();
        if !padded {
            input.retain(|&b| b != b'=');
        }
        agree(&input)?;
        let i = at.index(input.len() + 1);
        match edit {
            0 if i < input.len() => input[i] = byte,
            1 => input.insert(i, byte),
            _ if i < input.len() => { input.remove(i); }
            _ => input.push(byte),
        }
        agree(&input)?;
    }

    #[test]
    fn decodes_what_it_encodes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let encoded = encode_url_no_pad(&bytes);
        let standard = encoded.replace('-', "+").replace('_', "/");
        prop_assert_eq!(decode(standard.as_bytes()), Ok(bytes.clone()));
        if !bytes.is_empty() {
            prop_assert_eq!(payload::decode_bytes("x", &encoded).unwrap(), bytes);
        }
    }

    /// The whole of payload::decode_bytes (normalisation included) against the code it replaced.
    #[test]
    fn payload_decodes_as_before(pieces in prop::collection::vec(payload_piece(), 0..40)) {
        let value = pieces.concat();
        let new = payload::decode_bytes("x", &value).map_err(|e| e.code);
        prop_assert_eq!(new, old_decode_bytes(&value), "{:?}", value);
    }

    #[test]
    fn payload_decodes_altered_encodings_as_before(
        bytes in prop::collection::vec(any::<u8>(), 0..120),
        url in any::<bool>(),
        at in any::<prop::sample::Index>(),
        piece in payload_piece(),
    ) {
        let encoded = if url { URL_SAFE_NO_PAD.encode(&bytes) } else { STANDARD.encode(&bytes).replace('=', "%3D") };
        let i = at.index(encoded.len() + 1);
        let value = format!("{}{piece}{}", &encoded[..i], &encoded[i..]);
        let new = payload::decode_bytes("x", &value).map_err(|e| e.code);
        prop_assert_eq!(new, old_decode_bytes(&value), "{:?}", value);
    }
}

/// Every string of up to 8 bytes over symbols with and without trailing bits, padding and a stranger.
#[test]
fn decodes_every_short_string_as_the_crate_does() {
    const BYTES: [u8; 5] = [b'A', b'/', b'w', b'=', b'!'];
    let mut input = Vec::new();
    let mut compared = 0;
    for len in 0..=8u32 {
        for mut n in 0..BYTES.len().pow(len) {
            input.clear();
            for _ in 0..len {
                input.push(BYTES[n % BYTES.len()]);
                n /= BYTES.len();
            }
            assert_eq!(decode(&input).ok(), LENIENT.decode(&input).ok(), "{:?}", String::from_utf8_lossy(&input));
            compared += 1;
        }
    }
    assert_eq!(compared, (0..=8).map(|len| 5usize.pow(len)).sum::<usize>());
}

#[test]
fn errors_name_the_field_and_the_offset() {
    let message = |value: &str| payload::decode_bytes("cres", value).unwrap_err().message;
    assert_eq!(message("Zm9v Yg!="), "cres is not valid base64: an invalid character at offset 7");
    assert_eq!(message("Zm9vY==="), "cres is not valid base64: invalid padding at offset 5");
    assert_eq!(message("Zm9vYg=%3D="), "cres is not valid base64: invalid padding at offset 10");
    assert_eq!(message("Zm9vYg==Zg"), "cres is not valid base64: invalid padding at offset 8");
    assert_eq!(message("Zm9vY"), "cres is not valid base64: invalid length");
}
