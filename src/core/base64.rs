//! Base64 (RFC 4648) as the payloads need it: our own, because the base64 crate cost about 3 KB of wasm for
//! two operations.
//!
//! Encoding writes base64url without padding, what EMV specifies. Decoding reads the standard alphabet
//! (callers map `-` and `_` first) and accepts exactly what base64 0.22's `GeneralPurpose` engine accepts
//! with `DecodePaddingMode::Indifferent` and trailing bits allowed, the engine this replaces (tests/base64.rs
//! checks the two against each other):
//! - groups of four symbols, the last of which may have 2 or 3 symbols, padded (`QQ==`, `QUE=`), padded by
//!   one `=` too few (`QQ=`) or not at all (`QQ`, `QUE`);
//! - the bits of the last symbol beyond the last whole byte may be set (lax encoders set them).
//!
//! Refused: any other byte, a lone symbol after the last group (6 bits are not a byte), `=` after 0 or 1
//! symbols of a group, more `=` than the group lacks, and anything after `=`.

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes `bytes` as base64url without padding.
pub fn encode_url_no_pad(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() / 3 * 4 + 3);
    let mut groups = bytes.chunks_exact(3);
    for group in &mut groups {
        if let [a, b, c] = *group {
            push_symbols(&mut out, u32::from_be_bytes([0, a, b, c]), 4);
        }
    }
    match *groups.remainder() {
        [a] => push_symbols(&mut out, u32::from_be_bytes([0, a, 0, 0]), 2),
        [a, b] => push_symbols(&mut out, u32::from_be_bytes([0, a, b, 0]), 3),
        _ => {}
    }
    out
}

/// Appends the first `count` of the four sextets in the low 24 bits of `group`.
fn push_symbols(out: &mut String, group: u32, count: usize) {
    for shift in [18, 12, 6, 0].into_iter().take(count) {
        // The mask keeps the index below 64: the bounds check is provably dead.
        out.push(char::from(URL_SAFE[(group >> shift) as usize & 63]));
    }
}

/// Why input is not base64. Offsets are the caller's to add: only it knows what it skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A byte that is neither a symbol of the standard alphabet nor `=`.
    InvalidCharacter,
    /// `=` where no padding can be, or a symbol after padding.
    InvalidPadding,
    /// A lone symbol after the last group of four: 6 bits, not a byte.
    InvalidLength,
}

/// Decodes the standard alphabet, padded or not, one byte at a time: callers that normalise their input (drop
/// whitespace, map the URL alphabet, unescape `%3D`) feed it as they go, with no copy of the input.
pub struct Decoder {
    bytes: Vec<u8>,
    /// The sextets of the group being read, the latest in the low bits.
    group: u32,
    /// Symbols of the group being read; a fourth completes it.
    symbols: u8,
    /// `=` read so far; nothing else may follow one.
    padding: u8,
}

impl Decoder {
    /// A decoder whose output never reallocates for up to `encoded_len` pushed bytes.
    pub fn with_capacity(encoded_len: usize) -> Decoder {
        Decoder { bytes: Vec::with_capacity(encoded_len / 4 * 3 + 2), group: 0, symbols: 0, padding: 0 }
    }

    /// Reads the next byte of input.
    pub fn push(&mut self, byte: u8) -> Result<(), DecodeError> {
        if byte == b'=' {
            // Padding completes a group of 2 or 3 symbols to four characters, and no further.
            if self.symbols < 2 || self.symbols + self.padding >= 4 {
                return Err(DecodeError::InvalidPadding);
            }
            self.padding += 1;
            return Ok(());
        }
        let sextet = sextet(byte).ok_or(DecodeError::InvalidCharacter)?;
        if self.padding > 0 {
            return Err(DecodeError::InvalidPadding);
        }
        self.group = self.group << 6 | sextet;
        self.symbols += 1;
        if self.symbols == 4 {
            let [_, a, b, c] = self.group.to_be_bytes();
            self.bytes.extend_from_slice(&[a, b, c]);
            self.group = 0;
            self.symbols = 0;
        }
        Ok(())
    }

    /// The decoded bytes, once the input has ended.
    pub fn finish(self) -> Result<Vec<u8>, DecodeError> {
        let Decoder { mut bytes, group, symbols, .. } = self;
        // The low bits dropped here (4 of 12, 2 of 18) are the trailing bits the lenient engine ignored too.
        match symbols {
            0 => {}
            2 => {
                let [.., a] = (group >> 4).to_be_bytes();
                bytes.push(a);
            }
            3 => {
                let [.., a, b] = (group >> 2).to_be_bytes();
                bytes.extend_from_slice(&[a, b]);
            }
            _ => return Err(DecodeError::InvalidLength),
        }
        Ok(bytes)
    }
}

/// Decodes `encoded`, every byte of it a symbol of the standard alphabet or padding.
pub fn decode(encoded: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut decoder = Decoder::with_capacity(encoded.len());
    for &byte in encoded {
        decoder.push(byte)?;
    }
    decoder.finish()
}

