//! lomi. checkout: the page a customer opens from a payment link or a merchant's redirect.
// The server-side render of the checkout form is one deeply nested view type.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod draft;
pub mod embed;
pub mod form;
pub mod format;
pub mod i18n;
pub mod nav;
pub mod pages;
pub mod pay;
pub mod preload;
pub mod quote;
pub mod route;
#[cfg(feature = "ssr")]
pub mod server;
pub mod timing;

pub use app::App;
