"""No leak in any editorial history: Hypothesis drives random histories of edits over countries,
posts, people and accounts through Wagtail's own model APIs (create, edit a draft, submit,
approve, reject, publish, unpublish, schedule, let time pass, move, delete, make private, lock,
withdraw or give consent, end a term of office or let its last day come, change an account's
status), and after each step the public surfaces,
read over HTTP with the response cache on, must show exactly what the oracle
(tests/leaks/oracle.py) computes from the rows; and the API's atlas as of an earlier step's
moment (asOf) what the oracle computed then, less the personal accounts of people whose consent
has been withdrawn since.

Size: ATLAS_LEAK_HISTORIES histories (examples) of up to ATLAS_LEAK_STEPS steps; every step
checks one surface in turn and every ATLAS_LEAK_FULL_EVERY-th step (and the first) all of them.
"""

import itertools
import os
import re
import time
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from wagtail.models import Locale, PageViewRestriction

from atlas_pages.models import CountryPage, Person, PostPage, SocialAccount
from atlas_pages.publication import generation, public_atlas
from tests import factories
from tests.leaks import oracle, surfaces

#: In CI: 70 histories on SQLite (about 3 minutes, now that each step also checks consent,
#: the verify page, the open-data files, what may stand in after the step, and asks asOf an
#: earlier moment) and 15 on PostgreSQL (about 70 s), where the same histories cost more and the
#: rule under test is the same Python over the rows; the PostgreSQL suite ran 12:58 and 15:31
#: on the same code with 20.
DEFAULT_HISTORIES = {"sqlite": 70, "postgresql": 15}
STEPS = int(os.environ.get("ATLAS_LEAK_STEPS", 30))
FULL_CHECK_EVERY = int(os.environ.get("ATLAS_LEAK_FULL_EVERY", 15))

MODELS = {"country": CountryPage, "post": PostPage, "person": Person, "account": SocialAccount}
PAGES = ("country", "post")
#: ISO codes new countries take (one country page per code and language).
CODES = ("JP", "CA", "FR", "KE", "BR", "IN")
#: Platforms and their profile URL prefixes.
PROFILE_URLS = {
    "twitter": "https://x.com/",
    "facebook": "https://www.facebook.com/",
    "instagram": "https://www.instagram.com/",
}
VERSION = re.compile(r"\(v(\d+)\)")
#: Consent dates the histories record, in days before the history's today.
CONSENT_DAYS_AGO = (0, 1, 30, 400)


def name(kind, number):
    """A name no other object has, found by surfaces.NAME; translations add " EN"."""
    return f"Zork {kind} {number} (v1)"


def next_version(text):
    return VERSION.sub(lambda match: f"(v{int(match.group(1)) + 1})", text)


NAME_FIELD = {"country": "title", "post": "title", "person": "name", "account": "display_name"}


def english():
    return Locale.objects.get(language_code="en")


def can_translate(page):
    """A page has no English translation yet, nor has its country one left behind when the
    Dutch page was deleted (one page per country and language)."""
    if page.has_translation(english()):
        return False
    if isinstance(page, CountryPage):
        return not CountryPage.objects.filter(locale=english(), iso_code=page.iso_code).exists()
    return True


def translate(page, publish):
    """The page's English translation as editors make it; published or left a draft."""
    copy = page.copy_for_translation(english())
    copy.title = page.title.replace(" (v", " EN (v", 1)
    copy.save()
    revision = copy.save_revision()
    if publish:
        revision.publish()
    return copy


