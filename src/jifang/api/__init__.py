"""The REST API (an interface): registries and the engine over HTTP, scoped per user."""
