"""The published catalogue: journey versions and shared documents in the database, and the
prepared in-memory catalogue that plans are computed from."""
