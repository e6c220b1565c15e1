"""Every change to agreement templates, Agreements to Mediate, signing packets and signatures.

The signing part is generic (purpose "agreement" here; the outcomes app uses it for outcome
documents): `signing_packet_create`, `signature_sign_online`, `signature_record_wet_ink` and
`packet_render_pdf`. A packet's text is frozen with its SHA-256 when it is created; each
signature records the SHA-256 of the text it was made against, checked equal at that moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accord.agreements import markup
from accord.agreements.gate import AGREEMENT, current_agreement_packet
from accord.agreements.models import (
    Agreement,
    AgreementTemplate,
    KindGroup,
    PacketStatus,
    Signature,
    SignatureMethod,
    SigningPacket,
)
from accord.audit.services import audit_record
from accord.cases import policy as case_policy
from accord.cases.models import PARTY_ROLES, Case, Participant
from accord.core.errors import NotFoundOrHidden, NotPermitted, ValidationFailed
from accord.organisations.models import Organisation
from accord.organisations.selectors import is_service_admin

PDF_TEMPLATE = "agreement-to-mediate"
TITLE_LIMIT = 200
BODY_LIMIT = 50_000
USER_AGENT_LIMIT = 300
WET_INK_LIMIT = 10 * 1024 * 1024
#: What a wet-ink copy may be, recognised by its first bytes, never by its name or declared type.
WET_INK_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def _case_for(actor: Any, case: Case, action: str) -> Case:
    """The case, row-locked; 404 if the actor cannot see it, 403 if they may not act on it."""
    from accord.cases.services import case_locked_for

    return case_locked_for(
        actor=actor,
        case=case,
        action=action,
        refusal="You do not have permission to manage signing on this case.",
    )


def _locked_packet(packet: SigningPacket) -> SigningPacket:
    try:
        return (
            SigningPacket.objects.select_for_update()
            .select_related("case", "case__organisation")
            .get(pk=packet.pk)
        )
    except SigningPacket.DoesNotExist:
        raise NotFoundOrHidden("No such document to sign.") from None


# Templates ------------------------------------------------------------------------------------


def kind_group_for(kind: str) -> str:
    """The wording group a case kind uses, as declared with the kind in `accord.cases.kinds`.

    Community mediation uses the civil wording.
    """
    from accord.cases.kinds import kind_spec

    return KindGroup(kind_spec(kind).agreement_wording)


def _check_body(title: str, body: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title = title.strip() if isinstance(title, str) else ""
    body = markup.normalise_newlines(body) if isinstance(body, str) else ""
    if not title:
        errors["title"] = ["Enter a title."]
    elif len(title) > TITLE_LIMIT:
        errors["title"] = [f"The title must be {TITLE_LIMIT} characters or fewer."]
    if not body.strip():
        errors["body"] = ["Enter the wording of the agreement."]
    elif len(body) > BODY_LIMIT:
        errors["body"] = [f"The wording must be {BODY_LIMIT:,} characters or fewer."]
    else:
        unknown = markup.unknown_placeholders(body)
        if unknown:
            known = ", ".join("{{" + name + "}}" for name in markup.PLACEHOLDERS)
            shown = ", ".join("{{" + name + "}}" for name in unknown)
            errors["body"] = [f"Unknown placeholder {shown}. Use only {known}."]
    if errors:
        raise ValidationFailed("The template could not be saved.", field_errors=errors)
    return title, body


def agreement_template_check(title: str, body: str) -> tuple[str, str]:
    """The title and wording tidied, or `ValidationFailed` naming `title` or `body` (the rules a
    save applies, also used to check a preview)."""
    return _check_body(title, body)


@transaction.atomic
def agreement_template_save(
    *, actor: Any, organisation: Organisation, kind_group: str, title: str, body: str
) -> AgreementTemplate:
    """Save a service's wording for a kind group as its next version (rows are never updated)."""
    if not is_service_admin(actor, organisation.pk):
        raise NotFoundOrHidden("No such page.")
    if kind_group not in KindGroup.values:
        raise ValidationFailed(
            "Choose a kind of mediation.", field_errors={"kind_group": ["Unknown kind."]}
        )
    title, body = _check_body(title, body)
    # Lock the service's row so two saves at once (even the very first) cannot take one number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    latest = AgreementTemplate.objects.filter(
        organisation=organisation, kind_group=kind_group
    ).aggregate(n=Max("version"))["n"]
    template = AgreementTemplate.objects.create(
        organisation=organisation,
        kind_group=kind_group,
        version=(latest or 0) + 1,
        title=title,
        body=body,
        created_by=actor,
    )
    audit_record(
        organisation_id=organisation.pk,
        actor=actor,
        action="agreements.template_saved",
        target=template,
        details={"kind_group": kind_group, "version": template.version},
    )
    return template


