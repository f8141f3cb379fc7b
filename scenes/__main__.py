"""`python -m scenes` is the same as `roll`."""

import sys

from .cli import main

sys.exit(main())
