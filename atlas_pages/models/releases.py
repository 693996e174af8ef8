"""Dated releases of the open data: the files as they were on a day, kept for good so that an
analysis can cite the version it used and check it by its checksum."""

from __future__ import annotations

from django.db import models


class OpenDataRelease(models.Model):
    """The open data of one day in one language: its files in the releases storage
    (atlas_pages.publication.releases), listed on the data page and in the DCAT catalogue.
    A release is written once and never changed: one per day and language."""

    date = models.DateField()
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.date.isoformat()} ({self.language})"

    class Meta:
        ordering = ["-date", "language"]
        constraints = [
            models.UniqueConstraint(fields=["date", "language"], name="one_release_per_day")
        ]


class OpenDataReleaseFile(models.Model):
    """One file of a release, with what a downloader checks it against."""

    release = models.ForeignKey(OpenDataRelease, on_delete=models.CASCADE, related_name="files")
    #: The file's name in the release: accounts.csv, datapackage.json, SHA256SUMS, ...
    name = models.CharField(max_length=100)
    #: Its name in the releases storage (STORAGES["releases"]).
    path = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    #: SHA-256 of its bytes, lower-case hexadecimal (as in the release's SHA256SUMS).
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.release} {self.name}"

    class Meta:
        ordering = ["release", "id"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="one_file_per_name")
        ]
