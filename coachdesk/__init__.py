"""CoachDesk: an offline-first desktop app for capacity building in open-knowledge communities."""

__version__ = "0.1.0"

APP_NAME = "CoachDesk"
APP_ID = "org.coachdesk.CoachDesk"
