"""The web app: the demo clinic page, the widget script, clinic themes (and the staff console later)."""
