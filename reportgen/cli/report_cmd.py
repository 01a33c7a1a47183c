"""`reportgen report …` commands (being built)."""