/// The value of a symbol of the standard alphabet; ranges instead of a 256-byte table, for size.
fn sextet(byte: u8) -> Option<u32> {
    let value = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648, section 10, with padding.
    const RFC_4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    /// Bytes whose encodings use the two symbols the alphabets disagree on (62 and 63), standard and padded.
    const HIGH_SYMBOLS: [(&[u8], &str); 4] =
        [(&[0xfb, 0xff, 0xbf], "+/+/"), (&[0xff], "/w=="), (&[0xfb, 0xf0], "+/A="), (&[0x3e, 0xff, 0xff], "Pv//")];

    fn url(standard: &str) -> String {
        standard.trim_end_matches('=').replace('+', "-").replace('/', "_")
    }

    #[test]
    fn encodes_the_rfc_vectors_as_base64url_without_padding() {
        for (plain, standard) in RFC_4648 {
            assert_eq!(encode_url_no_pad(plain.as_bytes()), url(standard), "{plain:?}");
        }
        for (bytes, standard) in HIGH_SYMBOLS {
            assert_eq!(encode_url_no_pad(bytes), url(standard), "{bytes:?}");
        }
    }

    #[test]
    fn decodes_the_rfc_vectors_padded_and_not() {
        for (plain, standard) in RFC_4648 {
            assert_eq!(decode(standard.as_bytes()).as_deref(), Ok(plain.as_bytes()), "{standard:?}");
            let unpadded = standard.trim_end_matches('=');
            assert_eq!(decode(unpadded.as_bytes()).as_deref(), Ok(plain.as_bytes()), "{unpadded:?}");
        }
        for (bytes, standard) in HIGH_SYMBOLS {
            assert_eq!(decode(standard.as_bytes()).as_deref(), Ok(bytes), "{standard:?}");
            assert_eq!(decode(standard.trim_end_matches('=').as_bytes()).as_deref(), Ok(bytes), "{standard:?}");
        }
    }

    #[test]
    fn the_decoder_reads_only_the_standard_alphabet() {
        for (_, standard) in HIGH_SYMBOLS {
            assert_eq!(decode(url(standard).as_bytes()), Err(DecodeError::InvalidCharacter), "{standard:?}");
        }
    }

    #[test]
    fn every_padding_rule() {
        use DecodeError::*;
        let cases: [(&str, Result<&[u8], DecodeError>); 27] = [
            ("QQ", Ok(b"A")),
            ("QQ=", Ok(b"A")),
            ("QQ==", Ok(b"A")),
            ("QUE", Ok(b"AA")),
            ("QUE=", Ok(b"AA")),
            ("QUFB", Ok(b"AAA")),
            ("QUFBQQ=", Ok(b"AAAA")),
            ("=", Err(InvalidPadding)),
            ("==", Err(InvalidPadding)),
            ("Q=", Err(InvalidPadding)),
            ("Q==", Err(InvalidPadding)),
            ("QQ===", Err(InvalidPadding)),
            ("QUE==", Err(InvalidPadding)),
            ("QUFB=", Err(InvalidPadding)),
            ("QUFB====", Err(InvalidPadding)),
            ("QQ=Q", Err(InvalidPadding)),
            ("QQ==QUFB", Err(InvalidPadding)),
            ("QUE=QUFB", Err(InvalidPadding)),
            ("QQ=!", Err(InvalidCharacter)),
            ("Q", Err(InvalidLength)),
            ("QUFBQ", Err(InvalidLength)),
            ("QUFB\n", Err(InvalidCharacter)),
            ("QU FB", Err(InvalidCharacter)),
            ("QUF-", Err(InvalidCharacter)),
            ("QUF_", Err(InvalidCharacter)),
            ("QUF\u{e9}", Err(InvalidCharacter)),
            ("QUF\0", Err(InvalidCharacter)),
        ];
        for (input, expected) in cases {
            assert_eq!(decode(input.as_bytes()), expected.map(<[u8]>::to_vec), "{input:?}");
        }
    }

    #[test]
    fn ignores_trailing_bits() {
        // "/w" is 0xff; "/x" to "//" set the 4 bits past it, "AAB" and "AAD" the 2 bits past 0x0000.
        for input in ["/w", "/x", "//", "/x==", "//="] {
            assert_eq!(decode(input.as_bytes()).as_deref(), Ok(&[0xff][..]), "{input:?}");
        }
        for input in ["AAB", "AAD", "AAD="] {
            assert_eq!(decode(input.as_bytes()).as_deref(), Ok(&[0, 0][..]), "{input:?}");
        }
    }

    #[test]
    fn every_byte_value_and_every_symbol_round_trips() {
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            let bytes = all.get(len..).unwrap_or_default();
            let standard = encode_url_no_pad(bytes).replace('-', "+").replace('_', "/");
            assert_eq!(decode(standard.as_bytes()).as_deref(), Ok(bytes));
        }
        let symbols: String = URL_SAFE.iter().map(|&b| char::from(b)).collect();
        let standard = symbols.replace('-', "+").replace('_', "/");
        assert_eq!(encode_url_no_pad(&decode(standard.as_bytes()).unwrap()), symbols);
    }
}
