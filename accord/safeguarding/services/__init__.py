"""Every change to safeguarding records: restricted, validated, audited, atomic.

Audit events written here are always `visibility="restricted"`, and their details carry ids and
kinds only, never what was alleged, shared or referred: the audit trail is read by more people,
for longer, than these records. Deadlines are created in the deadline engine, also restricted.

- `concerns`: raising a concern, the threshold decision, closing a concern;
- `referrals`: the self-referral clock, the service's referral, and the disclosure log;
- `pause`: pausing the mediation while an investigation is open, and resuming or ending it;
- `common`: the pause guard other apps call (`ensure_case_not_paused`) and shared checks.
See docs/safeguarding.md.
"""

from accord.safeguarding.services.common import (
    NEUTRAL_END_REASON,
    PARENT_ROLES,
    RESTRICTED,
    SELF_REFERRAL_RULE,
    SERVICE_REFERRAL_RULE,
    SESSION_STAGES,
    CasePaused,
    ensure_case_not_paused,
    ensure_stage_allowed_while_paused,
)
from accord.safeguarding.services.concerns import (
    concern_close,
    concern_raise,
    consulted_role_of,
    threshold_decide,
)
from accord.safeguarding.services.pause import investigation_open, mediation_resume_or_end
from accord.safeguarding.services.referrals import (
    disclosure_record,
    referral_record,
    self_referral_confirm,
    self_referral_lapse,
    self_referral_offer,
    self_referrals_lapse_due,
)

__all__ = [
    "NEUTRAL_END_REASON",
    "PARENT_ROLES",
    "RESTRICTED",
    "SELF_REFERRAL_RULE",
    "SERVICE_REFERRAL_RULE",
    "SESSION_STAGES",
    "CasePaused",
    "concern_close",
    "concern_raise",
    "consulted_role_of",
    "disclosure_record",
    "ensure_case_not_paused",
    "ensure_stage_allowed_while_paused",
    "investigation_open",
    "mediation_resume_or_end",
    "referral_record",
    "self_referral_confirm",
    "self_referral_lapse",
    "self_referral_offer",
    "self_referrals_lapse_due",
    "threshold_decide",
]
