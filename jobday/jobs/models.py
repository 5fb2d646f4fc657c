"""Background jobs as rows: what was asked, by whom, how far it got, and its result."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jobday.db import Base, UTCDateTime, utcnow
from jobday.vocabulary import Vocabulary, VocabularyType, check_constraint


class JobStatus(Vocabulary):
    QUEUED = "queued", _l("Waiting"), "muted"
    RUNNING = "running", _l("In progress"), "warn"
    DONE = "done", _l("Finished"), "ok"
    FAILED = "failed", _l("Failed"), "bad"


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (check_constraint(JobStatus, "status", "status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), index=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(VocabularyType(JobStatus, 20), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result_key: Mapped[str | None] = mapped_column(String(64))  # its file, in jobday.storage
    result_name: Mapped[str | None] = mapped_column(String(200))  # the download's file name
    result_summary: Mapped[str | None] = mapped_column(String(500))
    error: Mapped[str | None] = mapped_column(String(500))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    retry_of_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    worker: Mapped[str | None] = mapped_column(String(120))  # host:pid:token of the worker running it
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # renewed while it runs (lease)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
