"""Safeguarding and health themes: the taxonomy, offline sentence embeddings, classification and
the shared-priorities alignment of partnership reports with the health and wellbeing strategy."""
