"""The editors' content: front matter, the model, the vocabulary and every check of content/ and its files."""
