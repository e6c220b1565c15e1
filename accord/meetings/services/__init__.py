"""Every change to MIAMs: validated against the case and the service, audited, atomic.

- `miams`: booking a MIAM (or recording one after the fact), recording that it was held, the
  confirmation and reminder emails, and the warnings before booking;
- `miam_changes`: moving, cancelling, did-not-attend, the calendar file, stale-email checks;
- `screening`: private screening (restricted) and the suitability decision;
- `funding`: legal aid, the Family Mediation Voucher and private fees, per party;
- `certificates`: MIAM certificates signed by the accredited mediator;
- `common`: the locked case lookup the others share.
See docs/miam.md.
"""

from accord.meetings.services.certificates import (
    CERTIFICATE_TEMPLATE,
    CERTIFICATE_VALIDITY_RULE,
    certificate_refusal,
    certificate_signature_statement,
    miam_certificate_issue,
    miam_certificate_valid_until,
)
from accord.meetings.services.funding import (
    CHILD_ARRANGEMENTS_KINDS,
    funding_record,
    voucher_limit_on,
)
from accord.meetings.services.miam_changes import (
    miam_cancel,
    miam_ics,
    miam_mark_did_not_attend,
    miam_move,
)
from accord.meetings.services.miams import (
    MAX_MINUTES,
    MIAM_DEADLINE_RULE,
    MIN_MINUTES,
    REMINDER_WINDOW,
    miam_book,
    miam_record_held,
    miam_reminders_send_due,
)
from accord.meetings.services.screening import (
    RESTRICTED,
    SCREENING_NOTES_LIMIT,
    screening_raise_concern,
    screening_repeat,
    screening_save,
    screening_suggestion,
    suitability_decide,
)

__all__ = [
    "CERTIFICATE_TEMPLATE",
    "CERTIFICATE_VALIDITY_RULE",
    "CHILD_ARRANGEMENTS_KINDS",
    "MAX_MINUTES",
    "MIAM_DEADLINE_RULE",
    "MIN_MINUTES",
    "REMINDER_WINDOW",
    "RESTRICTED",
    "SCREENING_NOTES_LIMIT",
    "certificate_refusal",
    "certificate_signature_statement",
    "funding_record",
    "miam_book",
    "miam_cancel",
    "miam_certificate_issue",
    "miam_certificate_valid_until",
    "miam_ics",
    "miam_mark_did_not_attend",
    "miam_move",
    "miam_record_held",
    "miam_reminders_send_due",
    "screening_raise_concern",
    "screening_repeat",
    "screening_save",
    "screening_suggestion",
    "suitability_decide",
    "voucher_limit_on",
]
