"""The web application: a Django shell around the platform's libraries."""
