//! The payment screens' texts: what to do now, per provider, and how it ended.

use super::Lang;
use checkout_core::payment::FailureReason;

/// Fixed strings of the payment screens. Adding one without both languages does not compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayMsg {
    WaveTitle,
    WaveBody,
    OpenWave,
    WaveQr,
    CardTitle,
    CardBody,
    ContinueToCard,
    OrangeTitle,
    OtpLabel,
    ConfirmCode,
    MtnTitle,
    MtnHelp,
    ResendPrompt,
    PromptResent,
    CryptoTitle,
    CryptoAddress,
    CryptoAmount,
    CryptoNetwork,
    CryptoExact,
    Copy,
    CopyAddress,
    CopyAmount,
    Copied,
    Waiting,
    StillWaiting,
    CheckNow,
    ConnectionLost,
    SuccessTitle,
    FreeTitle,
    TrialStartedTitle,
    TrialStartedBody,
    Continue,
    Receipt,
    FailedTitle,
    TryAgain,
    OtherProvider,
    BackToMerchant,
    AlreadyPending,
    AlreadyPaid,
    PayUncertain,
    CouponNoLonger,
    ProviderNoLonger,
    Paying,
}

impl PayMsg {
    pub fn text(self, lang: Lang) -> &'static str {
        let (fr, en) = match self {
            PayMsg::WaveTitle => ("Payez avec Wave", "Pay with Wave"),
            PayMsg::WaveBody => (
                "Confirmez le paiement dans Wave, puis revenez sur cette page.",
                "Confirm the payment in Wave, then come back to this page.",
            ),
            PayMsg::OpenWave => ("Ouvrir Wave", "Open Wave"),
            PayMsg::WaveQr => (
                "Sur ordinateur ? Scannez ce code avec l’application Wave de votre téléphone.",
                "On a computer? Scan this code with the Wave app on your phone.",
            ),
            PayMsg::CardTitle => ("Paiement par carte", "Card payment"),
            PayMsg::CardBody => (
                "Vos données de carte sont saisies sur une page de paiement sécurisée, jamais sur celle-ci.",
                "You enter your card details on a secure payment page, never on this one.",
            ),
            PayMsg::ContinueToCard => ("Continuer vers la page de paiement", "Continue to the payment page"),
            PayMsg::OrangeTitle => ("Confirmez avec Orange Money", "Confirm with Orange Money"),
            PayMsg::OtpLabel => ("Code de paiement Orange Money", "Orange Money payment code"),
            PayMsg::ConfirmCode => ("Valider le code", "Confirm code"),
            PayMsg::MtnTitle => ("Validez sur votre téléphone", "Approve on your phone"),
            PayMsg::MtnHelp => (
                "Rien reçu ? Composez *133# pour voir les paiements en attente, ou renvoyez la demande.",
                "Nothing arrived? Dial *133# to see pending payments, or send the request again.",
            ),
            PayMsg::ResendPrompt => ("Renvoyer la demande", "Send the request again"),
            PayMsg::PromptResent => ("Demande renvoyée.", "Request sent again."),
            PayMsg::CryptoTitle => ("Payez en crypto", "Pay with crypto"),
            PayMsg::CryptoAddress => ("Adresse", "Address"),
            PayMsg::CryptoAmount => ("Montant exact", "Exact amount"),
            PayMsg::CryptoNetwork => ("Réseau", "Network"),
            PayMsg::CryptoExact => (
                "Envoyez exactement ce montant, sur ce réseau. Un montant inférieur ne sera pas accepté ; un montant supérieur devra être remboursé par le marchand.",
                "Send exactly this amount, on this network. Less will not be accepted; any excess has to be refunded by the merchant.",
            ),
            PayMsg::Copy => ("Copier", "Copy"),
            PayMsg::CopyAddress => ("Copier l’adresse", "Copy the address"),
            PayMsg::CopyAmount => ("Copier le montant", "Copy the amount"),
            PayMsg::Copied => ("Copié", "Copied"),
            PayMsg::Waiting => ("En attente de la confirmation…", "Waiting for confirmation…"),
            PayMsg::StillWaiting => (
                "Toujours en attente de l’opérateur. Ce n’est pas un échec : le paiement peut encore aboutir. Ne payez pas une seconde fois.",
                "Still waiting for the operator. This is not a failure: the payment may still go through. Do not pay a second time.",
            ),
            PayMsg::CheckNow => ("Vérifier maintenant", "Check now"),
            PayMsg::ConnectionLost => (
                "Connexion perdue. Nouvel essai automatique…",
                "Connection lost. Trying again automatically…",
            ),
            PayMsg::SuccessTitle => ("Paiement réussi", "Payment successful"),
            PayMsg::FreeTitle => ("Commande confirmée", "Order confirmed"),
            PayMsg::TrialStartedTitle => ("Abonnement activé", "Subscription started"),
            PayMsg::TrialStartedBody => (
                "Rien n’a été débité aujourd’hui. Le premier prélèvement aura lieu à la date indiquée, sur le moyen de paiement choisi.",
                "Nothing was charged today. The first charge will be taken on the date shown, with the payment method you chose.",
            ),
            PayMsg::Continue => ("Continuer", "Continue"),
            PayMsg::Receipt => ("Voir le reçu", "View the receipt"),
            PayMsg::FailedTitle => ("Le paiement n’a pas abouti", "The payment did not go through"),
            PayMsg::TryAgain => ("Réessayer", "Try again"),
            PayMsg::OtherProvider => ("Choisir un autre moyen de paiement", "Choose another payment method"),
            PayMsg::BackToMerchant => ("Retour au marchand", "Back to the merchant"),
            PayMsg::AlreadyPending => (
                "Un paiement est déjà en cours pour cette commande.",
                "A payment is already under way for this order.",
            ),
            PayMsg::AlreadyPaid => ("Cette commande est déjà payée.", "This order has already been paid."),
            PayMsg::PayUncertain => (
                "La connexion a été coupée avant la réponse. Réessayez : si le paiement a déjà démarré, vous le retrouverez, sans être débité deux fois.",
                "The connection dropped before the answer. Try again: if the payment already started, you will find it, and you will not be charged twice.",
            ),
            PayMsg::CouponNoLonger => (
                "Ce code promo ne peut plus être utilisé pour cette commande. Retirez-le pour continuer.",
                "This coupon code can no longer be used for this order. Remove it to continue.",
            ),
            PayMsg::ProviderNoLonger => (
                "Ce moyen de paiement n’est pas disponible pour ce montant. Choisissez-en un autre.",
                "This payment method is not available for this amount. Choose another one.",
            ),
            PayMsg::Paying => ("Paiement en cours…", "Paying…"),
        };
        match lang {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }
}

