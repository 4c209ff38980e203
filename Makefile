# Two commands set everything up: `make run` and `make test`. Both need only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PACKAGE_STAMP := $(VENV)/.installed-package

.PHONY: run test bench lint pot catalogs screenshots samples fonts package clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Compile the translation catalogs (.po → .mo) beside their sources.
catalogs: $(STAMP)
	@for po in i18n/*/LC_MESSAGES/coachdesk.po; do \
		[ -e "$$po" ] || continue; \
		$(BIN)/pybabel compile -D coachdesk -i "$$po" -o "$${po%.po}.mo" >/dev/null; \
	done

## Start the app on its default database in your data folder.
run: catalogs
	$(BIN)/coachdesk

## The whole suite, headless: layer contracts, then the tests.
test: catalogs
	$(BIN)/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks against DESIGN.md's budgets (takes minutes; prints a table).
bench: catalogs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench $(BENCH_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.matching $(filter --quick,$(BENCH_ARGS))

## Screens rendered offscreen from demo data into docs/screenshots/, in English, Arabic and Hindi.
screenshots: catalogs
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m coachdesk.ui.screenshots docs/screenshots --languages en,ar,hi

## Refresh the translation template from the source.
pot: $(STAMP)
	$(BIN)/pybabel extract -F i18n/babel.cfg -k N_ -k pgettext:1c,2 --no-location --sort-output \
		--project=CoachDesk -o i18n/coachdesk.pot coachdesk

## A one-folder build of the app in dist/coachdesk/ and its tarball (PyInstaller; see packaging/README.md).
package: $(PACKAGE_STAMP)
	rm -rf dist/coachdesk build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/coachdesk.spec
	cp packaging/org.coachdesk.CoachDesk.desktop dist/coachdesk/
	@version=$$($(BIN)/python -c 'import coachdesk; print(coachdesk.__version__)'); \
	system=$$(uname -s | tr '[:upper:]' '[:lower:]'); \
	tarball=dist/coachdesk-$$version-$$system-$$(uname -m).tar.gz; \
	tar -C dist -czf "$$tarball" coachdesk && \
	echo "dist/coachdesk/ and $$tarball ($$(du -sh dist/coachdesk | cut -f1) unpacked)"

$(PACKAGE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $(PACKAGE_STAMP)

clean:
	rm -rf $(VENV) build dist .pytest_cache

## Sample handouts (PDF and a PNG of page 1) in docs/samples/, in English, Arabic and Hindi.
samples: catalogs
	$(BIN)/python docs/samples/make_samples.py docs/samples

## Rebuild the PDF font (Noto Sans with Arabic, Devanagari and Bengali merged) after updating Noto.
fonts: $(STAMP)
	$(BIN)/python -m pip install --quiet 'fonttools>=4.40,<5'
	$(BIN)/python packaging/merge_fonts.py
