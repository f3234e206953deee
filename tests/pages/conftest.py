from tests.api.conftest import client, database_url, settings  # noqa: F401  (same app fixtures)
