"""Translations: which published texts lack Swedish or English."""
