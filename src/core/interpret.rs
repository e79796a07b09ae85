//! Reading provider result codes: VeriTrans4G's vResultCode tables and Ingenico's liability-shift matrices.

use super::error::{Result, ThreeDsError};
use super::fields::quote_for_message;
use super::json::{ToJson, Value};

/// Who carries the fraud risk of a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RiskBearer {
    /// The card company (issuer): liability shifted.
    CardCompany,
    /// The merchant.
    Merchant,
    /// No payment is made, so there is no risk to bear.
    Nobody,
}

/// What a VeriTrans4G vResultCode says.
#[derive(Debug, PartialEq)]
pub struct VresultInterpretation {
    /// The code as given.
    pub code: String,
    /// The first four characters: the 3-D Secure (MPI) result.
    pub mpi_code: String,
    /// What the MPI code means.
    pub meaning: &'static str,
    /// Characters 5-8: the card payment's result, when one ran ("A001" success, "0000" none).
    pub card_code: String,
    /// G0xx codes come with mstatus "success", GExx with "failure".
    pub mstatus: &'static str,
    /// Whether the merchant may go on to (or has) charged the card.
    pub payment_may_proceed: bool,
    /// Who bears the risk if it does.
    pub risk_bearer: RiskBearer,
    /// The normalised outcome of the authentication.
    pub outcome: &'static str,
}

/// The payment service option types of the VeriTrans4G MPI.
pub const SERVICE_OPTION_TYPES: &[&str] = &["mpi-complete", "mpi-company", "mpi-merchant", "mpi-none"];

/// Interprets a vResultCode (16 characters; at least the first 4 are needed) for a service option type.
pub fn interpret_vresult_code(code: &str, service_option_type: &str) -> Result<VresultInterpretation> {
    let trimmed = code.trim();
    if trimmed.len() < 4 || trimmed.len() > 16 || !trimmed.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(ThreeDsError::invalid(
            "vResultCode",
            format_args!("4 to 16 letters and digits such as \"G011A00100000000\" (got {})", quote_for_message(code)),
        ));
    }
    if !SERVICE_OPTION_TYPES.contains(&service_option_type) {
        return Err(ThreeDsError::invalid(
            "serviceOptionType",
            format_args!("one of {} (got {})", SERVICE_OPTION_TYPES.join(", "), quote_for_message(service_option_type)),
        ));
    }
    let mpi = trimmed[..4].to_ascii_uppercase();
    let card_code = trimmed.get(4..8).unwrap_or("").to_string();
    // (meaning, payment may proceed, risk bearer when it does, outcome)
    let (meaning, proceeds, bearer, outcome) = match mpi.as_str() {
        "G001" => (
            "3-D Secure is possible: redirect the cardholder to the card company's authentication",
            false,
            RiskBearer::Nobody,
            "challenge_required",
        ),
        "G002" => (
            "payment possible (conditional success): the issuer is not in the 3-D Secure cache",
            true,
            RiskBearer::CardCompany,
            "attempted",
        ),
        "G003" => (
            "payment possible (conditional success): the issuer or member is not enrolled",
            true,
            RiskBearer::CardCompany,
            "attempted",
        ),
        "G004" | "G005" | "G006" => {
            ("payment possible (conditional success)", true, RiskBearer::CardCompany, "attempted")
        }
        "G011" => ("3-D Secure succeeded (password matched)", true, RiskBearer::CardCompany, "authenticated"),
        "G012" => ("3-D Secure succeeded (conditional: attempt)", true, RiskBearer::CardCompany, "attempted"),
        "G013" | "G014" => ("3-D Secure succeeded (conditional)", true, RiskBearer::CardCompany, "attempted"),
        "GE01" => {
            ("3-D Secure not possible: the issuer is not in the MPI cache", false, RiskBearer::Nobody, "unavailable")
        }
        "GE02" | "GE06" => {
            ("3-D Secure not possible: the issuer or member is not enrolled", false, RiskBearer::Nobody, "unavailable")
        }
        "GE03" => (
            "3-D Secure not possible: unsupported device (mobile, browser) or ACS failure",
            false,
            RiskBearer::Nobody,
            "unavailable",
        ),
        "GE04" => ("3-D Secure not possible: error in the MPI library", false, RiskBearer::Nobody, "error"),
        "GE05" => {
            ("3-D Secure not possible: connection error with the card company", false, RiskBearer::Nobody, "error")
        }
        "GE11" => (
            "3-D Secure failed: wrong password, or the cardholder cancelled",
            false,
            RiskBearer::Nobody,
            "not_authenticated",
        ),
        // mstatus failure, "payment not possible": whatever the attempt, it is not a success to act on.
        "GE12" => (
            "tentatively authenticated (attempt), but complete authentication forbids payment",
            false,
            RiskBearer::Nobody,
            "not_authenticated",
        ),
        "GE13" => ("3-D Secure failed: incorrect PAReq or other technical factors", false, RiskBearer::Nobody, "error"),
        "GE14" => ("3-D Secure failed: error in the MPI library", false, RiskBearer::Nobody, "error"),
        "GE15" => ("3-D Secure failed: connection error with the card company", false, RiskBearer::Nobody, "error"),
        "GE16" => ("3-D Secure failed: the PARes signature did not verify", false, RiskBearer::Nobody, "rejected"),
        _ => {
            return Err(ThreeDsError::new(
                super::error::ErrorCode::UnknownStatus,
                format!("vResultCode {} is not in the VeriTrans4G tables", quote_for_message(&mpi)),
            ))
        }
    };
    // Under complete authentication, only a full 3-D Secure success may be charged.
    let proceeds = proceeds && (service_option_type != "mpi-complete" || mpi == "G011");
    let card_failed = !card_code.is_empty() && card_code != "A001" && card_code != "0000" && mpi != "G001";
    Ok(VresultInterpretation {
        code: trimmed.to_string(),
        mstatus: if mpi.starts_with("GE") { "failure" } else { "success" },
        payment_may_proceed: proceeds && !card_failed,
        risk_bearer: if proceeds { bearer } else { RiskBearer::Nobody },
        meaning,
        mpi_code: mpi,
        card_code,
        outcome,
    })
}

