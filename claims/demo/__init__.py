"""Demo data: one article about the February 2024 Moscow meeting of Palestinian factions, as the desk logs it.

`seed` holds the data (worded by the desk; no copy of the article), `loader` writes it through the services.
"""