# Generic signing ------------------------------------------------------------------------------


@transaction.atomic
def signing_packet_create(
    *,
    actor: Any,
    case: Case,
    purpose: str,
    title: str,
    text: str,
    signers: Sequence[Participant],
    notify: bool = True,
) -> SigningPacket:
    """Freeze a text, with its SHA-256, for the named participants of the case to sign.

    With `notify`, each signer with portal access whom email can safely reach is emailed a link
    to the signing page (never the text itself).
    """
    case = _case_for(actor, case, "change")
    errors: dict[str, list[str]] = {}
    title = title.strip() if isinstance(title, str) else ""
    text = markup.normalise_newlines(text) if isinstance(text, str) else ""
    people = list(signers)
    if not purpose or len(purpose) > 40 or not purpose.replace("_", "").isalnum():
        errors["purpose"] = ["Give a short purpose code such as “agreement”."]
    if not title or len(title) > TITLE_LIMIT:
        errors["title"] = [f"Enter a title of up to {TITLE_LIMIT} characters."]
    if not text.strip():
        errors["text"] = ["There is no text to sign."]
    if not people:
        errors["signers"] = ["Choose who must sign."]
    elif any(p.case_id != case.pk for p in people):
        errors["signers"] = ["Choose participants of this case only."]
    elif len({p.pk for p in people}) != len(people):
        errors["signers"] = ["Choose each person only once."]
    if errors:
        raise ValidationFailed("The document to sign could not be prepared.", field_errors=errors)
    packet = SigningPacket.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        purpose=purpose,
        title=title,
        text=text,
        sha256=markup.sha256_of(text),
        created_by=actor,
    )
    packet.required.set(people)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="agreements.packet_created",
        target=packet,
        case_id=case.pk,
        details={
            "packet_id": packet.pk,
            "purpose": purpose,
            "sha256": packet.sha256,
            "signer_ids": sorted(p.pk for p in people),
        },
    )
    if notify:
        _email_signers(packet, people)
    return packet


def _email_signers(packet: SigningPacket, people: Sequence[Participant]) -> None:
    """Tell each signer with portal access that a document waits for them, by a link only."""
    from django.urls import reverse

    from accord.deadlines.conf import site_url
    from accord.deadlines.outbox import email_enqueue

    base = site_url()
    for person in people:
        if not person.portal_access or person.user_id is None or not person.can_be_emailed:
            continue
        path = reverse(
            "agreements:portal_sign", kwargs={"case_pk": packet.case_id, "packet_pk": packet.pk}
        )
        link = (
            f"Sign in to read and sign it: {base}{path}" if base else "Sign in to read and sign it."
        )
        email_enqueue(
            organisation_id=packet.organisation_id,
            key=f"agreements.{packet.pk}.to-sign.{person.pk}",
            to_email=person.email,
            subject="A document is waiting for you to sign",
            # Dropped at delivery if they have signed by then, or the document was replaced.
            still_relevant=("agreements.to_sign", f"{packet.pk}.{person.pk}"),
            body=(
                "Hello,\n\nYour mediation service has a document for you to read and sign "
                f"online.\n\n{link}\n"
            ),
        )