/// The level of authentication, as Ingenico's matrices name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Authentication {
    NotEnrolled,
    Full,
    Attempt,
    Unable,
    Failed,
}

/// The verdict of a liability-shift matrix.
#[derive(Debug, PartialEq)]
pub struct LiabilityShift {
    /// "yes" or "no".
    pub liability_shift: &'static str,
    /// The matrix row that decided it.
    pub rule: String,
}

/// Inputs of [`liability_shift`].
pub struct LiabilityInput<'a> {
    /// visa, mastercard, maestro, diners, discover, amex.
    pub brand: &'a str,
    /// consumer or commercial.
    pub card_type: &'a str,
    /// The ECI as returned ("5" or "05", Mastercard "2"/"02").
    pub eci: Option<&'a str>,
    /// Whether a CAVV / AAV came back.
    pub cavv_present: bool,
    /// "US" (US intra-region), "EU" (Europe intra-region), "US_CA" (intra US and Canada), or other/absent.
    pub region: Option<&'a str>,
    /// The authentication level when known (full, attempt, not_enrolled, unable, failed): Ingenico's
    /// threeDSecureStatus INVALID_PARES_OR_NOT_COMPLETED is "failed". Otherwise derived from the ECI.
    pub authentication: Option<&'a str>,
}

/// Decides liability shift from Ingenico's matrices for Visa, Mastercard / Maestro, Diners / Discover and
/// American Express.
pub fn liability_shift(input: &LiabilityInput) -> Result<LiabilityShift> {
    let brand = match input.brand.to_ascii_lowercase().replace([' ', '-', '_'], "").as_str() {
        "visa" => "visa",
        "mastercard" | "maestro" | "mc" => "mastercard",
        "diners" | "dinersclub" | "discover" => "diners",
        "amex" | "americanexpress" => "amex",
        _ => return Err(ThreeDsError::invalid("brand", "one of visa, mastercard, maestro, diners, discover, amex")),
    };
    let commercial = match input.card_type.to_ascii_lowercase().as_str() {
        "consumer" => false,
        "commercial" => true,
        _ => return Err(ThreeDsError::invalid("cardType", "\"consumer\" or \"commercial\"")),
    };
    let eci: Option<u8> = match input.eci.map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(e) => Some(
            e.parse().ok().filter(|n: &u8| *n <= 9).ok_or_else(|| ThreeDsError::invalid("eci", "one or two digits"))?,
        ),
    };
    let region = input.region.unwrap_or("").to_ascii_uppercase();
    let derived;
    let authentication = match input.authentication {
        Some(level) => match level.to_ascii_lowercase().as_str() {
            "full" => Authentication::Full,
            "attempt" => Authentication::Attempt,
            "not_enrolled" => Authentication::NotEnrolled,
            "unable" => Authentication::Unable,
            "failed" => Authentication::Failed,
            _ => {
                return Err(ThreeDsError::invalid(
                    "authentication",
                    "one of full, attempt, not_enrolled, unable, failed",
                ))
            }
        },
        None => {
            // ECI alone cannot tell "not enrolled" from an attempt without CAVV; the attempt rows are the
            // stricter of the two, so they decide.
            derived = match (brand, eci, input.cavv_present) {
                ("mastercard", Some(2), _) => Authentication::Full,
                ("mastercard", Some(1), _) => Authentication::Attempt,
                ("mastercard", _, _) => Authentication::Unable,
                (_, Some(5), _) => Authentication::Full,
                (_, Some(6), _) => Authentication::Attempt,
                _ => Authentication::Unable,
            };
            derived
        }
    };
    let cavv = input.cavv_present;
    use Authentication::*;
    // Each arm: (base verdict, the region that flips it, description).
    let (base, exception, row): (bool, Option<&str>, &str) = match (brand, commercial, authentication, cavv) {
        ("diners", _, Full | Attempt, _) => (true, None, "ProtectBuy full or attempts authentication"),
        ("diners", _, _, _) => (false, None, "ProtectBuy: no full or attempts authentication"),
        (_, _, Failed, _) => (false, None, "authentication failed"),
        ("visa", false, NotEnrolled, _) => {
            (true, None, "consumer card, issuer/card range/consumer not enrolled (ECI 6)")
        }
        ("visa", false, Full, true) => (true, None, "consumer card, full authentication with CAVV (ECI 5)"),
        ("visa", false, Full, false) => (true, Some("US"), "consumer card, full authentication without CAVV (ECI 5)"),
        ("visa", false, Attempt, true) => (true, None, "consumer card, attempt with CAVV (ECI 6)"),
        ("visa", false, Attempt, false) => (true, Some("US"), "consumer card, attempt without CAVV (ECI 6)"),
        ("visa", false, Unable, _) => (false, Some("EU"), "consumer card, issuer unable to authenticate (ECI 7)"),
        ("visa", true, Full, true) => (true, None, "commercial card, full authentication with CAVV (ECI 5)"),
        ("visa", true, NotEnrolled, _) => (false, Some("EU"), "commercial card, not enrolled (ECI 6)"),
        ("visa", true, Full, false) => (false, Some("EU"), "commercial card, full authentication without CAVV (ECI 5)"),
        ("visa", true, Attempt, _) => (false, Some("EU"), "commercial card, attempt (ECI 6)"),
        ("visa", true, Unable, _) => (false, None, "commercial card, issuer unable to authenticate (ECI 7)"),
        ("mastercard", false, NotEnrolled, _) => (true, None, "consumer card, not enrolled (ECI 1)"),
        ("mastercard", false, Full, true) => (true, None, "consumer card, full authentication with AAV (ECI 2)"),
        ("mastercard", false, Full, false) => {
            (true, Some("US"), "consumer card, full authentication without AAV (ECI 2)")
        }
        ("mastercard", false, Attempt, _) => (true, None, "consumer card, attempt (ECI 1)"),
        ("mastercard", false, Unable, _) => (true, Some("US"), "consumer card, issuer unable to authenticate"),
        ("mastercard", true, Full, true) => (true, None, "commercial card, full authentication with AAV (ECI 2)"),
        ("mastercard", true, NotEnrolled, _) => (true, Some("US_CA"), "commercial card, not enrolled (ECI 1)"),
        ("mastercard", true, Full, false) => {
            (true, Some("US_CA"), "commercial card, full authentication without AAV (ECI 2)")
        }
        ("mastercard", true, Attempt, _) => (true, Some("US_CA"), "commercial card, attempt (ECI 1)"),
        ("mastercard", true, Unable, _) => (false, None, "commercial card, issuer unable to authenticate"),
        ("amex", false, NotEnrolled, _) => (true, None, "consumer card, not enrolled (ECI 6)"),
        ("amex", false, Full, true) => (true, None, "consumer card, full authentication with CAVV (ECI 5)"),
        ("amex", false, Full, false) => (true, Some("US"), "consumer card, full authentication without CAVV (ECI 5)"),
        ("amex", false, Attempt, _) => (true, None, "consumer card, attempt (ECI 6)"),
        ("amex", false, Unable, _) => (false, Some("US"), "consumer card, issuer unable to authenticate (ECI 7)"),
        ("amex", true, Full, true) => (true, None, "commercial card, full authentication with CAVV (ECI 5)"),
        ("amex", true, NotEnrolled, _) => (false, Some("US_CA"), "commercial card, not enrolled (ECI 6)"),
        ("amex", true, Full, false) => {
            (false, Some("US_CA"), "commercial card, full authentication without CAVV (ECI 5)")
        }
        ("amex", true, Attempt, _) => (false, Some("US_CA"), "commercial card, attempt (ECI 6)"),
        ("amex", true, Unable, _) => (false, None, "commercial card, issuer unable to authenticate (ECI 7)"),
        _ => (false, None, "no matrix row applies"),
    };
    let flipped = exception.is_some_and(|r| r == region);
    let verdict = base != flipped;
    let brand_name = match brand {
        "visa" => "Visa",
        "mastercard" => "Mastercard/Maestro",
        "diners" => "Diners/Discover",
        _ => "American Express",
    };
    let region_note = match (exception, flipped) {
        (Some(r), true) => {
            format!("; {} for {} intra-region transactions", if verdict { "yes" } else { "no" }, region_label(r))
        }
        _ => String::new(),
    };
    Ok(LiabilityShift {
        liability_shift: if verdict { "yes" } else { "no" },
        rule: format!("{brand_name}: {row}{region_note}"),
    })
}

