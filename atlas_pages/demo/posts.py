"""The posts of the demo atlas: one per country in its capital, plus consulates, permanent
representations and, at home in The Hague, the ministry's directorates and project groups.
Each in Dutch and in English (title and city; the other facts are language-neutral)."""

import re
import unicodedata
from typing import NamedTuple

from django.utils.text import slugify

from atlas_pages.demo.countries import (
    COUNTRIES,
    HANDLE_NAMES,
    HOME,
    HONORARY_ONLY,
    SPECIAL_SEATS,
)
from atlas_pages.rules.places import country_name


class Post(NamedTuple):
    country: str
    kind: str
    title: str  # Dutch
    city: str  # Dutch
    title_en: str
    city_en: str
    lat: float
    lng: float
    handle: str  # the post's name on social media, e.g. NLinJapan; unique
    language: str
    website: str
    address: str


TITLES = {
    "embassy": "Ambassade in {city}",
    "consulate_general": "Consulaat-generaal in {city}",
    "consulate": "Consulaat in {city}",
    "honorary_consulate": "Honorair consulaat in {city}",
}
TITLES_EN = {
    "embassy": "Embassy in {city}",
    "consulate_general": "Consulate-General in {city}",
    "consulate": "Consulate in {city}",
    "honorary_consulate": "Honorary Consulate in {city}",
}

#: English names of the cities whose Dutch name differs (the others are spelled alike).
CITIES_EN = {
    "Addis Abeba": "Addis Ababa",
    "Antwerpen": "Antwerp",
    "Athene": "Athens",
    "Bagdad": "Baghdad",
    "Bakoe": "Baku",
    "Beiroet": "Beirut",
    "Belgrado": "Belgrade",
    "Berlijn": "Berlin",
    "Boedapest": "Budapest",
    "Boekarest": "Bucharest",
    "Brussel": "Brussels",
    "Caïro": "Cairo",
    "Den Haag": "The Hague",
    "Djedda": "Jeddah",
    "Genève": "Geneva",
    "Göteborg": "Gothenburg",
    "Ho Chi Minhstad": "Ho Chi Minh City",
    "Hongkong": "Hong Kong",
    "Jerevan": "Yerevan",
    "Kaapstad": "Cape Town",
    "Kopenhagen": "Copenhagen",
    "Koeweit-Stad": "Kuwait City",
    "Lissabon": "Lisbon",
    "Londen": "London",
    "Luxemburg": "Luxembourg",
    "Manilla": "Manila",
    "Mexico-Stad": "Mexico City",
    "Milaan": "Milan",
    "Moskou": "Moscow",
    "München": "Munich",
    "Panama-Stad": "Panama City",
    "Parijs": "Paris",
    "Peking": "Beijing",
    "Praag": "Prague",
    "Riyad": "Riyadh",
    "Seoel": "Seoul",
    "Straatsburg": "Strasbourg",
    "Tasjkent": "Tashkent",
    "Teheran": "Tehran",
    "Tokio": "Tokyo",
    "Vaticaanstad": "Vatican City",
    "Warschau": "Warsaw",
    "Wenen": "Vienna",
}

WORLDWIDE = "https://www.netherlandsworldwide.nl/countries/{country}"
PERMREP = "https://www.permanentrepresentations.nl/permanent-representations/{slug}"
MINISTRY = "https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken"

# country, kind, city (Dutch), lat, lng
OTHER_POSTS = [
    ("CA", "consulate_general", "Vancouver", 49.28, -123.12),
    ("CA", "consulate_general", "Toronto", 43.65, -79.38),
    ("US", "consulate_general", "New York", 40.75, -73.98),
    ("US", "consulate_general", "Chicago", 41.88, -87.63),
    ("US", "consulate_general", "Miami", 25.76, -80.19),
    ("US", "consulate_general", "San Francisco", 37.79, -122.40),
    ("US", "consulate_general", "Atlanta", 33.75, -84.39),
    ("CN", "consulate_general", "Shanghai", 31.23, 121.47),
    ("CN", "consulate_general", "Guangzhou", 23.13, 113.26),
    ("CN", "consulate_general", "Chongqing", 29.56, 106.55),
    ("CN", "consulate_general", "Hongkong", 22.28, 114.16),
    ("TR", "consulate_general", "Istanbul", 41.03, 28.98),
    ("BR", "consulate_general", "São Paulo", -23.55, -46.63),
    ("BR", "consulate_general", "Rio de Janeiro", -22.91, -43.17),
    ("IN", "consulate_general", "Mumbai", 19.08, 72.88),
    ("IN", "consulate_general", "Bangalore", 12.97, 77.59),
    ("JP", "consulate_general", "Osaka", 34.69, 135.50),
    ("DE", "consulate_general", "Düsseldorf", 51.23, 6.78),
    ("DE", "consulate_general", "München", 48.14, 11.58),
    ("BE", "consulate_general", "Antwerpen", 51.22, 4.40),
    ("AE", "consulate_general", "Dubai", 25.20, 55.27),
    ("SA", "consulate_general", "Djedda", 21.49, 39.19),
    ("AU", "consulate_general", "Sydney", -33.87, 151.21),
    ("ZA", "consulate_general", "Kaapstad", -33.92, 18.42),
    ("VN", "consulate_general", "Ho Chi Minhstad", 10.82, 106.63),
    ("NG", "consulate_general", "Lagos", 6.52, 3.38),
    ("IQ", "consulate", "Erbil", 36.19, 44.01),
    ("KZ", "consulate", "Almaty", 43.24, 76.89),
    ("ES", "consulate", "Barcelona", 41.39, 2.17),
    ("MX", "consulate", "Monterrey", 25.69, -100.32),
    ("PH", "honorary_consulate", "Cebu", 10.32, 123.89),
    ("ID", "honorary_consulate", "Denpasar", -8.65, 115.22),
    ("TH", "honorary_consulate", "Phuket", 7.88, 98.39),
    ("PE", "honorary_consulate", "Cusco", -13.53, -71.97),
    ("ES", "honorary_consulate", "Málaga", 36.72, -4.42),
    ("PT", "honorary_consulate", "Porto", 41.15, -8.61),
    ("GR", "honorary_consulate", "Thessaloniki", 40.64, 22.94),
    ("SE", "honorary_consulate", "Göteborg", 57.71, 11.97),
    ("IT", "honorary_consulate", "Milaan", 45.46, 9.19),
    ("FR", "honorary_consulate", "Lyon", 45.76, 4.84),
]

