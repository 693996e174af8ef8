"""Scheduled publishing runs by itself beside the web server (`make serve`)."""

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
