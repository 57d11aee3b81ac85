use super::Lang;

/// Every fixed customer-facing string. Adding a variant without both translations does not
/// compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Loading,
    TestModeBanner,
    Language,
    OrderSummary,
    Items,
    UnitPrice,
    Quantity,
    Subtotal,
    Discount,
    Fees,
    Total,
    DueToday,
    SecuredBy,
    NotFoundTitle,
    NotFoundBody,
    InactiveTitle,
    InactiveBody,
    ExpiredTitle,
    ExpiredBody,
    SessionExpiredBody,
    CompletedTitle,
    CompletedBody,
    UnreachableTitle,
    UnreachableBody,
    ServerErrorTitle,
    ServerErrorBody,
    Retry,
    NoMoneyTaken,
    HomeLink,
    Decrease,
    Increase,
    YourAmount,
    CouponLabel,
    ApplyCoupon,
    RemoveCoupon,
    ContactHeading,
    FullName,
    Email,
    Phone,
    PhoneCountry,
    BillingHeading,
    Country,
    City,
    AddressLine,
    PostalCode,
    PaymentMethod,
    ChooseProvider,
    PhoneForProvider,
    FixErrors,
    PriceUpdating,
    PriceUnavailable,
    StartTrial,
    ConfirmFree,
    SessionExpiring,
    OptionalHint,
    PhoneWhy,
    RateLimited,
}

impl Msg {
    /// Why there is nothing to pay: a link expired, or a session (whose customer goes back
    /// to the merchant's site to start again).
    pub fn expired_body(kind: checkout_core::wire::CheckoutKind) -> Msg {
        if kind == checkout_core::wire::CheckoutKind::Session {
            Msg::SessionExpiredBody
        } else {
            Msg::ExpiredBody
        }
    }

    pub fn text(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Msg::Loading => ("Chargement du paiement…", "Loading the payment…"),
            Msg::TestModeBanner => (
                "Mode test : aucun argent réel ne sera débité.",
                "Test mode: no real money will move.",
            ),
            Msg::Language => ("Langue", "Language"),
            Msg::OrderSummary => ("Récapitulatif de la commande", "Order summary"),
            Msg::Items => ("Articles", "Items"),
            Msg::UnitPrice => ("Prix unitaire", "Unit price"),
            Msg::Quantity => ("Quantité", "Quantity"),
            Msg::Subtotal => ("Sous-total", "Subtotal"),
            Msg::Discount => ("Réduction", "Discount"),
            Msg::Fees => ("Frais", "Fees"),
            Msg::Total => ("Total", "Total"),
            Msg::DueToday => ("À payer aujourd’hui", "Due today"),
            Msg::SecuredBy => ("Paiement sécurisé par lomi.", "Payment secured by lomi."),
            Msg::NotFoundTitle => ("Lien de paiement introuvable", "Payment link not found"),
            Msg::NotFoundBody => (
                "Ce lien n’existe pas ou a été supprimé. Vérifiez l’adresse, ou demandez un nouveau lien au marchand.",
                "This link does not exist or was deleted. Check the address, or ask the merchant for a new link.",
            ),
            Msg::InactiveTitle => ("Ce lien n’est plus actif", "This link is no longer active"),
            Msg::InactiveBody => (
                "Le marchand a désactivé ce lien de paiement. Contactez-le pour obtenir un nouveau lien.",
                "The merchant has switched this payment link off. Contact them for a new link.",
            ),
            Msg::ExpiredTitle => ("Ce lien a expiré", "This link has expired"),
            Msg::ExpiredBody => (
                "Ce lien de paiement n’est plus valable. Demandez-en un nouveau au marchand.",
                "This payment link is no longer valid. Ask the merchant for a new one.",
            ),
            Msg::SessionExpiredBody => (
                "Cette session de paiement a expiré. Retournez sur le site du marchand pour recommencer votre achat.",
                "This checkout session has expired. Go back to the merchant’s site to start your purchase again.",
            ),
            Msg::CompletedTitle => ("Paiement déjà effectué", "Already paid"),
            Msg::CompletedBody => (
                "Cette commande est déjà payée. Vous n’avez rien d’autre à faire ; vous pouvez fermer cette page.",
                "This order has already been paid. There is nothing more to do; you can close this page.",
            ),
            Msg::UnreachableTitle => ("Connexion impossible", "We can’t reach lomi."),
            Msg::UnreachableBody => (
                "Vérifiez votre connexion internet, puis réessayez.",
                "Check your internet connection, then try again.",
            ),
            Msg::ServerErrorTitle => ("Un problème est survenu", "Something went wrong"),
            Msg::ServerErrorBody => (
                "Le service de paiement n’a pas pu répondre. Réessayez dans un instant.",
                "The payment service could not answer. Try again in a moment.",
            ),
            Msg::Retry => ("Réessayer", "Try again"),
            Msg::NoMoneyTaken => (
                "Aucun paiement n’a été effectué.",
                "No payment has been made.",
            ),
            Msg::HomeLink => ("Découvrir lomi.", "About lomi."),
            Msg::Decrease => ("Diminuer la quantité", "Decrease quantity"),
            Msg::Increase => ("Augmenter la quantité", "Increase quantity"),
            Msg::YourAmount => ("Votre montant", "Your amount"),
            Msg::CouponLabel => ("Code promo", "Coupon code"),
            Msg::ApplyCoupon => ("Appliquer", "Apply"),
            Msg::RemoveCoupon => ("Retirer le code promo", "Remove coupon"),
            Msg::ContactHeading => ("Vos coordonnées", "Your details"),
            Msg::FullName => ("Nom complet", "Full name"),
            Msg::Email => ("Adresse e-mail", "Email address"),
            Msg::Phone => ("Numéro de téléphone", "Phone number"),
            Msg::PhoneCountry => ("Indicatif du pays", "Country code"),
            Msg::BillingHeading => ("Adresse de facturation", "Billing address"),
            Msg::Country => ("Pays", "Country"),
            Msg::City => ("Ville", "City"),
            Msg::AddressLine => ("Adresse", "Address"),
            Msg::PostalCode => ("Code postal", "Postal code"),
            Msg::PaymentMethod => ("Moyen de paiement", "Payment method"),
            Msg::ChooseProvider => (
                "Choisissez un moyen de paiement.",
                "Choose a payment method.",
            ),
            Msg::PhoneForProvider => (
                "Le numéro du compte qui paiera.",
                "The number of the account that will pay.",
            ),
            Msg::FixErrors => (
                "Vérifiez les champs signalés.",
                "Check the fields marked in red.",
            ),
            Msg::PriceUpdating => ("Mise à jour du prix…", "Updating the price…"),
            Msg::PriceUnavailable => (
                "Le prix n’a pas pu être mis à jour. Vérifiez votre connexion.",
                "The price could not be updated. Check your connection.",
            ),
            Msg::StartTrial => ("Commencer l’essai gratuit", "Start free trial"),
            Msg::ConfirmFree => ("Confirmer la commande", "Confirm order"),
            Msg::SessionExpiring => (
                "Cette session de paiement expire dans",
                "This checkout session expires in",
            ),
            Msg::OptionalHint => ("facultatif", "optional"),
            Msg::PhoneWhy => (
                "Obligatoire pour payer par mobile money : l'opérateur envoie la demande de paiement à ce numéro.",
                "Required to pay by mobile money: your operator sends the payment request to this number.",
            ),
            Msg::RateLimited => (
                "Beaucoup de demandes en ce moment. Nouvel essai automatique dans quelques secondes…",
                "Many requests right now. Trying again automatically in a few seconds…",
            ),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}
