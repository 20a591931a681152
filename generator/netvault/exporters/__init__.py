"""The vault for other tools: contacts as vCard, follow-ups as iCalendar, the model as JSON.

Each exporter is pure: it takes the loaded vault (and the follow-ups) and returns
the file's text; the CLI, or the site for `followups.ics`, writes it.
"""
