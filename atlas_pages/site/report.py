"""Reporting an impersonator: a visitor tells the press desk that an address pretends to be an
official account (reached from the verify page's "not in the atlas" answer, the address
filled in). The report lands in the press desk's queue (atlas_pages.editorial.impersonators).

No account and no personal data: the form asks for the platform, the address and why; the
visitor's IP address is never stored, only a keyed hash of it counts reports per hour in the
shared cache (REPORT_RATE). Against spam: a field people do not see (a robot that fills it is
thanked and ignored), a minimum time to fill the form (a signed timestamp), CSRF. Hostile
input (huge text, control characters, HTML, no web address) is refused with a message.

The form page sets the CSRF cookie and is marked ``no-store``, so the response cache
(cms/response_cache.py) never keeps it; the verify page only links to it, and stays cacheable.
"""

from __future__ import annotations

import ipaddress
import re
import time
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import get_usage

from atlas_pages.models import ImpersonatorReport, Platform
from atlas_pages.publication import public_atlas, shared_cache
from atlas_pages.publication.public_atlas import PublicAtlas
from atlas_pages.rules import pasted, profile_urls, report_links
from atlas_pages.site.languages import current_language, view_alternates

#: Reports one client address may send per hour (a fixed window in the shared cache).
REPORT_RATE = "5/h"
RATE_GROUP = "impersonator-report"
#: A person needs a few seconds to read the form and write why; a robot posts at once.
MIN_FILL_SECONDS = 3
#: A form older than this is refused as expired (its timestamp is signed).
MAX_FORM_AGE = 24 * 60 * 60
MAX_URL_LENGTH = 2000
MAX_REASON_LENGTH = 2000
MIN_REASON_LENGTH = 10
#: Control characters (but tab and line ends in the reason) and bidirectional overrides.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_HTML_TAG = re.compile(r"<\s*/?\s*[a-z!?][^>]*>", re.IGNORECASE)
_SIGNER_SALT = "atlas.report.started"


def _no_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise forms.ValidationError(
            _("The text contains control characters: type or paste it as plain text.")
        )


def _no_html(value: str) -> None:
    if _HTML_TAG.search(value):
        raise forms.ValidationError(
            _("Write plain text: HTML tags such as <a> or <script> are not accepted.")
        )


class ReportForm(forms.Form):
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), required=False)
    url = forms.CharField(
        label=gettext_lazy("Address of the account"),
        max_length=MAX_URL_LENGTH,
        validators=[_no_control_characters],
        error_messages={"required": gettext_lazy("Enter the address of the account.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why do you think it pretends to be official?"),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_REASON_LENGTH}),
        min_length=MIN_REASON_LENGTH,
        max_length=MAX_REASON_LENGTH,
        validators=[_no_control_characters, _no_html],
        error_messages={
            "required": gettext_lazy("Tell us in a few words why you think so."),
        },
    )
    #: Hidden from people (CSS and aria-hidden); robots fill in every field.
    leave_empty = forms.CharField(required=False)
    #: When the form was shown, signed: too soon or too late is refused.
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, platforms: list[Platform], atlas: PublicAtlas, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.atlas = atlas
        self.platforms = {platform.slug: platform for platform in platforms}
        self.told_platform: Platform | None = None
        self.fields["platform"].choices = [("", _("Another platform or not sure"))] + [
            (platform.slug, platform.name) for platform in platforms
        ]
        self.fields["url"].widget.attrs.update(
            {"inputmode": "url", "autocomplete": "off", "placeholder": "https://x.com/…"}
        )

    def clean_url(self) -> str:
        """The profile's address, understood as the verify page understands it (rules.pasted:
        a post's URL is its profile's, @name@server); the platform it tells, if any."""
        url = self.cleaned_data["url"].strip()
        if re.search(r"\s", url):
            raise forms.ValidationError(profile_urls.url_mistake(url))
        try:
            url, self.told_platform = Platform.resolve(url, self.platforms.values())
        except pasted.Invalid:
            raise forms.ValidationError(profile_urls.url_mistake(url)) from None
        except pasted.Refused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return url

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        url = cleaned.get("url")
        if not url:
            return cleaned
        platform = self.platforms.get(cleaned.get("platform") or "")
        if platform is None:  # not chosen: the platform the address tells, if any
            platform = self.told_platform
        elif platform.host_list and not _on_hosts(_host(url), platform.host_list):
            self.add_error(
                "url",
                _("This address is not on %(platform)s: its host is %(host)s.")
                % {"platform": platform.name, "host": _host(url)},
            )
        if self.atlas.account_for_url(url) is not None:
            self.add_error(
                "url",
                _("This address is an official account in the atlas: there is nothing to report."),
            )
        elif self.atlas.impersonators.for_url(url) is not None:
            self.add_error(
                "url",
                _("This address is already known as an impersonator: thank you for checking."),
            )
        cleaned["platform_object"] = platform
        cleaned["normalized_url"] = profile_urls.normalise_lookup_url(
            url, [item.host_list for item in self.platforms.values() if item.host_list]
        )
        return cleaned


