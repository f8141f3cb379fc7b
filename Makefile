# The two commands a new user needs. Each sets up what is missing first (see scripts/bootstrap.sh).
.PHONY: render test setup messages

# Render the chapter's sixteen scenes at low quality, as GIF and MP4 (with subtitles), into out/.
render: setup
	.venv/bin/roll render --all -q l --format gif,mp4 --out out --jobs 2

# Run the test suite (numbers, scenes at tiny sizes, the command line), then ruff.
test:
	@bash scripts/bootstrap.sh test
	.venv/bin/python -m pytest -n auto --dist loadfile
	.venv/bin/ruff check .

setup:
	@bash scripts/bootstrap.sh

# Re-extract every on-screen sentence (the `_("...")` calls, and the story lines of the
# records of scenes/catalog.py that title slides show) into the translators' template,
# then merge it into each language's catalogue (new sentences arrive untranslated: the tests
# name them until a translator fills them in).
messages: setup
	.venv/bin/pybabel extract --no-default-keywords -k _ -k N_ -k Scene:2 --no-location --omit-header \
		--sort-output -o scenes/words/locale/roll.pot scenes landscapes/rules.py
	.venv/bin/pybabel update -D roll -i scenes/words/locale/roll.pot -d scenes/words/locale \
		--no-fuzzy-matching --omit-header --ignore-obsolete
