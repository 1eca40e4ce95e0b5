"""Dashboards without Django: indicator figures, charts, plain-English statements,
statistical neighbours and downloads, shared by the web app and the annual report."""
