"""`reportgen serve`: the office workbench, a local web page from plan to report.

A thin shell over ``reportgen.api`` and ``reportgen.rounds``; see docs/web.md.
"""

from reportgen.web.app import create_app

__all__ = ["create_app"]
