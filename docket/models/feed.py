"""Calendar-feed subscriptions: a short secret token per subscriber and feed, stored hashed,
revocable and regenerable from the user's own page (issue 7)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from docket.core.vocabulary import sql_in
from docket.models.base import Base, UTCDateTime, utcnow
from docket.models.user import User

FEED_KINDS = ("attorney", "judge", "courtroom", "case")


class FeedToken(Base):
    __tablename__ = "feed_token"
    __table_args__ = (
        CheckConstraint(sql_in("kind", FEED_KINDS), name="kind"),
        # One live token per subscriber and feed; revoked ones stay as history.
        Index(
            "uq_feed_token_live",
            "user_id",
            "kind",
            "target_id",
            unique=True,
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    # SHA-256 of the secret (hex): the secret itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
