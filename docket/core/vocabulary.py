"""The fixed words of Docket's data: one list each, shared by the database checks, the forms,
the demo court and (later) the plan files, so that they cannot drift apart."""

from __future__ import annotations

ROLES = ("clerk", "judge", "attorney", "admin")

ATTORNEY_OFFICES = {
    "prosecutor": "Prosecutor",
    "public_defender": "Public defender",
    "appointed": "Appointed counsel",
    "retained": "Retained counsel",
}

SIDES = {"prosecution": "Prosecution", "defense": "Defense"}

CASE_STATUSES = {"active": "Active", "inactive": "Inactive", "disposed": "Disposed"}

CASE_TYPES = {"felony": "Felony", "misdemeanor": "Misdemeanor"}

CUSTODY_STATUSES = {
    "in_custody": "In custody",
    "released": "Released",
    "at_large": "At large (warrant outstanding)",
}

DISPOSITION_TYPES = {
    "guilty_plea": "Guilty plea",
    "trial_conviction": "Convicted at trial",
    "acquittal": "Acquitted at trial",
    "dismissed": "Dismissed",
    "nolle_prosequi": "Nolle prosequi",
    "diversion_completed": "Diversion completed",
    "transferred": "Transferred",
}

SEVERITY_CLASSES = {
    "felony_1": "Felony, first degree",
    "felony_2": "Felony, second degree",
    "felony_3": "Felony, third degree",
    "felony_4": "Felony, fourth degree",
    "misdemeanor_a": "Misdemeanor, class A",
    "misdemeanor_b": "Misdemeanor, class B",
    "misdemeanor_c": "Misdemeanor, class C",
}

HEARING_STATUSES = {
    "scheduled": "Scheduled",
    "held": "Held",
    "continued": "Continued",
    "vacated": "Vacated",
}

HEARING_TYPES = {
    "initial_appearance": "Initial appearance",
    "arraignment": "Arraignment",
    "detention": "Detention hearing",
    "status_conference": "Status conference",
    "motion": "Motion hearing",
    "pretrial_conference": "Pretrial conference",
    "change_of_plea": "Change of plea",
    "trial": "Trial",
    "sentencing": "Sentencing",
}

CONTINUANCE_REQUESTERS = {
    "prosecution": "Prosecution",
    "defense": "Defense",
    "court": "Court",
    "joint": "Joint",
}

# The case events every plan speaks of (issue 3 lists them); plans are portable because
# they share this vocabulary.
EVENT_TYPES = {
    "arrest": "Arrest",
    "summons_served": "Summons served",
    "complaint_filed": "Complaint filed",
    "initial_appearance": "Initial appearance",
    "indictment_filed": "Indictment filed",
    "information_filed": "Information filed",
    "superseding_indictment_filed": "Superseding indictment filed",
    "arraignment_held": "Arraignment held",
    "plea_entered": "Plea entered",
    "discovery_disclosed": "Discovery disclosed",
    "motion_filed": "Motion filed",
    "motion_decided": "Motion decided",
    "pretrial_conference_held": "Pretrial conference held",
    "trial_commenced": "Trial commenced",
    "mistrial_declared": "Mistrial declared",
    "plea_withdrawn": "Plea withdrawn",
    "new_trial_granted": "New trial granted",
    "verdict": "Verdict",
    "sentencing_held": "Sentencing held",
    "dismissed": "Dismissed",
    "bench_warrant_issued": "Bench warrant issued",
    "warrant_returned": "Warrant returned",
    "failure_to_appear": "Failure to appear",
    "speedy_trial_waiver_filed": "Speedy-trial waiver filed",
    "released_from_custody": "Released from custody",
    "taken_into_custody": "Taken into custody",
}

DOCKET_ENTRY_TYPES = {
    "complaint": "Complaint",
    "indictment": "Indictment",
    "information": "Information",
    "superseding_indictment": "Superseding indictment",
    "motion": "Motion",
    "response": "Response",
    "reply": "Reply",
    "notice": "Notice",
    "order": "Order",
    "minute_entry": "Minute entry",
    "judgment": "Judgment",
    "discovery_disclosure": "Discovery disclosure",
    "exhibit_list": "Exhibit list",
    "plea_agreement": "Plea agreement",
    "presentence_report": "Presentence report",
    "warrant": "Warrant",
    "warrant_return": "Return of warrant",
}

# Kinds of motion (a motion entry's subtype): the ones criminal dockets list most.
MOTION_SUBTYPES = {
    "suppress": "to suppress evidence",
    "dismiss": "to dismiss",
    "continue": "to continue",
    "compel_discovery": "to compel discovery",
    "detention": "for detention or release",
    "in_limine": "in limine",
    "sever": "to sever",
    "change_venue": "for change of venue",
    "exclude_time": "to exclude time (speedy trial)",
    "competency": "for a competency evaluation",
    "withdraw_counsel": "to withdraw as counsel",
    "seal": "to seal",
    "other": "(other)",
}


