"""`make publish-demo`: publish a copy of the sample archive to real local test servers, as an operator would.

    .venv/bin/python scripts/publish_demo.py [--keep DIR]

It copies content/, newsletters/ and mkdocs.yml into a scratch project whose site_url is a loopback
server serving the built site (the publisher checks every page is live before posting), starts the
test servers the suite uses (mastodon-mock from PyPI; telegram-test-api and a real Bluesky PDS from
@atproto/dev-env under node_modules' Node 22, when installed), configures one account each plus the
three kit channels (Naver Blog, Brunch, KakaoTalk channel), gives the credentials through the
environment only, and runs the README's commands: `publish` (dry-run, with the preview page),
`publish --live`, `publish status`, then `build` (the "다른 곳에서 보기" links and the kit pages).
Nothing leaves 127.0.0.1. Every server is stopped at the end."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.build.server import serve_site  # noqa: E402
from tests.publish.channels.servers import free_port, mastodon_server, node_binary, node_server  # noqa: E402

SITE_BUILDER = [str(REPO / ".venv" / "bin" / "site-builder")]


def run(project: Path, *args: str, env: dict) -> int:
    print(f"\n$ site-builder {' '.join(args)}", flush=True)
    return subprocess.run([*SITE_BUILDER, "--root", str(project), *args], env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="make the scratch project here and keep it")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="publish-demo-"))
    project = scratch / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copytree(REPO / "content", project / "content")
    shutil.copytree(REPO / "newsletters", project / "newsletters")
    port = free_port()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: themes", f"custom_dir: {REPO / 'themes'}")
    config = re.sub(r"^site_url: .*$", f"site_url: http://127.0.0.1:{port}/", config, count=1, flags=re.M)
    env = dict(os.environ, SITE_BUILDER_DATABASE_URL=f"sqlite:///{scratch / 'publish.db'}",
               SITE_BUILDER_NOW="2019-06-01T12:00:00+09:00")
    with contextlib.ExitStack() as stack:
        channels = []
        mastodon = stack.enter_context(mastodon_server(scratch))
        channels.append(f'        mastodon: {{accounts: {{yours: {{instance: "{mastodon}"}}}}}}')
        env["SITE_BUILDER_PUBLISH_MASTODON_YOURS_TOKEN"] = "mock_token"
        if node_binary() is not None:
            telegram = stack.enter_context(node_server("telegram-server.js", [str(free_port())], scratch))
            channels.append(f'        telegram: {{accounts: {{yours: {{api: "{telegram["url"]}", chat: "@yours_channel"}}}}}}')
            env["SITE_BUILDER_PUBLISH_TELEGRAM_YOURS_TOKEN"] = "123456:TEST-bot-token"
            pds = stack.enter_context(node_server("bluesky-pds.js", [], scratch))
            channels.append(f'        bluesky: {{accounts: {{yours: {{pds: "{pds["url"]}", handle: "{pds["handle"]}"}}}}}}')
            env["SITE_BUILDER_PUBLISH_BLUESKY_YOURS_IDENTIFIER"] = pds["handle"]
            env["SITE_BUILDER_PUBLISH_BLUESKY_YOURS_APP_PASSWORD"] = pds["appPassword"]
        else:
            print("node_modules has no Node 22 (make node_modules/.installed): Telegram and Bluesky left out")
        for manual in ("naver_blog", "brunch", "kakao_channel"):
            channels.append(f"        {manual}: {{accounts: {{yours: {{}}}}}}")
        config = config.replace("      channels: {}\n", "      channels:\n" + "\n".join(channels) + "\n", 1)
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
        if run(project, "build", "--quiet", env=env) != 0:
            return 1
        stack.enter_context(_serve_on(project / "site", port))
        run(project, "publish", env=env)                 # dry-run: no request; the preview page
        run(project, "publish", "--live", env=env)
        run(project, "publish", "status", env=env)
        run(project, "build", "--quiet", env=env)        # syndication links and kit pages
        linked = sorted(p.parent.relative_to(project / "site").as_posix()
                        for p in (project / "site").glob("*/*/index.html")
                        if "u-syndication" in p.read_text(encoding="utf-8"))
        kits = sorted(p.name for p in (project / "site" / "publish" / "kits").glob("*")) \
            if (project / "site" / "publish" / "kits").is_dir() else []
        print(f"\n'다른 곳에서 보기' links on {len(linked)} article pages; {len(kits)} kit pages under publish/kits/")
        print(f"syndication file: {project / 'content' / 'syndication.yml'}")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


@contextlib.contextmanager
def _serve_on(site: Path, port: int):
    """The built site on the loopback port its site_url names (the publisher's live check reads it)."""
    with serve_site(site, port=port) as base:
        yield base


if __name__ == "__main__":
    raise SystemExit(main())
