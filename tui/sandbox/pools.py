"""Name and subject pools for the generated data, including the hostile strings every screen
must survive, and the draws every generator makes (distinct ids, file sizes)."""

from __future__ import annotations

import random
import unicodedata

CLICK_QUIT = "[@click=app.quit]x"
"""A registrant is literally named this: the UI must show it, never run it."""

LONG_NAME = (
    "Maximiliane Theodora Wilhelmina Friederike Konstanze von Hohenzollern-Sigmaringen "
    "und Lichtenstein-Ångström, Freifrau zu Oberammergau an der Donau, Doktorin der "
    "Philosophie und Ehrenbürgerin von Hohenschwangau"
)[:200]
"""Exactly 200 characters, to test truncation and wrapping."""

HOSTILE_NAMES: tuple[tuple[str, str], ...] = (
    (CLICK_QUIT, "Markup"),
    ("[bold]Eve[/bold]", "[red]Mallory"),
    ("Zoë", "Ångström"),
    ("山田太郎", "山田"),
    ("محمد", "الأحمد"),
    ("שרה", "כהן"),
    ("Party 🎉", "Parrot 🦜"),
    (LONG_NAME, LONG_NAME[:64]),
    ("\x1b[2J\x1b[31mTrudy", "Escape\x1b[0m"),
    ("Robert'); DROP TABLE registrants;--", "Tables"),
    ("\u202eevil", "Override"),
    ("[link=https://evil.example]Click[/link]", "[/]"),
)
"""(first, last) pairs that look like markup, escapes, RTL, CJK, emoji or are very long."""

FIRST_NAMES = (
    "Ada",
    "Björn",
    "Chloé",
    "Dmitri",
    "Elif",
    "François",
    "Grace",
    "Hana",
    "Ian",
    "José",
    "Katarzyna",
    "Lars",
    "Mei",
    "Noah",
    "Olga",
    "Priya",
    "Quentin",
    "Rafael",
    "Søren",
    "Tomás",
    "Ursula",
    "Vikram",
    "Wanjiru",
    "Xavier",
    "Yuki",
    "Zoë",
    "Łukasz",
    "Aoife",
    "Ngozi",
    "Émile",
    "Jürgen",
    "Ines",
    "Kwame",
    "Leilani",
    "Mateo",
    "Nadia",
    "Oren",
    "Paulina",
    "Renée",
    "Siobhán",
    "太郎",
    "花子",
    "Фёдор",
    "Αθηνά",
    "Fatima",
    "Yosef",
)
LAST_NAMES = (
    "Lovelace",
    "Ångström",
    "Müller",
    "Nakamura",
    "O'Brien",
    "García",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Smith",
    "Jensen",
    "da Silva",
    "Dubois",
    "Ivanova",
    "Papadopoulos",
    "Kim",
    "Schmidt",
    "Rossi",
    "Haddad",
    "Cohen",
    "Singh",
    "Andersson",
    "Fernández",
    "Mbeki",
    "van der Berg",
    "Núñez",
    "Søndergaard",
    "山田",
    "佐藤",
    "Кузнецов",
    "Παπαδάκης",
)
SUBJECTS = (
    "Weekly sync",
    "Quarterly business review",
    "Onboarding: new hires",
    "Incident review",
    "Roadmap planning",
    "Customer call – Müller GmbH",
    "Sprint retro",
    "1:1",
    "Board meeting",
    "Design critique",
    "Budget Q3",
    "Town hall",
    "Sales kickoff",
    "Support escalation",
    "Réunion d'équipe",
    "Besprechung Straße",
    "週次定例会議",
    "اجتماع الفريق",
    "ישיבת צוות",
    "Launch party 🚀",
    "[bold]Release[/bold] go/no-go",
    "[@click=app.quit]x",
    "\x1b[2JClear screen",
    "[red]Red team debrief",
    LONG_NAME,
)
TRAINING_NAMES = (
    "Security awareness 101",
    "Excel für Fortgeschrittene",
    "Leadership essentials",
    "GDPR refresher",
    "新入社員研修",
    "Customer success bootcamp",
    "Python for analysts",
    "تدريب المبيعات",
    "Kubernetes from zero",
    "First aid – Erste Hilfe",
    "[bold]Compliance[/bold]",
    "Onboarding 🎓",
    LONG_NAME,
)
COMPANIES = (
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark Industries",
    "Müller GmbH",
    "Société Générale d'Exemple",
    "株式会社サンプル",
    "Wayne Enterprises",
    "Hooli",
    "",
)
CITIES = (
    ("Berlin", "BE", "DE"),
    ("San José", "CA", "US"),
    ("Zürich", "ZH", "CH"),
    ("東京", "Tokyo", "JP"),
    ("São Paulo", "SP", "BR"),
    ("Tel Aviv", "TA", "IL"),
    ("Cairo", "C", "EG"),
    ("Reykjavík", "", "IS"),
    ("Austin", "TX", "US"),
    ("Lyon", "ARA", "FR"),
)
JOB_TITLES = ("Engineer", "Manager", "Director", "Analyst", "Consultant", "CTO", "Intern", "")
TIME_ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "America/Los_Angeles")
LOCALES = ("en_US", "de_DE", "fr_FR", "ja_JP", "es_ES")


def pick_name(rng: random.Random, hostile_share: float = 0.04) -> tuple[str, str]:
    """A (first, last) name; now and then one of the hostile ones."""
    if rng.random() < hostile_share:
        return rng.choice(HOSTILE_NAMES)
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def slug(text: str) -> str:
    """An ASCII e-mail-safe slug of a name ('Zoë Ångström' -> 'zoe.angstrom')."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = "".join(ch if ch.isalnum() else "." for ch in folded)
    parts = [p for p in out.split(".") if p]
    return ".".join(parts)[:40] or "user"


def email_for(first: str, last: str, n: int, domain: str = "example.com") -> str:
    """A unique, valid e-mail address for a (possibly hostile) name."""
    return f"{slug(first + ' ' + last)}.{n}@{domain}"


class UniqueInts:
    """Draws distinct random integers from a range."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[int] = set()

    def draw(self, low: int, high: int) -> int:
        while True:
            value = self._rng.randrange(low, high)
            if value not in self._seen:
                self._seen.add(value)
                return value


def file_size(rng: random.Random, typical: int) -> int:
    """A file's size: half to one and a half times `typical`, at least 1 KiB."""
    return max(1024, int(typical * rng.uniform(0.5, 1.5)))
