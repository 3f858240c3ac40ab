import logging

from django.db import connections

from scoping.engines import postgresql

logger = logging.getLogger(__name__)


def install_postgres_policies(sender, using="default", **kwargs):
    """After migrations, put every scoped table (new ones too) under the policy."""
    connection = connections[using]
    if connection.vendor != "postgresql" or sender.label != "scoping":
        return  # post_migrate fires once per app; once is enough
    tables = postgresql.install_policies(connection)
    logger.info("scoping: row level security on %d tables", len(tables))
