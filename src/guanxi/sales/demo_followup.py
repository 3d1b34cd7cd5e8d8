"""Follow-up demo data in Chinese: tasks of the Shanghai reps (overdue, today, upcoming,
done with the call logged), and daily and weekly reports with the manager's comments."""

import datetime
import random

from django.utils import timezone

from guanxi.customers.models import Party
from guanxi.sales.services.followup import task_complete, task_create
from guanxi.sales.services.work_reports import report_comment, report_save

TASKS = [
    ("call", "电话回访净水器安装效果"),
    ("visit", "上门演示空气净化器"),
    ("wechat", "微信发送灵芝孢子粉资料"),
    ("call", "确认团购数量和送货时间"),
    ("email", "发送报价单"),
    ("call", "提醒滤芯更换"),
]
OUTCOMES = [
    "客户很满意，约下月复购",
    "客户考虑中，下周再联系",
    "已约周六上门",
    "无人接听，改天再打",
]


def load_followup_demo(*, users: dict, seed: int = 2026) -> dict:
    rng = random.Random(seed)
    now = timezone.now()
    planned = done = 0
    for username in ("rep", "rep2"):
        rep = users[username]
        parties = list(Party.objects.filter(owner=rep).order_by("pk")[:8])
        for i, party in enumerate(parties):
            kind, title = TASKS[i % len(TASKS)]
            # Two overdue, two due later today, the rest over the coming days.
            offset = [-26, -3, 2, 4, 20, 44, 70, 120][i]
            task = task_create(
                actor=rep,
                party=party,
                title=title,
                kind=kind,
                priority="high" if i % 3 == 0 else "normal",
                due_at=now + datetime.timedelta(hours=offset),
                now=now - datetime.timedelta(days=2),
            )
            planned += 1
            if offset == -26 and username == "rep2":
                task_complete(actor=rep, task=task, outcome=rng.choice(OUTCOMES), now=now)
                done += 1
        report_save(
            actor=rep,
            kind="daily",
            day=timezone.localdate(now) - datetime.timedelta(days=1),
            done="回访老客户 5 位，其中 2 位有复购意向；新认领公海客户 1 位。",
            plan="上门演示空气净化器，跟进团购报价。",
            problems="部分客户嫌滤芯价格偏高，希望有套餐优惠。",
            submit=True,
            now=now,
        )
    yesterday = users["rep"].work_reports.get()
    report_comment(
        actor=users["manager"], report=yesterday, body="复购客户要尽快下单，套餐的事我来申请。"
    )
    report_save(
        actor=users["rep2"],
        kind="weekly",
        day=timezone.localdate(now),
        done="本周拜访 6 位客户，成交净水器 2 台。",
        plan="下周重点跟进社区体验店团购。",
        now=now,
    )
    return {"tasks": planned, "done": done}
