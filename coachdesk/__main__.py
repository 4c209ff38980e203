"""Lets ``python -m coachdesk`` behave like the ``coachdesk`` command."""

import sys

from coachdesk.cli import main

sys.exit(main())
