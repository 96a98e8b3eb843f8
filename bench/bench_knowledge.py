"""Knowledge-base search: recall@5 on a written-down set of Chinese and English queries, and search latency over
HTTP.

Seeds N articles (default 20,000; 100,000 is the PostgreSQL target): the 24 target articles of
bench/knowledge_queries.json through the service (rendered, versioned, indexed as in production) and N - 24
generated ones on the same subjects (printers, networks, power, accounts, in both languages) inserted in bulk
with the same search columns, so the targets must be found among look-alikes. Then starts `gongdan run`
(gunicorn, as deployed; bench/serving.py) and asks GET /api/v1/knowledge/search for every query, signed in as a
requester: recall@5 is the share of queries whose article is in the first five results; latency is the
client-side time of each request over loopback HTTP, p50/p95 over several rounds.

    .venv/bin/python bench/bench_knowledge.py                     # SQLite, 20,000 articles
    .venv/bin/python bench/bench_knowledge.py --database postgresql+psycopg://postgres@127.0.0.1:5432/test_kb
    .venv/bin/python bench/bench_knowledge.py --articles 2000 --rounds 2          # quicker

With --database the default is 100,000 articles; the PostgreSQL run drops and re-creates the schema `public`,
unless --reuse finds the articles an earlier run seeded (then it only migrates), or --keep says to seed them into
the database as it is: the one `bench/bench_reports.py --tickets 1000000` generated, for the issue's 100,000 articles
and 1,000,000 tickets. When the database holds tickets, the agent's side is timed too, signed in as an admin (who
sees every ticket): a ticket's similar resolved tickets and its related articles, for ten open tickets.

    .venv/bin/python bench/bench_reports.py --database postgresql+psycopg://…/bench1m --tickets 1000000
    .venv/bin/python bench/bench_knowledge.py --database postgresql+psycopg://…/bench1m --keep After seeding, PostgreSQL's
tables are vacuumed and analysed, as autovacuum would soon do: the bulk refresh of the vectors leaves every row
version dead once, and a search right after it reads twice the pages.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bench.common import fresh_app  # noqa: E402
from bench.serving import gongdan_run  # noqa: E402
from platform_core.auth import services as auth  # noqa: E402
from platform_core.db import get_session, utcnow  # noqa: E402
from runtime.knowledge import render, search, services, terms  # noqa: E402
from runtime.knowledge.models import KnowledgeArticle, KnowledgeArticleText  # noqa: E402
from runtime.tickets.models import OPEN_CATEGORIES, Ticket  # noqa: E402

QUERIES = json.loads((ROOT / "bench" / "knowledge_queries.json").read_text())
PASSWORD = "bench-password"
BATCH = 2000

ZH = ["打印机卡纸", "打印质量发白", "网络很慢", "邮箱同步失败", "电脑蓝屏", "系统升级通知", "服务器维护窗口", "密码策略说明",
      "设备巡检记录", "电源插座松动", "空调维护计划", "会议室预定规则", "产线停机复盘", "控制器参数备份", "交换机端口故障",
      "机房巡检表", "扫描仪驱动安装", "账号权限申请", "报表导出失败", "条码标签规格", "显示器支架", "无线网络覆盖",
      "软件许可证续费", "硬盘空间不足", "文件恢复", "远程桌面连接", "手机邮件配置", "门禁系统升级", "照明故障", "监控录像调取"]
EN = ["printer driver update", "network switch maintenance", "email sync issue", "laptop replacement policy",
      "password policy", "server patching window", "meeting room booking", "monitor stand request",
      "VPN certificate renewal", "battery recycling", "disk space cleanup", "file restore from backup",
      "remote desktop access", "mobile email setup", "badge system upgrade", "lighting fault", "camera footage request",
      "software license renewal", "keyboard replacement", "power outlet loose", "wireless coverage survey",
      "report export error", "label printer ribbon", "account permission request", "data center checklist"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _filler(rng: random.Random, number: int) -> tuple[dict, dict]:
    zh = rng.random() < 0.5
    pool = ZH if zh else EN
    title = f"{rng.choice(pool)} {rng.choice(pool)} #{number}"
    body = ("\u3002" if zh else ". ").join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
    html = render.to_html(body)
    text = render.to_text(html)
    tags = [rng.choice(["hardware", "network", "account", "打印机", "产线", "facility"])]
    article = {"locale": "zh-CN" if zh else "en", "status": "published", "visibility": "everyone",
               "revision": 1, "version": 1, "published_at": utcnow(), "created_at": utcnow(), "updated_at": utcnow(),
               "search_title": terms.index_terms(title), "search_body": terms.index_terms(text),
               "search_tags": terms.index_terms(" ".join(tags))}
    return article, {"locale": article["locale"], "title": title, "body": body, "body_html": html, "body_text": text}


def seed(app, count: int) -> dict[str, int]:
    """The targets through the service, the rest in bulk; returns the targets' ids by key."""
    with app.app_context():
        session = get_session()
        author = auth.create_user(session, email="author@example.com", name="Author", roles=["agent"],
                                  password=PASSWORD, actor_id=None)
        auth.create_user(session, email="reader@example.com", name="Reader", roles=["requester"],
                         password=PASSWORD, actor_id=None)
        auth.create_user(session, email="desk@example.com", name="Desk", roles=["admin"], password=PASSWORD,
                         actor_id=None)
        rng = random.Random(18)
        fillers = count - len(QUERIES["articles"])
        started = time.perf_counter()
        for start in range(0, fillers, BATCH):
            rows = [_filler(rng, n) for n in range(start, min(fillers, start + BATCH))]
            ids = session.execute(insert(KnowledgeArticle).returning(KnowledgeArticle.id),
                                  [article for article, _ in rows]).scalars().all()
            session.execute(insert(KnowledgeArticleText), [{**text, "article_id": article_id}
                                                           for article_id, (_, text) in zip(ids, rows, strict=True)])
            session.commit()
        search.refresh_vectors(session)
        session.commit()
        targets: dict[str, int] = {}
        for key, spec in QUERIES["articles"].items():
            texts = {spec["locale"]: {"title": spec["title"], "body": spec["body"]}}
            if "en_title" in spec:
                texts["en"] = {"title": spec["en_title"], "body": spec["en_body"]}
            if "zh_title" in spec:
                texts["zh-CN"] = {"title": spec["zh_title"], "body": spec["zh_body"]}
            body = {"locale": spec["locale"], "texts": texts, "tags": spec["tags"], "visibility": "everyone",
                    "team_ids": [], "ticket_types": []}
            article = services.create_article(session, author, body, "en")
            services.set_status(session, author, article.id, "published", None, "en")
            targets[key] = article.id
        total = session.scalar(select(KnowledgeArticle.id).order_by(KnowledgeArticle.id.desc()).limit(1))
        print(f"seeded {count} articles (last id {total}) in {time.perf_counter() - started:.1f} s", flush=True)
        return targets


