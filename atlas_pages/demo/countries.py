"""The countries of the demo atlas: centroids, capitals, local languages and introductions.

Coordinates are approximate (two decimals): a centroid for the country marker, the capital
for the post there. Country titles come from the ISO names (services.country_name), so only
the capital's Dutch name is spelled out here.
"""

from typing import NamedTuple

from atlas_pages.rules.places import country_name


class Country(NamedTuple):
    code: str
    lat: float
    lng: float
    capital: str  # Dutch name of the city where the post is
    capital_lat: float
    capital_lng: float
    language: str  # BCP 47 tag of the post's accounts


#: The home country first: the ministry, its directorates and project groups are there.
HOME = "NL"

COUNTRIES = [
    Country("NL", 52.13, 5.29, "Den Haag", 52.08, 4.31, "nl"),
    # Europe
    Country("BE", 50.64, 4.67, "Brussel", 50.85, 4.35, "nl-BE"),
    Country("DE", 51.17, 10.45, "Berlijn", 52.52, 13.40, "de"),
    Country("FR", 46.60, 2.20, "Parijs", 48.86, 2.35, "fr"),
    Country("GB", 54.00, -2.00, "Londen", 51.51, -0.13, "en-GB"),
    Country("IE", 53.41, -8.24, "Dublin", 53.35, -6.26, "en"),
    Country("LU", 49.82, 6.13, "Luxemburg", 49.61, 6.13, "fr"),
    Country("ES", 40.46, -3.75, "Madrid", 40.42, -3.70, "es"),
    Country("PT", 39.56, -7.85, "Lissabon", 38.72, -9.14, "pt"),
    Country("IT", 42.83, 12.83, "Rome", 41.90, 12.50, "it"),
    Country("VA", 41.90, 12.45, "Vaticaanstad", 41.90, 12.46, "it"),
    Country("MT", 35.92, 14.41, "Valletta", 35.90, 14.51, "en"),
    Country("CH", 46.80, 8.23, "Bern", 46.95, 7.45, "de"),
    Country("AT", 47.52, 14.55, "Wenen", 48.21, 16.37, "de"),
    Country("DK", 56.26, 9.50, "Kopenhagen", 55.68, 12.57, "da"),
    Country("NO", 64.57, 12.67, "Oslo", 59.91, 10.75, "nb"),
    Country("SE", 62.20, 17.64, "Stockholm", 59.33, 18.07, "sv"),
    Country("FI", 64.95, 26.07, "Helsinki", 60.17, 24.94, "fi"),
    Country("EE", 58.60, 25.01, "Tallinn", 59.44, 24.75, "et"),
    Country("LV", 56.88, 24.60, "Riga", 56.95, 24.11, "lv"),
    Country("LT", 55.17, 23.88, "Vilnius", 54.69, 25.28, "lt"),
    Country("PL", 51.92, 19.15, "Warschau", 52.23, 21.01, "pl"),
    Country("CZ", 49.82, 15.47, "Praag", 50.08, 14.44, "cs"),
    Country("SK", 48.67, 19.70, "Bratislava", 48.15, 17.11, "sk"),
    Country("HU", 47.16, 19.50, "Boedapest", 47.50, 19.04, "hu"),
    Country("SI", 46.15, 14.99, "Ljubljana", 46.06, 14.51, "sl"),
    Country("HR", 45.10, 15.20, "Zagreb", 45.81, 15.98, "hr"),
    Country("RS", 44.02, 21.01, "Belgrado", 44.79, 20.45, "sr"),
    Country("BA", 43.92, 17.68, "Sarajevo", 43.86, 18.41, "bs"),
    Country("AL", 41.15, 20.17, "Tirana", 41.33, 19.82, "sq"),
    Country("MK", 41.61, 21.75, "Skopje", 42.00, 21.43, "mk"),
    Country("GR", 39.07, 21.82, "Athene", 37.98, 23.73, "el"),
    Country("CY", 35.13, 33.43, "Nicosia", 35.17, 33.36, "el"),
    Country("BG", 42.73, 25.49, "Sofia", 42.70, 23.32, "bg"),
    Country("RO", 45.94, 24.97, "Boekarest", 44.43, 26.10, "ro"),
    Country("MD", 47.41, 28.37, "Chisinau", 47.01, 28.86, "ro"),
    Country("UA", 48.38, 31.17, "Kyiv", 50.45, 30.52, "uk"),
    Country("RU", 61.52, 105.32, "Moskou", 55.76, 37.62, "ru"),
    Country("TR", 38.96, 35.24, "Ankara", 39.93, 32.86, "tr"),
    Country("GE", 42.32, 43.36, "Tbilisi", 41.72, 44.79, "ka"),
    Country("AM", 40.07, 45.04, "Jerevan", 40.18, 44.51, "hy"),
    Country("AZ", 40.14, 47.58, "Bakoe", 40.41, 49.87, "az"),
    Country("IS", 64.96, -19.02, "Reykjavik", 64.15, -21.94, "is"),
    Country("MC", 43.74, 7.42, "Monaco", 43.73, 7.42, "fr"),
    # Middle East and North Africa
    Country("IL", 31.05, 34.85, "Tel Aviv", 32.08, 34.78, "he"),
    Country("PS", 31.95, 35.23, "Ramallah", 31.90, 35.20, "ar"),
    Country("JO", 30.59, 36.24, "Amman", 31.95, 35.93, "ar"),
    Country("LB", 33.85, 35.86, "Beiroet", 33.89, 35.50, "ar"),
    Country("EG", 26.82, 30.80, "Caïro", 30.04, 31.24, "ar"),
    Country("SA", 23.89, 45.08, "Riyad", 24.71, 46.68, "ar"),
    Country("AE", 23.42, 53.85, "Abu Dhabi", 24.45, 54.38, "ar"),
    Country("QA", 25.35, 51.18, "Doha", 25.29, 51.53, "ar"),
    Country("KW", 29.31, 47.48, "Koeweit-Stad", 29.38, 47.99, "ar"),
    Country("OM", 21.51, 55.92, "Muscat", 23.59, 58.41, "ar"),
    Country("IQ", 33.22, 43.68, "Bagdad", 33.31, 44.37, "ar"),
    Country("IR", 32.43, 53.69, "Teheran", 35.69, 51.39, "fa"),
    Country("MA", 31.79, -7.09, "Rabat", 34.02, -6.84, "fr"),
    Country("DZ", 28.03, 1.66, "Algiers", 36.75, 3.06, "fr"),
    Country("TN", 33.89, 9.54, "Tunis", 36.81, 10.18, "fr"),
    # Sub-Saharan Africa
    Country("SN", 14.50, -14.45, "Dakar", 14.69, -17.44, "fr"),
    Country("ML", 17.57, -4.00, "Bamako", 12.64, -8.00, "fr"),
    Country("BF", 12.24, -1.56, "Ouagadougou", 12.37, -1.52, "fr"),
    Country("GH", 7.95, -1.02, "Accra", 5.60, -0.19, "en"),
    Country("CI", 7.54, -5.55, "Abidjan", 5.36, -4.01, "fr"),
    Country("BJ", 9.31, 2.32, "Cotonou", 6.37, 2.39, "fr"),
    Country("NG", 9.08, 8.68, "Abuja", 9.06, 7.49, "en"),
    Country("CM", 7.37, 12.35, "Yaoundé", 3.87, 11.52, "fr"),
    Country("CD", -4.04, 21.76, "Kinshasa", -4.44, 15.27, "fr"),
    Country("SD", 12.86, 30.22, "Khartoum", 15.50, 32.56, "ar"),
    Country("SS", 6.88, 31.31, "Juba", 4.85, 31.58, "en"),
    Country("ET", 9.15, 40.49, "Addis Abeba", 9.03, 38.74, "am"),
    Country("KE", 0.02, 37.91, "Nairobi", -1.29, 36.82, "en"),
    Country("UG", 1.37, 32.29, "Kampala", 0.35, 32.58, "en"),
    Country("RW", -1.94, 29.87, "Kigali", -1.95, 30.06, "rw"),
    Country("TZ", -6.37, 34.89, "Dar es Salaam", -6.79, 39.21, "sw"),
    Country("MZ", -18.67, 35.53, "Maputo", -25.97, 32.57, "pt"),
    Country("ZW", -19.02, 29.15, "Harare", -17.83, 31.05, "en"),
    Country("AO", -11.20, 17.87, "Luanda", -8.84, 13.23, "pt"),
    Country("ZA", -30.56, 22.94, "Pretoria", -25.75, 28.19, "en"),
    Country("NA", -22.96, 18.49, "Windhoek", -22.56, 17.08, "en"),
    Country("BW", -22.33, 24.68, "Gaborone", -24.65, 25.91, "en"),
    Country("MU", -20.35, 57.55, "Port Louis", -20.16, 57.50, "en"),
    # Asia
    Country("CN", 35.86, 104.20, "Peking", 39.90, 116.41, "zh"),
    Country("JP", 36.20, 138.25, "Tokio", 35.68, 139.69, "ja"),
    Country("KR", 35.91, 127.77, "Seoel", 37.57, 126.98, "ko"),
    Country("TW", 23.70, 120.96, "Taipei", 25.03, 121.57, "zh-TW"),
    Country("IN", 20.59, 78.96, "New Delhi", 28.61, 77.21, "en-IN"),
    Country("PK", 30.38, 69.35, "Islamabad", 33.68, 73.05, "en"),
    Country("BD", 23.68, 90.36, "Dhaka", 23.81, 90.41, "bn"),
    Country("LK", 7.87, 80.77, "Colombo", 6.93, 79.86, "en"),
    Country("NP", 28.39, 84.12, "Kathmandu", 27.72, 85.32, "ne"),
    Country("KZ", 48.02, 66.92, "Astana", 51.17, 71.45, "ru"),
    Country("UZ", 41.38, 64.59, "Tasjkent", 41.30, 69.24, "uz"),
    Country("ID", -0.79, 113.92, "Jakarta", -6.21, 106.85, "id"),
    Country("MY", 4.21, 101.98, "Kuala Lumpur", 3.14, 101.69, "ms"),
    Country("SG", 1.35, 103.82, "Singapore", 1.29, 103.85, "en"),
    Country("TH", 15.87, 100.99, "Bangkok", 13.76, 100.50, "th"),
    Country("VN", 14.06, 108.28, "Hanoi", 21.03, 105.85, "vi"),
    Country("KH", 12.57, 104.99, "Phnom Penh", 11.56, 104.93, "km"),
    Country("PH", 12.88, 121.77, "Manilla", 14.60, 120.98, "en"),
    Country("MM", 21.91, 95.96, "Yangon", 16.87, 96.20, "my"),
    # Oceania
    Country("AU", -25.27, 133.78, "Canberra", -35.28, 149.13, "en-AU"),
    Country("NZ", -40.90, 174.89, "Wellington", -41.29, 174.78, "en"),
    # The Americas
    Country("US", 39.83, -98.58, "Washington", 38.91, -77.04, "en-US"),
    Country("CA", 56.13, -106.35, "Ottawa", 45.42, -75.70, "en"),
    Country("MX", 23.63, -102.55, "Mexico-Stad", 19.43, -99.13, "es"),
    Country("HN", 15.20, -86.24, "Tegucigalpa", 14.07, -87.19, "es"),
    Country("CR", 9.75, -83.75, "San José", 9.93, -84.08, "es"),
    Country("PA", 8.54, -80.78, "Panama-Stad", 8.98, -79.52, "es"),
    Country("CU", 21.52, -77.78, "Havana", 23.11, -82.37, "es"),
    Country("DO", 18.74, -70.16, "Santo Domingo", 18.49, -69.93, "es"),
    Country("JM", 18.11, -77.30, "Kingston", 17.97, -76.79, "en"),
    Country("TT", 10.69, -61.22, "Port of Spain", 10.65, -61.51, "en"),
    Country("SR", 3.92, -56.03, "Paramaribo", 5.85, -55.20, "nl"),
    Country("VE", 6.42, -66.59, "Caracas", 10.48, -66.90, "es"),
    Country("CO", 4.57, -74.30, "Bogota", 4.71, -74.07, "es"),
    Country("EC", -1.83, -78.18, "Quito", -0.18, -78.47, "es"),
    Country("PE", -9.19, -75.02, "Lima", -12.05, -77.04, "es"),
    Country("BO", -16.29, -63.59, "La Paz", -16.49, -68.12, "es"),
    Country("CL", -35.68, -71.54, "Santiago", -33.45, -70.67, "es"),
    Country("AR", -38.42, -63.62, "Buenos Aires", -34.60, -58.38, "es"),
    Country("UY", -32.52, -55.77, "Montevideo", -34.90, -56.16, "es"),
    Country("PY", -23.44, -58.44, "Asunción", -25.26, -57.58, "es"),
    Country("BR", -14.24, -51.93, "Brasilia", -15.79, -47.88, "pt-BR"),
]

