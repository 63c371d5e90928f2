"""The catalog: its model and build, matching free text to entries, licences, checks."""
