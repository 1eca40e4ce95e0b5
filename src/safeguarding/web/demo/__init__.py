"""The invented demo borough that ``make demo`` loads: data files and their loader.

Everything here is made up: the borough, its agencies, its people and its cases.
"""
