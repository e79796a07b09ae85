//! Every base64/JSON decoder on the same input: method data, method notification, CReq, CRes/Erro, session
//! data, the payload inspector and the envelope a notification page posts. What decodes must round-trip
//! exactly (re-encoded and decoded again, it is the same value); what does not is a typed error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threeds_kit::core::creq::Creq;
use threeds_kit::core::cres::ChallengeResult;
use threeds_kit::core::inspect::inspect;
use threeds_kit::core::json::{self, Value};
use threeds_kit::core::method::{MethodData, MethodNotification};
use threeds_kit::core::notification::Envelope;
use threeds_kit::core::{payload, session_data};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(method) = MethodData::decode(text) {
        assert_eq!(MethodData::decode(&method.encode()).as_ref(), Ok(&method));
    }
    if let Ok(notification) = MethodNotification::decode(text) {
        let again = payload::encode(&Value::object([(
            "threeDSServerTransID",
            notification.three_ds_server_trans_id.as_str().into(),
        )]));
        assert_eq!(MethodNotification::decode(&again).as_ref(), Ok(&notification));
    }
    if let Ok(creq) = Creq::decode(text) {
        assert_eq!(Creq::decode(&creq.encode()).as_ref(), Ok(&creq));
    }
    if let Ok(result) = ChallengeResult::decode(text) {
        assert_eq!(ChallengeResult::decode(&payload::encode(&result)).as_ref(), Ok(&result));
    }
    if let Ok(state) = session_data::decode(text) {
        let encoded = session_data::encode(&state).expect("what decoded fits when encoded");
        assert_eq!(session_data::decode(&encoded).as_ref(), Ok(&state));
    }
    let _ = inspect(text);
    if let Ok(json) = json::parse(text) {
        if let Some(envelope) = Envelope::read(&json) {
            assert_eq!(Envelope::read(&envelope.to_json()).as_ref(), Some(&envelope));
        }
    }
});
