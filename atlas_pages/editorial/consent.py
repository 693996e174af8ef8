"""Withdrawing a person's consent from the admin, whatever holds the person's edit form: a
publication scheduled (Wagtail locks a scheduled snippet until someone cancels the schedule),
a lock by another editor, a review in progress. The people's rights come first: the
withdrawal is applied at once (models.withdraw_consent: the person and its translations, a
new publication generation) and logged; the schedule is kept (the scheduled revision goes live
with the withdrawal kept, Person.publish) and the lock is left as it was.

Reached from the person's edit view: "Withdraw consent" in the header's menu, outside the
form, so that it works while the form is locked (editorial.viewsets.PersonEditView).
Who may: whoever may change the person (the people's permission policy: within their reach).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.panels import Panel
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.log_actions import log

from atlas_pages.models import Person, withdraw_consent

#: The log entry's action (registered in wagtail_hooks.py, shown in the person's history).
LOG_ACTION = "atlas.withdraw_consent"


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=gettext_lazy("Consent withdrawn on"),
        widget=AdminDateInput,
        help_text=gettext_lazy("The day the person withdrew their consent: today, or earlier."),
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_withdrawn_on(self) -> Any:  # noqa: ANN401 (a date)
        day = self.cleaned_data["withdrawn_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A withdrawal cannot be in the future."))
        given = self.person.consent_given_at
        if given and day < given:
            raise forms.ValidationError(
                _("Consent was given on %(date)s: it cannot be withdrawn before that.")
                % {"date": date_format(given)}
            )
        return day


def _policy() -> Any:  # noqa: ANN401 (the people's permission policy)
    return Person.snippet_viewset.permission_policy


def may_withdraw(user: Any, person: Person) -> bool:  # noqa: ANN401 (a user)
    """Whoever may change the person (within their reach), locked or not."""
    return _policy().user_has_permission_for_instance(user, "change", person)


class WithdrawView(WagtailAdminTemplateMixin, FormView):
    """A confirmation page with the day (today by default); on POST the withdrawal."""

    template_name = "atlas_pages/admin/withdraw_consent.html"
    form_class = WithdrawalForm
    page_title = gettext_lazy("Withdraw consent")
    header_icon = "user"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.person = get_object_or_404(Person, pk=kwargs["pk"])
        if not may_withdraw(request.user, self.person):
            raise PermissionDenied
        if not self.person.has_consent:
            raise Http404("There is no consent to withdraw.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self) -> str:
        return str(self.person)

    def edit_url(self) -> str:
        return reverse(Person.snippet_viewset.get_url_name("edit"), args=[self.person.pk])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "person": self.person}

    def get_initial(self) -> dict[str, Any]:
        return {"withdrawn_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, edit_url=self.edit_url())
        return context

    def form_valid(self, form: WithdrawalForm) -> HttpResponse:
        person = self.person
        person.consent_withdrawn_at = form.cleaned_data["withdrawn_on"]
        withdraw_consent(person)
        log(
            instance=person,
            action=LOG_ACTION,
            user=self.request.user,
            data={"withdrawn_on": person.consent_withdrawn_at.isoformat()},
        )
        messages.success(
            self.request,
            _(
                "“%(person)s”: consent withdrawn on %(date)s. Their personal accounts are no "
                "longer public; drafts, a scheduled publication and a lock are kept, and "
                "nothing published later restores the consent."
            )
            % {"person": person, "date": date_format(person.consent_withdrawn_at)},
        )
        return redirect(self.edit_url())


def admin_urls() -> list:
    return [
        path(
            "atlas/people/<int:pk>/withdraw-consent/",
            WithdrawView.as_view(),
            name="atlas_withdraw_consent",
        )
    ]


def register_log_actions(actions: Any) -> None:  # noqa: ANN401 (Wagtail's log action registry)
    actions.register_action(
        LOG_ACTION, gettext_lazy("Withdraw consent"), gettext_lazy("Consent withdrawn")
    )


class ConsentPanel(Panel):
    """The person's consent as stored, and where to withdraw it (the header's menu, outside
    the form, so that it works while the form is locked)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "atlas_pages/admin/consent_panel.html"

        def get_context_data(self, parent_context: dict[str, Any] | None = None) -> dict[str, Any]:
            context = super().get_context_data(parent_context)
            pk = self.instance.pk
            context["stored"] = Person.objects.filter(pk=pk).first() if pk else None
            return context
