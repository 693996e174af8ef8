"""The editors' admin: viewsets, forms, panels, permissions, dashboard, press desk, upkeep,
moderation, bulk actions, coverage, rights, translation and import."""
