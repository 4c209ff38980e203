"""Pages of the main window: each holds its layout and talks to services through the UI context."""
