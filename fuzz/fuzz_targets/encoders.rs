//! The encoders from caller fields (a JSON object, as the JS boundary passes it): what they encode, their own
//! decoders read back as the same value, numbers and strings exactly; what they refuse is a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::creq::Creq;
use threeds_kit::core::fields::Fields;
use threeds_kit::core::json;
use threeds_kit::core::method::MethodData;
use threeds_kit::core::session_data;

fuzz_target!(|data: &[u8]| {
    // As the JS boundary reads caller options: JSON text through the crate's own parser.
    let Ok(value) = std::str::from_utf8(data).map_err(drop).and_then(|text| json::parse(text).map_err(drop)) else {
        return;
    };
    if let Ok(fields) = Fields::of(&value, "options") {
        if let Ok(creq) = Creq::from_fields(&fields) {
            let encoded = creq.encode();
            assert_eq!(Creq::decode(&encoded).as_ref(), Ok(&creq), "{encoded}");
            assert_eq!(creq.message_extension.as_ref(), value.get("messageExtension"));
        }
        if let Ok(method) = MethodData::from_fields(&fields) {
            assert_eq!(MethodData::decode(&method.encode()).as_ref(), Ok(&method));
        }
    }
    if let Ok(encoded) = session_data::encode(&value) {
        assert_eq!(session_data::decode(&encoded).as_ref(), Ok(&value));
    }
});
