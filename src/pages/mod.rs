pub mod checkout;
pub mod not_found;
pub mod payment;
