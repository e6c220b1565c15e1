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
from django.utils import timezone

from accord.calendar.typed import parse_typed_date
from accord.core.date_bounds import DateBounds, bounds_for_name
from accord.core.errors import DomainError
from accord.core.text import text_problem, text_tidy_search

#: Kept for code that still names formats; ``DateField`` reads far more than these.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %m %Y"]
#: The hint every date box shows: the shape we ask for (any usual shape is accepted).
DATE_HINT = "For example, 5 12 2026."
#: A date of birth's hint: an example in the past, as GOV.UK's date input advises.
BIRTH_DATE_HINT = "For example, 27 3 1985."
#: What a date-and-time field accepts: the browser picker's value, or a typed UK date and time.
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


@dataclass(frozen=True)
class SummaryItem:
    """One line of an error summary: the message and the id of the input it links to."""

    message: str
    href: str = ""


def clean_typed_text(form: forms.BaseForm) -> None:
    """Refuse control and text-direction characters in every text field of a cleaned form.

    Which rule applies follows the widget: a ``Textarea`` is multi-line (tabs and line breaks
    allowed), a ``SearchInput`` is tidied rather than refused, a ``PasswordInput`` is left
    alone (a password is never shown), and anything else is one line (see accord.core.text).
    Call after the fields are cleaned; a refused field leaves ``cleaned_data``.
    """
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if not isinstance(value, str) or isinstance(field.widget, forms.PasswordInput):
            continue
        if isinstance(field.widget, forms.SearchInput):
            form.cleaned_data[name] = text_tidy_search(value).strip()
            continue
        problem = text_problem(value, multiline=isinstance(field.widget, forms.Textarea))
        if problem is not None:
            form.add_error(name, forms.ValidationError(problem.message, code=problem.code))


def clean_date_ranges(form: forms.BaseForm) -> None:
    """Refuse dates outside each field's sane range (accord.core.date_bounds).

    A field may set ``field.date_bounds`` (a `DateBounds`); otherwise its name decides (a
    ``date_of_birth`` cannot be in the future), and otherwise 1900 to ten years ahead. Date
    and time fields are judged by their date in the service's time zone.
    """
    today = timezone.localdate()
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if isinstance(value, dt.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if not isinstance(value, dt.date):
            continue
        bounds = getattr(field, "date_bounds", None)
        if not isinstance(bounds, DateBounds):
            bounds = bounds_for_name(name)
        problem = bounds.problem(value, today=today)
        if problem is not None:
            form.add_error(name, forms.ValidationError(problem, code="date_out_of_range"))


class AccordForm(forms.Form):
    """A form whose errors can come from a service and be listed in an error summary.

    Every text field refuses control characters and text-direction tricks (`clean_typed_text`),
    and every date field dates outside its sane range (`clean_date_ranges`), so no form has to
    remember to.
    """

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        clean_typed_text(self)
        clean_date_ranges(self)

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
        example = BIRTH_DATE_HINT if autocomplete == "bday" else DATE_HINT
        hint = f"{example} {help_text}".strip()
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
