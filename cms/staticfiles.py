"""Single files of npm packages as static files, for a package whose directory cannot be served
whole: graphiql's holds its sources and a ``graphiql.js`` whose source map it does not ship,
which the production storage refuses to collect."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class PackageFilesFinder(BaseFinder):
    """Finds the files that ``ATLAS_STATIC_PACKAGE_FILES`` lists under a URL prefix, e.g.
    ``{"vendor/graphiql": [NODE_MODULES / "graphiql" / "graphiql.min.js"]}``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, tuple[FileSystemStorage, str]] = {}  # static path -> (storage, name)
        for prefix, paths in getattr(settings, "ATLAS_STATIC_PACKAGE_FILES", {}).items():
            for path in map(Path, paths):
                storage = FileSystemStorage(location=path.parent)
                storage.prefix = prefix
                self.files[f"{prefix}/{path.name}"] = (storage, path.name)

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(f"{storage.path(name)} does not exist; run `npm ci`.", id="atlas.E001")
            for storage, name in self.files.values()
            if not storage.exists(name)
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        found = self.files.get(path)
        match = found[0].path(found[1]) if found and found[0].exists(found[1]) else None
        if find_all:
            return [match] if match else []
        return match

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for storage, name in self.files.values():
            if storage.exists(name):
                yield name, storage
