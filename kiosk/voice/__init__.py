"""Voice in and out: grammar-restricted offline recognition, verified intents, queued speech."""
