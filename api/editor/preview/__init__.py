"""Preview: a draft's plan, its scenarios and its difference from what is published."""
