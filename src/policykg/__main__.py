"""``python -m policykg`` runs the command line."""

import sys

from policykg.apps.cli import main

sys.exit(main())
