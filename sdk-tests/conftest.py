"""The sandbox the SDK tests talk to, and what they need from it besides the SDKs.

Each test module gets its own sandbox: the binary (`LOMI_SANDBOX_BIN`, default
`$CARGO_TARGET_DIR/debug/lomi-sandbox`, `target/` when unset, relative to the repository),
on a free port, a temporary SQLite file and a random `lomi_sk_test_` key, with
`--mobile-money-delay-ms 100` so a payment settles within a few polls. It is stopped after
the module; its log (one line per request, and any panic) is attached to each failing
test's report.

Neither this file nor harness.py imports an SDK: the two packages both install a module
named `lomi`, so each test file runs in its own virtual environment (`make test-sdk`) and
only the standard library and pytest are shared. Objects the tests need but an SDK cannot
make (payments, hence transactions and customers) are made here as the page makes them:
through the merchant API's bare paths and the public checkout API (harness.py, `urllib`).
"""

import secrets
import tempfile

import pytest

from harness import OTHER_PHONE, OTHER_PHONE_E164, PHONE, PHONE_E164, Sandbox, sandbox_binary

# The sandboxes running (for their logs), and where each one's log stood when a test began.
SANDBOXES = pytest.StashKey()
LOG_START = pytest.StashKey()


@pytest.fixture(scope="module")
def seed_demo():
    """Whether the module's sandbox has the demo merchant's data (`--seed-demo`); a test
    module overrides this fixture to say otherwise."""
    return True


@pytest.fixture(scope="module")
def sandbox(request, seed_demo):
    with tempfile.TemporaryDirectory(prefix="lomi-sdk-tests-") as work:
        box = Sandbox(sandbox_binary(), work, seed_demo)
        request.config.stash[SANDBOXES].append(box)
        try:
            yield box.start()
        finally:
            box.stop()
            request.config.stash[SANDBOXES].remove(box)


def pytest_configure(config):
    config.stash[SANDBOXES] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    item.stash[LOG_START] = {id(b): b.log_size() for b in item.config.stash[SANDBOXES]}
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        starts = item.stash.get(LOG_START, {})
        for box in item.config.stash[SANDBOXES]:
            text = box.log(starts.get(id(box), 0)).strip()
            if text:
                report.sections.append(("sandbox log during this test", text[-20000:]))
    return report


@pytest.fixture(scope="module")
def paid(sandbox):
    """Two payments made as customers make them, so transactions and customers exist: a
    checkout session created with an amount, paid with MTN MoMo by one customer, and an
    instant payment link paid with MTN MoMo by another, with another phone (which starts a
    session of its own). Each customer is {name, email, phone as typed, phone_number as
    stored}.
    Created through the merchant API's bare paths and the public checkout API, not an SDK."""
    tag = secrets.token_hex(3)
    session = sandbox.create("/checkout-sessions", {
        "amount": 7500, "currency_code": "XOF", "title": "SDK order " + tag,
        "success_url": "https://shop.example/merci", "cancel_url": "https://shop.example/panier",
    })
    session_customer = {"name": "Awa Diallo", "email": f"awa.{tag}@example.ci",
                        "phone": PHONE, "phone_number": PHONE_E164}
    session_payment = pay(sandbox, "sessions", session["id"], session_customer)

    link = sandbox.create("/payment-links", {
        "link_type": "instant", "title": "SDK tip " + tag, "amount": 2500, "currency_code": "XOF",
    })
    link_customer = {"name": "Kofi Mensah", "email": f"kofi.{tag}@example.ci",
                     "phone": OTHER_PHONE, "phone_number": OTHER_PHONE_E164}
    link_payment = pay(sandbox, "links", link["id"], link_customer)
    return {
        "session": session, "session_customer": session_customer, "session_payment": session_payment,
        "link": link, "link_customer": link_customer, "link_payment": link_payment,
    }


def pay(sandbox, kind, checkout_id, customer):
    return sandbox.pay(kind, checkout_id, customer["name"], customer["email"], customer["phone"])
