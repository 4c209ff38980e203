"""Storage: engines, migrations, sessions with change capture, backups."""
