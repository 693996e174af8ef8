"""Scheduled publishing runs by itself beside the web server (`make serve`)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from atlas_pages.models import CountryPage
from tests.factories import make_country

pytestmark = pytest.mark.django_db


def test_run_scheduled_publishing_publishes_what_is_due(atlas):
    korea = make_country(atlas, "KR", title="Zuid-Korea", live=False)
    korea.go_live_at = timezone.now() + timedelta(milliseconds=300)
    korea.save_revision().publish()  # scheduled
    assert not CountryPage.objects.get(pk=korea.pk).live
    call_command("run_scheduled_publishing", interval=0.2, runs=5)  # about a second
    assert CountryPage.objects.get(pk=korea.pk).live


def test_what_falls_due_together_makes_one_generation(atlas, monkeypatch):
    """A minute's scheduled publishes land together: one new generation, not one per item."""
    from atlas_pages.publication import generation

    due = timezone.now() + timedelta(milliseconds=300)
    for code in ("KR", "KE", "BR"):
        country = make_country(atlas, code, title=code, live=False)
        country.go_live_at = due
        country.save_revision().publish()  # scheduled
    bumps = []
    original = generation._bump_now
    monkeypatch.setattr(generation, "_bump_now", lambda *a: (bumps.append(a), original(*a)))
    time.sleep(0.4)
    call_command("run_scheduled_publishing", interval=0.1, runs=1)
    assert CountryPage.objects.filter(live=True, iso_code__in=["KR", "KE", "BR"]).count() == 3
    assert len(bumps) == 1  # once, at the batch's end (its commit's bump waits for the test's)