def signing_email_still_relevant(ref: str) -> str:
    """Why a "please sign" email should no longer go out, or "" to send it."""
    try:
        packet_id, participant_id = (int(part) for part in ref.split("."))
        packet = SigningPacket.objects.get(pk=packet_id)
    except (ValueError, SigningPacket.DoesNotExist):
        return "The document to sign no longer exists."
    if packet.status == PacketStatus.VOID:
        return "The document was replaced before the email went out."
    if packet.signatures.filter(participant_id=participant_id).exists():
        return "They signed before the email went out."
    return ""


@transaction.atomic
def signing_packet_void(*, actor: Any, packet: SigningPacket) -> SigningPacket:
    """Mark a packet replaced: nobody can sign it any more; its signatures stay as they were."""
    packet = _locked_packet(packet)
    case = _case_for(actor, packet.case, "change")
    if packet.status == PacketStatus.VOID:
        return packet
    packet.status = PacketStatus.VOID
    packet.save(update_fields=["status", "updated_at"])
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="agreements.packet_voided",
        target=packet,
        case_id=case.pk,
        details={"packet_id": packet.pk, "purpose": packet.purpose},
    )
    return packet


def _check_untampered(packet: SigningPacket) -> str:
    """The SHA-256 of the packet's text now, refusing to go on if it differs from the frozen one."""
    digest = markup.sha256_of(packet.text)
    if digest != packet.sha256:
        raise ValidationFailed(
            "This document has changed since it was prepared, so it cannot be signed. "
            "Ask the mediation service to prepare it again."
        )
    return digest


def _complete_if_everyone_signed(packet: SigningPacket, actor: Any) -> None:
    signed = set(packet.signatures.values_list("participant_id", flat=True))
    required = set(packet.required.values_list("pk", flat=True))
    if required <= signed and packet.status == PacketStatus.OPEN:
        packet.status = PacketStatus.COMPLETE
        packet.save(update_fields=["status", "updated_at"])
        if packet.purpose == AGREEMENT:
            from accord.cases.progress import case_advance

            case_advance(actor=actor, case=packet.case, event="agreement_signed")


@transaction.atomic
def signature_sign_online(
    *,
    user: Any,
    packet: SigningPacket,
    typed_name: str,
    confirm: bool,
    ip: str | None,
    user_agent: str,
) -> Signature:
    """A participant signs a packet's exact text online by confirming and typing their name."""
    packet = _locked_packet(packet)
    case = packet.case
    if not case_policy.can(user, "view", case):
        raise NotFoundOrHidden("No such document to sign.")
    signer = packet.required.filter(user_id=user.pk, portal_access=True).order_by("id").first()
    if signer is None:
        raise NotPermitted("You are not asked to sign this document.")
    if packet.status == PacketStatus.VOID:
        raise ValidationFailed("This document has been replaced; sign the new one instead.")
    if packet.signatures.filter(participant=signer).exists():
        raise ValidationFailed("You have already signed this document.")
    errors: dict[str, list[str]] = {}
    typed_name = typed_name.strip() if isinstance(typed_name, str) else ""
    if confirm is not True:
        errors["confirm"] = ["Tick the box to confirm you have read and agree to the document."]
    if not typed_name:
        errors["typed_name"] = ["Type your full name to sign."]
    elif not markup.names_match(typed_name, signer.full_name):
        errors["typed_name"] = [
            f"Type your full name exactly as the mediation service has it: {signer.full_name}."
        ]
    if errors:
        raise ValidationFailed("The document could not be signed.", field_errors=errors)
    digest = _check_untampered(packet)
    signature = Signature.objects.create(
        packet=packet,
        participant=signer,
        method=SignatureMethod.ONLINE,
        typed_name=" ".join(typed_name.split())[:TITLE_LIMIT],
        signed_at=timezone.now(),
        ip_address=ip or None,
        user_agent=(user_agent or "")[:USER_AGENT_LIMIT],
        text_sha256=digest,
        recorded_by=user,
    )
    _complete_if_everyone_signed(packet, user)
    # The signer may not produce documents, so Accord itself adds the new signature to the PDF's
    # certificate page in the background; a failure there never undoes the signature.
    from accord.agreements.tasks import packet_pdf_refresh
    from accord.deadlines.tasks import enqueue_after_commit

    enqueue_after_commit(packet_pdf_refresh, packet.pk, signature.pk)
    audit_record(
        organisation_id=case.organisation_id,
        actor=user,
        action="agreements.signed_online",
        target=signature,
        case_id=case.pk,
        details={"packet_id": packet.pk, "participant_id": signer.pk, "sha256": digest},
    )
    return signature


