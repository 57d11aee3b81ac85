"""lomi.'s hand-written Python SDK (`pip install lomi-sdk==1.3.0`) against the sandbox.

Run in .venv/sdk-client (make test-sdk). This SDK only lists and reads (`list(**params)`,
`get(id)`), at hyphenated paths, and hands back the decoded JSON as it came: so each test
checks the dicts themselves, every field the sandbox fills, with the values that were sent.
Pointed at the sandbox as a merchant would: `LomiClient(api_key=key, base_url=<sandbox>/v1)`
(never `environment="test"`, which replaces base_url with lomi.'s own sandbox). What it reads
is created here through the merchant API's bare paths and paid through the public checkout
API (conftest.py), on top of the demo merchant's data.
"""

import json
import re
import secrets
import uuid

import pytest
from lomi import LomiAuthError, LomiClient, LomiNotFoundError

from harness import BILLING, WebhookReceiver, verify_lomi_signature

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$")

# Each service, the field naming its id (besides `id`).
SERVICES = {
    "payment_links": "link_id",
    "checkout_sessions": "checkout_session_id",
    "products": "product_id",
    "discount_coupons": "coupon_id",
    "transactions": "transaction_id",
    "customers": "customer_id",
}


@pytest.fixture(scope="module")
def client(sandbox):
    return LomiClient(api_key=sandbox.key, base_url=sandbox.base + "/v1")


@pytest.fixture(scope="module")
def bare(sandbox):
    """The same SDK on the paths without /v1."""
    return LomiClient(api_key=sandbox.key, base_url=sandbox.base)


@pytest.fixture(scope="module")
def product(sandbox):
    return sandbox.create("/products", {
        "name": "SDK client T-shirt", "description": "Read by lomi-sdk", "metadata": {"source": "sdk-tests"},
        "prices": [{"amount": 8000, "currency_code": "XOF"}],
    })


@pytest.fixture(scope="module")
def coupon(sandbox):
    return sandbox.create("/coupons", {
        "code": "SDKCLIENT" + secrets.token_hex(2).upper(), "description": "10 % off",
        "discount_type": "percentage", "discount_percentage": 10, "customer_type": "all",
        "max_uses": 20,
    })


# -- assertions ------------------------------------------------------------------------------

def filled(obj, *fields):
    assert isinstance(obj, dict), f"expected a JSON object, got {obj!r}"
    left = [f for f in fields if obj.get(f) is None]
    assert not left, f"fields missing or null: {left}\n{obj!r}"
    return obj


def identified(obj, id_field):
    """Carries `id` and its SDK name, the same lowercase UUID v4; returns it."""
    filled(obj, "id", id_field, "environment", "created_at", "updated_at")
    assert obj["id"] == obj[id_field], obj
    assert UUID4.match(obj["id"]), f"not a lowercase UUID v4: {obj['id']!r}"
    assert obj["environment"] == "test"
    for key in ("created_at", "updated_at"):
        assert RFC3339_UTC.match(obj[key]), f"{key}: {obj[key]!r}"
    return obj["id"]


def rows(listing):
    """A list answer: {"data": [...], "pagination": {limit, offset, total}} with integers."""
    filled(listing, "data", "pagination")
    assert isinstance(listing["data"], list), listing
    p = listing["pagination"]
    for key in ("limit", "offset", "total"):
        assert isinstance(p.get(key), int) and not isinstance(p.get(key), bool), p
    assert p["total"] >= len(listing["data"]), p
    return listing["data"]


def find(items, field, value):
    found = [item for item in items if item.get(field) == value]
    assert len(found) == 1, f"{field}={value!r} found {len(found)} times in {[i.get(field) for i in items]}"
    return found[0]


def drop(obj, key):
    return {k: v for k, v in obj.items() if k != key}


def transaction_of_session(client, session_id):
    return find(rows(client.transactions.list(limit=100)), "checkout_session_id", session_id)


# -- each service: list and get --------------------------------------------------------------

def test_payment_links(client, sandbox, paid):
    listed = rows(client.payment_links.list(limit=100, offset=0))
    link_id = paid["link"]["id"]
    row = find(listed, "link_id", link_id)
    identified(row, "link_id")
    got = client.payment_links.get(link_id)
    assert got == row
    identified(got, "link_id")
    filled(got, "link_type", "title", "amount", "currency_code", "url", "is_active", "allow_quantity",
           "allow_coupon_code")
    assert (got["link_type"], got["amount"], got["currency_code"]) == ("instant", 2500, "XOF")
    assert got["title"] == paid["link"]["title"]
    assert got["is_active"] is True
    assert "allowed_providers" in got and got["allowed_providers"] is None, "null: every provider"
    assert got["url"].startswith(sandbox.base + "/") and link_id in got["url"], got["url"]
    # The demo's instant link restricts its providers: an array, which this SDK passes on.
    demo = find(listed, "title", "Consultation")
    identified(demo, "link_id")
    assert demo["allowed_providers"] == ["WAVE", "ORANGE", "MTN"]


