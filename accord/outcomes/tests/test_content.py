"""The pure outcome content: money, Cafcass headings, pre-filling and section checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.outcomes import content as c


def test_amounts_are_parsed_pence_exact_and_formatted_with_pounds_and_commas():
    assert c.parse_amount("1234.5") == Decimal("1234.50")
    assert c.parse_amount("£1,234.50") == Decimal("1234.50")
    assert c.parse_amount("  ") is None
    assert c.format_pounds(Decimal("1234.5")) == "£1,234.50"
    assert c.format_pounds("1000000") == "£1,000,000.00"
    assert c.format_pounds(None) == ""


@pytest.mark.parametrize("bad", ["12.345", "ten pounds", "-5", "1e3", "100000000"])
def test_bad_amounts_are_refused_with_a_clear_message(bad):
    with pytest.raises(c.MoneyError) as exc:
        c.parse_amount(bad)
    assert "pounds" in str(exc.value) or "£100,000,000" in str(exc.value)


def _item(title, wording="Agreed.", topic="child_arrangements", children=True):
    return c.AgreedItem(title=title, wording=wording, topic=topic, touches_children=children)


def test_a_parenting_plan_suggests_a_cafcass_heading_for_each_childrens_item():
    sections = c.prefill(
        c.PARENTING_PLAN,
        [
            _item("School holidays", "Two weeks each in summer."),
            _item("Weekends", "Alternate weekends."),
            _item("Maintenance", "£300 a month.", topic="child_maintenance"),
            _item("The house", "Sold.", topic="property", children=False),
        ],
        ["A", "B"],
    )
    assert [(i["title"], i["heading"]) for i in sections["items"]] == [
        ("School holidays", "holidays"),
        ("Weekends", "living_arrangements"),
        ("Maintenance", "money"),
    ]
    assert "Sold." not in str(sections)
    assert sections["empty_headings"] == c.TO_DISCUSS


def test_the_mediator_chooses_the_heading_and_what_empty_headings_do():
    raw = {
        "item_1_title": "School-week routine",
        "item_1_wording": "Mon to Thu with Ann.",
        "item_1_heading": "living_arrangements",
        "empty_headings": c.OMIT,
        "review_date": "2027-06-01",
    }
    sections, errors = c.clean_sections(c.PARENTING_PLAN, raw)
    assert errors == {}
    blocks = c.plan_blocks(sections)
    assert [b["key"] for b in blocks] == ["living_arrangements"]
    assert blocks[0]["entries"] == ["School-week routine: Mon to Thu with Ann."]
    sections["empty_headings"] = c.TO_DISCUSS
    blocks = c.plan_blocks(sections)
    assert len(blocks) == len(c.CAFCASS_HEADINGS)
    assert [b["to_discuss"] for b in blocks].count(False) == 1
    _, errors = c.clean_sections(
        c.PARENTING_PLAN,
        {**raw, "item_1_heading": "nowhere", "empty_headings": "x", "review_date": "2027-02-30"},
    )
    assert set(errors) == {"item_1_heading", "empty_headings", "review_date"}
    assert c.clean_sections(c.PARENTING_PLAN, c.as_fields(c.PARENTING_PLAN, sections))[1] == {}


def test_an_mou_is_prefilled_with_every_agreed_items_wording():
    sections = c.prefill(c.MOU, [_item("Weekends", "Alternate weekends.")], ["Ann", "Ben"])
    assert sections["items"] == [{"title": "Weekends", "wording": "Alternate weekends."}]
    assert "Ann and Ben" in sections["introduction"]


def test_settlement_terms_are_cleaned_and_bad_money_names_the_field():
    raw = {
        "parties": "Acme Ltd\nCarol Brown",
        "confidentiality": "Confidential.",
        "term_1_description": "Acme pays Carol",
        "term_1_amount": "£1,234.5",
        "term_1_due_date": "2026-12-31",
        "term_1_who": "Acme Ltd",
        "term_2_description": "",
        "term_2_amount": "",
        "term_3_description": "Refund",
        "term_3_amount": "12.345",
        "term_3_due_date": "31st of never",
    }
    sections, errors = c.clean_sections(c.SETTLEMENT, raw)
    assert errors == {
        "term_3_amount": ["Enter an amount in pounds and pence, like 1234.50."],
        "term_3_due_date": ["Enter a real date, for example 31/12/2026."],
    }
    assert sections["terms"][0] == {
        "description": "Acme pays Carol",
        "amount": "1234.50",
        "due_date": "2026-12-31",
        "who": "Acme Ltd",
    }
    assert len(sections["terms"]) == 2


def test_required_sections_and_round_trip_through_form_fields():
    _, errors = c.clean_sections(c.SETTLEMENT, {"parties": "", "confidentiality": ""})
    assert set(errors) == {"parties", "confidentiality", "term_1_description"}
    sections = c.prefill(c.MOU, [_item("Weekends")], ["Ann"])
    again, errors = c.clean_sections(c.MOU, c.as_fields(c.MOU, sections))
    assert errors == {} and again == sections
