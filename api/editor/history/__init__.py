"""History: the published versions of each journey and the audit log of every editor action."""
