"""All models, imported in one place so that the metadata and Alembic see every table."""

from docket.models.audit import AuditLogEntry
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.calendar import (
    CalendarSession,
    Hearing,
    HearingSetting,
    Interpreter,
    SessionException,
    SessionTemplate,
    Unavailability,
)
from docket.models.case import Case, CaseEvent, Charge, CounselOfRecord, Defendant
from docket.models.court import Attorney, Court, Courtroom, Judge
from docket.models.deadline import Deadline, Flag, TollingPeriod
from docket.models.docket_entry import (
    DocketCounter,
    DocketEntry,
    DocketEntryLink,
    Document,
    DocumentDownload,
    RecordCorrection,
)
from docket.models.feed import FeedToken
from docket.models.job_process import JobProcess, JobRun
from docket.models.plan_version import PlanVersion
from docket.models.sweep_state import SweepState
from docket.models.user import User

__all__ = [
    "Attorney",
    "AuditLogEntry",
    "Base",
    "CalendarSession",
    "Case",
    "CaseEvent",
    "Charge",
    "CounselOfRecord",
    "Court",
    "Courtroom",
    "Deadline",
    "Defendant",
    "DocketCounter",
    "DocketEntry",
    "DocketEntryLink",
    "Document",
    "DocumentDownload",
    "RecordCorrection",
    "FeedToken",
    "Flag",
    "Hearing",
    "HearingSetting",
    "Interpreter",
    "SessionException",
    "SessionTemplate",
    "SweepState",
    "Unavailability",
    "JobProcess",
    "JobRun",
    "Judge",
    "PlanVersion",
    "TollingPeriod",
    "User",
    "UTCDateTime",
    "utcnow",
]
