"""Drawing helpers shared by the screens: theme, scaled fonts, text and buttons."""