#: Name parts for handles, where the country's English ISO name would read badly:
#: @NLintheUSA, @NLintheUK.
HANDLE_NAMES = {
    "US": "theUSA",
    "GB": "theUK",
    "AE": "theUAE",
    "CD": "DRCongo",
    "BA": "BiH",
    "VA": "HolySee",
    "KR": "Korea",
    "CZ": "Czechia",
    "DO": "DominicanRepublic",
    "TT": "TrinidadAndTobago",
    "PH": "thePhilippines",
}

#: Countries without an embassy: an honorary consulate in the capital represents the Kingdom.
HONORARY_ONLY = {"IS", "MC", "NA", "BW", "MU", "NP", "KH", "HN", "BO", "PY"}

#: Countries where the Kingdom's post is not an embassy: (kind, Dutch title, English title).
SPECIAL_SEATS = {
    "PS": (
        "other",
        "Nederlandse Vertegenwoordiging in Ramallah",
        "Netherlands Representative Office in Ramallah",
    ),
    "TW": ("other", "Netherlands Office Taipei", "Netherlands Office Taipei"),
    "VA": ("embassy", "Ambassade bij de Heilige Stoel", "Embassy to the Holy See"),
}

#: A country page's introduction by language: (at home, abroad).
INTROS = {
    "nl": (
        "<p>Het ministerie van Buitenlandse Zaken in Den Haag: de directies en projectgroepen.</p>",
        "<p>De Nederlandse vertegenwoordiging in {country} op sociale media.</p>",
    ),
    "en": (
        "<p>The Ministry of Foreign Affairs in The Hague: its departments and project groups.</p>",
        "<p>{country}: the Netherlands' diplomatic posts on social media.</p>",
    ),
}


def country_intro(code: str, language: str) -> str:
    """The introduction of a country's page in a language ("nl", "en")."""
    at_home, abroad = INTROS[language]
    return at_home if code == HOME else abroad.format(country=country_name(code, language))
