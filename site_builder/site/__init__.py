"""The site output: page specs (pure) and the MkDocs + Material adapter (plugin.py)."""
