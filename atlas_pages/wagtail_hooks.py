"""The atlas's registrations with Wagtail; what they register lives in atlas_pages.editorial
(the admin) and atlas_pages.site (the public pages). The permission policies of people and
accounts are registered earlier, by AtlasPagesConfig.ready()."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from atlas_pages.editorial import (
    attestations,
    consent,
    dashboard,
    handovers,
    impersonators,
    leads_desk,
    menus,
    moderation,
    permissions,
    urls,
    wikidata_desk,
)
from atlas_pages.editorial.bulk_actions import BULK_ACTIONS
from atlas_pages.editorial.evidence import ConfirmOfficialBulkAction
from atlas_pages.editorial.viewsets import AtlasViewSetGroup
from atlas_pages.site import languages, page_contexts

# The admin: the "Atlas" menu of accounts, people and platforms.
register_snippet(AtlasViewSetGroup)
hooks.register("before_delete_snippet", permissions.refuse_deletion_without_instance_permission)
hooks.register("construct_snippet_action_menu", moderation.primary_action_first)
for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)
hooks.register("register_bulk_action", ConfirmOfficialBulkAction)

# The dashboard, the admin's own views and their menu items.
hooks.register("construct_homepage_panels", dashboard.add_press_desk_panel)
hooks.register("construct_homepage_panels", dashboard.add_upkeep_panel)
hooks.register("register_admin_urls", urls.admin_urls)
hooks.register("register_admin_urls", consent.admin_urls)
hooks.register("register_log_actions", consent.register_log_actions)
hooks.register("register_reports_menu_item", menus.coverage_menu_item)
hooks.register("register_reports_menu_item", menus.review_queue_menu_item)
hooks.register("register_reports_menu_item", menus.identity_queue_menu_item)
hooks.register("register_admin_menu_item", menus.import_accounts_menu_item)
# Attestations: "these are all our accounts" per post, and the queue of those due.
hooks.register("register_admin_urls", attestations.admin_urls)
hooks.register("register_reports_menu_item", menus.attestations_menu_item)
# Impersonator reports: the press desk's queue, its menu item and dashboard count.
hooks.register("register_admin_urls", impersonators.admin_urls)
hooks.register("register_reports_menu_item", menus.impersonators_menu_item)
hooks.register("construct_homepage_panels", impersonators.add_reports_panel)
# Leads: profiles the sweep found that the atlas does not list (press desk queue).
hooks.register("register_admin_urls", leads_desk.admin_urls)
hooks.register("register_reports_menu_item", menus.leads_menu_item)
# Handovers: ended terms of heads of post, handed over to a successor as drafts.
hooks.register("register_admin_urls", handovers.admin_urls)
hooks.register("register_reports_menu_item", menus.handovers_menu_item)
# Wikidata: proposed ids to confirm, and the report of its account claims with QuickStatements.
hooks.register("register_admin_urls", wikidata_desk.admin_urls)
hooks.register("register_reports_menu_item", menus.wikidata_matches_menu_item)
hooks.register("register_reports_menu_item", menus.wikidata_report_menu_item)

# The site: what the atlas's pages show, and each language served from its own tree only.
hooks.register("construct_page_context", page_contexts.add_page_context)
hooks.register("before_serve_page", languages.page_in_url_language)
