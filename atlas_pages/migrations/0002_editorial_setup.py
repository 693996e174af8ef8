"""Locales, the usual platforms, the press groups and the "Press review" moderation workflow."""

from django.db import migrations

LOCALES = ["nl", "en"]

PLATFORMS = [
    # slug, name, hosts (canonical first), sort order
    ("twitter", "X (Twitter)", "x.com\ntwitter.com", 10),
    ("facebook", "Facebook", "facebook.com\nfb.com", 20),
    ("linkedin", "LinkedIn", "linkedin.com", 30),
    ("youtube", "YouTube", "youtube.com\nyoutu.be", 40),
    ("instagram", "Instagram", "instagram.com", 50),
    ("flickr", "Flickr", "flickr.com", 60),
    ("blog", "Blog", "", 70),
    ("mastodon", "Mastodon", "mastodon.social\nsocial.overheid.nl\nmastodon.nl", 80),
    ("bluesky", "Bluesky", "bsky.app", 90),
    ("threads", "Threads", "threads.net\nthreads.com", 100),
    ("tiktok", "TikTok", "tiktok.com", 110),
    ("wechat", "WeChat", "weixin.qq.com\nmp.weixin.qq.com", 120),
    ("weibo", "Weibo", "weibo.com\nweibo.cn", 130),
]

SNIPPETS = ["person", "socialaccount"]
EDITOR_SNIPPET_ACTIONS = ["add", "change", "delete", "view"]
MODERATOR_SNIPPET_ACTIONS = EDITOR_SNIPPET_ACTIONS + ["publish", "lock", "unlock"]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
MODERATOR_PAGE_PERMISSIONS = EDITOR_PAGE_PERMISSIONS + [
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]


def permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ')}"},
    )
    return perm


def setup(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    Platform = apps.get_model("atlas_pages.Platform")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")

    for code in LOCALES:
        Locale.objects.get_or_create(language_code=code)

    for slug, name, hosts, sort_order in PLATFORMS:
        Platform.objects.get_or_create(
            slug=slug, defaults={"name": name, "hosts": hosts, "sort_order": sort_order}
        )

    editors, _ = Group.objects.get_or_create(name="Press editors")
    moderators, _ = Group.objects.get_or_create(name="Press moderators")
    admin_access = permission(apps, "wagtailadmin", "admin", "access_admin")
    for group, actions in ((editors, EDITOR_SNIPPET_ACTIONS), (moderators, MODERATOR_SNIPPET_ACTIONS)):
        group.permissions.add(admin_access)
        for model in SNIPPETS:
            for action in actions:
                group.permissions.add(permission(apps, "atlas_pages", model, f"{action}_{model}"))
        for action in ("add", "change", "view"):
            group.permissions.add(permission(apps, "atlas_pages", "platform", f"{action}_platform"))

    root = Page.objects.get(depth=1)
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, MODERATOR_PAGE_PERMISSIONS)):
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission(apps, "wagtailcore", "page", codename)
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="Press moderators approval", defaults={"content_type": task_type, "active": True}
    )
    task.groups.set([moderators])
    workflow, _ = Workflow.objects.get_or_create(name="Press review", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The whole tree (the atlas and anything under it) goes through press review.
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    for model in SNIPPETS:
        content_type, _ = ContentType.objects.get_or_create(app_label="atlas_pages", model=model)
        WorkflowContentType.objects.update_or_create(
            content_type=content_type, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("atlas_pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
