"""The social publisher: every post reaches its channels exactly once, or a ready kit where there is no API.

Modules (one-way: plan -> runner -> ledger; the command layer in commands/publish.py wires them):
- channel.py     the interface every network implements, and the values that cross it
- registry.py    REGISTRY: {channel name: class}; one line per network
- settings.py    extra.site_builder.publish from mkdocs.yml, validated (Korean messages naming the key)
- plan.py        catalog -> Posts (card news slides, lead images, `social:` overrides) -> Tasks
- ledger.py      the ledger in the shared database: states, compare-and-set claims, never pruned
- runner.py      Publisher.dry_run() (no request at all) and Publisher.run() (reconcile, live check, post)
- retry.py       backoff with jitter, the run's wait budget (about a minute)
- livecheck.py   the canonical page answers 200 with the article's id before anything is posted
- credentials.py environment variables or a file outside the repository; Redactor for every message
- status.py, preview.py, doctor.py   what `publish status`, `publish preview`, `publish doctor` show
- ../syndication.py  content/syndication.yml (append-only), read by the site and before posting
"""
