"""Saved checklists: a plan kept behind a private link, with steps ticked off."""
