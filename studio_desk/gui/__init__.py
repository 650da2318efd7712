"""The window: everything that uses Qt. Core and store know nothing of it."""
