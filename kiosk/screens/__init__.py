"""The kiosk's screens. Each screen draws a plain model and turns input into an action name."""
