"""Synthetic case data: invented records with realistic volumes and proportions, for demos,
tests and benchmarks. No real people: identifiers are pseudonyms made from counters."""
