"""The publisher never needs MkDocs: it runs from the catalog (and the newsletters' issue list)."""

import subprocess
import sys
from pathlib import Path

NEWSLETTER_SITE = Path(__file__).resolve().parent.parent / "newsletter" / "fixtures" / "site"

SCRIPT = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material"):
            raise ImportError("MkDocs is not allowed here: " + name)
sys.meta_path.insert(0, Block())
import site_builder.commands.publish, site_builder.publish.runner, site_builder.publish.preview
from site_builder.catalog import load_catalog
from site_builder.publish.plan import iter_planned
from site_builder.publish.settings import parse_publish_settings
catalog = load_catalog({str(NEWSLETTER_SITE)!r})
planned, problems = iter_planned(catalog, parse_publish_settings({{"newsletters": True}}))
print(len(planned), "posts")
"""


def test_the_publisher_imports_and_plans_without_mkdocs() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "posts" in result.stdout
