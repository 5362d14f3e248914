"""The menu tree of DOMAIN.md §3: each function's path, walked with the arrows and Enter. The paths,
codes and titles are teller.domain.catalog's; this is the shape the screens read."""

from __future__ import annotations

from teller.domain import catalog

# (path, code); the path's last segment is the function's title on the menu.
MENU: tuple[tuple[tuple[str, ...], str], ...] = tuple((e.path, e.code) for e in catalog.MENU)


def title_of(code: str) -> str:
    """The function's title (N_-marked): the last segment of its menu path."""
    return catalog.title_of(code)
