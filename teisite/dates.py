"""Date values from TEI attributes: ISO 8601 checks, calendars and eras (Julian, Gregorian, the
Byzantine era from the Creation) converted to Julian and Gregorian dates, sort keys, display."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostics
from .parsing import TEI_NS, XML_ID, parse_file

_TZ = r"(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?"
_TIME = r"(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?"
# xs:date, xs:dateTime, xs:gYearMonth and xs:gYear (the year may be longer, or negative)
_ISO = re.compile(rf"^(-?\d{{4,}})(?:-(\d{{2}})(?:-(\d{{2}})(?:T{_TIME})?)?)?{_TZ}$")
_TIME_ONLY = re.compile(rf"^{_TIME}{_TZ}$")                 # xs:time
_MONTH_DAY = re.compile(rf"^--(\d{{2}})(?:-(\d{{2}}))?{_TZ}$")  # xs:gMonthDay, xs:gMonth
_DAY = re.compile(rf"^---(\d{{2}}){_TZ}$")                  # xs:gDay


def _time_problem(h: str, m: str, sec: str) -> str | None:
    if (h, m, sec) == ("24", "00", "00"):
        return None
    if int(h) > 23 or int(m) > 59 or int(sec) > 59:
        return f"has the time {h}:{m}:{sec}, which does not exist"
    return None


def check_iso(value: str, julian: bool = False) -> str | None:
    """None if `value` is a valid TEI/W3C date or time (the XML Schema types TEI's
    data.temporal.w3c allows: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm:ss, hh:mm:ss, --MM-DD,
    --MM, ---DD, each with an optional time zone); else why not.

    A Julian value has 29 February in every fourth year (1700 too, which Gregorian lacks)."""
    value = value.strip()
    m = _ISO.match(value)
    if not m:
        t = _TIME_ONLY.match(value)
        if t:
            return _time_problem(*t.groups())
        md = _MONTH_DAY.match(value)
        if md:  # a day of a month in no year: 29 February is one
            month, day = md.groups()
            if not 1 <= int(month) <= 12:
                return f"has month {month}, which does not exist"
            if day and not 1 <= int(day) <= (29 if month == "02" else 30 if month in (
                    "04", "06", "09", "11") else 31):
                return f"has day {day}, which month {month} does not have"
            return None
        d = _DAY.match(value)
        if d:
            return None if 1 <= int(d.group(1)) <= 31 else f"has day {d.group(1)}, which does not exist"
        return ("is not an ISO 8601 date or time (write YYYY, YYYY-MM, YYYY-MM-DD, "
                "YYYY-MM-DDThh:mm:ss or hh:mm:ss)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return f"has month {month}, which does not exist"
    if m.group(4):
        problem = _time_problem(m.group(4), m.group(5), m.group(6))
        if problem:
            return problem
    if day:
        if julian and (month, day) == ("02", "29") and int(year) % 4 == 0:
            return None
        try:
            dt.date(max(min(int(year), 9999), 1), int(month), int(day))
        except ValueError:
            return f"has day {day}, which month {month} of {year} does not have"
    return None


@functools.lru_cache(maxsize=65536)  # a chronology sorts thousands of dates, mostly alike
def start_key(value: str) -> str:
    """A sortable string for the first day an ISO value can mean."""
    m = _ISO.match(value.strip())
    if not m:
        return "9999"
    y, mo, d = m.group(1), m.group(2) or "01", m.group(3) or "01"
    return f"{int(y) + 10000:05d}-{mo}-{d}"


_MONTHS = {
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"],
    "ru_nom": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
               "октябрь", "ноябрь", "декабрь"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}


def human(value: str, lang: str = "en", julian: bool = False) -> str:
    """An ISO value as words: 1689-08-22 → '22 August 1689' (or '22 августа 1689')."""
    m = _ISO.match(value.strip())
    if not m or check_iso(value, julian):  # month 13 would fail, month 00 would read as December
        t = _TIME_ONLY.match(value.strip())
        return f"{t.group(1)}:{t.group(2)}" if t and not check_iso(value) else value
    y, mo, d = m.group(1), m.group(2), m.group(3)
    lang = "ru" if lang.startswith("ru") else "en"
    if d:
        time = f", {m.group(4)}:{m.group(5)}" if m.group(4) else ""
        return f"{int(d)} {_MONTHS[lang][int(mo) - 1]} {y}{time}"
    if mo:
        return f"{_MONTHS['ru_nom' if lang == 'ru' else 'en'][int(mo) - 1]} {y}"
    return y


# -- calendars and eras ----------------------------------------------------------------------------
# A calendar is known by the @type of its <calendar>, else by its xml:id (guide: "Dates"):
#   gregorian, julian: ISO values in that calendar;
#   byzantine: years from the Creation (anno mundi), the year beginning on 1 September
#     (AM 7197 = 1 September 1688 – 31 August 1689, Julian);
#   byzantine-march: the same era, the year beginning on 1 March (AM 7197 = 1 March 1689 – 28/29
#     February 1690). Month and day are the Julian month and day, as the documents write them.
CALENDARS = ("gregorian", "julian", "byzantine", "byzantine-march")
ERAS = {"byzantine": 9, "byzantine-march": 3}  # the month an era's year begins with
_ERA_OFFSET = 5508  # AM year Y's January falls in AD year Y - 5508 (September year)
_ERA_VALUE = re.compile(r"^(-?\d{4,})(?:-(\d{2})(?:-(\d{2}))?)?$")


def calendar_kind(name: str) -> str:
    """The calendar a <calendar>'s @type or xml:id names ("" for none teisite knows)."""
    name = name.strip().casefold()
    return name if name in CALENDARS else ""


