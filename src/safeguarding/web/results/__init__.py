"""Indicator results stored in the platform with their provenance, and published benchmarks."""