def _sniff(content: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in WET_INK_TYPES:
        if content.startswith(magic):
            return content_type, extension
    return None


def signature_record_wet_ink(
    *,
    actor: Any,
    packet: SigningPacket,
    participant: Participant,
    upload: Any,
    produce_pdf: bool = False,
) -> Signature:
    """The case team records a participant's signature from an uploaded wet-ink signed copy.

    `upload` is a Django `UploadedFile` (or anything with `size` and `read()`). Its type is
    recognised from its content (PDF, JPEG or PNG), never from its name or declared type.
    With `produce_pdf` the packet's PDFs are produced again once the signature is stored, in
    their own short transaction (`packet_render_pdf`), so no other writer waits for the render.
    """
    signature = _wet_ink_record(actor=actor, packet=packet, participant=participant, upload=upload)
    if produce_pdf:
        packet_render_pdf(actor=actor, packet=packet)
    return signature


@transaction.atomic
def _wet_ink_record(
    *, actor: Any, packet: SigningPacket, participant: Participant, upload: Any
) -> Signature:
    from accord.documents.services import document_store_upload

    packet = _locked_packet(packet)
    case = _case_for(actor, packet.case, "change")
    errors: dict[str, list[str]] = {}
    if packet.status == PacketStatus.VOID:
        raise ValidationFailed("This document has been replaced; record signatures on the new one.")
    if participant is None or not packet.required.filter(pk=participant.pk).exists():
        errors["participant"] = ["Choose someone who is asked to sign this document."]
    elif packet.signatures.filter(participant=participant).exists():
        errors["participant"] = [f"{participant.full_name} has already signed this document."]
    size = getattr(upload, "size", None)
    content = b""
    if upload is None or not size:
        errors["upload"] = ["Choose the signed copy to upload."]
    elif size > WET_INK_LIMIT:
        errors["upload"] = ["The file is larger than 10 MB. Scan it at a lower resolution."]
    else:
        content = upload.read(WET_INK_LIMIT + 1)
        if len(content) > WET_INK_LIMIT:
            errors["upload"] = ["The file is larger than 10 MB. Scan it at a lower resolution."]
        elif _sniff(content) is None:
            errors["upload"] = ["The signed copy must be a PDF, JPEG or PNG file."]
    if errors:
        raise ValidationFailed("The signed copy could not be recorded.", field_errors=errors)
    kind = _sniff(content)
    assert kind is not None  # checked above
    content_type, extension = kind
    digest = _check_untampered(packet)
    version = document_store_upload(
        actor=actor,
        case=case,
        title=f"{packet.title}: signed copy ({participant.full_name})",
        content=content,
        file_name=f"signed-copy.{extension}",
        content_type=content_type,
        document_code=f"{packet.document_code}-wet-ink-{participant.pk}",
    )
    signature = Signature.objects.create(
        packet=packet,
        participant=participant,
        method=SignatureMethod.WET_INK,
        signed_at=timezone.now(),
        text_sha256=digest,
        wet_ink_version=version,
        recorded_by=actor,
    )
    _complete_if_everyone_signed(packet, actor)
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="agreements.wet_ink_recorded",
        target=signature,
        case_id=case.pk,
        details={"packet_id": packet.pk, "participant_id": participant.pk, "version": version.pk},
    )
    return signature