def existing(app, count: int) -> dict[str, int] | None:
    """--reuse: the targets' ids in a database an earlier run seeded with ``count`` articles (and, with --keep,
    whatever articles the database had before), else None."""
    with app.app_context():
        session = get_session()
        if session.scalar(select(func.count()).select_from(KnowledgeArticle)) < count:
            return None
        targets: dict[str, int] = {}
        for key, spec in QUERIES["articles"].items():
            found = session.scalar(select(KnowledgeArticleText.article_id).where(
                KnowledgeArticleText.locale == spec["locale"], KnowledgeArticleText.title == spec["title"])
                .order_by(KnowledgeArticleText.article_id.desc()).limit(1))
            if found is None:
                return None
            targets[key] = found
        print(f"re-using {count} seeded articles", flush=True)
        return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=None, help="a PostgreSQL URL (default: SQLite in a temp folder)")
    parser.add_argument("--articles", type=int, default=None, help="20,000 on SQLite, 100,000 on PostgreSQL")
    parser.add_argument("--rounds", type=int, default=5, help="how many times every query is asked")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the articles an earlier run seeded (same --articles) instead of "
                             "dropping the schema and seeding again (only migrates; the vectors are kept as they are)")
    parser.add_argument("--keep", action="store_true",
                        help="PostgreSQL: seed the articles into the database as it is (only migrated, not emptied), "
                             "such as one with bench_reports.py's tickets; with --reuse, re-use them if it has them")
    args = parser.parse_args()
    count = args.articles or (100_000 if args.database else 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = args.database or f"sqlite:///{folder}/bench.db"
        reuse = args.reuse and url.startswith("postgresql")
        keep = args.keep and url.startswith("postgresql")
        app = fresh_app(url, folder, keep=reuse or keep)
        targets = existing(app, count) if reuse else None
        if targets is None:
            if reuse and not keep:  # nothing (or something else) there: start from empty after all
                app.extensions["gongdan_db"].engine.dispose()
                app = fresh_app(url, folder)
            targets = seed(app, count)
            if url.startswith("postgresql"):
                with app.extensions["gongdan_db"].engine.connect() as connection:
                    connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                        "VACUUM ANALYZE knowledge_article, knowledge_article_text")
        with app.app_context():
            session = get_session()
            tickets = session.scalar(select(func.count()).select_from(Ticket))
            sample = [(t.id, t.ticket_type.key) for t in session.scalars(
                select(Ticket).where(Ticket.status_category.in_(OPEN_CATEGORIES)).order_by(Ticket.id.desc())
                .limit(10))]
        app.extensions["gongdan_db"].engine.dispose()
        agent_side: dict[str, list[float]] = {}
        with gongdan_run(url, folder) as base, httpx.Client(base_url=base, timeout=30) as http:
            if sample:
                agent_side = time_agent_side(base, sample, args.rounds)
            assert http.post("/api/v1/auth/login", json={"email": "reader@example.com",
                                                         "password": PASSWORD}).status_code == 200
            for query in QUERIES["queries"]:  # warm up
                http.get("/api/v1/knowledge/search", params={"q": query["q"], "limit": 5})
            latencies: list[float] = []
            baseline: list[float] = []
            by_query: dict[str, list[float]] = {}
            hits, misses = 0, []
            for round_number in range(args.rounds):
                for query in QUERIES["queries"]:
                    # The same server answering a trivial signed-in GET, interleaved: what any request costs on
                    # this machine at this moment (the machine may be shared).
                    started = time.perf_counter()
                    assert http.get("/api/v1/knowledge/categories").status_code == 200
                    baseline.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    response = http.get("/api/v1/knowledge/search", params={"q": query["q"], "limit": 5})
                    latencies.append((time.perf_counter() - started) * 1000)
                    by_query.setdefault(query["q"], []).append(latencies[-1])
                    assert response.status_code == 200, response.text
                    if round_number == 0:
                        found = [item["id"] for item in response.json()["items"]]
                        if targets[query["expect"]] in found:
                            hits += 1
                        else:
                            misses.append(query["q"])
        database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        total = len(QUERIES["queries"])
        print(f"{database}, {count} articles, {total} queries x {args.rounds} rounds over HTTP (gongdan run, 2 workers)")
        print(f"recall@5: {hits}/{total} = {hits / total:.2f}" + (f"  missed: {', '.join(misses)}" if misses else ""))
        print(f"search latency: p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
              f"max {max(latencies):.1f} ms")
        slowest = sorted(by_query.items(), key=lambda item: -sorted(item[1])[len(item[1]) // 2])[:5]
        print("slowest queries (median ms): " + ", ".join(f"{q} {sorted(t)[len(t) // 2]:.0f}" for q, t in slowest))
        print(f"baseline (GET /api/v1/knowledge/categories, interleaved): p50 {percentile(baseline, 0.5):.1f} ms, "
              f"p95 {percentile(baseline, 0.95):.1f} ms")
        if agent_side:
            print(f"the agent's side, {tickets:,} tickets: {len(sample)} open tickets x {args.rounds} rounds, as an admin")
            for name, times in agent_side.items():
                print(f"  {name:<40} p50 {percentile(times, 0.5):6.1f} ms, p95 {percentile(times, 0.95):6.1f} ms, "
                      f"max {max(times):6.1f} ms")


def time_agent_side(base: str, sample: list[tuple[int, str]], rounds: int) -> dict[str, list[float]]:
    """What the agent's ticket page asks of the knowledge base: each ticket's similar resolved tickets and its
    related articles (both read the newest finished tickets of its type), and the portal's suggestions for the
    type while a requester types; after one untimed round."""
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=60) as http:
        assert http.post("/api/v1/auth/login", json={"email": "desk@example.com",
                                                     "password": PASSWORD}).status_code == 200
        for round_number in range(rounds + 1):
            for ticket_id, type_key in sample:
                for name, url, params in (
                        ("GET /tickets/{id}/similar", f"/api/v1/tickets/{ticket_id}/similar", None),
                        ("GET /tickets/{id}/knowledge/related", f"/api/v1/tickets/{ticket_id}/knowledge/related", None),
                        ("GET /knowledge/suggest?type=&text=", "/api/v1/knowledge/suggest",
                         {"type": type_key, "text": QUERIES["queries"][ticket_id % len(QUERIES["queries"])]["q"]})):
                    started = time.perf_counter()
                    response = http.get(url, params=params)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, response.text
                    if round_number:
                        out.setdefault(name, []).append(elapsed)
    return out


if __name__ == "__main__":
    main()
