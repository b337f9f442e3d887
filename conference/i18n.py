"""Language choice (``?lang=zh|en``, then Accept-Language) and bilingual text."""

from __future__ import annotations

from urllib.parse import urlencode

from babel import Locale
from flask import has_request_context, request, session
from flask_babel import get_locale

LANGUAGES = ("zh", "en")
_LOCALES = {lang: Locale.parse(lang) for lang in LANGUAGES}  # parsed once, not per request


def select_locale() -> str:
    """Locale selector for Flask-Babel: query string, remembered choice, browser."""
    if not has_request_context():
        return "en"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def babel_locale() -> Locale:
    """Flask-Babel's locale selector: ``select_locale`` as a ready ``Locale``."""
    return _LOCALES[select_locale()]


def current_language() -> str:
    """'zh' or 'en': the language in force — the request's, or one set with
    ``force_locale`` (a mail composed outside any request) — else 'en'."""
    locale = get_locale()
    return "zh" if locale is not None and locale.language == "zh" else "en"


def pick(zh: str | None, en: str | None, lang: str | None = None) -> str:
    """The text in ``lang`` (default: the current language), else the other one."""
    lang = lang or current_language()
    first, second = (zh, en) if lang == "zh" else (en, zh)
    return first or second or ""


class Bilingual:
    """Mixin for models holding ``<field>_zh`` and ``<field>_en`` columns."""

    def t(self, field: str, lang: str | None = None) -> str:
        return pick(getattr(self, f"{field}_zh"), getattr(self, f"{field}_en"), lang)


def language_url(lang: str) -> str:
    """This page's address in ``lang``: the same path and query, ``lang`` replaced. The
    query is copied as text, never passed to ``url_for`` (whose own arguments, such as
    ``endpoint`` or ``_method``, a visitor could otherwise set)."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    query.append(("lang", lang))
    return f"{request.script_root}{request.path}?{urlencode(query)}"


def init_app(app) -> None:
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_url"] = language_url
    app.jinja_env.globals["languages"] = LANGUAGES