def build_base():
    """What each history starts from: two countries and three posts in Dutch and English,
    an ambassador and an employee at a post (both consenting) and a minister at the top (not
    consenting: her account speaks for the office), and five accounts; all public."""
    atlas = factories.make_atlas(title="Atlas")
    translate(atlas, publish=True)
    japan = factories.make_country(atlas, "JP", title=name("Land", 1), slug="land-1")
    canada = factories.make_country(atlas, "CA", title=name("Land", 2), slug="land-2")
    tokyo = factories.make_post(japan, title=name("Post", 1), slug="post-1")
    osaka = factories.make_post(japan, title=name("Post", 2), slug="post-2", city="Osaka")
    ottawa = factories.make_post(canada, title=name("Post", 3), slug="post-3", city="Ottawa")
    for page in (japan, canada, tokyo, ottawa):
        translate(page, publish=True)
    consented = timezone.localdate() - timedelta(days=400)
    ambassador = factories.make_person(
        name=name("Person", 1), post=tokyo, consent_given_at=consented
    )
    minister = factories.make_person(name=name("Person", 2), role="minister")
    employee = factories.make_person(
        name=name("Person", 3), role="employee", post=ottawa, consent_given_at=consented
    )
    for number, (platform, owner) in enumerate(
        [
            ("twitter", {"post": tokyo}),
            ("facebook", {"post": osaka}),
            ("twitter", {"person": ambassador}),
            ("instagram", {"person": minister}),
            ("facebook", {"person": employee}),
        ],
        start=1,
    ):
        factories.make_account(
            f"{PROFILE_URLS[platform]}ZorkAcct{number}Q",
            platform_slug=platform,
            display_name=name("Account", number),
            **owner,
        )
    return {
        "editor": factories.make_user("editor", Group.objects.get(name="Press editors")),
        "moderator": factories.make_user("moderator", Group.objects.get(name="Press moderators")),
    }


@contextmanager
def refusal_allowed():
    """The moderator acts; Wagtail may refuse (a page another user locked): nothing changes."""
    try:
        yield
    except PermissionDenied:
        Stats.refusals += 1


class Stats:
    """What a run did, printed at its end (pytest -s): the figures the README reports."""

    seconds = {}  # per surface
    steps = 0
    refusals = 0
    checks = 0
    histories = 0


