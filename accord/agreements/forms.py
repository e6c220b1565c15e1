"""Forms for the agreement pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from accord.core.forms import AccordForm


class ParticipantChoiceField(forms.ModelMultipleChoiceField):
    """Participants of the case, shown by name and role."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.get_role_display()})"


class OneParticipantField(forms.ModelChoiceField):
    """One participant of the case, shown by name."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class TemplateForm(AccordForm):
    """A service admin's wording for one kind of mediation."""

    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title."}
    )
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=(
            "Plain text. Leave a blank line between paragraphs; start a line with “## ” for a "
            "heading or “- ” for a bullet. Placeholders: {{service}}, {{parties}}, "
            "{{case_reference}}, {{mediators}}."
        ),
        error_messages={"required": "Enter the wording of the agreement."},
    )


class PrepareForm(AccordForm):
    """Prepare (or replace) the case's Agreement to Mediate, with any extra signers."""

    extra_signers = ParticipantChoiceField(
        label="Who else must sign? (optional)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every party signs. Add others who must sign too, such as a solicitor.",
    )

    def __init__(self, *args: Any, others: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_signers"].queryset = others  # type: ignore[attr-defined]


class WetInkForm(AccordForm):
    """Record a signature from an uploaded wet-ink signed copy."""

    participant = OneParticipantField(
        label="Who signed this copy?",
        queryset=None,
        empty_label="Choose who signed",
        error_messages={"required": "Choose who signed this copy."},
    )
    upload = forms.FileField(
        label="Signed copy",
        help_text="A scan or photo of the signed agreement: PDF, JPEG or PNG, up to 10 MB.",
        error_messages={"required": "Choose the signed copy to upload."},
    )

    def __init__(self, *args: Any, signers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = signers  # type: ignore[attr-defined]


class SignForm(AccordForm):
    """A participant signs: confirms they have read and agree, and types their name."""

    confirm = forms.BooleanField(
        label="I have read this document and I agree to it",
        required=False,
    )
    typed_name = forms.CharField(
        label="Type your full name to sign",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
