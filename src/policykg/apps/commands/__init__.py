"""Sub-commands of the ``policykg`` command line, one module each (see :mod:`policykg.apps.cli`)."""
