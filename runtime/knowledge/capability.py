"""The knowledge base as a capability (see platform_core.capability): its models and its API, the
``create_article_draft`` action of transitions and automations, the article images the orphan purge keeps, and the
hourly review-by reminders."""

from __future__ import annotations

from platform_core.capability import Capability, PeriodicJob
from runtime.knowledge import image_views, images, models, reviews, views
from runtime.knowledge.drafts import create_article_draft_action
from runtime.tickets import hooks

CAPABILITY = Capability(
    name="knowledge",
    api_blueprints=[views.bp, image_views.bp],
    models=[models],
    periodic_jobs=[
        PeriodicJob(name="remind_article_reviews", func=reviews.remind_article_reviews, interval=3600,
                    description="Tell article owners when a published article's review-by date has come."),
    ],
    registrations=[(hooks.ACTIONS, "create_article_draft", create_article_draft_action),
                   (hooks.UPLOADS_HELD, "knowledge_article_images", images.held_uploads)],
)
