"""The demo atlas: a realistic, invented network of a Dutch foreign ministry's posts, people
and social-media accounts, for demonstrations, development and the end-to-end tests.

The data lives in small modules (countries, posts, people, accounts); loader builds it.
"""

from atlas_pages.demo.loader import SMALL, load_demo_atlas

__all__ = ["SMALL", "load_demo_atlas"]
