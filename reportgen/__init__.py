"""reportgen: implementation plans + departmental returns -> 公文-style Word progress reports."""

__version__ = "0.1.0"
