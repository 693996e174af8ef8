"""The admin's account import: upload a CSV or XLSX file, see every problem per row, import
all rows or none (atlas_pages.editorial.importer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from atlas_pages.editorial import importer

#: Importing needs the right to add accounts; publishing at once the right to publish them.
ADD_PERMISSION = "atlas_pages.add_socialaccount"
PUBLISH_PERMISSION = "atlas_pages.publish_socialaccount"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (UTF-8, with or without BOM, or Excel's CSV) or XLSX, one row per account."
        ),
    )
    publish = forms.BooleanField(
        label=_("Publish the new accounts at once"),
        required=False,
        help_text=_("Otherwise they are drafts, for review as usual."),
    )

    def __init__(self, *args: Any, can_publish: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["publish"]


class ImportAccountsView(WagtailAdminTemplateMixin, FormView):
    """Check a file ("Check") or check and import it ("Import"): nothing is written unless
    every row is valid."""

    form_class = ImportForm
    template_name = "atlas_pages/admin/import_accounts.html"
    page_title = _("Import accounts")
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(ADD_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "can_publish": self.can_publish()}

    def can_publish(self) -> bool:
        return self.request.user.has_perm(PUBLISH_PERMISSION)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["columns"] = importer.COLUMNS
        return context

    def form_valid(self, form: ImportForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        dry_run = "import" not in self.request.POST
        publish = bool(form.cleaned_data.get("publish")) and self.can_publish()
        context: dict[str, Any] = {"form": form, "dry_run": dry_run}
        try:
            importer.check_size(upload.size)  # before reading it into memory
            context["report"] = importer.import_file(
                upload.name, upload.read(), user=self.request.user, dry_run=dry_run, publish=publish
            )
        except importer.ImportFileError as error:
            context["file_error"] = str(error)
        status = 200 if "file_error" not in context and context["report"].ok else 422
        return self.render_to_response(self.get_context_data(**context), status=status)
