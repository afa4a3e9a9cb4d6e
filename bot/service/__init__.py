"""The application layer: every use case the chat platforms offer, behind typed calls."""
