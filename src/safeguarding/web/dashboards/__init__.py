"""The shared performance dashboard: indicator pages, the partnership's dashboard, the
disproportionality page, statistical neighbours and agencies' shared indicators."""
