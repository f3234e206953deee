"""Drafts: start, read, edit (each write checked) and discard a journey's draft."""
