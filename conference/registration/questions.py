"""Organiser-defined extra questions: checking answers and storing them (how an answer
reads for a person is ``models.question.answer_text``).

The rules are the same wherever answers come from (the form, the JSON API, the edit page):
``check_answers`` takes what was sent, keyed by question code, reports problems under the
field ``answers.<code>`` and returns the values to store. Only given answers are stored: an
empty text, no choice, no ticked option and an unticked box store nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext

from ..models import Answer, Conference, Question, Registration

# Longest free-text answer, in characters.
MAX_ANSWER_LENGTH = 500
# Unknown question codes reported at most, so a silly request gets a short answer.
MAX_UNKNOWN_REPORTED = 5


def questions_of(conference: Conference) -> list[Question]:
    """The conference's extra questions in display order (one query unless loaded)."""
    return list(conference.questions)


def answer_field(code: str) -> str:
    """The error key of a question: ``answers.<code>``."""
    return f"answers.{code}"


def option_codes(question: Question) -> list[str]:
    return [option["code"] for option in question.options or []]


def _check_one(question: Question, value: Any, clean: Callable[[Any], str]) -> tuple[Any, str]:
    """(value to store or None, problem or '') for one answer."""
    kind = question.kind
    if kind == "text":
        if value is not None and not isinstance(value, str):
            return None, gettext("Must be text.")
        text = clean(value)
        if len(text) > MAX_ANSWER_LENGTH:
            return None, gettext("At most %(limit)d characters, please.", limit=MAX_ANSWER_LENGTH)
        if not text and question.required:
            return None, gettext("Please answer this question.")
        return text or None, ""
    if kind == "single":
        if value is not None and not isinstance(value, str):
            return None, gettext("Must be the code of one option.")
        code = clean(value)
        if not code:
            return None, gettext("Please choose an option.") if question.required else ""
        if code not in option_codes(question):
            return None, gettext("Please choose one of the options offered.")
        return code, ""
    if kind == "multiple":
        if value is None:
            value = []
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            return None, gettext("Must be a list of option codes.")
        codes = {clean(v) for v in value} - {""}
        known = option_codes(question)
        if codes - set(known):
            return None, gettext("Please choose only among the options offered.")
        if not codes and question.required:
            return None, gettext("Please choose at least one option.")
        return [code for code in known if code in codes] or None, ""
    # checkbox
    if value is not None and not isinstance(value, bool):
        return None, gettext("Must be true or false.")
    if not value and question.required:
        return None, gettext("Please tick this box.")
    return (True if value else None), ""


def check_answers(
    questions: list[Question],
    given: Mapping[str, Any] | None,
    fail: Callable[[str, str], None],
    clean: Callable[[Any], str],
) -> list[tuple[Question, Any]]:
    """Check ``given`` (question code → answer) against ``questions``.

    Problems go to ``fail(field, message)`` with field ``answers.<code>``; ``clean`` is
    ``validation.clean_text``. Returns the (question, value) pairs to store.
    """
    given = given or {}
    known = {question.code for question in questions}
    unknown = [code for code in given if code not in known]
    for code in unknown[:MAX_UNKNOWN_REPORTED]:
        fail(answer_field(clean(code)[:40]), gettext("There is no such question."))
    answers = []
    for question in questions:
        value, problem = _check_one(question, given.get(question.code), clean)
        if problem:
            fail(answer_field(question.code), problem)
        elif value is not None:
            answers.append((question, value))
    return answers


def store_answers(registration: Registration, answers: list[tuple[Question, Any]]) -> None:
    """Make ``answers`` the registration's answers, updating rows in place.

    Rows are updated rather than deleted and re-added, so the unique (registration,
    question) pair never clashes within one flush.
    """
    wanted = {question.id: (question, value) for question, value in answers}
    for row in list(registration.answers):
        if row.question_id in wanted:
            row.value = wanted.pop(row.question_id)[1]
        else:
            registration.answers.remove(row)
    for question, value in wanted.values():
        registration.answers.append(Answer(question=question, value=value))


def answers_by_code(registration: Registration) -> dict[str, Any]:
    """The registration's answers as the API takes them: question code → value."""
    return {answer.question.code: answer.value for answer in registration.answers}
