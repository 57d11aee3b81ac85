//! lomi. checkout: the page a customer opens from a payment link or a merchant's redirect.

pub mod api;
pub mod app;
pub mod components;
pub mod draft;
pub mod form;
pub mod format;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod pay;
pub mod quote;
pub mod route;
pub mod timing;

pub use app::App;
