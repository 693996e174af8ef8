"""What the public sees: the publication generation, the shared cache, the read model
and its records, the changes log and the CDN purge. Imports rules and models only."""
