"""WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from conference import create_app

app = create_app()

# What start-up loaded (about 370,000 objects: the app, its templates' environment,
# SQLAlchemy, Babel, WeasyPrint) lives as long as the process. Frozen, it is left out of
# the collector's full passes, which otherwise walk all of it: about 0.1 s during which
# the worker answers nobody.
gc.collect()
gc.freeze()
