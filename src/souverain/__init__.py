"""souverain: measure an organisation's digital dependencies and plan its way out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("souverain")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
