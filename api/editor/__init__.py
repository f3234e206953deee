"""The content editors' API: tokens, drafts, preview, guarded publishing, history, audit."""