# country, Dutch and English title, city, lat, lng, handle, website slug
# fmt: off
PERMANENT_REPRESENTATIONS = [
    ("US", "Permanente Vertegenwoordiging bij de Verenigde Naties",
     "Permanent Representation to the UN", "New York", 40.75, -73.97, "NLatUN", "un-new-york"),
    ("BE", "Permanente Vertegenwoordiging bij de Europese Unie",
     "Permanent Representation to the EU", "Brussel", 50.84, 4.38, "NLatEU", "eu-brussels"),
    ("BE", "Permanente Vertegenwoordiging bij de NAVO",
     "Permanent Representation to NATO", "Brussel", 50.88, 4.43, "NLatNATO", "nato-brussels"),
    ("CH", "Permanente Vertegenwoordiging bij de VN in Genève",
     "Permanent Representation to the UN", "Genève", 46.22, 6.14, "NLinGeneva", "un-geneva"),
    ("AT", "Permanente Vertegenwoordiging bij de OVSE en de VN in Wenen",
     "Permanent Representation to the OSCE and the UN", "Wenen", 48.23, 16.41,
     "NLatOSCE", "osce-vienna"),
    ("FR", "Permanente Vertegenwoordiging bij de Raad van Europa",
     "Permanent Representation to the Council of Europe", "Straatsburg", 48.59, 7.77,
     "NLatCoE", "council-of-europe"),
    ("FR", "Permanente Vertegenwoordiging bij de OESO en UNESCO",
     "Permanent Representation to the OECD and UNESCO", "Parijs", 48.86, 2.27,
     "NLatOECD", "oecd-unesco-paris"),
    ("IT", "Permanente Vertegenwoordiging bij de VN-organisaties in Rome",
     "Permanent Representation to the UN Organisations", "Rome", 41.88, 12.49,
     "NLatFAO", "fao-rome"),
]
# fmt: on

# kind, Dutch and English title, handle: the ministry at home, all at Rijnstraat 8 in The Hague
# fmt: off
HOME_POSTS = [
    ("other", "Ministerie van Buitenlandse Zaken", "Ministry of Foreign Affairs", "MinBZ"),
    ("directorate", "Directie Communicatie", "Communications Department", "BZcommunicatie"),
    ("directorate", "Directie Consulaire Zaken en Visumbeleid",
     "Consular Affairs and Visa Policy Department", "BZconsulair"),
    ("directorate", "Directie Europese Zaken", "European Affairs Department", "BZeuropa"),
    ("directorate", "Directie Veiligheidsbeleid", "Security Policy Department", "BZveiligheid"),
    ("directorate", "Directie Multilaterale Organisaties en Mensenrechten",
     "Multilateral Organisations and Human Rights Department", "BZmensenrechten"),
    ("directorate", "Directie Inclusieve Groene Groei", "Inclusive Green Growth Department",
     "BZklimaat"),
    ("directorate", "Directie Internationaal Ondernemen", "International Enterprise Department",
     "BZhandel"),
    ("directorate", "Directie Sociale Ontwikkeling", "Social Development Department",
     "BZontwikkeling"),
    ("directorate", "Directie Internationaal Cultuurbeleid",
     "International Cultural Policy Department", "BZcultuur"),
    ("project_group", "Projectgroep Digitale Diplomatie", "Digital Diplomacy Project Group",
     "BZdigitaal"),
    ("project_group", "Projectgroep Nederland Wereldwijd", "Netherlands Worldwide Project Group",
     "NLwereldwijd"),
    ("project_group", "Projectgroep Den Haag Stad van Vrede en Recht",
     "The Hague, City of Peace and Justice Project Group", "BZvredeenrecht"),
]
# fmt: on
HOME_CITY, HOME_LAT, HOME_LNG = "Den Haag", 52.0786, 4.3227
HOME_ADDRESS = "Rijnstraat 8, 2515 XP Den Haag"