def test_checkout_sessions(client, sandbox, paid):
    session_id = paid["session"]["id"]
    row = find(rows(client.checkout_sessions.list(limit=100)), "checkout_session_id", session_id)
    got = client.checkout_sessions.get(session_id)
    assert got == row
    identified(got, "checkout_session_id")
    filled(got, "checkout_url", "status", "amount", "currency_code", "quantity", "title", "customer_id",
           "customer_email", "customer_name", "customer_phone", "success_url", "cancel_url",
           "transaction_id", "line_items", "expires_at")
    assert got["checkout_url"].startswith(sandbox.base + "/") and session_id in got["checkout_url"]
    assert got["status"] == "completed"
    assert (got["amount"], got["currency_code"], got["quantity"]) == (7500, "XOF", 1)
    assert got["title"] == paid["session"]["title"]
    customer = paid["session_customer"]
    assert (got["customer_name"], got["customer_email"]) == (customer["name"], customer["email"])
    assert got["customer_phone"] == customer["phone_number"]
    assert isinstance(got["line_items"], list)
    tx = transaction_of_session(client, session_id)
    assert (got["transaction_id"], got["customer_id"]) == (tx["transaction_id"], tx["customer_id"])
    # Started from a link: the session names it.
    from_link = client.checkout_sessions.get(paid["link_payment"]["session_id"])
    identified(from_link, "checkout_session_id")
    assert from_link["payment_link_id"] == paid["link"]["id"]
    assert from_link["status"] == "completed"


def test_products(client, product):
    product_id = product["id"]
    row = find(rows(client.products.list(limit=100)), "product_id", product_id)
    got = client.products.get(product_id)
    assert got == row
    identified(got, "product_id")
    filled(got, "name", "description", "product_type", "is_active", "metadata", "prices")
    assert (got["name"], got["description"]) == ("SDK client T-shirt", "Read by lomi-sdk")
    assert (got["product_type"], got["is_active"], got["metadata"]) == ("one_time", True, {"source": "sdk-tests"})
    assert len(got["prices"]) == 1
    price = got["prices"][0]
    identified(price, "price_id")
    filled(price, "product_id", "amount", "currency_code", "pricing_model", "is_default", "is_active")
    assert price["product_id"] == product_id
    assert (price["amount"], price["currency_code"], price["pricing_model"]) == (8000, "XOF", "standard")
    assert price["is_default"] is True
    assert "billing_interval" in price and price["billing_interval"] is None, price


def test_discount_coupons(client, coupon):
    coupon_id = coupon["id"]
    row = find(rows(client.discount_coupons.list(limit=100)), "coupon_id", coupon_id)
    got = client.discount_coupons.get(coupon_id)
    assert got == row
    identified(got, "coupon_id")
    filled(got, "code", "description", "discount_type", "discount_percentage", "customer_type", "is_active",
           "max_uses", "current_uses", "is_organization_wide")
    assert got["code"] == coupon["code"]
    assert (got["discount_type"], got["discount_percentage"]) == ("percentage", 10)
    assert (got["customer_type"], got["max_uses"], got["current_uses"]) == ("all", 20, 0)
    assert got["is_active"] is True and got["is_organization_wide"] is True


TRANSACTION_FIELDS = ("status", "transaction_type", "checkout_session_id", "customer_id", "quantity",
                      "gross_amount", "discount_amount", "fee_amount", "net_amount", "currency_code",
                      "provider_code", "payment_method_code", "description", "line_items")


def test_transactions(client, paid):
    session_id = paid["session"]["id"]
    row = transaction_of_session(client, session_id)
    got = client.transactions.get(row["transaction_id"])
    assert got == row
    identified(got, "transaction_id")
    filled(got, *TRANSACTION_FIELDS)
    assert (got["status"], got["transaction_type"]) == ("completed", "payment")
    assert (got["gross_amount"], got["discount_amount"], got["currency_code"]) == (7500, 0, "XOF")
    assert got["net_amount"] == got["gross_amount"] - got["discount_amount"] - got["fee_amount"]
    assert (got["provider_code"], got["payment_method_code"]) == ("MTN", "MOBILE_MONEY")
    assert got["payment_link_id"] is None
    link_tx = transaction_of_session(client, paid["link_payment"]["session_id"])
    identified(link_tx, "transaction_id")
    filled(link_tx, *TRANSACTION_FIELDS, "payment_link_id")
    assert (link_tx["payment_link_id"], link_tx["gross_amount"]) == (paid["link"]["id"], 2500)


