"""Jurisdictions: administrative divisions (GB/T 2260) and the police organs over them."""
