"""What people said of the plans ("Was this useful?"), for editors."""