def packet_render_pdf(*, actor: Any, packet: SigningPacket) -> Any:
    """Produce the packet's PDFs with a signing certificate of every signature so far.

    Two documents: the case team's copy, whose certificate shows each signature's IP address and
    user agent, and the signers' copy without them (a party must never learn another's IP
    address), which is shared with every signer who has portal access. Returns the team's
    version.

    Both are rendered before the short transaction that stores them (accord.documents.produce):
    if someone signs, or the packet is voided, while they render, they are rendered again.
    """
    from accord.documents.produce import render_then_store
    from accord.documents.services import document_prepare_pdf

    def look(lock: bool) -> tuple[SigningPacket, Case, dict[str, Any]]:
        return _packet_look(actor, packet, lock=lock)

    def render(seen: tuple[SigningPacket, Case, dict[str, Any]]) -> tuple[Any, Any]:
        _, case, base = seen
        return tuple(  # type: ignore[return-value]
            document_prepare_pdf(
                actor=actor,
                case=case,
                template_code=PDF_TEMPLATE,
                context={**base, "show_technical": technical},
            )
            for technical in (True, False)
        )

    return render_then_store(
        look=look,
        render=render,
        store=lambda now, rendered: _packet_store(actor, now[0], now[1], *rendered),
        says=lambda seen: seen[2],
        refusal="The document kept changing while its PDF was being made. Try again.",
    )


def _packet_look(
    actor: Any, packet: SigningPacket, *, lock: bool
) -> tuple[SigningPacket, Case, dict[str, Any]]:
    """The packet, its case and what its PDFs say; the rows locked with `lock`."""
    from accord.documents.services import AUTOMATIC

    if lock:
        packet = _locked_packet(packet)
    else:
        found = SigningPacket.objects.select_related("case", "case__organisation").filter(
            pk=packet.pk
        )
        packet = found.first()  # type: ignore[assignment]
        if packet is None:
            raise NotFoundOrHidden("No such document to sign.")
    if actor is AUTOMATIC:
        case = Case.objects.select_related("organisation").get(pk=packet.case_id)
    elif lock:
        case = _case_for(actor, packet.case, "change")
    else:
        case = packet.case
        if not case_policy.can(actor, "view_workspace", case):
            raise NotFoundOrHidden("No such case.")
        if not case_policy.can(actor, "change", case):
            raise NotPermitted("You do not have permission to manage signing on this case.")
    signatures = list(packet.signatures.select_related("participant").order_by("signed_at", "id"))
    base = {
        "packet_title": packet.title,
        "packet_sha256": packet.sha256,
        "packet_status": packet.get_status_display(),
        "body_html": _safe(markup.to_html(packet.text)),
        "signers": [p.full_name for p in packet.required.order_by("id")],
        "signatures": [
            {
                "name": s.participant.full_name,
                "typed_name": s.typed_name,
                "signed_at": s.signed_at,
                "ip_address": s.ip_address or "",
                "user_agent": s.user_agent,
                "text_sha256": s.text_sha256,
                "method": s.get_method_display(),
            }
            for s in signatures
        ],
    }
    return packet, case, base


def _packet_store(actor: Any, packet: SigningPacket, case: Case, team: Any, shared: Any) -> Any:
    """Store both rendered copies and share the signers' one (inside the short transaction)."""
    from accord.documents.services import document_share, document_store

    team_version = document_store(
        actor=actor,
        case=case,
        rendered=team,
        title=f"{packet.title} (with signing certificate)",
        document_code=packet.document_code,
    )
    shared_version = document_store(
        actor=actor,
        case=case,
        rendered=shared,
        title=packet.title,
        document_code=f"{packet.document_code}-signers",
    )
    document_share(
        actor=actor,
        version=shared_version,
        participants=list(packet.required.filter(portal_access=True, user__isnull=False)),
    )
    return team_version


def packet_pdf_refresh_after_signature(*, packet_id: int, signature_id: int) -> bool:
    """Produce the signed PDFs again so their certificate page lists a new online signature.

    Run by Accord itself after a party signs (see `signature_sign_online`). Idempotent: does
    nothing if the packet is void, or if a version produced after the signature exists already
    (a staff member made one, or the job ran before). Returns whether it produced a version.
    """
    from accord.documents.models import DocumentVersion
    from accord.documents.services import AUTOMATIC

    packet = SigningPacket.objects.filter(pk=packet_id).first()
    signature = Signature.objects.filter(pk=signature_id, packet_id=packet_id).first()
    if packet is None or signature is None or packet.status == PacketStatus.VOID:
        return False
    newer = DocumentVersion.objects.filter(
        document__case_id=packet.case_id,
        document__code=packet.document_code,
        produced_at__gte=signature.signed_at,
    )
    if newer.exists():
        return False
    packet_render_pdf(actor=AUTOMATIC, packet=packet)
    return True


