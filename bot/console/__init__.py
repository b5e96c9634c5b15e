"""The staff console: review conversations, safely (server-rendered pages under /console)."""
