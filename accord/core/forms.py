"""Form helpers shared by every app: domain errors onto forms and GOV.UK-style error summaries.

Forms in Accord only parse input; the rules live in services, which raise ``ValidationFailed``
with per-field messages. ``AccordForm.add_domain_error`` puts those messages on the form so that
one template (``core/includes/error_summary.html``) lists every problem with a link to its field,
and ``core/includes/field.html`` shows each message next to the field it is about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms

from accord.calendar.typed import parse_typed_date
from accord.core.errors import DomainError

#: Kept for code that still names formats; ``DateField`` reads far more than these.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]
#: The hint every date box shows: the shape we ask for (any usual shape is accepted).
DATE_HINT = "For example, 5 12 2026."
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


F = TypeVar("F", bound=forms.Field)


def needed_when(field: F) -> F:
    """Mark a field that is required in some cases (its hint says when), so it is not labelled
    "(optional)": Accord labels only what may always be left empty as optional."""
    field.conditionally_required = True  # type: ignore[attr-defined]
    return field


class DateInput(forms.TextInput):
    """A plain text box for a date, shown day first.

    Accord uses one date pattern everywhere: a text box with a hint, not the browser's date
    picker, because a picker shows the browser's own order (mm/dd/yyyy on many machines) and
    refuses what people type; see docs/accessibility.md.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "text", "spellcheck": "false", "class": "input-date"}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):
            return f"{value.day} {value.month} {value.year}"
        return super().format_value(value)


class DateField(forms.DateField):
    """A date as a person types it: "5/12/2026", "5 Dec 2026", "05-12-2026" or "2026-12-05".

    ``what`` names the date in the error ("the date of birth"); the hint is ``DATE_HINT``
    followed by any ``help_text`` given.
    """

    widget = DateInput

    def __init__(
        self,
        *,
        what: str = "the date",
        help_text: str = "",
        autocomplete: str = "",
        error_messages: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        messages = {
            "required": f"Enter {what}.",
            "invalid": f"Enter {what} as a real date, like 5 12 2026.",
            **(error_messages or {}),
        }
        hint = f"{DATE_HINT} {help_text}".strip()
        kwargs.pop("input_formats", None)
        super().__init__(help_text=hint, error_messages=messages, **kwargs)
        if autocomplete:
            self.widget.attrs["autocomplete"] = autocomplete

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        parsed = parse_typed_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class StaffChoiceField(forms.ModelChoiceField):
    """A member of staff picked from a list, shown by name (or email, for someone unnamed).

    The view or form sets the queryset (usually ``organisations.selectors.staff_in``), so the
    list only ever offers staff of the user's own service.
    """

    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email
