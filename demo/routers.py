"""Database router of the demo site and the tests."""


class FreshMariaDBSubmissionsRouter:
    """Skip edx-submissions' code-only migration step (0006_mariadb_uuid_conversion).

    That step converts existing uuid columns to MariaDB's native uuid type, but it also alters
    ``submissions_studentitem.uuid``, a column no migration creates, so it fails on every fresh
    MariaDB database. Tables Django 5 creates on MariaDB already use the native type, so on
    the demo's and the tests' fresh databases there is nothing to convert. Schema operations
    (which name a model) still run.
    """

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == "submissions" and model_name is None and not hints:
            return False
        return None
