"""The visitor site: page contexts, languages, search, verify, open data, feeds, with its
own URLs. Reads the publication layer."""
