"""Login throttling (django-axes) on Wagtail's admin login: wrong passwords lock out one
username from one address for the cool-off, with a clear page; nobody else is affected."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.5"


def log_in(client, username, password, address=ATTACKER, **headers):
    """Post the admin's login form; True when it let the user in."""
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in, response


def fail_until_locked(client, settings, username="editor"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        logged_in, response = log_in(client, username, "wrong")
        assert not logged_in
    return response


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, editor, settings):
    assert log_in(client, "editor", "pw")[0]  # the right password works to begin with
    fail_until_locked(client, settings)

    logged_in, response = log_in(client, "editor", "pw")
    assert not logged_in
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed login attempts for this account from your address." in html
    assert "logging in is blocked for 15 minutes, even with the right password." in html


def test_the_refusal_speaks_dutch(client, editor, settings):
    fail_until_locked(client, settings)
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": "editor", "password": "pw"},
        REMOTE_ADDR=ATTACKER,
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()


def test_other_users_and_other_addresses_are_unaffected(client, editor, moderator, settings):
    fail_until_locked(client, settings)
    assert log_in(client, "moderator", "pw")[0]
    assert log_in(client, "editor", "pw", address="198.51.100.7")[0]
    assert not log_in(client, "editor", "pw")[0]


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, editor, settings):
    fail_until_locked(client, settings)
    assert not log_in(client, "editor", "pw", HTTP_X_FORWARDED_FOR="192.0.2.99")[0]


def test_the_lockout_ends_after_the_cool_off(client, editor, settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=2)
    fail_until_locked(client, settings)
    assert not log_in(client, "editor", "pw")[0]
    time.sleep(2.5)
    assert log_in(client, "editor", "pw")[0]


def test_a_successful_login_resets_the_count(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", "pw")[0]
    log_in(client, "editor", "wrong")
    assert log_in(client, "editor", "pw")[0]
