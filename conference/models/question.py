"""Organiser-defined extra questions on the registration form, and the answers given."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import Bilingual, pick
from .base import one_of

if TYPE_CHECKING:
    from .conference import Conference
    from .registration import Registration


class QuestionKind(StrEnum):
    TEXT = "text"  # one line typed freely
    SINGLE = "single"  # one option
    MULTIPLE = "multiple"  # any options
    CHECKBOX = "checkbox"  # a yes/no tick (required means it must be ticked)


QUESTION_KINDS = tuple(QuestionKind)  # for membership tests, as ``in QuestionKind`` raises


class Question(Bilingual, db.Model):
    """One extra question of a conference's registration form.

    ``options`` (single and multiple choice) is a list of
    ``{"code": str, "label_zh": str, "label_en": str}`` in display order; answers store
    the codes, so relabelling an option keeps earlier answers.
    """

    __table_args__ = (UniqueConstraint("conference_id", "code"), one_of("kind", QuestionKind))

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conference.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10), default=QuestionKind.TEXT)
    label_zh: Mapped[str | None] = mapped_column(String(300))
    label_en: Mapped[str | None] = mapped_column(String(300))
    help_zh: Mapped[str | None] = mapped_column(String(300))
    help_en: Mapped[str | None] = mapped_column(String(300))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    conference: Mapped[Conference] = relationship(back_populates="questions")


class Answer(db.Model):
    """A registration's answer to one question.

    ``value`` is text for ``text``, an option code for ``single``, a list of option codes
    for ``multiple`` and a boolean for ``checkbox``.
    """

    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    value: Mapped[Any] = mapped_column(JSON)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


def option_label(question: Question, code: str, lang: str | None = None) -> str:
    """An option's label in ``lang`` (default: the current language); the code if unknown."""
    for option in question.options or []:
        if option["code"] == code:
            return pick(option.get("label_zh"), option.get("label_en"), lang) or code
    return code


def answer_text(question: Question, value: Any, lang: str | None = None) -> str:
    """An answer as a person reads it: labels instead of codes, "; " between choices."""
    if value is None:
        return ""
    if question.kind == "single":
        return option_label(question, value, lang)
    if question.kind == "multiple":
        return "; ".join(option_label(question, code, lang) for code in value or [])
    if question.kind == "checkbox":
        return gettext("Yes") if value else ""
    return str(value)
