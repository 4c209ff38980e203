"""Dialogs: forms that autosave drafts and ask before losing edits."""
