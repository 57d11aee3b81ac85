use super::Lang;

/// Every fixed customer-facing string. Adding a variant without both translations does not
/// compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Loading,
    TestModeBanner,
    Language,
    OrderSummary,
    UnitPrice,
    Quantity,
    Subtotal,
    Discount,
    Fees,
    Total,
    DueToday,
    SuggestedAmount,
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
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            Msg::Loading => ("Chargement du paiement…", "Loading the payment…"),
            Msg::TestModeBanner => (
                "Mode test : aucun argent réel ne sera débité.",
                "Test mode: no real money will move.",
            ),
            Msg::Language => ("Langue", "Language"),
            Msg::OrderSummary => ("Récapitulatif de la commande", "Order summary"),
            Msg::UnitPrice => ("Prix unitaire", "Unit price"),
            Msg::Quantity => ("Quantité", "Quantity"),
            Msg::Subtotal => ("Sous-total", "Subtotal"),
            Msg::Discount => ("Réduction", "Discount"),
            Msg::Fees => ("Frais", "Fees"),
            Msg::Total => ("Total", "Total"),
            Msg::DueToday => ("À payer aujourd’hui", "Due today"),
            Msg::SuggestedAmount => ("Montant suggéré", "Suggested amount"),
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
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}
