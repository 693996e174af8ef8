"""The people of the demo atlas and their personal accounts. All names are invented."""

from datetime import date
from typing import NamedTuple

#: When the demo's people consented to having their personal accounts listed.
CONSENT_GIVEN = date(2025, 9, 1)
#: Heads of post serve a term of office: most took up their post on this day (the summer
#: rotation) and serve until TERM_ENDS, unless their entry says otherwise.
TERM_STARTS = date(2024, 9, 1)
TERM_ENDS = date(2028, 8, 31)


class Person(NamedTuple):
    name: str
    role: str
    job_title: str  # Dutch
    job_title_en: str
    post: str | None  # the handle of the post where the person serves (posts.Post.handle)
    #: Profile URLs. Office holders' speak for their office; the others' are personal and
    #: listed only with the person's consent.
    accounts: tuple[str, ...] = ()
    #: Whether the person consented (on CONSENT_GIVEN) to their personal accounts being listed.
    consent: bool = True
    #: The person's own accounts (speaking for the person, not the office): listed with consent.
    own_accounts: tuple[str, ...] = ()
    #: The term of office (heads of post: TERM_STARTS to TERM_ENDS unless given).
    term: tuple[date | None, date | None] | None = None


X = "https://x.com/"
LI = "https://www.linkedin.com/in/"
IG = "https://www.instagram.com/"
BSKY = "https://bsky.app/profile/"