#: Street names by language, for plausible (invented) addresses; number position by style.
# fmt: off
STREETS = {
    "nl": ("{street} {n}", ["Lange Voorhout", "Koninginnegracht", "Parkweg", "Stadhouderslaan"]),
    "de": ("{street} {n}", ["Klosterstraße", "Parkallee", "Lindenstraße", "Am Botschaftsplatz"]),
    "fr": ("{n} {street}", ["rue de la Paix", "avenue de l'Indépendance", "boulevard de la "
                            "République", "rue des Jardins"]),
    "es": ("{street} {n}", ["Avenida del Libertador", "Calle Mayor", "Paseo de la Reforma",
                            "Calle de los Olivos"]),
    "pt": ("{street}, {n}", ["Avenida das Nações", "Rua das Flores", "Avenida da Liberdade",
                             "Rua do Comércio"]),
    "it": ("{street} {n}", ["Via della Conciliazione", "Via Nazionale", "Viale dei Parioli"]),
    "en": ("{n} {street}", ["Park Lane", "Victoria Road", "Independence Avenue", "Queen Street",
                            "Hill Road"]),
}
OTHER_STREETS = ("{street} {n}", ["Diplomatic Quarter", "Embassy Road", "Avenue of Nations",
                                  "Harbour Road", "Garden Street"])
# fmt: on


def ascii_name(text: str) -> str:
    """A name for handles: accents dropped, words capitalised and joined ("SaoPaulo")."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", text))


def country_handle(code: str) -> str:
    """The country in handles: NLin + this, e.g. Japan, theUSA."""
    return HANDLE_NAMES.get(code) or ascii_name(country_name(code, "en"))


def address(index: int, city: str, language: str) -> str:
    style, streets = STREETS.get(language.split("-")[0], OTHER_STREETS)
    street = style.format(street=streets[index % len(streets)], n=3 + (index * 7) % 97)
    return f"{street}, {city}"


def worldwide(code: str) -> str:
    return WORLDWIDE.format(country=slugify(country_name(code, "en")))


def english(city: str) -> str:
    return CITIES_EN.get(city, city)


def build_posts() -> list[Post]:
    """Every post of the demo atlas, in a fixed order; handles are unique."""
    countries = {country.code: country for country in COUNTRIES}
    posts = []
    for index, country in enumerate(COUNTRIES):
        if country.code == HOME:
            continue
        city, city_en = country.capital, english(country.capital)
        kind = "honorary_consulate" if country.code in HONORARY_ONLY else "embassy"
        kind, title, title_en = SPECIAL_SEATS.get(
            country.code,
            (kind, TITLES[kind].format(city=city), TITLES_EN[kind].format(city=city_en)),
        )
        posts.append(
            Post(
                country=country.code,
                kind=kind,
                title=title,
                city=city,
                title_en=title_en,
                city_en=city_en,
                lat=country.capital_lat,
                lng=country.capital_lng,
                handle="NLin" + country_handle(country.code),
                language=country.language,
                website=worldwide(country.code),
                address=address(index, city, country.language),
            )
        )
    for index, (code, kind, city, lat, lng) in enumerate(OTHER_POSTS):
        language = countries[code].language
        handle = ("NLconsul" if kind == "honorary_consulate" else "NLin") + ascii_name(city)
        posts.append(
            Post(
                country=code,
                kind=kind,
                title=TITLES[kind].format(city=city),
                city=city,
                title_en=TITLES_EN[kind].format(city=english(city)),
                city_en=english(city),
                lat=lat,
                lng=lng,
                handle=handle,
                language=language,
                website=f"{worldwide(code)}/about-us/{kind.replace('_', '-')}-{slugify(city)}",
                address=address(index + 5, city, language),
            )
        )
    for index, row in enumerate(PERMANENT_REPRESENTATIONS):
        code, title, title_en, city, lat, lng, handle, slug = row
        posts.append(
            Post(
                country=code,
                kind="permanent_representation",
                title=title,
                city=city,
                title_en=f"{title_en} in {english(city)}",
                city_en=english(city),
                lat=lat,
                lng=lng,
                handle=handle,
                language="en",
                website=PERMREP.format(slug=slug),
                address=address(index + 11, city, "en"),
            )
        )
    for kind, title, title_en, handle in HOME_POSTS:
        posts.append(
            Post(
                country=HOME,
                kind=kind,
                title=title,
                city=HOME_CITY,
                title_en=title_en,
                city_en=english(HOME_CITY),
                lat=HOME_LAT,
                lng=HOME_LNG,
                handle=handle,
                language="nl",
                website=MINISTRY,
                address=HOME_ADDRESS,
            )
        )
    handles = [post.handle.lower() for post in posts]
    assert len(handles) == len(set(handles)), "post handles must be unique"
    return posts
