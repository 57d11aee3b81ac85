//! Everything the page and the sandbox must agree on, written once.
//!
//! Money is always an integer count of the currency's minor unit (`i64`); nothing here
//! touches a float. Time is unix seconds, so the crate needs no date library.

pub mod brand;
pub mod calendar;
pub mod coupon;
pub mod customer;
pub mod display;
pub mod fees;
pub mod json;
pub mod money;
pub mod payment;
pub mod phone;
pub mod pricing;
pub mod providers;
pub mod validate;
pub mod wire;

pub use money::{Currency, Money};
