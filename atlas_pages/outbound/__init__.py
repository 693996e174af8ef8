"""Everything the atlas fetches from the outside world (activity, link checks), through one
HTTP client."""
