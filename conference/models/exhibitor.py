"""Exhibitors and their booths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import Bilingual
from .base import edit_version, long_text, versioned

if TYPE_CHECKING:
    from .conference import Conference


class Exhibitor(Bilingual, db.Model):
    __table_args__ = (UniqueConstraint("conference_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    booth: Mapped[str] = mapped_column(String(20))
    category_zh: Mapped[str | None] = mapped_column(String(100))
    category_en: Mapped[str | None] = mapped_column(String(100))
    description_zh: Mapped[str | None] = long_text(5_000)
    description_en: Mapped[str | None] = long_text(5_000)
    website: Mapped[str | None] = mapped_column(String(300))
    # The stored logo's file name under UPLOAD_DIR (a digest of its content), or None.
    logo: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = edit_version()
    __mapper_args__ = versioned(version)

    conference: Mapped[Conference] = relationship(back_populates="exhibitors")