def _host(url: str) -> str:
    """The address's host without www./m. (the address is a valid web address)."""
    return profile_urls.bare_host(
        urlsplit(url if "://" in url else f"https://{url}").hostname or ""
    )


def _on_hosts(host: str, hosts: list[str]) -> bool:
    """The host is one of these or a subdomain of one (nl.linkedin.com, web.facebook.com)."""
    return any(host == known or host.endswith("." + known) for known in hosts)


def _platforms() -> list[Platform]:
    return list(Platform.objects.order_by("sort_order", "name"))


def _started_token() -> str:
    return signing.TimestampSigner(salt=_SIGNER_SALT).sign(str(int(time.time())))


def _fill_time_problem(token: str) -> str:
    """What is wrong with the form's signed start time ("" when it is fine)."""
    signer = signing.TimestampSigner(salt=_SIGNER_SALT)
    try:
        started = int(signer.unsign(token, max_age=MAX_FORM_AGE))
    except (signing.BadSignature, ValueError):
        return _("This form has expired: please check it and send it again.")
    age = time.time() - started
    if age > MAX_FORM_AGE:
        return _("This form has expired: please check it and send it again.")
    if age < MIN_FILL_SECONDS:
        return _("That was quick: please check the form and send it again.")
    return ""


def _client_key(group: str, request: HttpRequest) -> str:
    """A keyed hash of the client's address (an IPv6 /64 counts as one client): the address
    itself is never stored, not even in the cache's keys."""
    header = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    address = request.META.get(header, "") or "unknown"
    try:
        ip = ipaddress.ip_address(address.split(",")[0].strip())
        if ip.version == 6:
            address = str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
        else:
            address = str(ip)
    except ValueError:
        pass
    return salted_hmac("atlas.report.client", address).hexdigest()


def _count(request: HttpRequest) -> dict:
    usage = get_usage(request, group=RATE_GROUP, key=_client_key, rate=REPORT_RATE, increment=True)
    if usage is None:
        raise shared_cache.Unanswered
    return usage


def _over_the_limit(request: HttpRequest) -> bool:
    """Counts this report against its client's hour; False when the cache is down (as the
    API's limit, reports are then taken unlimited rather than refused)."""
    usage = shared_cache.guarded(_count, request)
    return usage is not None and usage["should_limit"]


def _context(request: HttpRequest, form: ReportForm, error: str = "") -> dict[str, Any]:
    return {
        "form": form,
        "error": error,
        "started": _started_token(),
        "verify_url": reverse("verify"),
        "alternates": view_alternates(request, "report_impersonator", atlas=form.atlas),
    }


@never_cache
@csrf_protect
def report(request: HttpRequest) -> HttpResponse:
    platforms = _platforms()
    atlas = public_atlas.public_atlas(current_language())
    if request.method != "POST":
        url = request.GET.get("url", "").strip()[:MAX_URL_LENGTH]
        platform = request.GET.get("platform", "").strip()[:100]
        if not platform and url:
            found = profile_urls.platform_for_url(url, platforms)
            platform = found.slug if found else ""
        form = ReportForm(
            initial={"url": url, "platform": platform}, platforms=platforms, atlas=atlas
        )
        return render(request, "atlas_pages/report.html", _context(request, form))

    form = ReportForm(request.POST, platforms=platforms, atlas=atlas)
    if request.POST.get("leave_empty"):  # a robot: thanked, and ignored
        return HttpResponseRedirect(reverse("report_impersonator_thanks"))
    problem = _fill_time_problem(request.POST.get("started", ""))
    if problem or not form.is_valid():
        return render(
            request, "atlas_pages/report.html", _context(request, form, problem), status=400
        )
    if _over_the_limit(request):
        problem = _(
            "You have sent several reports in the last hour: thank you. Please try again later."
        )
        return render(
            request, "atlas_pages/report.html", _context(request, form, problem), status=429
        )
    data = form.cleaned_data
    platform = data["platform_object"]
    ImpersonatorReport.objects.create(
        platform=platform,
        url=data["url"],
        normalized_url=data["normalized_url"],
        reason=data["reason"].strip(),
        language=current_language(),
        reported_at=timezone.now(),
    )
    thanks = reverse("report_impersonator_thanks")
    if platform is not None:
        thanks += "?" + urlencode({"platform": platform.slug})
    return HttpResponseRedirect(thanks)


def thanks(request: HttpRequest) -> HttpResponse:
    """What happens next, and how to report the address to its platform too (the platform's
    own form, a fixed address: the page is public and cached, so nothing from the query is
    linked)."""
    slug = request.GET.get("platform", "").strip()[:100]
    atlas = public_atlas.public_atlas(current_language())
    platform = next((item for item in _platforms() if item.slug == slug), None) if slug else None
    context = {
        "platform": platform,
        "platform_form": report_links.FORMS.get(slug, ""),
        "on_profile": slug in report_links.ON_PROFILE,
        "verify_url": reverse("verify"),
        "alternates": view_alternates(request, "report_impersonator_thanks", atlas=atlas),
    }
    return render(request, "atlas_pages/report_thanks.html", context)
