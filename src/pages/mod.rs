pub mod checkout;
pub mod not_found;
