"""The build: check -> catalog -> incremental plan -> the outputs' contributions -> the site adapter ->
one atomic swap of site/ -> the build's state (pipeline.py, contributions.py, incremental.py); the live
preview (preview.py, watch.py) and its servers (server.py); the link check."""
