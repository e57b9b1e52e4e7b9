"""The editors' content: read, validated and modelled, knowing nothing of MkDocs, email or HTTP.

What the layers above use (catalog, newsletter, build, commands):
- `load_content(config)` -> (LoadedContent, problems); `ContentReader` + `load_article` for one file again;
- the model (Article, Author, Page, TimelineEvent, Image, ...);
- the file-check helper for other editors' files (`FileCheck`, `read_file`, `field_name`, `parse_when`, `line_in`);
- where else articles were published (`load_syndication`, `SyndicationLink`);
- the vocabulary (`FACETS`, `DISTRICTS`, `kind_label`, `district_key`).
Modules: files, dates, media, reader (shared by every check); fields (common to all articles), kinds
(one entry per kind), articles, authors, pages, timeline (one per sort of file); addresses, links, tags
(across files); checked (one article file's check as a value, and the checks of many files on every
core), filecache (those values kept between checks in .cache/site-builder/content/); loader (the order of
it all); frontmatter, licenses, syndication, scaffold, strict."""

from .articles import load_article
from .dates import parse_when
from .files import FileCheck, field_name, read_file
from .frontmatter import line_in
from .loader import LoadedContent, load_content
from .model import Article, Author, Image, Page, TimelineEvent
from .reader import ContentReader
from .scaffold import new_article_text
from .strict import strict_problems
from .syndication import SyndicationLink, load_syndication
from .vocabulary import DISTRICTS, FACETS, Facet, district_key, kind_label

__all__ = ["Article", "Author", "ContentReader", "DISTRICTS", "FACETS", "Facet", "FileCheck", "Image",
           "LoadedContent", "Page", "SyndicationLink", "TimelineEvent", "district_key", "field_name", "kind_label",
           "line_in", "load_article", "load_content", "load_syndication", "new_article_text", "parse_when",
           "read_file", "strict_problems"]
