"""The estate: its model, its validation from a parsed document, durations."""
