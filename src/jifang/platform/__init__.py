"""The platform: Django apps by domain (registries, compliance, the audit log).

The apps call the law engine (`jifang.law`); the engine never imports them.
"""
