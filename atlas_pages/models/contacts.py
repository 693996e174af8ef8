"""Whom the press desk asks to keep an account current: a post's or an account's contact (an
admin user, or a team address), and the record of the review reminders sent to them
(atlas_pages.editorial.reminders). Editorial bookkeeping, never public content."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def admin_users() -> Q:
    """The users a contact may be chosen from: active, with access to the admin (in a group or
    of their own, or a superuser). The admin's form offers only these; the model does not
    check it, so that a contact who later leaves never blocks saving the account (the
    reminders then go to the post's contact)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    access = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    with_access = get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__permissions__in=access) | Q(user_permissions__in=access)
    )
    return Q(is_active=True, pk__in=with_access.values("pk"))


class ContactMixin(models.Model):
    """The contact of a post or an account: the person the review reminder goes to, an admin
    user or a team address (one of the two, or none).

    Bookkeeping, not content: the admin's form writes it at once, also when it saves only a
    draft (atlas_pages.editorial.forms.ContactFormMixin), and publishing or restoring a
    revision keeps it (`CONTACT_FIELDS` are taken from the object, not from the revision)."""

    #: Kept from the object when a revision is restored or published.
    CONTACT_FIELDS = ("contact_user", "contact_email")

    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact (user)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("An admin user who receives the review reminders."),
    )
    contact_email = models.EmailField(
        _("contact (team address)"),
        blank=True,
        help_text=_("Or a team's e-mail address, e.g. press@example.org."),
    )

    def clean(self) -> None:
        super().clean()
        if self.contact_user_id and self.contact_email:
            raise ValidationError(
                {
                    "contact_email": _(
                        "Name one contact: a user or a team address, not both. Clear one of "
                        "the two."
                    )
                }
            )

    def keep_contact(self, obj: ContactMixin) -> ContactMixin:
        """`obj` (a revision's version of this object) with this object's contact."""
        for name in ("contact_user_id", "contact_email"):
            setattr(obj, name, getattr(self, name))
        return obj

    class Meta:
        abstract = True


class ReminderSent(models.Model):
    """One account named in one review reminder: to whom, at which stage, and for which due
    period (the review it followed). An account is named to a recipient once per due period, so
    running the reminders again sends nothing new until something new comes due."""

    class Stage(models.TextChoices):
        CONTACT = "contact", _("Reminder to the contact")
        ESCALATION = "escalation", _("Escalation to the post's editors")

    account = models.ForeignKey(
        "atlas_pages.SocialAccount",
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="reminders_sent",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    #: "user:<pk>" or the team address.
    recipient = models.CharField(_("recipient"), max_length=320)
    #: The review the due period followed (the account's last_reviewed_at, ISO 8601), "" for an
    #: account never reviewed: a new review starts a new period.
    period = models.CharField(_("due period"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("sent at"))

    def __str__(self) -> str:
        return f"{self.account_id} → {self.recipient} ({self.stage}, {self.sent_at:%Y-%m-%d})"

    class Meta:
        verbose_name = _("review reminder sent")
        verbose_name_plural = _("review reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "stage", "recipient", "period"], name="one_reminder_a_period"
            )
        ]
