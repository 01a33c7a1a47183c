"""`reportgen archive …` commands (being built)."""