class EditorialHistories(RuleBasedStateMachine):
    """One history: starts from the base atlas in a savepoint, rolled back at its end."""

    users = {}

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        # The last history's rollback was no editorial event: start a new generation.
        generation.bump()
        self.traveller = time_machine.travel(timezone.now(), tick=True)
        self.clock = self.traveller.start()
        self.client = Client()
        self.numbers = itertools.count(100)
        self.posts_seen, self.people_seen, self.accounts_seen = set(), set(), set()
        self.step = 0
        #: What was public at the last check, and the generation then.
        self.last_public, self.last_generation = None, None
        #: What was public at each step's moment (surfaces.Past): the API's asOf must say so.
        self.past = []
        Stats.histories += 1

    def teardown(self):
        self.traveller.stop()
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # Choosing what to act on ------------------------------------------------------------

    def pick(self, data, kinds, **filters):
        """One existing object of the given kinds (None if there is none)."""
        choices = sorted(
            (kind, pk)
            for kind in kinds
            for pk in MODELS[kind].objects.filter(**filters).values_list("pk", flat=True)
        )
        if not choices:
            return None
        kind, pk = data.draw(st.sampled_from(choices))
        return kind, MODELS[kind].objects.get(pk=pk)

    def dutch(self, model, **filters):
        return model.objects.filter(locale__language_code="nl", **filters)

    # Creating --------------------------------------------------------------------------

    @rule(data=st.data(), publish=st.booleans(), in_english=st.booleans())
    def create_country(self, data, publish, in_english):
        used = set(self.dutch(CountryPage).values_list("iso_code", flat=True))
        free = [code for code in CODES if code not in used]
        if not free:
            return
        code = data.draw(st.sampled_from(free))
        number = next(self.numbers)
        atlas = self.dutch(factories.AtlasPage).get()
        country = factories.make_country(
            atlas, code, title=name("Land", number), slug=f"land-{number}", live=False
        )
        revision = country.save_revision(user=self.users["editor"])
        if publish:
            revision.publish()
        country = CountryPage.objects.get(pk=country.pk)
        if in_english and can_translate(country):
            translate(country, publish)

    @rule(data=st.data(), publish=st.booleans(), in_english=st.booleans())
    def create_post(self, data, publish, in_english):
        picked = self.pick(data, ["country"], locale__language_code="nl")
        if picked is None:
            return
        country = picked[1]
        number = next(self.numbers)
        post = factories.make_post(
            country, title=name("Post", number), slug=f"post-{number}", live=False
        )
        revision = post.save_revision(user=self.users["editor"])
        if publish:
            revision.publish()
        if in_english and country.has_translation(english()):
            translate(PostPage.objects.get(pk=post.pk), publish)

    @rule(
        data=st.data(),
        at_post=st.booleans(),
        publish=st.booleans(),
        consent=st.booleans(),
        role=st.sampled_from(["employee", "ambassador"]),
    )
    def create_person(self, data, at_post, publish, consent, role):
        post = None
        if at_post:
            picked = self.pick(data, ["post"], locale__language_code="nl")
            post = picked[1] if picked else None
        number = next(self.numbers)
        person = Person.objects.create(
            name=name("Person", number),
            role=role,
            post=post,
            consent_given_at=timezone.localdate() if consent else None,
            live=False,
        )
        revision = person.save_revision(user=self.users["editor"])
        if publish:
            revision.publish()

    @rule(
        data=st.data(),
        platform=st.sampled_from(sorted(PROFILE_URLS)),
        publish=st.booleans(),
        speaks_for=st.sampled_from(["", "office", "person"]),
        status=st.sampled_from(["active", "inactive", "closed"]),
    )
    def create_account(self, data, platform, publish, speaks_for, status):
        owners = [("person", pk) for pk in Person.objects.values_list("pk", flat=True)]
        owners += [("post", pk) for pk in self.dutch(PostPage).values_list("pk", flat=True)]
        if not owners:
            return
        kind, pk = data.draw(st.sampled_from(sorted(owners)))
        number = next(self.numbers)
        account = SocialAccount(
            platform=factories.platform(platform),
            url=f"{PROFILE_URLS[platform]}ZorkAcct{number}Q",
            display_name=name("Account", number),
            speaks_for="office" if kind == "post" and speaks_for == "person" else speaks_for,
            status=status,
            live=False,
            **{f"{kind}_id": pk},
        )
        account.full_clean()
        account.save()
        revision = account.save_revision(user=self.users["editor"])
        if publish:
            revision.publish()

    @rule(data=st.data(), publish=st.booleans())
    def translate_page(self, data, publish):
        """An English translation of a Dutch country or post (whose country has one)."""
        candidates = [
            page
            for page in itertools.chain(self.dutch(CountryPage), self.dutch(PostPage))
            if can_translate(page) and page.get_parent().specific.has_translation(english())
        ]
        if candidates:
            page = data.draw(st.sampled_from(sorted(candidates, key=lambda page: page.pk)))
            translate(page, publish)

    # Editing and publishing --------------------------------------------------------------

    @rule(data=st.data())
    def edit_draft(self, data):
        """A new draft of any object: its name changes in the draft only."""
        picked = self.pick(data, MODELS)
        if picked is None:  # everything was deleted
            return
        kind, item = picked
        field = NAME_FIELD[kind]
        setattr(item, field, next_version(getattr(item, field)))
        item.save_revision(user=self.users["editor"])

    @rule(data=st.data())
    def publish(self, data):
        """Publish the latest revision (a draft, a rejected one, one in moderation...)."""
        picked = self.pick(data, MODELS)
        if picked is None:  # everything was deleted
            return
        kind, item = picked
        revision = item.latest_revision or item.save_revision(user=self.users["editor"])
        with refusal_allowed():
            revision.publish(user=self.users["moderator"])

    @rule(data=st.data())
    def unpublish(self, data):
        picked = self.pick(data, MODELS, live=True)
        if picked:
            with refusal_allowed():
                picked[1].unpublish(user=self.users["moderator"])

    @rule(
        data=st.data(),
        moment=st.sampled_from(["go_live_at", "expire_at"]),
        minutes=st.sampled_from([-30, 5, 60]),
    )
    def schedule(self, data, moment, minutes):
        """Publish with a go-live or expiry moment (in the past or the future)."""
        picked = self.pick(data, MODELS)
        if picked is None:  # everything was deleted
            return
        kind, item = picked
        item.go_live_at = item.expire_at = None
        setattr(item, moment, timezone.now() + timedelta(minutes=minutes))
        revision = item.save_revision(user=self.users["editor"])
        with refusal_allowed():
            revision.publish(user=self.users["moderator"])

    @rule(minutes=st.sampled_from([1, 10, 61]), scheduler_runs=st.booleans())
    def time_passes(self, minutes, scheduler_runs):
        """The clock moves on; the scheduled-publishing command may or may not have run."""
        self.clock.shift(timedelta(minutes=minutes))
        if scheduler_runs:
            call_command("publish_scheduled", stdout=StringIO())

    # Moderation -------------------------------------------------------------------------

    @rule(data=st.data())
    def submit(self, data):
        """An editor saves a draft and submits it for review: in moderation, not live."""
        picked = self.pick(data, MODELS)
        if picked is None:
            return
        kind, item = picked
        if item.current_workflow_state is not None:  # in review, or rejected ("needs changes")
            return
        setattr(item, NAME_FIELD[kind], next_version(getattr(item, NAME_FIELD[kind])))
        item.save_revision(user=self.users["editor"])
        item.get_workflow().start(item, self.users["editor"])

    @rule(data=st.data(), approve=st.booleans())
    def review(self, data, approve):
        """A moderator approves (publishes) or rejects what is in moderation."""
        in_review = [
            (kind, item.pk)
            for kind, model in MODELS.items()
            for item in model.objects.all()
            if item.workflow_in_progress
        ]
        if not in_review:
            return
        kind, pk = data.draw(st.sampled_from(sorted(in_review)))
        task_state = MODELS[kind].objects.get(pk=pk).current_workflow_task_state
        if approve:
            task_state.approve(user=self.users["moderator"])
        else:
            task_state.reject(user=self.users["moderator"])

    @rule(data=st.data())
    def lock_or_unlock(self, data):
        picked = self.pick(data, MODELS)
        if picked is None:  # everything was deleted
            return
        kind, item = picked
        item.locked = not item.locked
        item.locked_by = self.users["editor"] if item.locked else None
        item.locked_at = timezone.now() if item.locked else None
        extra = {"clean": False} if kind in PAGES else {}
        item.save(update_fields=["locked", "locked_by", "locked_at"], **extra)

    # The tree and access -------------------------------------------------------------------

    @rule(data=st.data())
    def move_post(self, data):
        """A post moves to another country of its language."""
        picked = self.pick(data, ["post"])
        if picked is None:
            return
        post = picked[1]
        targets = CountryPage.objects.filter(locale=post.locale).exclude(pk=post.get_parent().pk)
        if targets:
            target = data.draw(st.sampled_from(sorted(targets, key=lambda page: page.pk)))
            with refusal_allowed():
                post.move(target, pos="last-child", user=self.users["moderator"])

    @rule(data=st.data())
    def delete(self, data):
        picked = self.pick(data, MODELS)
        if picked is None:  # everything was deleted
            return
        kind, item = picked
        item.delete()

    @rule(data=st.data(), kind=st.sampled_from([PageViewRestriction.PASSWORD, "login"]))
    def make_private(self, data, kind):
        picked = self.pick(data, PAGES)
        if picked and not PageViewRestriction.objects.filter(page=picked[1]).exists():
            PageViewRestriction.objects.create(page=picked[1], restriction_type=kind, password="x")

    @rule(data=st.data())
    def make_public_again(self, data):
        restrictions = sorted(PageViewRestriction.objects.values_list("pk", flat=True))
        if restrictions:
            PageViewRestriction.objects.get(pk=data.draw(st.sampled_from(restrictions))).delete()

    @rule(data=st.data())
    def withdraw_consent(self, data):
        """A person withdraws consent: the editor saves it, nobody publishes. It takes effect
        on save, on the person and its translations."""
        picked = self.pick(
            data, ["person"], consent_given_at__isnull=False, consent_withdrawn_at__isnull=True
        )
        if picked is None:
            return
        person = picked[1]
        person.consent_withdrawn_at = timezone.localdate()
        person.save_revision(user=self.users["editor"])
        assert not Person.objects.filter(
            translation_key=person.translation_key, consent_withdrawn_at__isnull=True
        ).exists()

    @rule(data=st.data(), days_ago=st.sampled_from(CONSENT_DAYS_AGO), publish=st.booleans())
    def give_consent(self, data, days_ago, publish):
        """A person gives consent (again, after a withdrawal: a new date): published, or left
        a draft, which changes nothing the public sees."""
        picked = self.pick(data, ["person"])
        if picked is None:
            return
        person = picked[1]
        given = timezone.localdate() - timedelta(days=days_ago)
        withdrawn = person.consent_withdrawn_at
        if given == person.consent_given_at or (withdrawn and given < withdrawn):
            return  # not new consent: the admin refuses it (test_public_atlas tests that)
        person.consent_given_at, person.consent_withdrawn_at = given, None
        revision = person.save_revision(user=self.users["editor"])
        if publish:
            with refusal_allowed():
                revision.publish(user=self.users["moderator"])

    @rule(data=st.data(), days=st.sampled_from([-3, 0, 1, None]), publish=st.booleans())
    def set_term_end(self, data, days, publish):
        """A person's term of office ends (in the past, today, tomorrow) or the end is cleared:
        saved as a draft, published or not. An end on or before today narrows at once, on the
        person and its translations; anything else waits for publication."""
        picked = self.pick(data, ["person"])
        if picked is None:
            return
        person = picked[1]
        person.term_end = None if days is None else timezone.localdate() + timedelta(days=days)
        revision = person.save_revision(user=self.users["editor"])
        if person.term_ended:
            assert (
                not Person.objects.filter(translation_key=person.translation_key)
                .exclude(term_end=person.term_end)
                .exists()
            )
        if publish:
            with refusal_allowed():
                revision.publish(user=self.users["moderator"])

    @rule()
    def a_day_passes(self):
        """Midnight passes: a term whose last day comes ends without anyone saving."""
        self.clock.shift(timedelta(days=1))

    @rule(
        data=st.data(),
        status=st.sampled_from(["active", "inactive", "renamed", "closed"]),
        publish=st.booleans(),
    )
    def change_account_status(self, data, status, publish):
        """An account goes dormant, is renamed (a new URL), closes or is active again."""
        picked = self.pick(data, ["account"])
        if picked is None:
            return
        account = picked[1]
        account.status = status
        account.new_url = f"{account.url}2" if status == "renamed" else ""
        revision = account.save_revision(user=self.users["editor"])
        if publish:
            with refusal_allowed():
                revision.publish(user=self.users["moderator"])

    # What the public sees --------------------------------------------------------------

    @invariant()
    def public_surfaces_match_the_oracle(self):
        public = oracle.compute()
        self.check_nothing_narrowed_stands_in(public)
        # The surfaces are checked against the new state: this process reads it first, as the
        # background read would (an earlier answer stands in only until then).
        public_atlas.public_atlases()
        # Every history starts from the same atlas: checked in full once per run.
        first = self.step == 0 and Stats.histories == 1
        full = first or (self.step > 0 and self.step % FULL_CHECK_EVERY == 0)
        checks = self.surface_checks(public, full)
        chosen = checks if full else [checks[self.step % len(checks)]]
        # Every step: the present is recorded, and one moment of the history is asked for again.
        self.past.append(surfaces.remember_the_present(self.client, public))
        past = self.past[self.step * 7 % len(self.past)]
        consenting = {person.pk for person in Person.objects.all() if oracle.consents(person)}
        language = ("nl", "en")[self.step % 2]
        chosen.append(
            ("as of", lambda: surfaces.check_past(self.client, past, consenting, language))
        )
        for label, check in chosen:
            began = time.monotonic()
            check()
            Stats.seconds[label] = Stats.seconds.get(label, 0) + time.monotonic() - began
            Stats.checks += 1
        self.step += 1
        Stats.steps += 1

    def check_nothing_narrowed_stands_in(self, public):
        """A step that took anything public away may not let an answer from before it stand
        in for the new generation (generation.stand_ins: "Widening and narrowing")."""
        now_public = oracle.public_keys(public)
        token = generation.current()
        if self.last_public is not None and self.last_public - now_public:
            earlier = [int(previous) for previous in generation.stand_ins(token)]
            assert all(previous > self.last_generation for previous in earlier), (
                f"narrowed ({sorted(self.last_public - now_public)}) but generation {token} "
                f"lets {earlier} stand in (last checked: {self.last_generation})"
            )
        self.last_public, self.last_generation = now_public, int(token)

    def surface_checks(self, public, full):
        """Each surface as a check; between full checks, lookups and pages of a few objects
        only (a window that moves on with the steps)."""
        client = self.client
        # Every object of the history so far, deleted ones too: a lookup must answer null.
        self.posts_seen.update(PostPage.objects.values_list("pk", flat=True))
        self.people_seen.update(Person.objects.values_list("pk", flat=True))
        self.accounts_seen.update(SocialAccount.objects.values_list("pk", "url"))

        def window(items, size):
            items = list(items)
            if full or len(items) <= size:
                return items
            start = self.step * size % len(items)
            return (items + items)[start : start + size]

        def lookups(language):
            found = surfaces.lookups_for(
                public,
                language,
                [*CODES, "NL"],  # NL: never a country page
                sorted(self.posts_seen),
                sorted(self.people_seen),
                sorted(self.accounts_seen),
            )
            return window(found, surfaces.LOOKUPS_PER_DOCUMENT)

        pages = window(public.pages.values(), 6)
        verified = window(sorted(self.accounts_seen), 4)
        return [
            ("lists nl", lambda: surfaces.check_lists(client, public, "nl")),
            ("lookups en", lambda: surfaces.check_lookups(client, public, "en", lookups("en"))),
            ("home nl", lambda: surfaces.check_home(client, public, "nl")),
            ("search page en", lambda: surfaces.check_search_page(client, public, "en")),
            ("lists en", lambda: surfaces.check_lists(client, public, "en")),
            ("lookups nl", lambda: surfaces.check_lookups(client, public, "nl", lookups("nl"))),
            ("home en", lambda: surfaces.check_home(client, public, "en")),
            ("search page nl", lambda: surfaces.check_search_page(client, public, "nl")),
            ("pages", lambda: surfaces.check_pages(client, public, pages)),
            ("verify nl", lambda: surfaces.check_verify(client, public, "nl", verified)),
            ("exports en", lambda: surfaces.check_exports(client, public, "en")),
            ("verify en", lambda: surfaces.check_verify(client, public, "en", verified)),
            ("exports nl", lambda: surfaces.check_exports(client, public, "nl")),
        ]


