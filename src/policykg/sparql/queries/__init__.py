"""The named SPARQL queries shipped with policykg, one ``.rq`` file each.

See :mod:`policykg.sparql.catalogue` for the header format and how they run.
"""
