"""What each stage of a case means, in plain words for the people taking part.

Staff see the workflow's short stage labels; participants see these sentences instead. Pure
Python, keyed by workflow name and stage code, so a new stage without a sentence falls back to
its label rather than failing.
"""

from __future__ import annotations

from collections.abc import Iterable

_FAMILY = {
    "enquiry": "The service has the enquiry and is checking the details before going further.",
    "willingness": (
        "The service is asking the other person whether they are willing to try mediation. "
        "Nobody has to take part."
    ),
    "miam": (
        "Each person meets a mediator on their own for a Mediation Information and Assessment "
        "Meeting (MIAM), to hear how mediation works and whether it is right for them."
    ),
    "suitability": (
        "The mediator is deciding whether mediation can go ahead, and if so whether you meet "
        "together or the mediator goes between you in separate rooms (shuttle mediation)."
    ),
    "agreement": (
        "Before the first session, everyone signs an Agreement to Mediate, which sets out how "
        "mediation works and its ground rules."
    ),
    "mediation": "Mediation sessions are taking place. Each one usually lasts 1½ to 3 hours.",
    "outcome": (
        "The mediator is writing up what you worked out, for example a parenting plan or a "
        "summary of proposals about money and property."
    ),
    "closed": "This mediation has finished.",
}

_SEND = {
    "enquiry": "A mediation adviser is giving information about mediation and what happens next.",
    "arranging": "The mediation meeting is being arranged. It should take place within 30 days.",
    "preparation": (
        "The mediator is talking to each person taking part and sharing information to get ready "
        "for the meeting."
    ),
    "meeting": "The mediation meeting is taking place or has been booked.",
    "outcome": "The actions agreed at the meeting are being written up and shared with everyone.",
    "certificate": (
        "This is the mediation certificate stage. You need the certificate to appeal to the "
        "Tribunal; once it is issued you will find it with your documents."
    ),
    "closed": "This mediation has finished.",
}

_GENERAL = {
    "enquiry": "The service has the enquiry and is checking the details before going further.",
    "suitability": (
        "The mediator is talking to each person to decide whether mediation can go ahead."
    ),
    "agreement": "Before mediation starts, everyone signs an Agreement to Mediate.",
    "preparation": (
        "Everyone is getting ready for the mediation, for example by sending a short statement "
        "and documents."
    ),
    "mediation": (
        "The mediation is taking place: meetings together and private conversations with the "
        "mediator."
    ),
    "outcome": "Any settlement is being written up and signed.",
    "closed": "This mediation has finished.",
}

_BY_WORKFLOW = {
    "Family mediation": _FAMILY,
    "SEND mediation": _SEND,
    "Civil mediation": _GENERAL,
    "Workplace mediation": _GENERAL,
    "Community mediation": _GENERAL,
}


#: What the case's records add to a stage, for the person reading (keyed by stage and fact). The
#: facts are worked out from the records by the portal (`accord.portal.views`); none of them tells
#: one party what another said, only that something happened.
_BY_FACT = {
    ("willingness", "you_are_invited"): (
        "The service has invited you to try mediation. Please answer the invitation: nobody has "
        "to take part."
    ),
    ("willingness", "answered"): (
        "The other person has answered the invitation. The service will be in touch about what "
        "happens next."
    ),
    ("miam", "your_miam_held"): (
        "You have had your Mediation Information and Assessment Meeting (MIAM). The mediator "
        "meets each person on their own before deciding whether mediation can go ahead."
    ),
    ("miam", "your_miam_booked"): (
        "Your Mediation Information and Assessment Meeting (MIAM) is booked: you meet a mediator "
        "on your own to hear how mediation works and whether it is right for you."
    ),
    ("agreement", "you_signed"): (
        "You have signed the Agreement to Mediate. The first session is booked once everyone "
        "has signed."
    ),
    ("mediation", "session_booked"): (
        "Mediation sessions are taking place and the next one is booked. Each one usually lasts "
        "1½ to 3 hours."
    ),
    ("outcome", "outcome_shared"): (
        "The mediator has written up what you worked out and shared it with you: you will find "
        'it under "Documents shared with you".'
    ),
}


def stage_in_plain_words(
    workflow_name: str, stage_code: str, fallback: str, facts: Iterable[str] = ()
) -> str:
    """The participant-facing sentence for a stage, or the fallback (its label) if none.

    `facts` are what the case's records say has already happened (in order of precedence, such
    as "answered" once the other person answered the invitation); the first that changes what
    the stage means wins, so the portal never says the service is still asking what was answered.
    """
    for fact in facts:
        words = _BY_FACT.get((stage_code, fact))
        if words is not None:
            return words
    return _BY_WORKFLOW.get(workflow_name, {}).get(stage_code, fallback)
