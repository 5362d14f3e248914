"""pyproject.toml lists its packages by hand (screens/, forms/, data/ and locale/ install inside
`teller`); a package left off the list would be missing from a real install."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAPPED = {"teller": "teller", "teller.screens": "screens", "teller.forms": "forms", "teller.data": "data",
          "teller.locale": "locale"}


def test_every_package_folder_is_listed():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(cfg["packages"])
    assert cfg["package-dir"] == MAPPED
    found = set()
    for name, folder in MAPPED.items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            rel = init.parent.relative_to(base)
            if "__pycache__" in rel.parts:
                continue
            found.add(".".join([name, *rel.parts]) if rel.parts else name)
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"
    assert "teller.locale" in listed and not (ROOT / "locale" / "__init__.py").exists()


def test_shipped_data_files_match_package_data_patterns():
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    suffixes = {p.rsplit(".", 1)[-1] for p in cfg["teller.data"]}
    for f in (ROOT / "data").rglob("*"):
        if f.is_file() and f.suffix != ".py" and "__pycache__" not in f.parts:
            assert f.suffix.lstrip(".") in suffixes, f"{f} would not be installed"
