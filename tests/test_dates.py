"""Dates: ISO checks, values from TEI attributes (Gregorian and Julian), sort keys, dates in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from teisite.dates import DateValue, check_iso, date_value, human, start_key

DATES = Path(__file__).resolve().parent / "fixtures" / "dates"


@pytest.mark.parametrize("value", ["1689", "1689-08", "1689-08-22", "1688-02-29", "2000-02-29",
                                   "-0044", "1689-08-22T10:30:00", "1689-08-22T10:30:00+03:00",
                                   # times and the other W3C types TEI allows (issue 14, item 12)
                                   "13:00:00", "13:00:00Z", "24:00:00", "1815-06-12T10:00:00.5Z",
                                   "--06-12", "--02-29", "--06", "---12", "1815Z", "1815-06+01:00",
                                   "12345"])
def test_check_iso_accepts(value):
    assert check_iso(value) is None


@pytest.mark.parametrize("value,why", [
    ("1689-02-30", "day 30"), ("1689-02-29", "day 29"), ("1700-02-29", "day 29"),
    ("1689-13", "month 13"), ("1689-00", "month 00"), ("1689-04-31", "day 31"),
    ("1689-8-22", "ISO 8601"), ("89", "ISO 8601"), ("22.08.1689", "ISO 8601"), ("", "ISO 8601"),
    ("1689-08-22 ", None), ("25:00:00", "time"), ("13:60:00", "time"), ("13:00", "ISO 8601"),
    ("--13-01", "month 13"), ("--04-31", "day 31"), ("---32", "day 32"), ("1815-06-12T10", "ISO 8601"),
])
def test_check_iso_rejects(value, why):
    problem = check_iso(value)
    if why is None:  # surrounding spaces are forgiven
        assert problem is None
    else:
        assert problem is not None and why in problem


def test_date_value_from_gregorian_and_julian_attributes():
    value = date_value({"when": "1689-09-06", "when-custom": "1689-08-27", "datingMethod": "#julian",
                        "cert": "high"})
    assert (value.when, value.custom, value.method, value.cert) == ("1689-09-06", "1689-08-27", "julian",
                                                                    "high")
    assert value.gregorian() == "6 September 1689" and value.original() == "27 August 1689"
    assert not value.uncertain and not value.empty


def test_date_value_from_spans_and_their_custom_twins():
    value = date_value({"from": "1686-09-01", "to": "1686-11-30", "from-custom": "1686-08-22",
                        "notAfter-custom": "1686-11-20", "datingMethod": "calendars.xml#julian"})
    assert (value.not_before, value.not_after) == ("1686-09-01", "1686-11-30")
    assert value.custom_span == ("1686-08-22", "1686-11-20") and value.method == "julian"
    assert value.sort_key == start_key("1686-09-01")


def test_empty_and_uncertain():
    assert date_value({}).empty and date_value({"dur": "P1Y"}).empty
    assert DateValue(when="1689", cert="low").uncertain
    assert not DateValue(when="1689", cert="high").uncertain


@pytest.mark.parametrize("earlier,later", [
    ("1689", "1689-01-02"), ("1689-08", "1689-08-02"), ("1688-12-31", "1689"), ("-0100", "-0044"),
    ("-0044", "0001"), ("9999-12-31", "not a date")])  # a value that is no date sorts last
def test_start_keys_sort_in_time(earlier, later):
    assert start_key(earlier) < start_key(later)


def test_sort_key_prefers_the_gregorian_value():
    assert DateValue(when="1689-09-06", custom="1689-08-27").sort_key == start_key("1689-09-06")
    assert DateValue(custom="1689-08-27").sort_key == start_key("1689-08-27")
    assert DateValue(not_after="1690").sort_key == start_key("1690")


@pytest.mark.parametrize("value,lang,words", [
    ("1689-08-22", "en", "22 August 1689"), ("1689-08-22", "ru", "22 августа 1689"),
    ("1689-08", "en", "August 1689"), ("1689-08", "ru", "август 1689"), ("1689", "ru", "1689"),
    ("1689-01-05", "ru-RU", "5 января 1689"), ("around 1689", "en", "around 1689"),
    ("1689-13", "en", "1689-13"), ("1689-00-05", "en", "1689-00-05"),
    ("1815-06-12T10:00:00", "en", "12 June 1815, 10:00"), ("13:00:00", "en", "13:00"),
])
def test_human(value, lang, words):
    assert human(value, lang) == words


def test_not_before_and_not_after_alone():
    assert DateValue(not_before="1689").gregorian("en") == "not before 1689"
    assert DateValue(not_after="1689-08").gregorian("ru") == "не позднее август 1689"


# --- dates in an edition: located errors ------------------------------------------------------


def test_invalid_dates_are_located_errors():
    from test_render import load
    edition = load(DATES, [DATES / "invalid.xml"])
    errors = [(d.code, d.line) for d in edition.diagnostics.errors]
    assert errors == [("date.invalid", 5), ("date.invalid", 6), ("date.order", 7)]
    assert all(d.col > 1 for d in edition.diagnostics.errors)


def test_invalid_dates_still_render():
    """With `strict: false` a build renders texts with date errors: that must not crash."""
    from test_render import load, render
    edition = load(DATES, [DATES / "invalid.xml"])
    tree, _ = render(edition, edition.texts[0])
    assert "the thirteenth month" in tree.text_content()


def test_julian_leap_day_is_valid():
    from test_render import load
    edition = load(DATES, [DATES / "julian-leap-day.xml"])
    assert not edition.diagnostics.errors, edition.diagnostics.format()


@pytest.mark.parametrize("span, lang, text", [
    (("1685-08-01", "1685-08-31"), "ru", "август 1685"),
    (("1685-06-01", "1685-08-31"), "ru", "июнь – август 1685"),
    (("1685-08-11", "1685-09-10"), "ru", "11 августа – 10 сентября 1685"),
    (("1687-12-01", "1688-02-29"), "en", "1 December 1687 – 29 February 1688"),
    (("1688-01-01", "1688-12-31"), "en", "1688"),
])
def test_spans_read_as_a_historian_writes_them(span, lang, text):
    from teisite.dates import span_text
    assert span_text("", *span, lang) == text


def test_a_date_time_sorts_by_its_date():
    assert start_key("1815-06-12T10:00:00") == start_key("1815-06-12")
    assert start_key("1815-06-11T23:59:59") < start_key("1815-06-12T00:00:00")


def test_time_values_in_a_text_are_not_errors(tmp_path):
    from test_render import load
    (tmp_path / "t.xml").write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
        '</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc>'
        '</teiHeader><text><body><p><date when="1815-06-12" notAfter="13:00:00">x</date> '
        '<time when="13:00:00">one</time> <date when="--06-12">y</date></p></body></text></TEI>')
    edition = load(tmp_path, [tmp_path / "t.xml"])
    assert not [d for d in edition.diagnostics.items if d.code.startswith("date.")]


# --- calendars and eras (issue 25) -----------------------------------------------------------------
# Vectors from the published rules: the Julian calendar is 10 days behind the Gregorian in the 17th
# century, 11 days from Julian 29 February 1700 (Gregorian 11 March) to 28 February 1800, 12 in the
# 19th century and 13 in the 20th; the Byzantine era's September year AM Y runs from 1 September of
# AD Y - 5509 to 31 August of AD Y - 5508, its March year from 1 March of AD Y - 5508 to the end of
# February of AD Y - 5507; 31 December 7208 (AM) was followed by 1 January 1700 (Peter I's decree).

@pytest.mark.parametrize("julian,gregorian", [
    ("1582-10-04", "1582-10-14"), ("1582-10-05", "1582-10-15"),   # the Gregorian reform itself
    ("1689-08-27", "1689-09-06"), ("1686-09-05", "1686-09-15"),   # the treaty of Nerchinsk; issue 25
    ("1688-12-22", "1689-01-01"), ("1688-12-31", "1689-01-10"),   # across December/January
    ("1699-12-31", "1700-01-10"), ("1700-01-01", "1700-01-11"),
    ("1700-02-18", "1700-02-28"), ("1700-02-19", "1700-03-01"),   # +10 up to 29 February 1700 Julian
    ("1700-02-28", "1700-03-10"), ("1700-02-29", "1700-03-11"),
    ("1700-03-01", "1700-03-12"),                                 # +11 from 1 March 1700
    ("1799-12-31", "1800-01-11"), ("1800-03-01", "1800-03-13"),   # +12 after 1800
    ("1917-10-25", "1917-11-07"), ("1918-01-31", "1918-02-13"),   # +13: the Russian switch of 1918
    ("0001-01-03", "0001-01-01"),
])
def test_julian_to_gregorian(julian, gregorian):
    from teisite.dates import julian_to_gregorian
    assert julian_to_gregorian(julian) == gregorian


@pytest.mark.parametrize("value,calendar,julian,gregorian", [
    ("7197-08-27", "byzantine", "1689-08-27", "1689-09-06"),     # the probe of issue 25
    ("7195-09-05", "byzantine", "1686-09-05", "1686-09-15"),
    ("7197-08-31", "byzantine", "1689-08-31", "1689-09-10"),     # the last day of AM 7197 ...
    ("7198-09-01", "byzantine", "1689-09-01", "1689-09-11"),     # ... and the first of AM 7198
    ("7198-12-31", "byzantine", "1689-12-31", "1690-01-10"),     # December/January in one AM year
    ("7198-01-01", "byzantine", "1690-01-01", "1690-01-11"),
    ("7208-12-31", "byzantine", "1699-12-31", "1700-01-10"),     # the last day counted from the Creation
    ("7208-02-29", "byzantine", "1700-02-29", "1700-03-11"),     # Julian 1700 is a leap year
    ("7000-01-10", "byzantine-march", "1493-01-10", "1493-01-19"),  # March year: January is AD Y - 5507
    ("7000-03-01", "byzantine-march", "1492-03-01", "1492-03-10"),
    ("7000-03-01", "byzantine", "1492-03-01", "1492-03-10"),
    ("7000-09-01", "byzantine", "1491-09-01", "1491-09-10"),
])
def test_era_dates_in_julian_and_gregorian(value, calendar, julian, gregorian):
    from teisite.dates import convert
    converted = convert(value, calendar)
    assert (converted.julian, converted.gregorian) == (julian, gregorian)


@pytest.mark.parametrize("value,calendar,julian_span,gregorian_span", [
    ("7197", "byzantine", ("1688-09-01", "1689-08-31"), ("1688-09-11", "1689-09-10")),
    ("7000", "byzantine-march", ("1492-03-01", "1493-02-28"), ("1492-03-10", "1493-03-09")),
    ("7208", "byzantine", ("1699-09-01", "1700-08-31"), ("1699-09-11", "1700-09-11")),
    ("7208-02", "byzantine", ("1700-02-01", "1700-02-29"), ("1700-02-11", "1700-03-11")),
    ("1700", "julian", ("1700-01-01", "1700-12-31"), ("1700-01-11", "1701-01-11")),
])
def test_periods_convert_to_their_first_and_last_days(value, calendar, julian_span, gregorian_span):
    from teisite.dates import convert
    converted = convert(value, calendar)
    assert (converted.julian_span, converted.gregorian_span) == (julian_span, gregorian_span)


def test_an_era_date_in_words_and_order():
    probe = date_value({"datingMethod": "#byzantine", "when-custom": "7197-08-27"})
    assert (probe.gregorian("en"), probe.julian("en"), probe.original("ru")) == (
        "6 September 1689", "27 August 1689", "27 августа 7197")
    earlier = date_value({"datingMethod": "#byzantine", "when-custom": "7195-09-05"})
    assert (earlier.gregorian("ru"), earlier.julian("ru")) == ("15 сентября 1686", "5 сентября 1686")
    assert earlier.sort_key < probe.sort_key == start_key("1689-09-06")
    summer = date_value({"datingMethod": "#byzantine", "notBefore-custom": "7197-06",
                         "notAfter-custom": "7197-08"})
    assert summer.julian("en") == "June – August 1689"
    assert summer.gregorian("en") == "11 June – 10 September 1689"
    leap = date_value({"datingMethod": "#byzantine", "when-custom": "7208-02-29"})
    assert (leap.julian("en"), leap.original("en")) == ("29 February 1700", "29 February 7208")


def test_a_julian_or_unknown_calendar_gets_no_julian_line():
    assert date_value({"datingMethod": "#julian", "when-custom": "1689-08-27"}).julian() == ""
    unknown = date_value({"datingMethod": "#hijri", "when-custom": "1100-12-01"})
    assert (unknown.method, unknown.julian(), unknown.gregorian()) == ("", "", "")


def test_a_calendar_is_known_by_its_type_or_its_id():
    from lxml import etree

    from teisite.dates import calendar_kinds
    root = etree.parse(str(DATES / "byzantine.xml")).getroot()
    assert calendar_kinds(root) == {"#byzantine": "byzantine", "#martovsky": "byzantine-march"}
    march = date_value({"datingMethod": "#martovsky", "when-custom": "7000-01-10"}, calendar_kinds(root))
    assert (march.method, march.julian("en")) == ("byzantine-march", "10 January 1493")


@pytest.mark.parametrize("value,code,why", [
    ("7197-13-01", "date.invalid", "month 13"), ("7197-09-31", "date.invalid", "day 31"),
    ("7197-02-29", "date.invalid", "day 29"),        # AD 1689 is no leap year
    ("1689-08-27", "date.era", "outside the era"), ("0000", "date.era", "outside the era"),
    ("7197-8-27", "date.invalid", "YYYY-MM-DD"),
])
def test_era_problems(value, code, why):
    from teisite.dates import era_problem
    found = era_problem(value, "byzantine")
    assert found is not None and found[0] == code and why in found[1]


def test_impossible_era_dates_are_located_errors_and_the_rest_builds():
    from test_render import load, render
    path = DATES / "era-invalid.xml"
    edition = load(DATES, [path])
    found = [(d.severity, d.code, d.line) for d in edition.diagnostics.items if d.code.startswith("date.")]
    assert found == [("error", "date.invalid", 11), ("error", "date.invalid", 12),
                     ("error", "date.era", 13), ("error", "date.method", 14),
                     ("warning", "date.calendar", 15), ("error", "date.disagree", 16)], \
        edition.diagnostics.format()
    messages = {d.code: d.message for d in edition.diagnostics.items}
    assert "did you mean `#byzantine`?" in messages["date.method"]
    assert 'write @when="1689-09-06"' in messages["date.disagree"]
    assert all(d.col > 1 for d in edition.diagnostics.items if d.code.startswith("date."))
    tree, _ = render(edition, edition.texts[0])
    good = next(m for m in edition.texts[0].mentions if m.date and m.date.custom == "7195-09-05")
    assert good.date.gregorian("en") == "15 September 1686"
    assert "лета 7195 сентября 5" in tree.text_content()


def test_the_probe_dates_have_no_problems():
    from test_render import load
    edition = load(DATES, [DATES / "byzantine.xml"])
    assert not [d for d in edition.diagnostics.items if d.code.startswith("date.")], \
        edition.diagnostics.format()
