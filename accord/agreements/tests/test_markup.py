"""The agreement markup: placeholders, escaping, hashing and name matching (no Django)."""

from __future__ import annotations

from accord.agreements import markup


def test_known_placeholders_are_filled_and_spaces_inside_braces_are_allowed():
    body = "Between {{parties}} and {{ service }} on {{case_reference}}."
    assert markup.unknown_placeholders(body) == []
    filled = markup.fill(body, {"parties": "A and B", "service": "S", "case_reference": "R-1"})
    assert filled == "Between A and B and S on R-1."


def test_unknown_placeholders_are_found_including_template_tricks():
    body = "{{ case.delete }} {{service}} {{ settings.SECRET_KEY }} {{service}}"
    assert markup.unknown_placeholders(body) == ["case.delete", "settings.SECRET_KEY"]


def test_html_is_escaped_and_template_tags_stay_literal():
    html = markup.to_html("{% load static %}\n\n<script>alert(1)</script> & more")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<p>{% load static %}</p>" in html


def test_markup_makes_headings_paragraphs_and_bullets():
    html = markup.to_html("## Fees\nYou pay.\n- one\n- two <b>\n\nLast line\nnext")
    assert html == (
        "<h2>Fees</h2>\n<p>You pay.</p>\n<ul><li>one</li><li>two &lt;b&gt;</li></ul>\n"
        "<p>Last line<br>next</p>"
    )


def test_the_same_wording_hashes_the_same_whatever_the_line_endings():
    one = markup.normalise_newlines("a  \r\nb\r\n")
    two = markup.normalise_newlines("a\nb")
    assert one == two
    assert markup.sha256_of(one) == markup.sha256_of(two)
    assert markup.sha256_of("a") != markup.sha256_of("b")
    assert len(markup.sha256_of("a")) == 64


def test_names_match_ignores_case_and_spacing_but_not_spelling():
    assert markup.names_match("  alice   SMITH ", "Alice Smith")
    assert not markup.names_match("Alice Smyth", "Alice Smith")
    assert not markup.names_match("   ", "")
