//! Keeps the displayed price in step with the customer's choices. Requests are debounced
//! (typing "12" is one request, not two), each new one aborts the one it supersedes, and an
//! answer that arrives late never overwrites a newer one. The page never computes a total.

use crate::api::ApiFailure;
use checkout_core::money::DecimalError;
use checkout_core::pricing::{Quote, QuoteError, QuoteRequest};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;

pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Why the current choices have no price.
#[derive(Clone, Debug, PartialEq)]
pub enum QuoteProblem {
    /// The server refused the choices (quantity or amount out of bounds).
    Invalid(QuoteError),
    /// The request failed; the last good price is still shown but cannot be paid.
    Failed(ApiFailure),
    /// The typed amount is not one the currency can have ("12,5" F CFA, "abc").
    Unreadable(DecimalError),
}

pub type QuoteFuture = Pin<Box<dyn Future<Output = Result<Quote, ApiFailure>>>>;
/// Sends one quote request; the controller aborts it when a newer request supersedes it.
pub type QuoteFetch = Rc<dyn Fn(QuoteRequest, web_sys::AbortController) -> QuoteFuture>;

#[derive(Clone, Copy)]
pub struct Quoter {
    /// The server's price for the latest choices that had one.
    pub quote: RwSignal<Quote>,
    pub problem: RwSignal<Option<QuoteProblem>>,
    /// A request is waiting to be sent or answered: the shown price may be stale.
    pub pending: RwSignal<bool>,
    latest: StoredValue<u64>,
    timer: StoredValue<Option<TimeoutHandle>>,
    in_flight: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    fetch: StoredValue<QuoteFetch, LocalStorage>,
}

impl Quoter {
    pub fn new(initial: Quote, fetch: QuoteFetch) -> Self {
        let quoter = Quoter {
            quote: RwSignal::new(initial),
            problem: RwSignal::new(None),
            pending: RwSignal::new(false),
            latest: StoredValue::new(0),
            timer: StoredValue::new(None),
            in_flight: StoredValue::new_local(None),
            fetch: StoredValue::new_local(fetch),
        };
        // When the form goes (paid, navigated away), nothing waiting may fire into it.
        on_cleanup(move || {
            quoter.supersede();
        });
        quoter
    }

    /// Asks for a price for `request` once the customer pauses.
    pub fn request(&self, request: QuoteRequest) {
        self.pending.set(true);
        if let Some(Some(timer)) = self.timer.try_get_value() {
            timer.clear();
        }
        let this = *self;
        let handle = set_timeout_with_handle(move || this.send(request), DEBOUNCE).ok();
        self.timer.try_set_value(handle);
    }

    /// A local check already refused the choices: no request, and no stale price to pay.
    pub fn refuse(&self, problem: QuoteProblem) {
        self.supersede();
        self.pending.set(false);
        self.problem.set(Some(problem));
    }

    /// Cancels whatever is waiting or in flight, so nothing older can land afterwards.
    fn supersede(&self) -> u64 {
        if let Some(Some(timer)) = self.timer.try_get_value() {
            timer.clear();
        }
        if let Some(Some(previous)) = self.in_flight.try_get_value() {
            previous.abort();
        }
        let ticket = self.latest.try_get_value().unwrap_or(0) + 1;
        self.latest.try_set_value(ticket);
        ticket
    }

    fn send(&self, request: QuoteRequest) {
        if self.fetch.try_with_value(|_| ()).is_none() {
            return; // the form is gone
        }
        let ticket = self.supersede();
        let Ok(controller) = web_sys::AbortController::new() else {
            self.problem
                .set(Some(QuoteProblem::Failed(ApiFailure::Unreachable)));
            return;
        };
        self.in_flight.set_value(Some(controller.clone()));
        let answer = (self.fetch.get_value())(request, controller);
        let this = *self;
        leptos::task::spawn_local(async move {
            let result = answer.await;
            if this.latest.try_get_value() != Some(ticket) {
                return; // superseded, or the form is gone
            }
            this.in_flight.set_value(None);
            match result {
                Ok(quote) => {
                    this.quote.set(quote);
                    this.problem.set(None);
                }
                Err(ApiFailure::Rejected(error)) if error.reason.is_some() => {
                    this.problem.set(error.reason.map(QuoteProblem::Invalid));
                }
                Err(failure) => this.problem.set(Some(QuoteProblem::Failed(failure))),
            }
            this.pending.set(false);
        });
    }
}
