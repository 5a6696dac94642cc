"""The knowledge base: voorzieningen, buurtteams, wijken, regels and words."""
