"""The `roll` command line: main (parser, exit codes), options (settings from flags),
render (jobs, workers, atomic results), bench, gallery. No scene module imports it."""
