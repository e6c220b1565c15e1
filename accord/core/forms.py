"""Form helpers shared by every app: domain errors onto forms and GOV.UK-style error summaries.

Forms in Accord only parse input; the rules live in services, which raise ``ValidationFailed``
with per-field messages. ``AccordForm.add_domain_error`` puts those messages on the form so that
one template (``core/includes/error_summary.html``) lists every problem with a link to its field,
and ``core/includes/field.html`` shows each message next to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from accord.core.errors import DomainError

#: What a date field accepts: the date picker's ISO value, or a typed UK date without one.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]
#: What a date-and-time field accepts: the browser picker's value, or a typed UK date and time.
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


@dataclass(frozen=True)
class SummaryItem:
    """One line of an error summary: the message and the id of the input it links to."""

    message: str
    href: str = ""


class AccordForm(forms.Form):
    """A form whose errors can come from a service and be listed in an error summary."""

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal on the form: field messages by their field, the rest on top."""
        placed = False
        for name, messages in exc.field_errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)

    @property
    def error_summary(self) -> list[SummaryItem]:
        """Every error, non-field ones first, each linking to the input it is about."""
        items = [SummaryItem(str(message)) for message in self.non_field_errors()]
        for bound in self:
            if not bound.errors:
                continue
            # Checkbox and radio groups have no input with the field's own id: link the first one.
            anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            items.extend(SummaryItem(str(message), f"#{anchor}") for message in bound.errors)
        return items


class StaffChoiceField(forms.ModelChoiceField):
    """A member of staff picked from a list, shown by name (or email, for someone unnamed).

    The view or form sets the queryset (usually ``organisations.selectors.staff_in``), so the
    list only ever offers staff of the user's own service.
    """

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email
