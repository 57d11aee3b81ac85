"""Schemathesis hooks for `make fuzz` (loaded by schemathesis.toml).

The OpenAPI document states every rule of a single request that JSON Schema can state. What is
left depends on the server's state or clock, or compares two fields, and no schema can say it:

* `filter_failure` drops ONLY "schema-valid request rejected" failures (positive_data_acceptance)
  whose 400 is one of the refusals listed below, each with its reason. Every other failure of
  every check, and every other 400, still fails the run.
* `map_case` repairs positive request bodies for the cross-field and clock rules, so they stay
  positive; negative cases are never touched. In the coverage phase it also gives each case an
  id that exists (see `_existing_id`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os

import schemathesis

# ---------------------------------------------------------------------------------- failures

# The public checkout operations: whether a quantity, a chosen amount, a coupon, a provider or a
# billing address is taken depends on the link or session the path names (its price, its
# allowed providers, its currency, `require_billing_address`, ...), so a schema-valid body can be
# refused for that checkout. These are the fields whose refusal depends on the checkout.
CHECKOUT_OPERATIONS = {
    "POST /api/checkout/links/{id}/quote",
    "POST /api/checkout/sessions/{id}/quote",
    "POST /api/checkout/links/{id}/pay",
    "POST /api/checkout/sessions/{id}/pay",
}
CHECKOUT_DEPENDENT_FIELDS = {
    "quantity",  # "Cannot be changed for this checkout", the price's quantity cap
    "unit_amount",  # only pay-what-you-want prices take one, within their bounds
    "coupon_code",  # only checkouts with allow_coupon_code take coupons
    "provider",  # the checkout's allowed providers, and which take its currency and amount
    "billing",  # required when the checkout requires a billing address
    "customer.phone",  # required when the provider is a mobile money one the checkout offers
}

# Payment operations: whether a payment takes a one-time code (Orange Money) or a new prompt
# (MTN MoMo) depends on the payment the path names, and the code on the simulated operator.
PAYMENT_STATE_MESSAGES = (
    "Only Orange Money payments take a one-time code",
    "Only MTN MoMo payments have a prompt to send again",
    "Wrong code",
)


# Merchant URL fields: the document's pattern states the rule of sandbox's
# `checkout_core::validate::web_url` exactly (scheme, host written as a domain name or an IP
# address, port), but whether an international label encodes to a valid `xn--` label, whether
# the encoded name stays within 253 characters, and whether a bracketed address is IPv6 is the
# URL parser's answer (IDNA), which no pattern can state. Only that refusal is excused.
URL_FIELDS = {"image_url", "success_url", "cancel_url", "url"}
URL_ENCODING_MESSAGE = "URL host is not a valid domain name or IP address once encoded"


def _operation(case) -> str:
    path = case.operation.path
    if path.startswith("/v1/"):
        path = path[3:]
    return f"{case.operation.method.upper()} {path}"


def _error(response) -> dict:
    try:
        body = response.json()
    except Exception:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


# lomi.'s routes on the sandbox's resources that it does not serve (http/merchant/not_served.rs).
NOT_SERVED = {
    "POST /customers",
    "PATCH /customers/{id}",
    "DELETE /customers/{id}",
    "GET /customers/{id}/portal-audit",
    "POST /customers/{id}/portal-launch-session",
}

# The resources a DELETE removed in this run, as (collection, id), whichever spelling it used.
DELETED: set[tuple[str, str]] = set()
DELETABLE = {"/payment-links/{id}": "payment-links", "/webhooks/{id}": "webhooks"}


def _deleted(case):
    path = case.operation.path
    if path.startswith("/v1/"):
        path = path[3:]
    collection = DELETABLE.get(path)
    if collection is None:
        return None
    return (collection, str((case.path_parameters or {}).get("id")))


@schemathesis.hook
def after_call(context, case, response) -> None:
    """Remembers what a successful DELETE removed (see `filter_failure`)."""
    if case.operation.method.upper() == "DELETE" and 200 <= response.status_code < 300:
        key = _deleted(case)
        if key is not None:
            DELETED.add(key)


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    """False drops the failure; only the refusals below are dropped."""
    checks = getattr(failure, "checks", ())
    if (
        "ensure_resource_availability" in checks
        and response.status_code == 404
        and _deleted(case) in DELETED
    ):
        # A link or a webhook endpoint can be deleted at its path and at its /v1 copy. The
        # stateful phase counts a DELETE as "the resource was deleted" only on the same path,
        # so one it deleted through the other copy looks "created but not found" to the next
        # read, change or delete, which is rightly 404. Only ids this run saw deleted (by
        # `after_call`) are excused: any other created resource that goes missing still fails.
        return False
    if (
        response.status_code == 501
        and _error(response).get("code") == "NOT_IMPLEMENTED"
        and _operation(case) in NOT_SERVED
    ):
        # lomi.'s routes the sandbox does not serve: the document says their only answer is
        # 501 NOT_IMPLEMENTED naming the route, which the server-error check reads as a crash.
        return False
    if "positive_data_acceptance" not in checks or response.status_code != 400:
        return True
    error = _error(response)
    # Ids in a body that must name an existing product, price, plan, link or coupon of this
    # merchant: the seeds document 400 INVALID_REFERENCE for an unknown one, and whether an id
    # exists is state, not shape.
    if error.get("code") == "INVALID_REFERENCE":
        return False
    details = error.get("details") or {}
    if details and all(
        key.rsplit(".", 1)[-1] in URL_FIELDS
        and all(str(m).startswith(URL_ENCODING_MESSAGE) for m in messages)
        for key, messages in details.items()
    ):
        return False
    operation = _operation(case)
    if operation in CHECKOUT_OPERATIONS:
        # An order the server will not price for this checkout (`reason`, e.g. below the
        # pay-what-you-want minimum): the checkout's terms, which the path's id decides.
        if error.get("reason") is not None:
            return False
        details = error.get("details") or {}
        if details and all(key in CHECKOUT_DEPENDENT_FIELDS for key in details):
            return False
    if operation in {"POST /api/checkout/payments/{id}/otp", "POST /api/checkout/payments/{id}/resend"}:
        # The payment's provider and the simulated operator decide these: the message, or for a
        # wrong code the `code` field's.
        details = error.get("details") or {}
        messages = [error.get("message", ""), *details.get("code", [])]
        if any(str(m).startswith(PAYMENT_STATE_MESSAGES) for m in messages):
            return False
    body = case.body if isinstance(case.body, dict) else {}
    if (
        operation == "POST /checkout-sessions"
        and "currency_code" not in body
        and body.get("product_id") is not None
    ):
        # Without currency_code a session is in its product's currency, whose bounds on
        # `amount` the document cannot know (it states XOF's): state of the product.
        details = error.get("details") or {}
        if list(details) == ["amount"] and all(
            str(m).startswith("Amount ") and not str(m).endswith("(XOF)") for m in details["amount"]
        ):
            return False
    if operation in {"POST /prices", "POST /products/{id}/prices"}:
        # Whether a price needs a billing interval, or may be pay-what-you-want, depends on
        # its product being recurring or one-time: state of the product, not shape of the body.
        details = error.get("details") or {}
        product_terms = {
            "billing_interval": ("Required on recurring products", "Only on recurring products"),
            "pricing_model": ("pay_what_you_want is for one_time products only",),
        }
        if details and all(
            key in product_terms
            and all(m.startswith(product_terms[key]) for m in messages)
            for key, messages in details.items()
        ):
            return False
    if operation in {"POST /webhooks", "PATCH /webhooks/{id}"}:
        # Where webhooks may go is the sandbox's configuration (`--webhook-hosts`, loopback for
        # the fuzz run, and the address it listens on): an IP literal or a localhost name it
        # would not deliver to is refused when registered, whatever the schema allows.
        details = error.get("details") or {}
        if list(details) == ["url"] and all(
            str(m).startswith("URL host ") for m in details["url"]
        ):
            return False
    if operation in {"POST /payment-links", "POST /checkout-sessions"}:
        # The product named by product_id must have a price in currency_code, and a session's
        # amount/quantity must fit that price: state of the product, not shape of the body.
        details = error.get("details") or {}
        product_terms = {
            "currency_code": ("The product has no price in", "Must match the price's currency"),
            "amount": ("Must match the product's price", "Must be within the price's"),
            "quantity": ("A subscription bills one seat",),
        }
        if details and all(
            key in product_terms
            and all(m.startswith(product_terms[key]) for m in messages)
            for key, messages in details.items()
        ):
            return False
    return True


# ---------------------------------------------------------------------------------- repairs

def _parse(text):
    if not isinstance(text, str):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    generation = getattr(meta, "generation", None)
    mode = getattr(generation, "mode", None)
    return mode is not None and getattr(mode, "is_positive", False)


# The ids this run's test data made, by operation id (scripts/fuzz_fixtures.py writes them, and
# scripts/fuzz.sh names the file in FUZZ_IDS). The fuzzing and stateful phases draw them from the
# config's dictionaries; the coverage phase draws from no dictionary, so without this every one
# of its cases would name an unknown id and stop at the 404.
def _load_ids() -> dict[str, itertools.cycle]:
    path = os.environ.get("FUZZ_IDS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as ids:
        return {operation: itertools.cycle(values) for operation, values in json.load(ids).items()}


EXISTING_IDS = _load_ids()


def _value(member):
    return getattr(member, "value", member)


def _existing_id(case) -> None:
    """A coverage case's path ids, the run's in turn (`{id}` under the operation's id, another
    parameter under `operation.parameter`), unless the case is about that parameter."""
    meta = getattr(case, "meta", None)
    phase = getattr(meta, "phase", None)
    if phase is None or _value(phase.name) != "coverage" or not case.path_parameters:
        return
    data = phase.data
    tested = None
    if _value(getattr(data, "parameter_location", None)) == "path":
        tested = getattr(data, "parameter", None)
    if tested == "id":
        return
    operation = case.operation.definition.raw.get("operationId")
    ids = EXISTING_IDS.get(operation)
    if ids is None or "id" not in case.path_parameters:
        return
    chosen = {"id": next(ids)}
    for name in case.path_parameters:
        others = EXISTING_IDS.get(f"{operation}.{name}")
        if name != "id" and name != tested and others is not None:
            chosen[name] = next(others)
    case.path_parameters = {**case.path_parameters, **chosen}


# Positive pay requests, counted per operation (see `_plain_order`).
PAY_COUNTS = {"POST /api/checkout/links/{id}/pay": itertools.count(), "POST /api/checkout/sessions/{id}/pay": itertools.count()}


def _plain_order(operation: str, body: dict) -> None:
    """Every other positive pay request in the fuzzing phase orders what any checkout takes.

    A schema-valid order is refused for the checkout's own terms far more often than not (a
    quantity it does not let change, a chosen amount it does not take, a coupon it does not
    take, no provider for an order that is not free): without this the fuzzing phase hardly
    ever starts a payment. The other half keeps every generated field.
    """
    counter = PAY_COUNTS.get(operation)
    if counter is None or next(counter) % 2:
        return
    for field in ("quantity", "unit_amount", "coupon_code"):
        body.pop(field, None)
    if body.get("provider") is None:
        body["provider"] = "STRIPE"


@schemathesis.hook
def map_case(context, case):
    """Cross-field and clock rules on positive bodies only; existing ids in the coverage phase."""
    _existing_id(case)
    body = case.body
    if not _positive(case) or not isinstance(body, dict):
        return case
    operation = _operation(case)
    phase = getattr(getattr(case, "meta", None), "phase", None)
    if phase is not None and _value(phase.name) == "fuzzing":
        _plain_order(operation, body)
    now = dt.datetime.now(dt.timezone.utc)
    if operation in {"POST /products", "POST /prices", "POST /products/{id}/prices"}:
        # minimum_amount <= amount <= maximum_amount on pay-what-you-want prices: JSON Schema
        # cannot compare two fields.
        prices = body.get("prices") if operation == "POST /products" else [body]
        for price in prices or []:
            if not isinstance(price, dict):
                continue
            amount = price.get("amount")
            if not isinstance(amount, (int, float)) or isinstance(amount, bool):
                continue
            low, high = price.get("minimum_amount"), price.get("maximum_amount")
            if isinstance(low, (int, float)) and not isinstance(low, bool) and low > amount:
                price["minimum_amount"] = amount
            if isinstance(high, (int, float)) and not isinstance(high, bool) and high < amount:
                price["maximum_amount"] = amount
    elif operation == "POST /coupons":
        # expires_at after valid_from.
        start, end = _parse(body.get("valid_from")), _parse(body.get("expires_at"))
        if start is not None and end is not None and end <= start:
            if end < start:
                body["valid_from"], body["expires_at"] = body["expires_at"], body["valid_from"]
            else:
                body["expires_at"] = None
    elif operation == "PATCH /payment-links/{id}":
        # `public_description` is another name of `description`: equal when both are sent.
        if body.get("description") is not None and body.get("public_description") is not None:
            body["public_description"] = body["description"]
    elif operation == "POST /payment-links":
        # `price` and `public_description` are other names of `amount` and `description` and
        # must equal them when both are sent; `expires_at` must be in the future (the clock).
        if body.get("amount") is not None and body.get("price") is not None:
            body["price"] = body["amount"]
        if body.get("description") is not None and body.get("public_description") is not None:
            body["public_description"] = body["description"]
        if "expires_at" in body and body["expires_at"] is not None:
            when = _parse(body["expires_at"])
            if when is None or when <= now + dt.timedelta(minutes=5):
                body["expires_at"] = _iso(now + dt.timedelta(days=1))
    elif operation == "POST /checkout-sessions":
        # expires_at in the future and at most 24 hours away (the clock).
        if "expires_at" in body and body["expires_at"] is not None:
            when = _parse(body["expires_at"])
            if when is None or not now + dt.timedelta(minutes=5) < when < now + dt.timedelta(hours=23):
                body["expires_at"] = _iso(now + dt.timedelta(hours=1))
    return case
