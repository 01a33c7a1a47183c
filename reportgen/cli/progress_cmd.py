"""`reportgen progress …` commands (being built)."""
