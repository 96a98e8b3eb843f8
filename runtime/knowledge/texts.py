"""What the knowledge base says to people, in English and Simplified Chinese (same placeholders in both)."""

# ruff: noqa: RUF001  (Chinese punctuation is meant)
from __future__ import annotations

from runtime.rules.texts import Catalogue

SENTENCES: dict[str, dict[str, str]] = {
    "article.not_found": {"en": "Article {id} does not exist.", "zh-CN": "文章 {id} 不存在。"},
    "article.changed": {"en": "The article was changed by someone else (now revision {revision}); reload it and "
                              "apply your changes again.",
                        "zh-CN": "文章已被他人修改（当前修订号 {revision}），请重新加载后再修改。"},
    "article.if_match": {"en": "If-Match must be the article's ETag, such as \"3\".",
                         "zh-CN": "If-Match 必须是文章的 ETag，例如 \"3\"。"},
    "article.no_text": {"en": "Write the title and body in the article's language ({locale}).",
                        "zh-CN": "请用文章的语言（{locale}）填写标题和正文。"},
    "article.unknown_locale": {"en": "Articles are written in {locales}.", "zh-CN": "文章语言只能是 {locales}。"},
    "article.teams_needed": {"en": "Choose at least one team for an article visible to chosen teams.",
                             "zh-CN": "“仅限指定团队”的文章至少要选择一个团队。"},
    "article.teams_unused": {"en": "Teams are chosen only when the visibility is 'teams'.",
                             "zh-CN": "只有可见范围为“指定团队”时才能选择团队。"},
    "article.unknown_team": {"en": "Team {id} does not exist.", "zh-CN": "团队 {id} 不存在。"},
    "article.unknown_category": {"en": "Category {id} does not exist.", "zh-CN": "分类 {id} 不存在。"},
    "article.unknown_user": {"en": "User {id} does not exist.", "zh-CN": "用户 {id} 不存在。"},
    "article.unknown_ticket": {"en": "Ticket {id} does not exist.", "zh-CN": "工单 {id} 不存在。"},
    "article.unknown_type": {"en": "There is no ticket type '{key}'.", "zh-CN": "没有工单类型“{key}”。"},
    "article.title_needed": {"en": "Give the article a title in this language.",
                             "zh-CN": "请填写该语言的标题。"},
    "preview.too_long": {"en": "The body is longer than {limit} characters.",
                         "zh-CN": "正文超过了 {limit} 个字符。"},
    "article.no_version": {"en": "The article has no version {number}.", "zh-CN": "文章没有第 {number} 版。"},
    "article.not_visible": {"en": "You cannot see article {id}.", "zh-CN": "你无权查看文章 {id}。"},
    "category.cycle": {"en": "A category cannot be inside itself.", "zh-CN": "分类不能放在自身之下。"},
    "category.in_use": {"en": "Category “{name}” cannot be deleted: it still holds {what}; move them elsewhere first.",
                        "zh-CN": "分类“{name}”不能删除：其下仍有 {what}，请先移走。"},
    "category.one_article": {"en": "1 article", "zh-CN": "1 篇文章"},
    "category.articles": {"en": "{count} articles", "zh-CN": "{count} 篇文章"},
    "category.one_subcategory": {"en": "1 subcategory", "zh-CN": "1 个子分类"},
    "category.subcategories": {"en": "{count} subcategories", "zh-CN": "{count} 个子分类"},
    "category.and": {"en": " and ", "zh-CN": "和 "},  # a space before the next number, as the others have
    "category.name_blank": {"en": "Give the category a name.", "zh-CN": "请填写分类名称。"},
    "feedback.not_published": {"en": "Only published articles can be rated as helpful or not.",
                               "zh-CN": "只有已发布的文章才能评价是否有帮助。"},
    "draft.staff_only": {"en": "Only staff working the ticket turn it into an article.",
                         "zh-CN": "只有处理该工单的工作人员才能把它转为文章。"},
    "draft.not_done": {"en": "Ticket {number} is not resolved or closed yet; turn it into an article once it is.",
                       "zh-CN": "工单 {number} 尚未解决或关闭，解决后才能转为文章。"},
    "draft.unknown_comment": {"en": "Comment {id} is not a comment of this ticket.",
                              "zh-CN": "评论 {id} 不属于该工单。"},
    "draft.section.symptom": {"en": "Symptom", "zh-CN": "现象"},
    "draft.section.diagnosis": {"en": "Diagnosis", "zh-CN": "诊断"},
    "draft.section.resolution": {"en": "Resolution", "zh-CN": "解决方法"},
    "draft.section.root_cause": {"en": "Root cause", "zh-CN": "根本原因"},
    "draft.section.conversation": {"en": "Conversation", "zh-CN": "沟通记录"},
    "draft.agent": {"en": "Agent", "zh-CN": "客服"},
    "draft.requester": {"en": "Requester", "zh-CN": "提单人"},
    "draft.system": {"en": "System", "zh-CN": "系统"},
    "draft.internal": {"en": "internal", "zh-CN": "内部"},
    "image.wrong_type": {"en": "Images must be PNG, JPEG, GIF or WebP files; this file is {found}.",
                         "zh-CN": "图片只能是 PNG、JPEG、GIF 或 WebP 文件，此文件是 {found}。"},
    "image.empty": {"en": "The file is empty.", "zh-CN": "文件是空的。"},
    "image.too_large": {"en": "The image is larger than the limit of {limit}.",
                        "zh-CN": "图片超过了 {limit} 的大小上限。"},
    "image.not_found": {"en": "There is no such image.", "zh-CN": "没有这张图片。"},
    "image.in_use": {"en": "The article still shows this image (text: {languages}); take it out of the body and save "
                           "first.",
                     "zh-CN": "文章中仍在显示这张图片（语言：{languages}），请先从正文中删除并保存。"},
    "similar.staff_only": {"en": "Similar tickets are for staff working the ticket.",
                           "zh-CN": "相似工单仅供处理该工单的工作人员查看。"},
    "review.due": {"en": "The article “{title}” is due for review (review by {date}): check it is still right, "
                         "then set the next review-by date.",
                   "zh-CN": "文章“{title}”已到复审日期（{date}）：请确认内容仍然正确，并设置下一次复审日期。"},
    "suggest.empty": {"en": "Type a few words to get suggestions.", "zh-CN": "请输入几个字词以获取建议。"},
}


say = Catalogue(SENTENCES).say
