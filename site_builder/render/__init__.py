"""Body rendering shared by the site, the feeds and the newsletters: Markdown, sanitized HTML with absolute URLs."""
