"""Limits hold under hostile traffic: many requests at once against a real SQLite file, and
the customer's own address behind a proxy (not the proxy's, not one the client forged)."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, router
from django.test import RequestFactory
from django.utils import timezone

from kb import abuse, contact, feedback
from kb.abuse import RateLimitCounter
from kb.contact import ContactRequest
from kb.feedback import PageFeedback

RACE = "race"
RACED_MODELS = {RateLimitCounter, PageFeedback, ContactRequest}


class RaceRouter:
    """Sends the models that limits and votes write to the file database of the race."""

    def db_for_read(self, model, **hints):
        return RACE if model in RACED_MODELS else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return True


@pytest.fixture
def race_db(tmp_path, monkeypatch):
    """A real SQLite file as in production (WAL, busy timeout), holding the raced tables;
    every thread gets its own connection to it."""
    connections.settings[RACE] = connections.configure_settings(
        {
            "default": {"ENGINE": "django.db.backends.sqlite3"},
            RACE: {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "race.sqlite3"),
                # The pages voted on live in the test database, not in this file.
                "OPTIONS": {
                    "timeout": 20,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF",
                },
            },
        }
    )[RACE]
    # connect() first: the test case refuses to open connections to databases it did not
    # set up, and this one is set up here.
    connections[RACE].connect()
    with connections[RACE].schema_editor() as editor:
        for model in RACED_MODELS:
            editor.create_model(model)
    monkeypatch.setattr(router, "routers", [RaceRouter()])
    yield
    connections[RACE].close()
    del connections[RACE]
    del connections.settings[RACE]


def all_at_once(count, work):
    """Run ``work(n)`` in ``count`` threads released together; returns their results."""
    start = threading.Barrier(count)
    results = [None] * count

    def run(n):
        try:
            connections[RACE].connect()
            start.wait()
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 (the test looks at what each thread got)
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db
def test_six_contact_requests_at_once_from_one_address_store_five(race_db):
    def send(n):
        data = {"email": f"c{n}@example.com", "subject": "Help", "message": "Please call."}
        try:
            return contact.submit(data, "en", "one-address").reference
        except contact.ContactLimitExceeded:
            return "refused"

    results = all_at_once(6, send)
    assert results.count("refused") == 1, results
    assert ContactRequest.objects.count() == 5


@pytest.mark.django_db
def test_sixty_one_votes_at_once_from_one_address_store_sixty(tree, race_db):
    page = tree.article()
    page.locale  # noqa: B018 (read here: the threads do not see the test's transaction)

    def vote(n):
        try:
            return feedback.record_vote(page, True, "one-address", visit=f"visit-{n}").pk
        except feedback.FeedbackLimitExceeded:
            return "refused"

    results = all_at_once(61, vote)
    assert results.count("refused") == 1, [r for r in results if not isinstance(r, int)]
    assert PageFeedback.objects.count() == 60


@pytest.mark.django_db
def test_one_visit_voting_many_times_at_once_leaves_one_vote(tree, race_db):
    page = tree.article()
    page.locale  # noqa: B018

    results = all_at_once(
        5, lambda n: feedback.record_vote(page, n % 2 == 0, "one-address", visit="v").pk
    )
    assert len(set(results)) == 1, results
    assert PageFeedback.objects.count() == 1
    assert RateLimitCounter.objects.get().count <= 5


@pytest.mark.django_db
def test_a_window_opens_again_once_it_has_passed(race_db):
    now = timezone.now()
    assert [abuse.take("x", "c", 2, 60, now=now) for _ in range(3)] == [True, True, False]
    later = now + timedelta(seconds=61)
    assert [abuse.take("x", "c", 2, 60, now=later) for _ in range(3)] == [True, True, False]
    assert abuse.take("x", "other", 2, 60, now=later)


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@pytest.mark.parametrize(
    ("count", "cidrs", "remote", "forwarded", "client"),
    [
        # No proxy configured: the header is the client's to forge and is ignored.
        (0, [], "84.229.1.1", "1.2.3.4", "84.229.1.1"),
        (0, [], "84.229.1.1", None, "84.229.1.1"),
        # One proxy (nginx) that appends the address it saw.
        (1, [], "10.0.0.2", "84.229.1.1", "84.229.1.1"),
        (1, [], "10.0.0.2", "6.6.6.6, 84.229.1.1", "84.229.1.1"),
        # Two proxies (a load balancer, then nginx).
        (2, [], "10.0.0.2", "6.6.6.6, 84.229.1.1, 10.0.0.9", "84.229.1.1"),
        # Fewer hops than proxies, or garbage: the connection's own address.
        (2, [], "10.0.0.2", "84.229.1.1", "10.0.0.2"),
        (1, [], "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, [], "10.0.0.2", "", "10.0.0.2"),
        # Trusted networks: right to left past every trusted hop.
        (0, ["10.0.0.0/8"], "10.0.0.2", "6.6.6.6, 84.229.1.1, 10.0.0.9", "84.229.1.1"),
        (0, ["10.0.0.0/8", "fd00::/8"], "fd00::1", "2a02:6680::5", "2a02:6680::5"),
        # A connection that does not come from a trusted proxy cannot name its client.
        (0, ["10.0.0.0/8"], "84.229.1.1", "6.6.6.6", "84.229.1.1"),
        (0, ["10.0.0.0/8"], "10.0.0.2", "[2a02:6680::5]", "2a02:6680::5"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    settings, count, cidrs, remote, forwarded, client
):
    settings.TRUSTED_PROXY_COUNT = count
    settings.TRUSTED_PROXY_CIDRS = cidrs
    assert abuse.client_address(request_from(remote, forwarded)) == client


def test_customers_behind_one_proxy_do_not_share_a_limit(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = abuse.client_key(request_from("10.0.0.2", "84.229.1.1"))
    second = abuse.client_key(request_from("10.0.0.2", "84.229.1.2"))
    forged = abuse.client_key(request_from("10.0.0.2", "1.1.1.1, 84.229.1.1"))
    assert first != second and first == forged
    assert "84.229" not in first
