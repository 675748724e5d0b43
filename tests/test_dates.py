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
