"""'Was this useful?': what people said of a journey's plan, counted per journey and version."""
