"""Children's case data: the CIN census XML reader and the SSDA903 (children looked after)
reader, and the Arrow tables they produce."""
