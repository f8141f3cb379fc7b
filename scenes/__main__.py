"""`python -m scenes` is the same as `roll`."""

import sys

from scenes.cli.main import main

sys.exit(main())
