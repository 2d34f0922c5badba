"""Binôme: an agent that runs a company's mentoring and peer-learning programme from the
calendar and mailbox it already has.

Layers point down (tests/test_layers.py): cli -> sim -> loop -> pipeline -> digest ->
conversation -> programme -> providers -> core.
"""

# The one place the version is written: pyproject.toml reads it from here, and
# `binome --version` prints it.
__version__ = "0.1.0"
