# The two commands: `make site` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test serve check screenshots bench publish-demo system-deps clean

site: $(STAMP)
	$(BIN)/site-builder build
	@echo ""
	@echo "site/ 폴더에 사이트를 만들었습니다. 보려면:"
	@echo "  make serve   그리고 브라우저에서 http://127.0.0.1:8000/"
	@echo "site/index.html 파일을 바로 열면 안 됩니다: 링크가 /interview/ 같은 폴더 주소라서,"
	@echo "브라우저가 그 폴더의 index.html 대신 영어로 된 파일 목록을 보여 줍니다."

test: $(STAMP) system-deps node_modules/.installed
	$(BIN)/python -m pytest -n 2 -q
	bash scripts/test-postgres.sh    # the subscriber store on a real PostgreSQL server

serve: $(STAMP)
	$(BIN)/site-builder serve --dev-addr 127.0.0.1:8000

check: $(STAMP)
	$(BIN)/site-builder check

screenshots: $(STAMP) system-deps node_modules/.installed
	$(BIN)/python -m site_builder.tools.screenshots --out screenshots

# The sample archive published to real local test servers (Mastodon, Telegram, a Bluesky PDS) and kits.
publish-demo: $(STAMP) node_modules/.installed
	$(BIN)/python scripts/publish_demo.py

bench: $(STAMP)
	$(BIN)/python benchmarks/build_bench.py --articles 1000

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,postgres]'
	touch $(STAMP)

# axe-core and the Nu HTML Checker (vnu.jar) for the browser and validity suite, from npm.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's JRE runs it.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	bash scripts/node22.sh    # Node 22 + better-sqlite3 for the Bluesky PDS of tests/publish
	touch $@

# Debian packages the test suite drives for real: chromium (browser tests),
# Java for the Nu HTML validator. Installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

clean:
	rm -rf site site.* .pytest_cache build *.egg-info
