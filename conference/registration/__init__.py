"""The registration domain.

``validation`` checks and cleans what a person typed; ``lifecycle`` registers, approves,
rejects, cancels and changes registrations; ``seats`` takes places and seats under a lock
and moves waiting lists up; ``privacy`` downloads and erases a person's data; ``lookups``
and ``search`` find registrations; ``questions`` and ``windows`` hold the rules of the
extra questions and of the registration windows; ``forms`` and ``views`` are the pages.
"""

from flask import Blueprint

bp = Blueprint("registration", __name__)