# A table: kept as written, one person to a few lines.
# fmt: off
PEOPLE = [
    # The political and civil-service top (no post)
    Person("Marleen Oosterhuis", "minister",
           "Minister van Buitenlandse Zaken", "Minister of Foreign Affairs",
           None, (X + "MarleenOosterhuis", IG + "marleenoosterhuis", LI + "marleen-oosterhuis",
                  BSKY + "marleenoosterhuis.bsky.social")),
    Person("Ruben van Asperen", "minister",
           "Minister voor Buitenlandse Handel en Ontwikkelingshulp",
           "Minister for Foreign Trade and Development Cooperation",
           None, (X + "RubenvanAsperen", LI + "ruben-van-asperen", IG + "rubenvanasperen",
                  "https://www.threads.net/@rubenvanasperen")),
    Person("Fenna Lubbers", "state_secretary",
           "Staatssecretaris van Buitenlandse Zaken", "State Secretary for Foreign Affairs",
           None, (X + "FennaLubbers", IG + "fennalubbers", BSKY + "fennalubbers.bsky.social")),
    Person("Hendrik-Jan Roozendaal", "secretary_general",
           "Secretaris-generaal van Buitenlandse Zaken", "Secretary-General of Foreign Affairs",
           None, (X + "SGBuZa_HJR", LI + "hendrik-jan-roozendaal")),
    Person("Sanne Wiersma", "director_general",
           "Directeur-generaal Politieke Zaken", "Director-General for Political Affairs",
           None, (X + "DGPZ_Sanne", LI + "sanne-wiersma")),
    Person("Bram Kooistra", "director_general",
           "Directeur-generaal Europese Samenwerking", "Director-General for European Cooperation",
           None, (X + "BramKooistraEU", LI + "bram-kooistra")),
    Person("Ilse Voskuilen", "director_general",
           "Directeur-generaal Internationale Samenwerking",
           "Director-General for International Cooperation",
           None, (X + "IlseVoskuilen", LI + "ilse-voskuilen")),
    Person("Thijs Hoogendam", "director_general",
           "Directeur-generaal Buitenlandse Economische Betrekkingen",
           "Director-General for Foreign Economic Relations",
           None, (LI + "thijs-hoogendam",)),
    # Directors and staff at home
    Person("Lotte Brinkhorst", "director",
           "Directeur Communicatie", "Director of Communications",
           "BZcommunicatie", (X + "LotteBrinkhorst", LI + "lotte-brinkhorst",
                              "https://social.overheid.nl/@LotteBrinkhorst")),
    Person("Koen Stapersma", "director",
           "Directeur Consulaire Zaken en Visumbeleid",
           "Director of Consular Affairs and Visa Policy",
           "BZconsulair", (LI + "koen-stapersma",)),
    Person("Nadia Bouzidi", "director",
           "Directeur Europese Zaken", "Director of European Affairs",
           "BZeuropa", (X + "NadiaBouzidiEU", LI + "nadia-bouzidi")),
    Person("Willemijn Harmsen", "director",
           "Directeur Veiligheidsbeleid", "Director of Security Policy",
           "BZveiligheid", (LI + "willemijn-harmsen",)),
    Person("Gerrit Zwanenburg", "director",
           "Directeur Multilaterale Organisaties en Mensenrechten",
           "Director of Multilateral Organisations and Human Rights",
           "BZmensenrechten", (X + "GerritZwanenburg", BSKY + "gerritzwanenburg.bsky.social")),
    Person("Henk Bosma", "other",
           "Plaatsvervangend directeur Consulaire Zaken", "Deputy Director of Consular Affairs",
           "BZconsulair"),
    Person("Ayla Demir", "other",
           "Projectleider Digitale Diplomatie", "Project Leader Digital Diplomacy",
           "BZdigitaal", (X + "AylaDemirNL", LI + "ayla-demir",
                          "https://social.overheid.nl/@AylaDemir",
                          BSKY + "ayla-demir.bsky.social")),
    Person("Sophie Nijhuis", "employee",
           "Woordvoerder Buitenlandse Zaken", "Spokesperson for Foreign Affairs",
           "MinBZ", (X + "SophieNijhuis", BSKY + "sophienijhuis.bsky.social",
                     "https://www.threads.net/@sophienijhuis")),
    Person("Mohamed Amrani", "employee",
           "Adviseur digitale diplomatie", "Digital Diplomacy Adviser",
           "BZdigitaal", (X + "MoAmraniNL", "https://mastodon.social/@moamrani",
                          LI + "mohamed-amrani")),
    Person("Lars Kamphuis", "employee",
           "Beleidsmedewerker klimaatdiplomatie", "Climate Diplomacy Policy Officer",
           "BZklimaat", (LI + "lars-kamphuis", "https://social.overheid.nl/@LarsKamphuis"),
           consent=False),  # not (yet) consented: his accounts are registered, not listed
    # Heads of post abroad
    Person("Jeroen Terpstra", "ambassador",
           "Ambassadeur in Japan", "Ambassador to Japan",
           "NLinJapan", (X + "NLAmbJapan", LI + "jeroen-terpstra")),
    Person("Margriet Hofstede", "ambassador",
           "Ambassadeur in de Verenigde Staten", "Ambassador to the United States",
           "NLintheUSA", (X + "NLAmbUSA", LI + "margriet-hofstede", IG + "nlambusa")),
    Person("Daan Schreuder", "ambassador",
           "Ambassadeur in het Verenigd Koninkrijk", "Ambassador to the United Kingdom",
           "NLintheUK", (X + "NLAmbUK", IG + "nlambuk")),
    Person("Esther Boekhout", "ambassador",
           "Ambassadeur in China", "Ambassador to China",
           "NLinChina", ("https://weibo.com/nlambchina", X + "NLAmbChina")),
    Person("Sjoerd Veenstra", "ambassador",
           "Ambassadeur in Duitsland", "Ambassador to Germany",
           "NLinGermany", (X + "NLBotschafter", LI + "sjoerd-veenstra")),
    Person("Charlotte van Leeuwen", "ambassador",
           "Ambassadeur in Frankrijk", "Ambassador to France",
           "NLinFrance", (X + "AmbNLFrance", IG + "ambnlfrance")),
    Person("Martijn Groeneveld", "ambassador",
           "Ambassadeur in Indonesië", "Ambassador to Indonesia",
           "NLinIndonesia", (X + "NLAmbIndonesia", IG + "nlambindonesia")),
    Person("Anouk Veldhuis", "ambassador",
           "Ambassadeur in Brazilië", "Ambassador to Brazil",
           "NLinBrazil", (X + "NLAmbBrazil", IG + "nlambbrazil")),
    Person("Tobias Reijnders", "ambassador",
           "Ambassadeur in Zuid-Afrika", "Ambassador to South Africa",
           "NLinSouthAfrica", (X + "NLAmbSA", LI + "tobias-reijnders")),
    Person("Yvonne Kuipers", "ambassador",
           "Ambassadeur in India", "Ambassador to India",
           "NLinIndia", (X + "NLAmbIndia", LI + "yvonne-kuipers")),
    # His term ended: the handover (the position's account to her successor) is pending.
    Person("Pieter Wolthuis", "ambassador",
           "Ambassadeur in Kenia", "Ambassador to Kenya",
           "NLinKenya", (X + "NLAmbKenya",), own_accounts=(X + "PieterWolthuis",),
           term=(date(2022, 9, 1), date(2026, 11, 30))),
    Person("Roos Hagenaars", "ambassador",
           "Ambassadeur in Kenia", "Ambassador to Kenya",
           "NLinKenya", term=(date(2026, 12, 1), date(2030, 8, 31))),
    Person("Laura Achterberg", "ambassador",
           "Ambassadeur in Turkije", "Ambassador to Türkiye",
           "NLinTurkiye", (X + "NLAmbTurkiye",)),
    Person("Hanneke Dekker", "ambassador",
           "Permanent Vertegenwoordiger bij de Verenigde Naties in New York",
           "Permanent Representative to the United Nations in New York",
           "NLatUN", (X + "NLPermRepUN", LI + "hanneke-dekker")),
    Person("Wouter Brandsma", "ambassador",
           "Permanent Vertegenwoordiger bij de Europese Unie",
           "Permanent Representative to the European Union",
           "NLatEU", (X + "NLPermRepEU", LI + "wouter-brandsma")),
    Person("Eva Hoekman", "consul_general",
           "Consul-generaal in Vancouver", "Consul-General in Vancouver",
           "NLinVancouver", (X + "NLCGVancouver", LI + "eva-hoekman")),
    Person("Rik Vermeulen", "consul_general",
           "Consul-generaal in New York", "Consul-General in New York",
           "NLinNewYork", (X + "NLCGNewYork", IG + "nlcgnewyork")),
    Person("Mei-Lin de Graaf", "consul_general",
           "Consul-generaal in Shanghai", "Consul-General in Shanghai",
           "NLinShanghai", ("https://weibo.com/nlcgshanghai", LI + "mei-lin-de-graaf")),
    Person("Emre Yildiz", "consul_general",
           "Consul-generaal in Istanbul", "Consul-General in Istanbul",
           "NLinIstanbul", (X + "NLCGIstanbul",)),
    Person("Carolina Smit", "consul_general",
           "Consul-generaal in São Paulo", "Consul-General in São Paulo",
           "NLinSaoPaulo", (IG + "nlcgsaopaulo", LI + "carolina-smit")),
    Person("Arjun Bakker", "consul_general",
           "Consul-generaal in Mumbai", "Consul-General in Mumbai",
           "NLinMumbai", (X + "NLCGMumbai", LI + "arjun-bakker")),
    Person("Joost Haverkamp", "consul",
           "Consul in Erbil", "Consul in Erbil",
           "NLinErbil", (X + "NLConsulErbil",)),
    Person("Femke Zijlstra", "head_of_post",
           "Hoofd van de Vertegenwoordiging in Ramallah",
           "Head of the Representative Office in Ramallah",
           "NLinPalestine", (X + "NLRepRamallah",)),
    Person("Bart Lindeman", "head_of_post",
           "Directeur Netherlands Office Taipei", "Director of the Netherlands Office Taipei",
           "NLinTaiwan", (X + "NLOfficeTaipeiHead", "https://www.facebook.com/bartlindeman.nlot")),
    # Staff abroad who list their own accounts
    Person("Iris Wouters", "employee",
           "Persvoorlichter, Ambassade in Tokio", "Press Officer, Embassy in Tokyo",
           "NLinJapan", (X + "IrisWoutersJP", BSKY + "iriswouters.bsky.social")),
    Person("Noor Hendriks", "employee",
           "Cultureel attaché, Ambassade in Parijs", "Cultural Attaché, Embassy in Paris",
           "NLinFrance", (IG + "noorhendriks.culture", X + "NoorHendriksFR")),
    Person("Timo Rasker", "employee",
           "Landbouwraad, Ambassade in Berlijn", "Agricultural Counsellor, Embassy in Berlin",
           "NLinGermany", (LI + "timo-rasker", "https://medium.com/@timorasker")),
    Person("Floor Meijering", "employee",
           "Innovatieattaché in San Francisco", "Innovation Attaché in San Francisco",
           "NLinSanFrancisco", (LI + "floor-meijering", X + "FloorMeijering")),
]
# fmt: on
