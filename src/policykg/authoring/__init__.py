"""authoring layer."""
