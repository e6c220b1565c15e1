"""The pure SEND arithmetic: end of compulsory school age, rights holder, appeal deadline."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.send import rules


def test_end_of_compulsory_school_age_is_the_last_friday_of_june_of_the_school_year():
    # Turns 16 on 15 March 2027: school year 2026/27, last Friday of June 2027 is the 25th.
    assert rules.end_of_compulsory_school_age(dt.date(2011, 3, 15)) == dt.date(2027, 6, 25)
    # Turns 16 on 1 September 2026: school year 2026/27 too.
    assert rules.end_of_compulsory_school_age(dt.date(2010, 9, 1)) == dt.date(2027, 6, 25)
    # Turns 16 on 31 August 2026: school year 2025/26, last Friday of June 2026 is the 26th.
    assert rules.end_of_compulsory_school_age(dt.date(2010, 8, 31)) == dt.date(2026, 6, 26)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_the_end_of_school_age_is_a_friday_in_june_after_the_sixteenth_birthday_year(dob):
    end = rules.end_of_compulsory_school_age(dob)
    assert end.weekday() == 4 and end.month == 6 and end.day >= 24
    assert end.year in (dob.year + 16, dob.year + 17)


def test_rights_pass_to_the_young_person_after_the_end_of_school_age_unless_no_capacity():
    dob = dt.date(2010, 8, 31)
    before, after = dt.date(2026, 6, 26), dt.date(2026, 6, 27)
    assert rules.rights_holder(date_of_birth=dob, on=before, lacks_capacity=False) == "parent"
    assert rules.rights_holder(date_of_birth=dob, on=after, lacks_capacity=False) == "young_person"
    assert rules.rights_holder(date_of_birth=dob, on=after, lacks_capacity=True) == "parent"


def test_the_appeal_deadline_is_the_later_of_the_two_limits():
    a, b = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    assert rules.appeal_deadline(from_decision=a, from_certificate=b) == b
    assert rules.appeal_deadline(from_decision=b, from_certificate=a) == b


def test_age_and_median():
    assert rules.age_on(dt.date(2010, 5, 5), dt.date(2026, 5, 4)) == 15
    assert rules.age_on(dt.date(2010, 5, 5), dt.date(2026, 5, 5)) == 16
    assert rules.median_days([]) is None
    assert rules.median_days([3, 1, 2]) == 2
    assert rules.median_days([1, 2, 3, 4]) == 2.5


def test_the_run_sheet_keeps_the_statutory_order_with_the_la_last_before_discussion():
    sheet = rules.run_sheet(
        [("LA Officer", "la"), ("Parent", "parent"), ("SENCo", "school"), ("Nurse", "health")]
    )
    codes = [slot.code for slot in sheet]
    assert codes == ["introduction", "family", "school", "others", "la", "discussion", "actions"]
    speakers = {slot.code: slot.speakers for slot in sheet}
    assert speakers["family"] == ("Parent",)
    assert speakers["la"] == ("LA Officer",)
    assert speakers["others"] == ("Nurse",)