def entry_type_label(entry_type: str, subtype: str | None = None) -> str:
    """An entry's type with its kind of motion, as lists show it: "Motion to suppress evidence"."""
    label = DOCKET_ENTRY_TYPES.get(entry_type, entry_type)
    if subtype:
        label = f"{label} {MOTION_SUBTYPES.get(subtype, subtype)}"
    return label


# How one docket entry refers to another: "Response to motion #12", "Order resolving #12".
ENTRY_LINKS = {
    "responds_to": "Response to",
    "replies_to": "Reply to",
    "resolves": "Resolving",
    "relates_to": "Relating to",
}

# Entry types counsel file from the browser; the clerk's office dockets every type.
COUNSEL_ENTRY_TYPES = (
    "motion",
    "response",
    "reply",
    "notice",
    "discovery_disclosure",
    "exhibit_list",
    "plea_agreement",
)

# Who may be the filer of an entry the clerk's office dockets: the court's own entries are the
# court's; a party's papers are a party's (a notice, a warrant's return, a presentence report
# or a charging document may come from either).
COURT_ENTRY_TYPES = ("order", "minute_entry", "judgment", "warrant")
PARTY_ENTRY_TYPES = (
    "motion",
    "response",
    "reply",
    "discovery_disclosure",
    "exhibit_list",
    "plea_agreement",
)

# Corrections of the record (entries are never deleted): what a clerk may do to an entry or
# to a whole case, with the reason or the authorizing order kept.
RECORD_CORRECTIONS = {
    "strike": "Stricken",
    "seal": "Sealed",
    "unseal": "Unsealed",
    "seal_case": "Case sealed",
    "unseal_case": "Case unsealed",
}

# Why a hearing was continued (the standard list courts report continuance rates by).
CONTINUANCE_REASONS = {
    "counsel_unavailable": "Counsel unavailable",
    "counsel_new": "New counsel needs time to prepare",
    "discovery_incomplete": "Discovery incomplete",
    "lab_results_pending": "Laboratory or expert report pending",
    "defendant_not_transported": "Defendant not transported",
    "defendant_ill": "Defendant ill or hospitalized",
    "witness_unavailable": "Witness unavailable",
    "plea_negotiations": "Plea negotiations",
    "competency_evaluation": "Competency evaluation",
    "court_congestion": "Court congestion",
    "judge_unavailable": "Judge unavailable",
    "interpreter_unavailable": "Interpreter unavailable",
    "pending_motion": "Pending motion to be decided first",
    "other": "Other (see note)",
}

# What happened at a hearing; docket/core/outcomes.py says which case events each one records
# and how it moves the case's status.
HEARING_OUTCOMES = {
    "initial_appearance_held": "Initial appearance held",
    "arraigned_plea_entered": "Arraigned; not-guilty plea entered",
    "detention_ordered": "Detention ordered",
    "released_on_conditions": "Released on conditions",
    "status_conference_held": "Status conference held",
    "motion_heard": "Motion heard, taken under advisement",
    "motion_decided": "Motion heard and decided",
    "pretrial_conference_held": "Pretrial conference held",
    "plea_accepted": "Guilty plea accepted",
    "trial_commenced": "Trial commenced",
    "verdict_guilty": "Verdict: guilty",
    "verdict_not_guilty": "Verdict: not guilty (acquitted)",
    "mistrial": "Mistrial declared",
    "sentenced": "Sentenced",
    "dismissed": "Case dismissed",
    "bench_warrant_issued": "Bench warrant issued",
    "failure_to_appear": "Failure to appear (no warrant)",
}

# Exceptions to recurring calendar sessions.
SESSION_EXCEPTION_KINDS = {
    "judge_away": "Judge away",
    "courtroom_closed": "Courtroom closed",
    "court_closed": "Court closed",
}

SESSION_STATUSES = {"open": "Open", "closed": "Closed"}

FILER_PARTIES = {"prosecution": "Prosecution", "defense": "Defense", "court": "Court"}

FLAG_SEVERITIES = ("info", "warning", "critical")

# What the nightly sweep flags (issue 5); each flag names its subject (a deadline's item id, a
# hearing id, a document requirement) so that a flag resolves itself when its cause goes away.
FLAG_KINDS = {
    "overdue": "Stage deadline missed",
    "approaching": "Stage deadline approaching",
    "speedy_trial": "Speedy-trial clock running out",
    "unscheduled": "Hearing needed, none scheduled in time",
    "outcome_missing": "Hearing held? No outcome recorded",
    "document_due": "Document due from counsel",
}


def sql_in(column: str, values) -> str:
    """A CHECK constraint text that limits `column` to the given words."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


# The demo court's tracks (those of the default plan, rules/state-dcm-2026.toml); real cases take
# their track from the plan in force (docket/deadlines/service.py).
TRACKS = {"expedited": "Expedited", "standard": "Standard", "complex": "Complex"}
