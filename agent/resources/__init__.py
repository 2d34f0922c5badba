"""What ships inside the package beside the code: the mail templates, and the example
settings and roster that `binome init` copies.

The sources stay at the top of the repository (`templates/`, `config/`). Here,
`templates` and `examples/*` are symbolic links to them: a clone (and an editable
install) reads the sources through the links, and setuptools follows the links when it
builds the sdist and the wheel (`[tool.setuptools.package-data]` in pyproject.toml), so
an installed wheel holds real files. Everything is found with `importlib.resources`,
never by a path relative to the source tree.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

EXAMPLES = ("example.toml", "roster.example.csv")


def templates() -> Path:
    """The packaged `templates/` folder (one sub-folder per language)."""
    return _folder("templates")


def example(name: str) -> bytes:
    """The packaged example file `name` (one of `EXAMPLES`), as bytes."""
    if name not in EXAMPLES:
        raise ValueError(f"no packaged example {name!r}: one of {', '.join(EXAMPLES)}")
    return (files(__name__) / "examples" / name).read_bytes()


def _folder(name: str) -> Path:
    found = files(__name__) / name
    # Jinja's FileSystemLoader needs a real folder; pip and pipx always unpack the wheel,
    # so a package imported from a zip file is the one case this refuses.
    if not isinstance(found, Path) or not found.is_dir():
        raise FileNotFoundError(f"binome's packaged {name}/ is missing from {found}: "
                                "reinstall binome (pip install --force-reinstall binome)")
    return found
