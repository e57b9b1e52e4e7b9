"""The content model and the catalog never need MkDocs (the site adapter alone may)."""

import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "site"

SCRIPT = f"""
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "mkdocs" or name.startswith("mkdocs.") or name == "material" or name.startswith("material."):
            raise ImportError("MkDocs is not allowed here: " + name)
sys.meta_path.insert(0, Block())
import site_builder.content.loader, site_builder.catalog, site_builder.content.model, site_builder.render.html, site_builder.site.pages
from site_builder.catalog import load_catalog
catalog = load_catalog({str(FIXTURE)!r})
print(len(catalog.articles), "articles")
assert not any(m == "mkdocs" or m.startswith("mkdocs.") for m in sys.modules)
"""


def test_content_model_and_catalog_import_without_mkdocs() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "articles" in result.stdout


def test_the_blocker_really_blocks_mkdocs() -> None:
    script = SCRIPT.replace("import site_builder.content.loader,", "import site_builder.site.plugin, site_builder.content.loader,")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode != 0
    assert "MkDocs is not allowed here" in result.stderr
