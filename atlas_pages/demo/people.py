"""The people of the demo atlas and their personal accounts. All names are invented."""

from typing import NamedTuple


class Person(NamedTuple):
    name: str
    role: str
    job_title: str
    post: str | None  # the handle of the post where the person serves (posts.Post.handle)
    accounts: tuple[str, ...] = ()  # profile URLs; listed with the person's consent


X = "https://x.com/"
LI = "https://www.linkedin.com/in/"
IG = "https://www.instagram.com/"
BSKY = "https://bsky.app/profile/"

# A table: kept as written, one person to a few lines.
# fmt: off
PEOPLE = [
    # The political and civil-service top (no post)
    Person("Marleen Oosterhuis", "minister", "Minister van Buitenlandse Zaken", None,
           (X + "MarleenOosterhuis", IG + "marleenoosterhuis", LI + "marleen-oosterhuis",
            BSKY + "marleenoosterhuis.bsky.social")),
    Person("Ruben van Asperen", "minister",
           "Minister voor Buitenlandse Handel en Ontwikkelingshulp", None,
           (X + "RubenvanAsperen", LI + "ruben-van-asperen", IG + "rubenvanasperen",
            "https://www.threads.net/@rubenvanasperen")),
    Person("Fenna Lubbers", "state_secretary", "Staatssecretaris van Buitenlandse Zaken", None,
           (X + "FennaLubbers", IG + "fennalubbers", BSKY + "fennalubbers.bsky.social")),
    Person("Hendrik-Jan Roozendaal", "secretary_general",
           "Secretaris-generaal van Buitenlandse Zaken", None,
           (X + "SGBuZa_HJR", LI + "hendrik-jan-roozendaal")),
    Person("Sanne Wiersma", "director_general", "Directeur-generaal Politieke Zaken", None,
           (X + "DGPZ_Sanne", LI + "sanne-wiersma")),
    Person("Bram Kooistra", "director_general", "Directeur-generaal Europese Samenwerking", None,
           (X + "BramKooistraEU", LI + "bram-kooistra")),
    Person("Ilse Voskuilen", "director_general",
           "Directeur-generaal Internationale Samenwerking", None,
           (X + "IlseVoskuilen", LI + "ilse-voskuilen")),
    Person("Thijs Hoogendam", "director_general",
           "Directeur-generaal Buitenlandse Economische Betrekkingen", None,
           (LI + "thijs-hoogendam",)),
    # Directors and staff at home
    Person("Lotte Brinkhorst", "director", "Directeur Communicatie", "BZcommunicatie",
           (X + "LotteBrinkhorst", LI + "lotte-brinkhorst",
            "https://social.overheid.nl/@LotteBrinkhorst")),
    Person("Koen Stapersma", "director", "Directeur Consulaire Zaken en Visumbeleid",
           "BZconsulair", (LI + "koen-stapersma",)),
    Person("Nadia Bouzidi", "director", "Directeur Europese Zaken", "BZeuropa",
           (X + "NadiaBouzidiEU", LI + "nadia-bouzidi")),
    Person("Willemijn Harmsen", "director", "Directeur Veiligheidsbeleid", "BZveiligheid",
           (LI + "willemijn-harmsen",)),
    Person("Gerrit Zwanenburg", "director",
           "Directeur Multilaterale Organisaties en Mensenrechten", "BZmensenrechten",
           (X + "GerritZwanenburg", BSKY + "gerritzwanenburg.bsky.social")),
    Person("Henk Bosma", "other", "Plaatsvervangend directeur Consulaire Zaken", "BZconsulair"),
    Person("Ayla Demir", "other", "Projectleider Digitale Diplomatie", "BZdigitaal",
           (X + "AylaDemirNL", LI + "ayla-demir", "https://social.overheid.nl/@AylaDemir",
            BSKY + "ayla-demir.bsky.social")),
    Person("Sophie Nijhuis", "employee", "Woordvoerder Buitenlandse Zaken", "MinBZ",
           (X + "SophieNijhuis", BSKY + "sophienijhuis.bsky.social",
            "https://www.threads.net/@sophienijhuis")),
    Person("Mohamed Amrani", "employee", "Adviseur digitale diplomatie", "BZdigitaal",
           (X + "MoAmraniNL", "https://mastodon.social/@moamrani", LI + "mohamed-amrani")),
    Person("Lars Kamphuis", "employee", "Beleidsmedewerker klimaatdiplomatie", "BZklimaat",
           (LI + "lars-kamphuis", "https://social.overheid.nl/@LarsKamphuis")),
    # Heads of post abroad
    Person("Jeroen Terpstra", "ambassador", "Ambassadeur in Japan", "NLinJapan",
           (X + "NLAmbJapan", LI + "jeroen-terpstra")),
    Person("Margriet Hofstede", "ambassador", "Ambassadeur in de Verenigde Staten",
           "NLintheUSA", (X + "NLAmbUSA", LI + "margriet-hofstede", IG + "nlambusa")),
    Person("Daan Schreuder", "ambassador", "Ambassadeur in het Verenigd Koninkrijk", "NLintheUK",
           (X + "NLAmbUK", IG + "nlambuk")),
    Person("Esther Boekhout", "ambassador", "Ambassadeur in China", "NLinChina",
           ("https://weibo.com/nlambchina", X + "NLAmbChina")),
    Person("Sjoerd Veenstra", "ambassador", "Ambassadeur in Duitsland", "NLinGermany",
           (X + "NLBotschafter", LI + "sjoerd-veenstra")),
    Person("Charlotte van Leeuwen", "ambassador", "Ambassadeur in Frankrijk", "NLinFrance",
           (X + "AmbNLFrance", IG + "ambnlfrance")),
    Person("Martijn Groeneveld", "ambassador", "Ambassadeur in Indonesië", "NLinIndonesia",
           (X + "NLAmbIndonesia", IG + "nlambindonesia")),
    Person("Anouk Veldhuis", "ambassador", "Ambassadeur in Brazilië", "NLinBrazil",
           (X + "NLAmbBrazil", IG + "nlambbrazil")),
    Person("Tobias Reijnders", "ambassador", "Ambassadeur in Zuid-Afrika", "NLinSouthAfrica",
           (X + "NLAmbSA", LI + "tobias-reijnders")),
    Person("Yvonne Kuipers", "ambassador", "Ambassadeur in India", "NLinIndia",
           (X + "NLAmbIndia", LI + "yvonne-kuipers")),
    Person("Pieter Wolthuis", "ambassador", "Ambassadeur in Kenia", "NLinKenya",
           (X + "NLAmbKenya",)),
    Person("Laura Achterberg", "ambassador", "Ambassadeur in Turkije", "NLinTurkiye",
           (X + "NLAmbTurkiye",)),
    Person("Hanneke Dekker", "ambassador",
           "Permanent Vertegenwoordiger bij de Verenigde Naties in New York", "NLatUN",
           (X + "NLPermRepUN", LI + "hanneke-dekker")),
    Person("Wouter Brandsma", "ambassador",
           "Permanent Vertegenwoordiger bij de Europese Unie", "NLatEU",
           (X + "NLPermRepEU", LI + "wouter-brandsma")),
    Person("Eva Hoekman", "consul_general", "Consul-generaal in Vancouver", "NLinVancouver",
           (X + "NLCGVancouver", LI + "eva-hoekman")),
    Person("Rik Vermeulen", "consul_general", "Consul-generaal in New York", "NLinNewYork",
           (X + "NLCGNewYork", IG + "nlcgnewyork")),
    Person("Mei-Lin de Graaf", "consul_general", "Consul-generaal in Shanghai", "NLinShanghai",
           ("https://weibo.com/nlcgshanghai", LI + "mei-lin-de-graaf")),
    Person("Emre Yildiz", "consul_general", "Consul-generaal in Istanbul", "NLinIstanbul",
           (X + "NLCGIstanbul",)),
    Person("Carolina Smit", "consul_general", "Consul-generaal in São Paulo", "NLinSaoPaulo",
           (IG + "nlcgsaopaulo", LI + "carolina-smit")),
    Person("Arjun Bakker", "consul_general", "Consul-generaal in Mumbai", "NLinMumbai",
           (X + "NLCGMumbai", LI + "arjun-bakker")),
    Person("Joost Haverkamp", "consul", "Consul in Erbil", "NLinErbil", (X + "NLConsulErbil",)),
    Person("Femke Zijlstra", "head_of_post", "Hoofd van de Vertegenwoordiging in Ramallah",
           "NLinPalestine", (X + "NLRepRamallah",)),
    Person("Bart Lindeman", "head_of_post", "Directeur Netherlands Office Taipei", "NLinTaiwan",
           (X + "NLOfficeTaipeiHead", "https://www.facebook.com/bartlindeman.nlot")),
    # Staff abroad who list their own accounts
    Person("Iris Wouters", "employee", "Persvoorlichter, Ambassade in Tokio", "NLinJapan",
           (X + "IrisWoutersJP", BSKY + "iriswouters.bsky.social")),
    Person("Noor Hendriks", "employee", "Cultureel attaché, Ambassade in Parijs", "NLinFrance",
           (IG + "noorhendriks.culture", X + "NoorHendriksFR")),
    Person("Timo Rasker", "employee", "Landbouwraad, Ambassade in Berlijn", "NLinGermany",
           (LI + "timo-rasker", "https://medium.com/@timorasker")),
    Person("Floor Meijering", "employee", "Innovatieattaché in San Francisco",
           "NLinSanFrancisco", (LI + "floor-meijering", X + "FloorMeijering")),
]
# fmt: on
