"""Test data for `make fuzz`: makes, on the fuzz sandbox, one of everything an operation taking an
id needs (checkouts to pay, payments in each provider's waiting state, a transaction, a customer,
webhook endpoints and a delivery log), and prints the schemathesis settings that hand those ids
to the operations, appended by scripts/fuzz.sh to schemathesis.toml.

    python3 scripts/fuzz_fixtures.py BASE_URL API_KEY IDS_JSON > fixtures.toml

IDS_JSON receives the same ids by operation id, for scripts/fuzz_hooks.py: schemathesis's
coverage phase does not draw from dictionaries, so the hooks give its cases these ids.

Without them the fuzzer only ever holds ids it made up, or ones its stateful phase created: most
requests to `/api/checkout/payments/{id}/...`, `/sandbox/payments/{id}/...`, `/customers/{id}`,
... would answer 404 and never reach the operation's logic. Each id is drawn with the
probability below, the rest made up, so unknown ids are still fuzzed too.

Everything is made through the API, as a merchant and a customer would, on the sandbox's
loopback address only. The sandbox must run with `--operator-timeout-secs` longer than the run,
so the waiting payments are still waiting when the fuzzer reaches them.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

# How often an operation's `{id}` is one of the ids below rather than a made-up one.
PROBABILITY = 0.8

# A Côte d'Ivoire number the operators succeed with (any ending but 01/02/03), and one MTN
# never answers (ending 03): its payment stays pending until the operator times out, so a new
# prompt can be asked for again and again.
PHONE_SUCCEEDS = "+2250701020304"
PHONE_NEVER_ANSWERS = "+2250701020303"

# How many waiting payments each pool holds. A code, a settle or a failure moves a payment on,
# so the operations that do that get several.
POOLS = {"qr": 3, "otp": 12, "prompt": 3, "succeed": 12, "fail": 12}


class Api:
    def __init__(self, base: str, key: str) -> None:
        host = urlsplit(base).hostname
        if host not in {"127.0.0.1", "::1", "localhost"}:
            raise SystemExit(f"fuzz_fixtures: {base} is not a loopback address")
        self.base = base.rstrip("/")
        self.key = key

    def call(self, method: str, path: str, body=None, *, merchant=True, headers=None, expect=(200, 201, 202)):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if merchant:
            request.add_header("X-API-Key", self.key)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read()
        if status not in expect:
            raise SystemExit(f"fuzz_fixtures: {method} {path} answered {status}: {text[:500]!r}")
        return json.loads(text) if text else None

    def pay(self, link_id: str, provider: str, phone: str) -> dict:
        body = {
            "provider": provider,
            "customer": {
                "name": "Awa Koné",
                "email": f"fuzz-{uuid.uuid4().hex[:8]}@example.com",
                "phone": phone,
                "phone_country": "CI",
            },
        }
        return self.call(
            "POST",
            f"/api/checkout/links/{link_id}/pay",
            body,
            merchant=False,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )


def make(api: Api) -> dict[str, list[str]]:
    links = api.call("GET", "/payment-links?limit=100")["data"]
    instant = next(
        link
        for link in links
        if link["link_type"] == "instant" and link["currency_code"] == "XOF" and link["is_active"]
    )
    sessions = [s["id"] for s in api.call("GET", "/checkout-sessions?limit=100")["data"] if s["status"] == "open"]
    # Fresh sessions: paying one leaves a payment pending on it, and the next pay is refused.
    # None asks for a billing address: the document does not state a billing address's rules
    # (a known country, its postal code's shape, a non-blank city and street) yet, so a
    # schema-valid one would be refused.
    for n in range(12):
        created = api.call(
            "POST",
            "/checkout-sessions",
            {
                "title": f"Commande fuzz {n}",
                "amount": 5000 + n,
                "currency_code": "XOF",
                "require_billing_address": False,
            },
        )
        sessions.append(created["id"])

    pools: dict[str, list[str]] = {name: [] for name in POOLS}
    for name, count in POOLS.items():
        provider, phone = {
            "qr": ("WAVE", PHONE_SUCCEEDS),
            "otp": ("ORANGE", PHONE_SUCCEEDS),
            "prompt": ("MTN", PHONE_NEVER_ANSWERS),
            "succeed": ("WAVE", PHONE_SUCCEEDS),
            "fail": ("WAVE", PHONE_SUCCEEDS),
        }[name]
        for _ in range(count):
            pools[name].append(api.pay(instant["id"], provider, phone)["id"])

    # A settled payment of each outcome: their transactions, and the customer who paid.
    settled = [api.pay(instant["id"], "WAVE", PHONE_SUCCEEDS)["id"] for _ in range(2)]
    api.call("POST", f"/sandbox/payments/{settled[0]}/succeed")
    api.call("POST", f"/sandbox/payments/{settled[1]}/fail", {"reason": "insufficient_funds"})
    transactions = [t["id"] for t in api.call("GET", "/transactions?limit=100")["data"]]
    customers = [c["id"] for c in api.call("GET", "/customers?limit=100")["data"]]

    # Webhook endpoints on this machine (nothing listens on the discard port: each delivery is
    # refused and logged), a test event each, and its delivery log.
    webhooks = []
    for n in range(3):
        created = api.call(
            "POST",
            "/webhooks",
            {"url": f"http://127.0.0.1:9/fuzz/{n}", "authorized_events": ["PAYMENT_SUCCEEDED", "PAYMENT_FAILED"]},
        )
        webhooks.append(created["id"])
        api.call("POST", f"/webhooks/{created['id']}/test")
    # Endpoints and links made to be deleted: DELETE takes them, the others keep theirs.
    doomed_webhooks = [
        api.call("POST", "/webhooks", {"url": f"http://127.0.0.1:9/doomed/{n}", "authorized_events": ["PAYMENT_FAILED"]})["id"]
        for n in range(6)
    ]
    doomed_links = [
        api.call("POST", "/payment-links", {"link_type": "instant", "title": f"Doomed {n}", "amount": 1000, "currency_code": "XOF"})["id"]
        for n in range(6)
    ]
    logs: list[str] = []
    for _ in range(100):
        logs = [log["id"] for log in api.call("GET", "/webhook-delivery-logs?limit=100")["data"]]
        if len(logs) >= len(webhooks):
            break
        time.sleep(0.1)
    else:
        raise SystemExit("fuzz_fixtures: the test events were not logged within 10 s")

    # The demo's catalog: products to add prices to, one product with its prices for
    # set-default (both ids in one path), coupons for their performance; the first endpoint
    # with its own delivery logs for lomi.'s /webhooks/{id}/logs/{log_id}/retry.
    products = api.call("GET", "/products?limit=100")["data"]
    priced = next(p for p in products if p["prices"])
    coupons = [c["id"] for c in api.call("GET", "/coupons?limit=100")["data"]]
    endpoint_logs = [
        log["id"]
        for log in api.call("GET", f"/webhook-delivery-logs?limit=100&webhook_id={webhooks[0]}")["data"]
    ]

    payments = sorted({p for pool in pools.values() for p in pool} | set(settled))
    return {
        "links": [link["id"] for link in links],
        "sessions": sessions,
        "payments": payments,
        "payments_qr": pools["qr"],
        "payments_otp": pools["otp"],
        "payments_prompt": pools["prompt"],
        "payments_succeed": pools["succeed"],
        "payments_fail": pools["fail"],
        "transactions": transactions,
        "customers": customers,
        "webhooks": webhooks,
        "delivery_logs": logs,
        "doomed_webhooks": doomed_webhooks,
        "doomed_links": doomed_links,
        "products": [p["id"] for p in products],
        "priced_product": [priced["id"]],
        "its_prices": [price["id"] for price in priced["prices"]],
        "coupons": coupons,
        "logged_webhook": [webhooks[0]],
        "its_logs": endpoint_logs,
    }


# Which ids each operation takes, by operation id (the `/v1` copies are `v1_<id>`).
OPERATIONS = {
    "links": ["get_link", "quote_link", "get_payment_link", "update_payment_link"],
    "sessions": ["get_session", "quote_session", "get_checkout_session"],
    "payments": ["get_payment"],
    "payments_qr": ["qr_code"],
    "payments_prompt": ["resend_prompt"],
    "payments_succeed": ["succeed"],
    "payments_fail": ["fail"],
    "transactions": ["get_transaction"],
    "customers": ["get_customer", "list_customer_transactions"],
    "products": ["add_product_price"],
    "doomed_webhooks": ["delete_webhook"],
    "doomed_links": ["delete_payment_link"],
    "coupons": ["get_coupon_performance"],
    "webhooks": ["get_webhook", "update_webhook", "send_webhook_test_event"],
    "delivery_logs": ["get_webhook_delivery_log", "retry_webhook_delivery"],
}
MERCHANT = {
    "get_payment_link",
    "update_payment_link",
    "get_checkout_session",
    "get_transaction",
    "get_customer",
    "list_customer_transactions",
    "add_product_price",
    "get_coupon_performance",
    "delete_webhook",
    "delete_payment_link",
    "get_webhook",
    "update_webhook",
    "send_webhook_test_event",
    "get_webhook_delivery_log",
    "retry_webhook_delivery",
}


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def by_operation(ids: dict[str, list[str]]) -> dict[str, list[str]]:
    """The ids each operation takes, by operation id, its `/v1` copy included."""
    out = {"submit_otp": ids["payments_otp"], "pay_link": ids["links"], "pay_session": ids["sessions"]}
    for name, operations in OPERATIONS.items():
        for op in operations:
            out[op] = ids[name]
            if op in MERCHANT:
                out[f"v1_{op}"] = ids[name]
    for op, name, param, values in (
        ("set_default_price", "priced_product", "price_id", "its_prices"),
        ("retry_webhook_log", "logged_webhook", "log_id", "its_logs"),
    ):
        out[op] = out[f"v1_{op}"] = ids[name]
        out[f"{op}.{param}"] = out[f"v1_{op}.{param}"] = ids[values]
    return out


def render(ids: dict[str, list[str]]) -> str:
    out = ["", "# ---- Generated by scripts/fuzz_fixtures.py for this run's sandbox ----", ""]
    for name, values in ids.items():
        if not values:
            raise SystemExit(f"fuzz_fixtures: no {name} were made")
        out.append(f"[dictionaries.{name}]")
        out.append(f"values = {toml_list(values)}")
        out.append("")
    # Orange's one-time code, sometimes: the fuzzer would otherwise only ever type wrong ones.
    out.append("[dictionaries.otp]")
    out.append('values = ["123456"]')
    out.append("")
    out.append("[[operations]]")
    out.append('include-operation-id = "submit_otp"')
    out.append(
        'parameters = { "path.id" = { dictionary = "payments_otp", probability = '
        f'{PROBABILITY} }}, "body.code" = {{ dictionary = "otp", probability = 0.3 }} }}'
    )
    out.append("")
    # Operations whose path names two things that belong together: drawn from one pair.
    for operation, first, second, second_param in (
        ("set_default_price", "priced_product", "its_prices", "price_id"),
        ("retry_webhook_log", "logged_webhook", "its_logs", "log_id"),
    ):
        out.append("[[operations]]")
        out.append(f"include-operation-id = {toml_list([operation, f'v1_{operation}'])}")
        out.append(
            f'parameters = {{ "path.id" = {{ dictionary = "{first}", probability = {PROBABILITY} }}, '
            f'"path.{second_param}" = {{ dictionary = "{second}", probability = {PROBABILITY} }} }}'
        )
        out.append("")
    for operation, name in (("pay_link", "links"), ("pay_session", "sessions")):
        out.append("[[operations]]")
        out.append(f'include-operation-id = "{operation}"')
        out.append(f'parameters = {{ "path.id" = {{ dictionary = "{name}", probability = {PROBABILITY} }} }}')
        out.append("")
    for name, operations in OPERATIONS.items():
        names = [*operations, *(f"v1_{op}" for op in operations if op in MERCHANT)]
        out.append("[[operations]]")
        out.append(f"include-operation-id = {toml_list(names)}")
        out.append(f'parameters = {{ "path.id" = {{ dictionary = "{name}", probability = {PROBABILITY} }} }}')
        out.append("")
    return "\n".join(out) + "\n"


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit("usage: fuzz_fixtures.py BASE_URL API_KEY IDS_JSON")
    ids = make(Api(sys.argv[1], sys.argv[2]))
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        json.dump(by_operation(ids), out, indent=1)
    print(render(ids), end="")


if __name__ == "__main__":
    main()
