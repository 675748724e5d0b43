"""Date values from TEI attributes: ISO 8601 checks, Julian/Gregorian pairs, sort keys, display."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

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


def human(value: str, lang: str = "en") -> str:
    """An ISO value as words: 1689-08-22 → '22 August 1689' (or '22 августа 1689')."""
    m = _ISO.match(value.strip())
    if not m or check_iso(value):  # month 13 would fail, month 00 would read as December
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


@dataclass(frozen=True)
class DateValue:
    """The machine-readable meaning of one dated element."""

    when: str = ""          # Gregorian (TEI's default calendar)
    not_before: str = ""
    not_after: str = ""
    custom: str = ""        # the value in the element's own calendar, e.g. Julian
    custom_span: tuple[str, str] = ("", "")
    method: str = ""        # the calendar of the custom value, e.g. "julian"
    cert: str = ""

    @property
    def sort_key(self) -> str:
        return start_key(self.when or self.not_before or self.not_after or self.custom
                         or self.custom_span[0])

    @property
    def uncertain(self) -> bool:
        """Marked uncertain by the editors (@cert low/medium/unknown); a span is not uncertain."""
        return self.cert in ("low", "medium", "unknown")

    def gregorian(self, lang: str = "en") -> str:
        return span_text(self.when, self.not_before, self.not_after, lang)

    def original(self, lang: str = "en") -> str:
        return span_text(self.custom, *self.custom_span, lang)

    @property
    def empty(self) -> bool:
        return not (self.when or self.not_before or self.not_after or self.custom
                    or any(self.custom_span))


@functools.lru_cache(maxsize=65536)  # the chronology and the text pages ask for each date again
def span_text(when: str, not_before: str, not_after: str, lang: str) -> str:
    if when:
        return human(when, lang)
    if not_before and not_after:
        whole = _whole_period(not_before, not_after)
        if whole:
            return human(whole, lang)
        months = _whole_months(not_before, not_after)
        if months:
            start, end = (human(m, lang) for m in months)
            return f"{start[:-5]} – {end}"  # "June – August 1685"
        first = human(not_before, lang)
        if not_before[:4] == not_after[:4] and first.endswith(" " + not_before[:4]):
            first = first[:-5]  # "11 August – 10 September 1685"
        return f"{first} – {human(not_after, lang)}"
    if not_before:
        return ("не ранее " if lang.startswith("ru") else "not before ") + human(not_before, lang)
    if not_after:
        return ("не позднее " if lang.startswith("ru") else "not after ") + human(not_after, lang)
    return ""


def _whole_months(start: str, end: str) -> tuple[str, str] | None:
    """('1685-06', '1685-08') for 1685-06-01..1685-08-31: whole months of one year."""
    if start[:4] != end[:4] or len(start) != 10 or len(end) != 10 or not start.endswith("-01"):
        return None
    if _whole_period(end[:8] + "01", end) != end[:7]:
        return None
    return start[:7], end[:7]


def _whole_period(start: str, end: str) -> str:
    """'1685-08' for 1685-08-01..1685-08-31, '1685' for 1685-01-01..1685-12-31, else ''."""
    a, b = _ISO.match(start.strip()), _ISO.match(end.strip())
    if not (a and b and a.group(3) and b.group(3)) or a.group(1) != b.group(1):
        return ""
    y, m1, d1, m2, d2 = int(a.group(1)), a.group(2), a.group(3), b.group(2), b.group(3)
    if (m1, d1, m2, d2) == ("01", "01", "12", "31"):
        return a.group(1)
    if m1 == m2 and d1 == "01":
        try:
            last = (dt.date(y + (m1 == "12"), int(m1) % 12 + 1, 1) - dt.timedelta(days=1)).day
        except ValueError:
            return ""
        if int(d2) == last:
            return f"{a.group(1)}-{m1}"
    return ""


def date_value(attrib) -> DateValue:
    """Read @when/@notBefore/@notAfter/@from/@to and their -custom twins with @datingMethod."""
    g = attrib.get
    return DateValue(
        when=g("when", ""),
        not_before=g("notBefore", "") or g("from", ""),
        not_after=g("notAfter", "") or g("to", ""),
        custom=g("when-custom", ""),
        custom_span=(g("notBefore-custom", "") or g("from-custom", ""),
                     g("notAfter-custom", "") or g("to-custom", "")),
        method=g("datingMethod", "").lstrip("#").rsplit("#", 1)[-1],
        cert=g("cert", ""),
    )
