//! Form texts that carry values: amounts, dates, limits.

use super::Lang;
use checkout_core::coupon::CouponRefusal;
use checkout_core::customer::{Field, FieldProblem};
use checkout_core::phone::PhoneError;
use checkout_core::pricing::QuoteError;
use checkout_core::providers::{Renewal, Unavailable};
use checkout_core::wire::Provider;

impl Lang {
    fn pick(self, fr: String, en: String) -> String {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// Why a coupon was not applied. `date` writes a unix time in the customer's locale.
    pub fn coupon_refusal(self, refusal: &CouponRefusal, date: impl Fn(i64) -> String) -> String {
        let (fr, en): (String, String) = match refusal {
            CouponRefusal::NotAllowed => (
                "Ce paiement n’accepte pas de code promo.".into(),
                "This payment does not take coupon codes.".into(),
            ),
            CouponRefusal::Unknown => (
                "Ce code promo n’existe pas. Vérifiez l’orthographe.".into(),
                "This coupon code does not exist. Check the spelling.".into(),
            ),
            CouponRefusal::Inactive => (
                "Ce code promo n’est plus actif.".into(),
                "This coupon code is no longer active.".into(),
            ),
            CouponRefusal::NotStarted { starts_at } => (
                format!("Ce code promo sera valable à partir du {}.", date(*starts_at)),
                format!("This coupon code is valid from {}.", date(*starts_at)),
            ),
            CouponRefusal::Expired => (
                "Ce code promo a expiré.".into(),
                "This coupon code has expired.".into(),
            ),
            CouponRefusal::UsedUp => (
                "Ce code promo a déjà été utilisé le nombre de fois prévu.".into(),
                "This coupon code has been used as many times as allowed.".into(),
            ),
            CouponRefusal::NotForProduct => (
                "Ce code promo ne s’applique pas à ce produit.".into(),
                "This coupon code does not apply to this product.".into(),
            ),
            CouponRefusal::QuantityAboveCap { max_quantity } => (
                format!("Ce code promo vaut pour {max_quantity} article(s) au plus : réduisez la quantité."),
                format!("This coupon code covers at most {max_quantity} item(s): lower the quantity."),
            ),
            CouponRefusal::CurrencyMismatch => (
                "Ce code promo n’est pas valable dans cette devise.".into(),
                "This coupon code is not valid in this currency.".into(),
            ),
            CouponRefusal::NewCustomersOnly => (
                "Ce code promo est réservé aux nouveaux clients.".into(),
                "This coupon code is for new customers only.".into(),
            ),
            CouponRefusal::ReturningCustomersOnly => (
                "Ce code promo est réservé aux clients fidèles.".into(),
                "This coupon code is for returning customers only.".into(),
            ),
        };
        self.pick(fr, en)
    }

    /// Why the quantity or amount has no price. `money` writes minor units in the currency.
    pub fn quote_error(self, error: &QuoteError, money: impl Fn(i64) -> String) -> String {
        let (fr, en) = match error {
            QuoteError::QuantityNotAllowed => (
                "La quantité de cet article est fixe.".into(),
                "The quantity of this item is fixed.".into(),
            ),
            QuoteError::QuantityOutOfRange { min, max } => (
                format!("Choisissez une quantité entre {min} et {max}."),
                format!("Choose a quantity from {min} to {max}."),
            ),
            QuoteError::AmountNotAllowed => (
                "Le montant de cet article est fixe.".into(),
                "The amount of this item is fixed.".into(),
            ),
            QuoteError::AmountBelowMinimum { minimum } => (
                format!("Le montant minimum est de {}.", money(*minimum)),
                format!("The minimum amount is {}.", money(*minimum)),
            ),
            QuoteError::AmountAboveMaximum { maximum } => (
                format!("Le montant maximum est de {}.", money(*maximum)),
                format!("The maximum amount is {}.", money(*maximum)),
            ),
        };
        self.pick(fr, en)
    }

    pub fn amount_not_whole(self, digits: u32) -> String {
        match (self, digits) {
            (Lang::Fr, 0) => "Saisissez un montant entier, sans centimes.".into(),
            (Lang::En, 0) => "Enter a whole amount, without decimals.".into(),
            (Lang::Fr, d) => format!("Saisissez un montant avec au plus {d} décimales."),
            (Lang::En, d) => format!("Enter an amount with at most {d} decimal places."),
        }
    }

    pub fn amount_not_a_number(self) -> String {
        self.pick(
            "Saisissez un montant en chiffres.".into(),
            "Enter the amount in digits.".into(),
        )
    }

    pub fn field_problem(self, field: Field, problem: &FieldProblem) -> String {
        let (fr, en): (String, String) = match (field, problem) {
            (Field::Name, FieldProblem::Required) => {
                ("Saisissez votre nom.".into(), "Enter your name.".into())
            }
            (Field::Email, FieldProblem::Required) => (
                "Saisissez votre adresse e-mail.".into(),
                "Enter your email address.".into(),
            ),
            (Field::Phone, FieldProblem::Required)
            | (
                Field::Phone,
                FieldProblem::Phone {
                    error: PhoneError::Empty,
                },
            ) => (
                "Saisissez votre numéro de téléphone.".into(),
                "Enter your phone number.".into(),
            ),
            (Field::Country, FieldProblem::Required) => (
                "Choisissez votre pays.".into(),
                "Choose your country.".into(),
            ),
            (Field::City, FieldProblem::Required) => {
                ("Saisissez votre ville.".into(), "Enter your city.".into())
            }
            (Field::Line1, FieldProblem::Required) => (
                "Saisissez votre adresse.".into(),
                "Enter your address.".into(),
            ),
            (Field::PostalCode, FieldProblem::Required) => (
                "Saisissez votre code postal.".into(),
                "Enter your postal code.".into(),
            ),
            (_, FieldProblem::TooLong { max }) => (
                format!("{max} caractères au plus."),
                format!("At most {max} characters."),
            ),
            (_, FieldProblem::InvalidEmail) => (
                "Cette adresse e-mail n’est pas valide (exemple : awa@exemple.ci).".into(),
                "This email address is not valid (for example: awa@example.com).".into(),
            ),
            (_, FieldProblem::Phone { error }) => match error {
                PhoneError::WrongLength { lengths, .. } => {
                    let digits = lengths
                        .iter()
                        .map(|n| n.to_string())
                        .collect::<Vec<_>>()
                        .join(match self {
                            Lang::Fr => " ou ",
                            Lang::En => " or ",
                        });
                    (
                        format!("Ce numéro doit compter {digits} chiffres, sans l’indicatif."),
                        format!("This number must have {digits} digits, without the country code."),
                    )
                }
                PhoneError::UnknownCountryCode => (
                    "Indicatif de pays non pris en charge.".into(),
                    "This country code is not supported.".into(),
                ),
                PhoneError::NotANumber | PhoneError::Empty => (
                    "Saisissez uniquement des chiffres (exemple : 07 08 09 10 11).".into(),
                    "Use digits only (for example: 07 08 09 10 11).".into(),
                ),
            },
            (_, FieldProblem::UnknownCountry) => (
                "Choisissez un pays de la liste.".into(),
                "Choose a country from the list.".into(),
            ),
            (_, FieldProblem::PostalCode { digits: Some(n) }) => (
                format!("Le code postal compte {n} chiffres."),
                format!("The postal code has {n} digits."),
            ),
            (_, FieldProblem::PostalCode { digits: None }) => (
                "Ce code postal n’est pas valide.".into(),
                "This postal code is not valid.".into(),
            ),
        };
        self.pick(fr, en)
    }

    pub fn provider_name(self, provider: Provider) -> &'static str {
        match (self, provider) {
            (_, Provider::Wave) => "Wave",
            (_, Provider::Orange) => "Orange Money",
            (_, Provider::Mtn) => "MTN MoMo",
            (Lang::Fr, Provider::Stripe) => "Carte bancaire",
            (Lang::En, Provider::Stripe) => "Card",
            (_, Provider::Nowpayments) => "Crypto",
        }
    }

