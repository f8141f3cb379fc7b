"""The `roll` command line: main (parser, exit codes), options (settings from flags),
render (jobs, workers, atomic results), bench, gallery. No scene module imports it."""


def run_main() -> None:
    """The `roll` entry point (kept here too for installs made before the package split)."""
    from scenes.cli.main import run_main as run

    run()
