"""Shared pytest fixtures. (Render fixtures live in tests/render_fixtures.py.)"""

from render_fixtures import rendered_set  # noqa: F401  (session-scoped fixture)
