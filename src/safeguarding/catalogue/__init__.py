"""The one catalogue of code lists, indicators and taxonomies, kept as data."""

from safeguarding.catalogue.codelists import Code, CodeList, code_list, code_lists

__all__ = ["Code", "CodeList", "code_list", "code_lists"]