def _safe(html: str) -> Any:
    """Mark the markup module's output safe: it escapes every character of the text itself."""
    from django.utils.safestring import mark_safe

    return mark_safe(html)  # noqa: S308 - built by markup.to_html, which escapes all text


# Agreements to Mediate ------------------------------------------------------------------------


def _names(values: Sequence[str]) -> str:
    names = [v for v in values if v]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def agreement_text(case: Case, title: str, body: str) -> str:
    """The exact wording of a case's agreement: the template body with placeholders filled."""
    parties = case.participants.filter(role__in=PARTY_ROLES).order_by("id")
    mediators = [m.full_name for m in (case.lead_mediator, case.co_mediator) if m is not None]
    values = {
        "service": case.organisation.name,
        "parties": _names([p.full_name for p in parties]),
        "case_reference": case.reference,
        "mediators": _names(mediators) or "the mediator",
    }
    return markup.fill(body, values)


def agreement_create(
    *,
    actor: Any,
    case: Case,
    extra_signers: Sequence[Participant] = (),
    produce_pdf: bool = False,
) -> Agreement:
    """Prepare the case's Agreement to Mediate from the current wording for its kind.

    Every party-role participant must sign, plus any others the team adds (a solicitor, say).
    An existing agreement is replaced: it is voided and keeps its own signatures, which never
    move to the new text. With `produce_pdf` the first PDF is produced and shared at once,
    after the agreement is stored and in its own short transaction (`packet_render_pdf`).
    """
    agreement = _agreement_create(actor=actor, case=case, extra_signers=extra_signers)
    if produce_pdf:
        packet_render_pdf(actor=actor, packet=agreement.packet)
    return agreement


@transaction.atomic
def _agreement_create(
    *, actor: Any, case: Case, extra_signers: Sequence[Participant] = ()
) -> Agreement:
    from accord.agreements.selectors import template_current

    case = _case_for(actor, case, "change")
    if case.is_closed:
        raise ValidationFailed("The case is closed, so no agreement can be prepared.")
    group = kind_group_for(case.kind)
    wording = template_current(organisation_id=case.organisation_id, kind_group=group)
    bad = markup.unknown_placeholders(wording.body)
    if bad:
        raise ValidationFailed("The agreement wording has unknown placeholders; edit it first.")
    parties = list(case.participants.filter(role__in=PARTY_ROLES).order_by("id"))
    extras = [p for p in extra_signers if p.pk not in {q.pk for q in parties}]
    if any(p.case_id != case.pk for p in extras):
        raise ValidationFailed(
            "Choose participants of this case only.",
            field_errors={"extra_signers": ["Choose participants of this case only."]},
        )
    if not parties:
        raise ValidationFailed(
            "Add the parties to the case before preparing the agreement.",
            field_errors={"__all__": ["The case has no parties yet."]},
        )
    old = current_agreement_packet(case)
    if old is not None:
        signing_packet_void(actor=actor, packet=old)
    packet = signing_packet_create(
        actor=actor,
        case=case,
        purpose=AGREEMENT,
        title=wording.title,
        text=agreement_text(case, wording.title, wording.body),
        signers=[*parties, *extras],
    )
    agreement = Agreement.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        packet=packet,
        kind_group=group,
        template_version=wording.version,
        created_by=actor,
    )
    audit_record(
        organisation_id=case.organisation_id,
        actor=actor,
        action="agreements.agreement_created",
        target=agreement,
        case_id=case.pk,
        details={
            "packet_id": packet.pk,
            "kind_group": group,
            "template_version": wording.version,
            "replaced_packet_id": old.pk if old else None,
        },
    )
    return agreement