_CALENDAR = f"{{{TEI_NS}}}calendar"
_POINTERS = etree.XPath("//@datingMethod")


@dataclass(frozen=True)
class Calendar:
    """A <calendar> a document declares (or a file it points to): its id, what it is
    (CALENDARS, "" when teisite does not know it) and where it stands."""

    xml_id: str
    kind: str
    file: str
    line: int


def _calendars_in(root: etree._Element, file: str) -> dict[str, Calendar]:
    out = {}
    for el in root.iter(_CALENDAR):
        xid = el.get(XML_ID)
        if xid:
            kind = calendar_kind(el.get("type", "")) or calendar_kind(xid)
            out[xid] = Calendar(xid, kind, file, el.sourceline or 1)
    return out


@functools.lru_cache(maxsize=64)
def _calendars_of_file(path: str, mtime: float) -> dict[str, Calendar] | None:
    tree = parse_file(Path(path), Diagnostics())  # its own problems are reported when it is checked
    return None if tree is None else _calendars_in(tree.getroot(), path)


def declared_calendars(root: etree._Element, path: Path | str | None = None
                       ) -> dict[str, dict[str, Calendar] | None]:
    """The calendars a document's @datingMethod pointers can name, by the file part of the pointer
    ("" for its own): {"": {id: Calendar}, "calendars.xml": {...}, "missing.xml": None}."""
    out: dict[str, dict[str, Calendar] | None] = {"": _calendars_in(root, str(path or ""))}
    for pointer in set(map(str, _POINTERS(root))):
        file = pointer.strip().rpartition("#")[0]
        if file and file not in out:
            other = Path(path).parent / file if path else None
            out[file] = _calendars_of_file(str(other), other.stat().st_mtime) \
                if other is not None and other.is_file() else None
    return out


def calendar_for(pointer: str, declared: dict[str, dict[str, Calendar] | None]
                 ) -> tuple[str, Calendar | None] | None:
    """What a @datingMethod names: (its calendar's kind, its declaration), or None when it points
    nowhere. A pointer to an id no file declares is read by its name (`#julian` is the Julian
    calendar, declared or not), as teisite always has."""
    file, _, xid = pointer.strip().rpartition("#")
    found = declared.get(file)
    if found is not None and xid in found:
        return found[xid].kind, found[xid]
    if calendar_kind(xid) and (found is not None or not file):
        return calendar_kind(xid), None
    return None


def calendar_kinds(root: etree._Element, path: Path | str | None = None) -> dict[str, str]:
    """For date_value: each @datingMethod pointer of a document and the calendar it names
    ("" for an unknown calendar or a pointer to nowhere)."""
    declared = declared_calendars(root, path)
    return {p: (calendar_for(p, declared) or ("",))[0] for p in set(map(str, _POINTERS(root)))}


