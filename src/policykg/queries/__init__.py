"""The named SPARQL queries shipped with policykg, one ``.rq`` file each (see :mod:`policykg.query`)."""
