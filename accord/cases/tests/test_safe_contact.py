"""The one rule every email, letter and reminder follows: a person's safe contact methods."""

from __future__ import annotations

import pytest

from accord.cases.models import Participant


@pytest.mark.parametrize(
    ("methods", "email", "by_email", "by_post", "emailable"),
    [
        ([], "a@example.org", True, True, True),  # nothing recorded: nothing ruled out
        (["email", "portal"], "a@example.org", True, False, True),
        (["phone"], "a@example.org", False, False, False),
        (["post"], "a@example.org", False, True, False),
        (["email"], "", True, False, False),  # safe, but no address to write to
    ],
)
def test_safe_contact_methods_decide_how_a_person_may_be_reached(
    methods, email, by_email, by_post, emailable
):
    person = Participant(full_name="A Person", email=email, safe_contact_methods=methods)
    assert person.safe_to_contact_by("email") is by_email
    assert person.safe_to_contact_by("post") is by_post
    assert person.can_be_emailed is emailable