def julian_day(year: int, month: int, day: int, gregorian: bool = False) -> int:
    """The Julian Day Number of a date of the Julian (or Gregorian) calendar; astronomical years
    (0 is 1 BC)."""
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    n = day + (153 * m + 2) // 5 + 365 * y + y // 4
    return n - y // 100 + y // 400 - 32045 if gregorian else n - 32083


def from_julian_day(jd: int, gregorian: bool = True) -> tuple[int, int, int]:
    """(year, month, day) in the Gregorian (or Julian) calendar of a Julian Day Number
    (E. G. Richards' algorithm)."""
    f = jd + 1401 + (((4 * jd + 274277) // 146097) * 3 // 4 - 38 if gregorian else 0)
    e = 4 * f + 3
    h = 5 * ((e % 1461) // 4) + 2
    day, month = (h % 153) // 5 + 1, (h // 153 + 2) % 12 + 1
    return e // 1461 - 4716 + (14 - month) // 12, month, day


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    y = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
    return y + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")


def _month_days(year: int, month: int, gregorian: bool) -> int:
    if month == 2:
        leap = year % 4 == 0 and (not gregorian or year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def era_to_julian(value: str, calendar: str) -> tuple[str, str, str]:
    """A value of an era calendar as the Julian calendar writes it: (the same value in Julian
    years, or "" when its period is no Julian year or month; its first day; its last day).
    An AM year alone spans two Julian years: 7197 → ("", 1688-09-01, 1689-08-31)."""
    m = _ERA_VALUE.match(value.strip())
    year, month, day = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
    september = ERAS[calendar] == 9
    if not month:  # from the first of the year's first month to the last day before the next
        start = year - _ERA_OFFSET - september
        last = 8 if september else 2
        return "", _iso(start, ERAS[calendar], 1), _iso(start + 1, last, _month_days(start + 1, last, False))
    ad = year - _ERA_OFFSET - (september and month >= 9) + (not september and month < 3)
    if day:
        return (_iso(ad, month, day),) * 3
    return _iso(ad, month), _iso(ad, month, 1), _iso(ad, month, _month_days(ad, month, False))


def era_problem(value: str, calendar: str) -> tuple[str, str] | None:
    """Why a value cannot be a date of an era calendar, with its code (None: it can):
    ("date.invalid", ...) for a month or day that does not exist, ("date.era", ...) for a
    year before the era's AD 1."""
    m = _ERA_VALUE.match(value.strip())
    if not m:
        return "date.invalid", "is not a date of the era (write YYYY, YYYY-MM or YYYY-MM-DD: 7197-08-27)"
    month, day = m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return "date.invalid", f"has month {month}, which does not exist"
    ad_start = era_to_julian(m.group(1), calendar)[1]
    if int(m.group(1)) < 1 or ad_start.startswith("-") or int(ad_start[:4]) < 1:
        first = _ERA_OFFSET + 1
        return "date.era", (f"has the year {m.group(1)}, outside the era from the Creation as teisite "
                            f"converts it (from AM {first}, AD 1; Muscovite documents of the 17th "
                            "century write years about 7100–7208). A year counted from the birth of "
                            "Christ wants @datingMethod pointing to a Julian calendar")
    if day:
        julian = era_to_julian(value, calendar)[0]
        y, mo = int(julian[:4]), int(month)
        if not 1 <= int(day) <= _month_days(y, mo, False):
            return "date.invalid", (f"has day {day}, which month {month} of {m.group(1)} "
                                    f"(AD {y}, Julian) does not have")
    return None


def julian_to_gregorian(value: str) -> str:
    """A Julian date (YYYY-MM-DD) in the proleptic Gregorian calendar: 10 days later in the 17th
    century, 11 from 29 February 1700 (Julian; 11 March Gregorian) to 28 February 1800."""
    neg = value.startswith("-")
    y, mo, d = (int(x) for x in value.lstrip("-").split("-")[:3])
    return _iso(*from_julian_day(julian_day(-y if neg else y, mo, d), gregorian=True))


def gregorian_span(value: str) -> tuple[str, str]:
    """The first and last day (YYYY-MM-DD) of a Gregorian ISO value ("", "" for none)."""
    m = _ISO.match(value.strip())
    if not m or check_iso(value):
        return "", ""
    y = int(m.group(1))
    mo, d = m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
    if d:
        return (_iso(y, mo, d),) * 2
    if mo:
        return _iso(y, mo, 1), _iso(y, mo, _month_days(y, mo, True))
    return _iso(y, 1, 1), _iso(y, 12, 31)


@dataclass(frozen=True)
class Converted:
    """A value of the element's own calendar in Julian and Gregorian terms."""

    julian: str = ""       # as precise as written, when a Julian value can say it ("" else)
    julian_span: tuple[str, str] = ("", "")  # first and last day, Julian
    gregorian_span: tuple[str, str] = ("", "")  # first and last day, Gregorian

    @property
    def gregorian(self) -> str:
        """The Gregorian value as precise as the Julian one (a day, or else the span's days)."""
        a, b = self.gregorian_span
        return a if a == b else ""


def convert(value: str, calendar: str) -> Converted | None:
    """A custom value in Julian and Gregorian terms (None: not a date of that calendar)."""
    if not value or calendar not in ("julian", *ERAS):
        return None
    if calendar == "julian":
        if check_iso(value, julian=True) or not _ISO.match(value.strip()) or "T" in value:
            return None
        m = _ISO.match(value.strip())
        y = int(m.group(1))
        mo, d = m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
        if d:
            span = (_iso(y, mo, d),) * 2
        elif mo:
            span = (_iso(y, mo, 1), _iso(y, mo, _month_days(y, mo, False)))
        else:
            span = (_iso(y, 1, 1), _iso(y, 12, 31))
        julian = value.strip()
    else:
        if era_problem(value, calendar):
            return None
        julian, *rest = era_to_julian(value, calendar)
        span = (rest[0], rest[1])
    return Converted(julian, span, (julian_to_gregorian(span[0]), julian_to_gregorian(span[1])))


@dataclass(frozen=True)
class DateValue:
    """The machine-readable meaning of one dated element."""

    when: str = ""          # Gregorian (TEI's default calendar)
    not_before: str = ""
    not_after: str = ""
    custom: str = ""        # the value in the element's own calendar, e.g. Julian
    custom_span: tuple[str, str] = ("", "")
    method: str = ""        # the calendar of the custom value as known (CALENDARS), or "" if unknown
    cert: str = ""
    # the custom values converted (convert()): when-custom, notBefore-custom, notAfter-custom
    converted: tuple[Converted | None, Converted | None, Converted | None] = (None, None, None)

    @property
    def gregorian_days(self) -> tuple[str, str]:
        """The first and last day it can mean, Gregorian: from its Gregorian values, else from
        its custom values converted."""
        if self.when or self.not_before or self.not_after:
            return (gregorian_span(self.when or self.not_before)[0],
                    gregorian_span(self.when or self.not_after)[1])
        when, start, end = self.converted
        if when is not None:
            return when.gregorian_span
        return (start.gregorian_span[0] if start else "", end.gregorian_span[1] if end else "")

    @property
    def sort_key(self) -> str:
        first = self.when or self.not_before or self.not_after or self.gregorian_days[0]
        return start_key(first or self.custom or self.custom_span[0])

    @property
    def uncertain(self) -> bool:
        """Marked uncertain by the editors (@cert low/medium/unknown); a span is not uncertain."""
        return self.cert in ("low", "medium", "unknown")

    def gregorian(self, lang: str = "en") -> str:
        if self.when or self.not_before or self.not_after:
            return span_text(self.when, self.not_before, self.not_after, lang)
        when, start, end = self.converted
        if when is not None:
            return span_text(when.gregorian, *(("", "") if when.gregorian else when.gregorian_span), lang)
        return span_text("", start.gregorian_span[0] if start else "",
                         end.gregorian_span[1] if end else "", lang)

    def julian(self, lang: str = "en") -> str:
        """The date in the Julian calendar, for a value written in an era (else "": a Julian
        value is written so already, a Gregorian one needs none)."""
        if self.method not in ERAS:
            return ""
        when, start, end = self.converted
        if when is not None:
            return span_text(when.julian, *(("", "") if when.julian else when.julian_span), lang, True)
        return span_text("", start.julian_span[0] if start else "",
                         end.julian_span[1] if end else "", lang, True)

    def original(self, lang: str = "en") -> str:
        """The custom value in words, as its calendar writes it."""
        return span_text(self.custom, *self.custom_span, lang, self.method in ("julian", *ERAS))

    @property
    def empty(self) -> bool:
        return not (self.when or self.not_before or self.not_after or self.custom
                    or any(self.custom_span))


@functools.lru_cache(maxsize=65536)  # the chronology and the text pages ask for each date again
def span_text(when: str, not_before: str, not_after: str, lang: str, julian: bool = False) -> str:
    """A value or a span in words; `julian`: the values are Julian (29 February 1700 exists)."""
    if when:
        return human(when, lang, julian)
    if not_before and not_after:
        whole = _whole_period(not_before, not_after, julian)
        if whole:
            return human(whole, lang, julian)
        months = _whole_months(not_before, not_after, julian)
        if months:
            start, end = (human(m, lang, julian) for m in months)
            return f"{start[:-5]} – {end}"  # "June – August 1685"
        first = human(not_before, lang, julian)
        if not_before[:4] == not_after[:4] and first.endswith(" " + not_before[:4]):
            first = first[:-5]  # "11 August – 10 September 1685"
        return f"{first} – {human(not_after, lang, julian)}"
    if not_before:
        return ("не ранее " if lang.startswith("ru") else "not before ") + human(not_before, lang, julian)
    if not_after:
        return ("не позднее " if lang.startswith("ru") else "not after ") + human(not_after, lang, julian)
    return ""


def _whole_months(start: str, end: str, julian: bool = False) -> tuple[str, str] | None:
    """('1685-06', '1685-08') for 1685-06-01..1685-08-31: whole months of one year."""
    if start[:4] != end[:4] or len(start) != 10 or len(end) != 10 or not start.endswith("-01"):
        return None
    if _whole_period(end[:8] + "01", end, julian) != end[:7]:
        return None
    return start[:7], end[:7]


def _whole_period(start: str, end: str, julian: bool = False) -> str:
    """'1685-08' for 1685-08-01..1685-08-31, '1685' for 1685-01-01..1685-12-31, else ''."""
    a, b = _ISO.match(start.strip()), _ISO.match(end.strip())
    if not (a and b and a.group(3) and b.group(3)) or a.group(1) != b.group(1):
        return ""
    y, m1, d1, m2, d2 = int(a.group(1)), a.group(2), a.group(3), b.group(2), b.group(3)
    if (m1, d1, m2, d2) == ("01", "01", "12", "31"):
        return a.group(1)
    if m1 == m2 and d1 == "01" and 1 <= int(m1) <= 12 and int(d2) == _month_days(y, int(m1), not julian):
        return f"{a.group(1)}-{m1}"
    return ""


def date_value(attrib, calendars: dict[str, str] | None = None) -> DateValue:
    """Read @when/@notBefore/@notAfter/@from/@to and their -custom twins with @datingMethod.

    `calendars` maps a @datingMethod to the calendar it names (calendar_kinds; "" unknown);
    without it, or for a pointer it does not hold, the pointer's id is read as a calendar's name."""
    g = attrib.get
    pointer = g("datingMethod", "")
    method = "" if not pointer.strip() else (calendars or {}).get(
        pointer, calendar_kind(pointer.strip().rsplit("#", 1)[-1]))
    custom = g("when-custom", "")
    span = (g("notBefore-custom", "") or g("from-custom", ""), g("notAfter-custom", "") or g("to-custom", ""))
    converted = (convert(custom, method), convert(span[0], method), convert(span[1], method)) \
        if method in ("julian", *ERAS) else (None, None, None)
    return DateValue(
        when=g("when", ""),
        not_before=g("notBefore", "") or g("from", ""),
        not_after=g("notAfter", "") or g("to", ""),
        custom=custom,
        custom_span=span,
        method=method,
        cert=g("cert", ""),
        converted=converted,
    )
