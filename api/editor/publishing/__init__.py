"""Publishing: a draft, or an earlier version (rollback), becomes the journey's next version."""
