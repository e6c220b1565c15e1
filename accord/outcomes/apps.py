"""Written outcomes: Memorandum of Understanding, parenting plan and settlement agreements."""

from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """Registers the outcomes app and its built-in document templates."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "accord.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from accord.documents import builtin

        # Shipped with the code; a service may override any of them with its own template row.
        for code, name, file in (
            ("outcome-mou", "Memorandum of Understanding", "mou"),
            ("outcome-parenting-plan", "Parenting plan", "parenting_plan"),
            ("outcome-settlement", "Settlement agreement", "settlement"),
            ("outcome-written-agreement", "Written mediation agreement", "written_agreement"),
        ):
            builtin.register(
                code=code,
                name=name,
                kind="html",
                version=1,
                template_name=f"outcomes/documents/{file}.html",
            )
        # The parenting plan is also issued as an editable Word document.
        builtin.register(
            code="outcome-parenting-plan",
            name="Parenting plan (Word)",
            kind="docx",
            version=1,
            template_name="accord.outcomes.docx:parenting_plan.docx",
        )
