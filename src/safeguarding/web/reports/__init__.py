"""Statutory annual reports in the web app: member agencies' contributions, the report's own
text, the legal checklist, approval and published versions."""
