"""The named SPARQL queries shipped with policykg, one ``.rq`` file each.

See :mod:`policykg.query` for the header format and how they run.
"""