    /// How a plan's renewals are collected with this provider.
    pub fn renewal(self, renewal: Renewal) -> &'static str {
        let (fr, en) = match renewal {
            Renewal::Automatic => (
                "Renouvelé automatiquement sur cette carte.",
                "Renewed automatically on this card.",
            ),
            Renewal::ApprovedEachTime => (
                "À chaque échéance, une demande de paiement à approuver sur votre téléphone.",
                "Each renewal is a payment request you approve on your phone.",
            ),
            Renewal::Impossible => ("Ne peut pas être renouvelé.", "Cannot be renewed."),
        };
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    pub fn provider_unavailable(self, why: Unavailable, money: impl Fn(i64) -> String) -> String {
        let (fr, en) = match why {
            Unavailable::Currency => (
                "Indisponible dans cette devise".into(),
                "Not available in this currency".into(),
            ),
            Unavailable::BelowMinimum(min) => (
                format!("À partir de {}", money(min)),
                format!("From {}", money(min)),
            ),
            Unavailable::AboveMaximum(max) => (
                format!("Jusqu’à {} par paiement", money(max)),
                format!("Up to {} per payment", money(max)),
            ),
        };
        self.pick(fr, en)
    }

    pub fn pay(self, amount: &str) -> String {
        self.pick(format!("Payer {amount}"), format!("Pay {amount}"))
    }

    /// The notice a customer accepts before a recurring charge.
    pub fn recurring_authorisation(self, merchant: &str, amount_per_interval: &str) -> String {
        self.pick(
            format!(
                "En confirmant, vous autorisez {merchant} à prélever {amount_per_interval} sur ce moyen de paiement jusqu’à ce que vous résiliez l’abonnement."
            ),
            format!(
                "By confirming, you allow {merchant} to charge {amount_per_interval} to this payment method until you cancel the subscription."
            ),
        )
    }
}
