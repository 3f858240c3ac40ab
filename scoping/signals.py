import logging

from django.db import connections

from scoping import roles
from scoping.engines import postgresql, sqlite

logger = logging.getLogger(__name__)


def after_migrate(sender, using="default", **kwargs):
    if sender.label != "scoping":
        return  # post_migrate fires once per app; once is enough
    install(connections[using])


def install(connection) -> None:
    """Bring the database's own walls in step with the schema: policies on every
    scoped table and the roles' grants (PostgreSQL; run as the tables' owner), and
    the same-org checks on references between org-scoped tables."""
    if connection.vendor == "postgresql":
        tables = postgresql.install_policies(connection)
        logger.info("scoping: row level security on %d tables", len(tables))
        roles.grant_tables(connection)
        references = postgresql.install_same_org_references(connection)
    else:
        references = sqlite.install_same_org_references(connection)
    logger.info("scoping: %d references kept inside their org", len(references))