@pytest.mark.django_db
def test_no_editorial_history_leaks():
    EditorialHistories.users = build_base()
    Stats.steps = Stats.checks = Stats.histories = Stats.refusals = 0
    Stats.seconds = {}
    started = time.monotonic()
    # Earlier answers may stand in after a widening step (the invariant checks none does after
    # a narrowing one), as in production.
    with override_settings(ATLAS_STALE_SECONDS=5):
        run_state_machine_as_test(
            EditorialHistories,
            settings=settings(
                max_examples=int(
                    os.environ.get(
                        "ATLAS_LEAK_HISTORIES", DEFAULT_HISTORIES.get(connection.vendor, 60)
                    )
                ),
                stateful_step_count=STEPS,
                deadline=None,
                database=None,
                print_blob=True,
                # Shrinking a history re-runs it many times with every check: minutes. The steps
                # printed on a failure are the whole history; ATLAS_LEAK_SHRINK=1 shortens it.
                phases=[Phase.explicit, Phase.reuse, Phase.generate]
                + ([Phase.shrink] if os.environ.get("ATLAS_LEAK_SHRINK") else []),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )
    print(
        f"\n{Stats.histories} histories, {Stats.steps} states checked (the first and one after "
        f"each step; {Stats.refusals} steps refused by Wagtail), "
        f"{Stats.checks} surface checks "
        f"in {time.monotonic() - started:.1f} s; seconds per surface: "
        + ", ".join(f"{label} {seconds:.1f}" for label, seconds in sorted(Stats.seconds.items()))
    )