fn region_label(region: &str) -> &'static str {
    match region {
        "US" => "US",
        "EU" => "Europe",
        _ => "US and Canada",
    }
}

impl RiskBearer {
    /// Its name in results.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskBearer::CardCompany => "card_company",
            RiskBearer::Merchant => "merchant",
            RiskBearer::Nobody => "nobody",
        }
    }
}

impl ToJson for VresultInterpretation {
    fn to_json(&self) -> Value {
        Value::object([
            ("code", (&self.code).into()),
            ("mpiCode", (&self.mpi_code).into()),
            ("meaning", self.meaning.into()),
            ("cardCode", (&self.card_code).into()),
            ("mstatus", self.mstatus.into()),
            ("paymentMayProceed", self.payment_may_proceed.into()),
            ("riskBearer", self.risk_bearer.as_str().into()),
            ("outcome", self.outcome.into()),
        ])
    }
}

impl ToJson for LiabilityShift {
    fn to_json(&self) -> Value {
        Value::object([("liabilityShift", self.liability_shift.into()), ("rule", (&self.rule).into())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vresult_tables() {
        let ok = interpret_vresult_code("G011A00100000000", "mpi-complete").unwrap();
        assert!(ok.payment_may_proceed);
        assert_eq!((ok.outcome, ok.risk_bearer, ok.mstatus), ("authenticated", RiskBearer::CardCompany, "success"));
        let attempt = interpret_vresult_code("G012A00100000000", "mpi-company").unwrap();
        assert!(attempt.payment_may_proceed);
        assert!(!interpret_vresult_code("G012A00100000000", "mpi-complete").unwrap().payment_may_proceed);
        let failed = interpret_vresult_code("GE110000", "mpi-complete").unwrap();
        assert_eq!(
            (failed.payment_may_proceed, failed.mstatus, failed.outcome),
            (false, "failure", "not_authenticated")
        );
        assert_eq!(interpret_vresult_code("G0020000", "mpi-company").unwrap().risk_bearer, RiskBearer::CardCompany);
        assert!(interpret_vresult_code("ZZ99", "mpi-company").is_err());
        assert!(interpret_vresult_code("G011", "mpi-everything").is_err());
    }

    fn shift(brand: &str, card_type: &str, eci: &str, cavv: bool, region: Option<&str>) -> &'static str {
        liability_shift(&LiabilityInput {
            brand,
            card_type,
            eci: Some(eci),
            cavv_present: cavv,
            region,
            authentication: None,
        })
        .unwrap()
        .liability_shift
    }

    #[test]
    fn matrices() {
        assert_eq!(shift("visa", "consumer", "05", true, None), "yes");
        assert_eq!(shift("visa", "consumer", "05", false, Some("US")), "no");
        assert_eq!(shift("visa", "consumer", "07", false, None), "no");
        assert_eq!(shift("visa", "consumer", "07", false, Some("EU")), "yes");
        assert_eq!(shift("visa", "commercial", "06", true, None), "no");
        assert_eq!(shift("visa", "commercial", "06", true, Some("EU")), "yes");
        assert_eq!(shift("mastercard", "consumer", "02", true, None), "yes");
        assert_eq!(shift("maestro", "consumer", "00", false, Some("US")), "no");
        assert_eq!(shift("mastercard", "commercial", "01", true, Some("US_CA")), "no");
        assert_eq!(shift("amex", "consumer", "07", false, Some("US")), "yes");
        assert_eq!(shift("discover", "consumer", "06", false, None), "yes");
        let failed = liability_shift(&LiabilityInput {
            brand: "visa",
            card_type: "consumer",
            eci: Some("5"),
            cavv_present: true,
            region: None,
            authentication: Some("failed"),
        })
        .unwrap();
        assert_eq!(failed.liability_shift, "no");
        assert!(failed.rule.contains("failed"));
        assert!(liability_shift(&LiabilityInput {
            brand: "jcb",
            card_type: "consumer",
            eci: None,
            cavv_present: false,
            region: None,
            authentication: None
        })
        .is_err());
    }
}
