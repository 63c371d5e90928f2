"""The ``souverain`` command line."""