impl Lang {
    pub fn p(self, msg: PayMsg) -> &'static str {
        msg.text(self)
    }

    pub fn failure(self, reason: Option<FailureReason>) -> &'static str {
        let (fr, en) = match reason {
            Some(FailureReason::InsufficientFunds) => (
                "Solde insuffisant. Rechargez votre compte ou choisissez un autre moyen de paiement.",
                "Insufficient balance. Top up your account or choose another payment method.",
            ),
            Some(FailureReason::RejectedByCustomer) => (
                "Le paiement a été refusé depuis le téléphone ou l’application. Aucun argent n’a été débité.",
                "The payment was declined from the phone or the app. No money was taken.",
            ),
            Some(FailureReason::OperatorTimeout) => (
                "L’opérateur n’a pas reçu de validation à temps. Aucun argent n’a été débité.",
                "The operator received no approval in time. No money was taken.",
            ),
            Some(FailureReason::WrongCode) => (
                "Ce code n’est pas valide. Composez de nouveau le code USSD pour en obtenir un autre.",
                "This code is not valid. Dial the USSD code again to get a new one.",
            ),
            Some(FailureReason::TooManyAttempts) => (
                "Trois codes erronés : ce paiement a été arrêté pour votre sécurité. Aucun argent n’a été débité. Recommencez pour obtenir un nouveau code.",
                "Three wrong codes: this payment was stopped for your safety. No money was taken. Start again to get a new code.",
            ),
            Some(FailureReason::CardDeclined) => (
                "La banque a refusé la carte. Essayez une autre carte ou un autre moyen de paiement.",
                "The bank declined the card. Try another card or another payment method.",
            ),
            Some(FailureReason::Declined) | None => (
                "Le fournisseur de paiement a refusé le paiement. Aucun argent n’a été débité.",
                "The payment provider declined the payment. No money was taken.",
            ),
        };
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    pub fn dial_for_code(self, ussd: &str) -> String {
        match self {
            Lang::Fr => format!("Sur votre téléphone Orange, composez {ussd} pour obtenir un code de paiement, puis saisissez-le ci-dessous."),
            Lang::En => format!("On your Orange phone, dial {ussd} to get a payment code, then type it below."),
        }
    }

    pub fn prompt_sent(self, amount: &str, phone: &str) -> String {
        match self {
            Lang::Fr => format!("Une demande de paiement de {amount} a été envoyée au {phone}. Saisissez votre code secret MoMo pour la valider."),
            Lang::En => format!("A payment request for {amount} was sent to {phone}. Enter your MoMo PIN to approve it."),
        }
    }

    pub fn paid(self, merchant: &str, amount: &str) -> String {
        match self {
            Lang::Fr => format!("Merci ! {merchant} a bien reçu votre paiement de {amount}."),
            Lang::En => format!("Thank you! {merchant} has received your payment of {amount}."),
        }
    }

    pub fn redirecting(self, seconds: u32) -> String {
        match self {
            Lang::Fr => format!("Retour vers le site du marchand dans {seconds} s…"),
            Lang::En => format!("Back to the merchant’s site in {seconds} s…"),
        }
    }

    pub fn reference(self, id: &str) -> String {
        match self {
            Lang::Fr => format!("Référence : {id}"),
            Lang::En => format!("Reference: {id}"),
        }
    }

    pub fn back_to(self, merchant: &str) -> String {
        match self {
            Lang::Fr => format!("Retour à {merchant}"),
            Lang::En => format!("Back to {merchant}"),
        }
    }
}