def test_transactions_filters_pass_through(client, paid):
    """lomi-sdk sends list keywords as the query string as they are."""
    session_id = paid["session"]["id"]
    only = rows(client.transactions.list(checkout_session_id=session_id))
    assert [t["checkout_session_id"] for t in only] == [session_id]
    by_link = rows(client.transactions.list(payment_link_id=paid["link"]["id"], status="completed", provider="MTN"))
    assert [t["checkout_session_id"] for t in by_link] == [paid["link_payment"]["session_id"]]


def test_customers(client, paid):
    customer = paid["session_customer"]
    row = find(rows(client.customers.list(limit=100)), "email", customer["email"])
    customer_id = identified(row, "customer_id")
    got = client.customers.get(customer_id)
    identified(got, "customer_id")
    filled(got, "name", "email", "phone_number", "country", "city", "address", "is_business", "is_deleted",
           "transactions")
    assert (got["name"], got["email"]) == (customer["name"], customer["email"])
    assert got["phone_number"] == customer["phone_number"]
    assert (got["country"], got["city"], got["address"]) == (BILLING["country"], BILLING["city"], BILLING["line1"])
    assert (got["is_business"], got["is_deleted"]) == (False, False)
    tx = transaction_of_session(client, paid["session"]["id"])
    assert tx["customer_id"] == customer_id
    # The customer's transactions: objects (or their ids).
    paid_ids = [t["transaction_id"] if isinstance(t, dict) else t for t in got["transactions"]]
    assert paid_ids == [tx["transaction_id"]]
    assert drop(got, "transactions") == drop(row, "transactions")


# -- the same SDK without /v1 ----------------------------------------------------------------

@pytest.fixture(scope="module")
def one_of_each(client, paid, product, coupon):
    tx = transaction_of_session(client, paid["session"]["id"])
    return {
        "payment_links": paid["link"]["id"],
        "checkout_sessions": paid["session"]["id"],
        "products": product["id"],
        "discount_coupons": coupon["id"],
        "transactions": tx["transaction_id"],
        "customers": tx["customer_id"],
    }


@pytest.mark.parametrize("service", SERVICES)
def test_paths_without_v1_answer_the_same(client, bare, one_of_each, service):
    with_v1, without = getattr(client, service), getattr(bare, service)
    object_id = one_of_each[service]
    got = without.get(object_id)
    identified(got, SERVICES[service])
    assert got == with_v1.get(object_id)
    ids = [row[SERVICES[service]] for row in rows(without.list(limit=100))]
    assert object_id in ids
    assert ids == [row[SERVICES[service]] for row in rows(with_v1.list(limit=100))]


# -- webhooks --------------------------------------------------------------------------------

def test_webhooks_and_their_delivery_logs(client, bare, sandbox):
    """An endpoint registered through the API receives a signed test event; lomi-sdk lists
    and reads the endpoint and its delivery log, with and without /v1."""
    with WebhookReceiver() as receiver:
        hook = sandbox.create("/webhooks", {"url": receiver.url, "authorized_events": ["PAYMENT_SUCCEEDED"]})
        sent = sandbox.request("POST", f"/webhooks/{hook['id']}/test")
        assert sent.status == 202, sent
        headers, body = receiver.wait_for("PAYMENT_SUCCEEDED")
        assert verify_lomi_signature(body, headers["x-lomi-signature"], hook["verification_token"])
        assert json.loads(body)["id"] == sent.json["event_id"]

        for sdk in (client, bare):
            found = find(rows(sdk.webhooks.list()), "webhook_id", hook["id"])
            assert found["url"] == receiver.url
            got = sdk.webhooks.get(hook["id"])
            identified(got, "webhook_id")
            assert got["verification_token"] == hook["verification_token"]
            logs = [l for l in rows(sdk.webhook_delivery_logs.list(webhookId=hook["id"]))]
            assert len(logs) == 1 and logs[0]["success"] is True, logs
            assert logs[0]["event_id"] == sent.json["event_id"]
            line = sdk.webhook_delivery_logs.get(logs[0]["log_id"])
            assert line["id"] == line["log_id"] and UUID4.match(line["id"]), line
            assert (line["attempt_number"], line["response_status"]) == (1, 200)
        sandbox.request("DELETE", f"/webhooks/{hook['id']}")


# -- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("service", SERVICES)
def test_unknown_ids_raise_not_found(client, service):
    with pytest.raises(LomiNotFoundError) as raised:
        getattr(client, service).get(str(uuid.uuid4()))
    assert raised.value.status_code == 404
    error = raised.value.body["error"]
    assert error["code"] and error["message"], error


def test_a_wrong_key_raises_auth_error(sandbox):
    other = LomiClient(api_key="lomi_sk_test_wrong", base_url=sandbox.base + "/v1")
    with pytest.raises(LomiAuthError) as raised:
        other.products.list()
    assert raised.value.status_code == 401
    assert raised.value.body["error"]["code"]
