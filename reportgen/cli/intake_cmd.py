"""`reportgen intake …` commands (being built)."""
