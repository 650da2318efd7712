"""Studio Desk: a small studio's clients, projects and people, and the Account/Production
Manager split. The one place that names the application and its version."""

APP_NAME = "Studio Desk"
APP_ID = "studio-desk"
ORGANISATION = "Studio Desk"
__version__ = "0.1.0"
