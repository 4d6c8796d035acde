"""Domain operations. They change models, record events, queue mail and flush; they never commit."""
