"""The web pages (an interface): Chinese, server-rendered, nothing fetched from outside."""
