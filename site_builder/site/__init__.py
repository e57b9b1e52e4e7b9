"""The site output and the only package that imports MkDocs or Material: page specs (pages.py, pure), the
adapter's entry (adapter.render_site, live.render_pages_again) and its MkDocs hooks (plugin.py, view.py)."""
