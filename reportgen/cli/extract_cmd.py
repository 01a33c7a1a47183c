"""`reportgen extract …` commands (being built)."""
