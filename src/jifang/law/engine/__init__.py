"""The law engine: assess a case file, decide a footage-access request. Pure Python."""
