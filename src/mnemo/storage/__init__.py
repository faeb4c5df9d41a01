"""Persistence: tables, repositories, migrations and the unit of work around them."""
