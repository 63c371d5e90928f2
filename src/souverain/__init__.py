"""souverain: measure an organisation's digital dependencies and plan its way out."""

# The one place the version is written; pyproject.toml reads it from here.
__version__ = "0.1.0"
