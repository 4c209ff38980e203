"""Use cases the app and the command line share: open a database, demo data, spreadsheets, counts."""
