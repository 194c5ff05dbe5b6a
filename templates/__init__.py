"""Email templates (Jinja2, Dutch) as package data: `templates/email/`."""
