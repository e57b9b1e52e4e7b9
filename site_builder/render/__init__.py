"""Rendering shared by every output and renderer-neutral: article bodies as Markdown and sanitized HTML with
absolute URLs (html.py, markdown.py, mdext.py), and what a build hands the site renderer (request.py: the
BuildRequest; contributions.py: PageSpec, HeadLink, Contribution)."""
