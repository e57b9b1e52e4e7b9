"""site_builder: the 유어스 publishing system (archive site, feeds, newsletters, social)."""

__version__ = "0.1.0"
