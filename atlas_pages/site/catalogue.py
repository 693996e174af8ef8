"""The DCAT-AP catalogue of the open data, so national open-data portals can harvest it.

``/export/catalog.jsonld`` (JSON-LD) and ``/export/catalog.rdf`` (RDF/XML), built with rdflib
and valid against the DCAT-AP 3.0.1 SHACL shapes (tests/atlas_pages/site/test_catalogue.py):
- a ``dcat:Catalog`` with its publisher, licence, languages and homepage (the data page);
- the current open data as a ``dcat:Dataset`` (continuously updated) with a
  ``dcat:Distribution`` per file and language at its ``/export/`` address;
- each dated release as a ``dcat:Dataset`` of its own (``dcat:version`` its date, ``dct:issued``,
  ``dct:isVersionOf`` the current data, ``dcat:previousVersion`` the release before), with a
  distribution per stored file: its download address, byte size and SHA-256 (``spdx:checksum``).
Titles and descriptions are given in every content language. Cached per publication generation
with the other ``/export/`` files (cms/response_cache.py); a new release starts a generation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date
from itertools import groupby

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, XSD

from atlas_pages.models import OpenDataRelease, OpenDataReleaseFile
from atlas_pages.publication import public_atlas
from atlas_pages.publication import releases as stored
from atlas_pages.site import open_data, releases

#: DCAT 3 (rdflib's own DCAT namespace is DCAT 2, without the versioning terms).
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE = Namespace(EU + "language/")
FILE_TYPE = Namespace(EU + "file-type/")
FREQUENCY = Namespace(EU + "frequency/")
IANA = "http://www.iana.org/assignments/media-types/"

#: Content languages as the EU's language authority names them.
EU_LANGUAGES = {"nl": "NLD", "en": "ENG", "fr": "FRA", "de": "DEU", "es": "SPA"}
#: File types (EU file-type authority) by the file's extension.
FILE_TYPES = {"csv": "CSV", "json": "JSON", "geojson": "GEOJSON"}

CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "spdx": str(SPDX),
    "adms": str(ADMS),
    "xsd": str(XSD),
}


def _languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def _texts(subject: URIRef, predicate: URIRef, graph: Graph, message: object) -> None:
    """A text in every content language (``message`` a lazy translation or a callable)."""
    for language in _languages():
        with translation.override(language):
            text = message() if callable(message) else str(message)
        graph.add((subject, predicate, Literal(text, lang=language)))


def _typed(graph: Graph, node: URIRef, kind: URIRef) -> URIRef:
    graph.add((node, RDF.type, kind))
    return node


class _Builder:
    def __init__(self, root: str) -> None:
        self.root = root
        self.graph = Graph()
        for prefix, namespace in CONTEXT.items():
            self.graph.bind(prefix, Namespace(namespace))
        self.licence = (
            _typed(self.graph, URIRef(settings.ATLAS_DATA_LICENCE_URL), DCTERMS.LicenseDocument)
            if settings.ATLAS_DATA_LICENCE_URL
            else None
        )
        self.publisher = self._publisher()
        self.contact = self._contact()

    def url(self, path: str) -> URIRef:
        return URIRef(self.root + path)

    def _publisher(self) -> URIRef:
        graph = self.graph
        node = URIRef(
            settings.ATLAS_DATA_PUBLISHER_URL
            or self.root + self.data_page(_languages()[0]) + "#publisher"
        )
        graph.add((node, RDF.type, FOAF.Agent))
        graph.add((node, RDF.type, FOAF.Organization))
        graph.add((node, FOAF.name, Literal(settings.ATLAS_DATA_PUBLISHER)))
        return node

    def _contact(self) -> URIRef:
        graph = self.graph
        node = self.url(self.data_page(_languages()[0]) + "#contact")
        graph.add((node, RDF.type, VCARD.Kind))
        graph.add((node, RDF.type, VCARD.Organization))
        graph.add((node, VCARD.fn, Literal(settings.ATLAS_DATA_PUBLISHER)))
        if settings.ATLAS_CONTACT_EMAIL:
            graph.add((node, VCARD.hasEmail, URIRef("mailto:" + settings.ATLAS_CONTACT_EMAIL)))
        page = settings.ATLAS_CONTACT_URL or self.root + self.data_page(_languages()[0])
        graph.add((node, VCARD.hasURL, URIRef(page)))
        return node

    def data_page(self, language: str) -> str:
        with translation.override(language):
            return reverse("open_data")

    def common(self, node: URIRef) -> None:
        """What the catalogue, each dataset and each distribution share."""
        if self.licence is not None:
            self.graph.add((node, DCTERMS.license, self.licence))

    def language(self, code: str) -> URIRef:
        node = LANGUAGE[EU_LANGUAGES.get(code, code.upper())]
        return _typed(self.graph, node, DCTERMS.LinguisticSystem)

    def distribution(
        self,
        node: URIRef,
        name: str,
        language: str,
        media_type: str,
        about: object,
    ) -> URIRef:
        graph = self.graph
        _typed(graph, node, DCAT.Distribution)
        graph.add((node, DCAT.accessURL, node))
        graph.add((node, DCAT.downloadURL, node))
        graph.add((node, DCTERMS.title, Literal(f"{name} ({language})")))
        with translation.override(language):
            graph.add((node, DCTERMS.description, Literal(str(about), lang=language)))
        graph.add((node, DCTERMS.language, self.language(language)))
        media = media_type.partition(";")[0].strip()
        graph.add((node, DCAT.mediaType, _typed(graph, URIRef(IANA + media), DCTERMS.MediaType)))
        file_type = FILE_TYPES.get(name.rpartition(".")[2])
        if file_type:
            graph.add(
                (
                    node,
                    DCTERMS.format,
                    _typed(graph, FILE_TYPE[file_type], DCTERMS.MediaTypeOrExtent),
                )
            )
        self.common(node)
        return node


def _about(name: str) -> object:
    if name == stored.SUMS_NAME:
        return _("SHA-256 checksums of the release's files (sha256sum -c SHA256SUMS).")
    return open_data.FILES[name][2]


def catalogue_graph(release_rows: Iterable[OpenDataRelease] | None = None) -> Graph:
    """The catalogue: the current open data and every release (newest first)."""
    languages = _languages()
    atlas = public_atlas.public_atlas(languages[0])
    builder = _Builder(open_data.site_root(atlas))
    graph = builder.graph
    catalogue = _typed(graph, builder.url(reverse("catalogue", args=("rdf",))), DCAT.Catalog)
    _texts(catalogue, DCTERMS.title, graph, _("Social Media Atlas: open data"))
    _texts(
        catalogue,
        DCTERMS.description,
        graph,
        _(
            "Every official social-media account of the foreign ministry and its posts abroad, "
            "as open data: the current files and the monthly dated releases."
        ),
    )
    graph.add((catalogue, DCTERMS.publisher, builder.publisher))
    graph.add((catalogue, FOAF.homepage, builder.url(builder.data_page(languages[0]))))
    for language in languages:
        graph.add((catalogue, DCTERMS.language, builder.language(language)))
    builder.common(catalogue)

    current = _typed(graph, builder.url(builder.data_page(languages[0]) + "#dataset"), DCAT.Dataset)
    graph.add((catalogue, DCAT.dataset, current))
    _texts(current, DCTERMS.title, graph, _("Social Media Atlas: accounts and posts (current)"))
    _texts(
        current,
        DCTERMS.description,
        graph,
        _(
            "Every published account and post of the atlas, as it is now: changes with every "
            "publication. Join the languages on the account's id and on post_key, person_key "
            "and country_key."
        ),
    )
    _dataset_common(builder, current)
    graph.add(
        (
            current,
            DCTERMS.accrualPeriodicity,
            _typed(graph, FREQUENCY.UPDATE_CONT, DCTERMS.Frequency),
        )
    )
    if atlas.figures.last_published_at:
        moment = atlas.figures.last_published_at.astimezone(UTC).replace(microsecond=0)
        graph.add((current, DCTERMS.modified, Literal(moment, datatype=XSD.dateTime)))
    for language in languages:
        graph.add((current, DCTERMS.language, builder.language(language)))
        for name in (*releases.DATA_FILES, "datapackage.json"):
            _build, content_type, about = open_data.FILES[name]
            node = builder.url(open_data.export_url(name, language))
            builder.distribution(node, name, language, content_type, about)
            graph.add((current, DCAT.distribution, node))

    rows = list(stored.listing() if release_rows is None else release_rows)
    by_day = [(day, list(group)) for day, group in groupby(rows, key=lambda r: r.date)]
    previous: URIRef | None = None
    for day, day_releases in reversed(by_day):  # oldest first, to link each to the one before
        node = _release_dataset(builder, day, day_releases, current)
        graph.add((catalogue, DCAT.dataset, node))
        if previous is not None:
            graph.add((node, DCAT.previousVersion, previous))
        previous = node
    if previous is not None:
        graph.add((current, DCAT.hasCurrentVersion, previous))
    return graph


def _dataset_common(builder: _Builder, node: URIRef) -> None:
    graph = builder.graph
    graph.add((node, DCTERMS.publisher, builder.publisher))
    graph.add((node, DCAT.contactPoint, builder.contact))
    graph.add(
        (
            node,
            DCAT.landingPage,
            _typed(graph, builder.url(builder.data_page(_languages()[0])), FOAF.Document),
        )
    )
    _texts(node, DCAT.keyword, graph, _("social media"))
    _texts(node, DCAT.keyword, graph, _("diplomacy"))


def _release_dataset(
    builder: _Builder, day: date, day_releases: list[OpenDataRelease], current: URIRef
) -> URIRef:
    graph = builder.graph
    # Its place on the data page, where it is listed with its files.
    page = builder.data_page(_languages()[0])
    node = _typed(graph, builder.url(f"{page}#release-{day.isoformat()}"), DCAT.Dataset)
    graph.add((current, DCAT.hasVersion, node))
    graph.add((node, DCTERMS.isVersionOf, current))
    _texts(
        node,
        DCTERMS.title,
        graph,
        lambda: (
            _("Social Media Atlas: accounts and posts, release of %(date)s")
            % {"date": day.isoformat()}
        ),
    )
    _texts(
        node,
        DCTERMS.description,
        graph,
        lambda: (
            _(
                "The open data as it was on %(date)s, kept unchanged: each file with its size and "
                "SHA-256 checksum."
            )
            % {"date": day.isoformat()}
        ),
    )
    _dataset_common(builder, node)
    graph.add((node, DCAT.version, Literal(day.isoformat())))
    graph.add((node, DCTERMS.issued, Literal(day, datatype=XSD.date)))
    for release in day_releases:
        graph.add((node, DCTERMS.language, builder.language(release.language)))
        for file in release.files.all():
            graph.add((node, DCAT.distribution, _release_distribution(builder, release, file)))
    return node


def _release_distribution(
    builder: _Builder, release: OpenDataRelease, file: OpenDataReleaseFile
) -> URIRef:
    graph = builder.graph
    node = builder.url(releases.file_url(release.date, release.language, file.name))
    builder.distribution(node, file.name, release.language, file.media_type, _about(file.name))
    graph.add((node, DCTERMS.issued, Literal(release.date, datatype=XSD.date)))
    graph.add((node, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode(f"sha256-{release.language}-{release.date.isoformat()}-{file.name}")
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add(
        (
            checksum,
            SPDX.algorithm,
            _typed(graph, SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm),
        )
    )
    graph.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
    graph.add((node, SPDX.checksum, checksum))
    return node


#: Formats served: URL suffix -> (rdflib format, content type).
FORMATS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("pretty-xml", "application/rdf+xml"),
}


def serialise(graph: Graph, suffix: str) -> bytes:
    rdflib_format, _content_type = FORMATS[suffix]
    if rdflib_format == "json-ld":
        return graph.serialize(format="json-ld", context=CONTEXT, indent=1).encode()
    return graph.serialize(format=rdflib_format, encoding="utf-8")


def catalogue(request: HttpRequest, suffix: str) -> HttpResponse:
    """The catalogue as JSON-LD or RDF/XML."""
    body = serialise(catalogue_graph(), suffix)
    return HttpResponse(body, content_type=FORMATS[suffix][1] + "; charset=utf-8")
