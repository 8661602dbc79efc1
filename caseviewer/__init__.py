"""caseviewer: a desktop case browser for case reviewers.

The package is split so that ``core`` (models, API clients, cache, profiles, secrets) never imports
Qt, ``demo`` is the bundled synthetic case service, and ``ui`` is the Qt layer on top.
"""

__version__ = "0.1.0"
