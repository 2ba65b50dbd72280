"""Demo content for campaigns, entries, votes, jury scores; only on the first run.

A finished district LOGO campaign with winners (its pictures drawn here with Pillow and stored through the
upload pipeline, so no outside file is needed) and an open drawing campaign at the 大街 demo school."""

from __future__ import annotations

import functools
import io
import math
import random
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from council.accounts.models import ConsentMethod
from council.accounts.operations import find_account
from council.calendar import clock
from council.campaigns import operations
from council.campaigns.models import Campaign, CampaignKind, Phase
from council.extensions import db
from council.uploads import storage
from council.uploads.images import process_image

PALETTE = [(230, 57, 70), (244, 162, 97), (233, 196, 106), (42, 157, 143), (38, 70, 83), (69, 123, 157),
           (131, 56, 236), (255, 0, 110), (58, 134, 255), (6, 214, 160)]

LOGOS = [  # (title, what it shows: the alt text)
    ("手拉手的周村", "一圈彩色的小人手拉手，围着一颗红色的心。"),
    ("阳光下的家", "黄色的大太阳照着一座蓝色屋顶的小房子。"),
    ("会飞的风筝", "一只彩色风筝飞在蓝天上，尾巴是一串小圆点。"),
    ("大树妈妈", "一棵绿色的大树，树下有三个小圆点像小朋友。"),
    ("彩虹桥", "一座彩虹做成的桥，两边各有一座小房子。"),
    ("星星的眼睛", "深蓝色的底上有五颗黄色的星星围成一圈。"),
    ("笑脸花园", "几朵彩色的花，每朵花的中心都是一张笑脸。"),
    ("丝路小骆驼", "一只橙色的小骆驼走在金色的沙丘上。"),
    ("一起长大", "高矮不同的几根彩色柱子，像一家人站在一起。"),
]


def _picture(seed: int) -> bytes:
    """A simple, colourful logo-like drawing, different for every seed."""
    rng = random.Random(seed)
    size = 640
    im = Image.new("RGB", (size, size), rng.choice([(255, 253, 247), (240, 248, 255), (255, 244, 214)]))
    draw = ImageDraw.Draw(im)
    centre = size // 2
    colours = rng.sample(PALETTE, 5)
    draw.ellipse((60, 60, size - 60, size - 60), outline=colours[0], width=18)
    shape = seed % 3
    if shape == 0:  # a sun with rays
        for k in range(12):
            angle = k * math.pi / 6
            draw.line((centre, centre, centre + 230 * math.cos(angle), centre + 230 * math.sin(angle)),
                      fill=colours[1], width=14)
        draw.ellipse((centre - 110, centre - 110, centre + 110, centre + 110), fill=colours[2])
    elif shape == 1:  # a house under a roof
        draw.rectangle((centre - 130, centre - 20, centre + 130, centre + 170), fill=colours[1])
        draw.polygon([(centre - 170, centre - 20), (centre, centre - 190), (centre + 170, centre - 20)],
                     fill=colours[2])
        draw.rectangle((centre - 35, centre + 60, centre + 35, centre + 170), fill=colours[3])
    else:  # children in a ring
        for k in range(7):
            angle = k * 2 * math.pi / 7
            x, y = centre + 170 * math.cos(angle), centre + 170 * math.sin(angle)
            draw.ellipse((x - 38, y - 38, x + 38, y + 38), fill=colours[(k % 4) + 1])
        draw.ellipse((centre - 70, centre - 70, centre + 70, centre + 70), fill=(230, 57, 70))
    for _dot in range(6):
        x, y = rng.randrange(90, size - 90), rng.randrange(90, size - 90)
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=rng.choice(colours))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


@functools.cache
def _processed(seed: int):
    """Drawn and put through the upload pipeline once per process: the same seed always gives the same file."""
    return process_image(_picture(seed))


def _stored(seed: int, owner):
    return storage.store_image(_processed(seed), owner)


def seed_demo_campaigns(councils) -> None:
    if db.session.scalar(select(Campaign.id).limit(1)) is not None:
        return
    coordinator, facilitator, teacher = find_account("coordinator"), find_account("facilitator"), find_account(
        "teacher")
    # The office checks the entries, so it sees the children's names: the blind jury is two other adults.
    jurors = [find_account("facilitator2"), find_account("facilitator_community")]
    kids = [find_account(f"kid{i:02d}") for i in range(1, 10)]
    today = clock.today()
    rubric = [{"name": "创意", "weight": 40}, {"name": "体现儿童友好", "weight": 35},
              {"name": "简洁好认", "weight": 25}]

    # A finished district LOGO campaign: every step below is the real operation, dated in the past.
    start = today - timedelta(days=70)
    logo = operations.create_campaign(
        coordinator, None, jurors=jurors, kind=CampaignKind.logo, title="周村儿童友好城市LOGO征集",
        rules="请为“儿童友好周村”设计一个LOGO。要简单、好认、有颜色，能让人一看就想到小朋友和周村。"
              "画在纸上拍照上传，或者用电脑画好上传都可以。不要画自己的脸，也不要写自己的名字。",
        prizes="每个年龄组前三名：证书和一套绘画文具；获奖作品可能用在区里的宣传品上。",
        age_groups=[[6, 8], [9, 11], [12, 14], [15, 17]], reviewing_from=start + timedelta(days=21),
        voting_from=start + timedelta(days=28), judging_from=start + timedelta(days=35),
        results_from=start + timedelta(days=42), entries_per_child=1, votes_per_child=3, jury_weight=70,
        rubric=rubric, winners_per_group=3)
    operations.move_on(logo, coordinator, Phase.open)
    entries = []
    for i, (kid, (title, description)) in enumerate(zip(kids, LOGOS, strict=True)):
        entry = operations.submit_entry(logo, kid, kid, title=title, description=description,
                                        file=_stored(100 + i, kid), today=start + timedelta(days=2 + i))
        operations.record_consent(entry, teacher, display=True, use=True, method=ConsentMethod.paper)
        operations.approve(entry, coordinator)
        entries.append(entry)
    operations.move_on(logo, coordinator, Phase.reviewing)
    operations.move_on(logo, coordinator, Phase.voting)
    voting_day = start + timedelta(days=30)
    rng = random.Random(7)
    for kid in kids:
        for entry in rng.sample([e for e in entries if e.author_id != kid.id], 3):
            operations.vote(entry, kid, today=voting_day)
    for child_name in ("child", "member", "teen"):
        voter = find_account(child_name)
        for entry in rng.sample(entries, 2):
            operations.vote(entry, voter, today=voting_day)
    operations.move_on(logo, coordinator, Phase.judging)
    for juror in jurors:
        for entry in entries:
            marks = [rng.randint(5, 10) for _criterion in rubric]
            operations.score(entry, juror, marks, today=start + timedelta(days=37))
    operations.move_on(logo, coordinator, Phase.results)

    # An open drawing campaign at the 大街 demo school, run by its street's facilitator.
    school = councils["dajie-demo-school"]
    drawing = operations.create_campaign(
        facilitator, school, jurors=[facilitator, teacher], kind=CampaignKind.drawing,
        title="画出我心中的儿童友好校园",
        rules="画一画你最想要的校园：可以是操场、图书角、上学的路……用彩笔画在A4纸上，拍一张清楚的照片上传。"
              "每人一幅。不要画自己的脸，也不要写自己的名字和班级。",
        prizes="优秀作品将在学校走廊展出，并获得证书。",
        age_groups=[[6, 8], [9, 11], [12, 14]], reviewing_from=today + timedelta(days=14),
        voting_from=today + timedelta(days=21), judging_from=today + timedelta(days=28),
        results_from=today + timedelta(days=35), entries_per_child=1, votes_per_child=3, jury_weight=60,
        rubric=[{"name": "想象力", "weight": 50}, {"name": "画面表达", "weight": 50}], winners_per_group=3)
    operations.move_on(drawing, facilitator, Phase.open)
    works = [("会下雨的滑梯", "一个彩色滑梯，上面有个小屋顶可以挡雨。"),
             ("树屋图书角", "大树上的小木屋里放满了书，有梯子可以爬上去。"),
             ("安全上学路", "一条有斑马线和红绿灯的彩色小路通到学校门口。"),
             ("屋顶小菜园", "学校楼顶上种着西红柿和向日葵。")]
    for i, (kid, (title, description)) in enumerate(zip(kids[:4], works, strict=True)):
        entry = operations.submit_entry(drawing, kid, kid, title=title, description=description,
                                        file=_stored(200 + i, kid), today=today)
        if i < 2:  # checked and shown; the third approved but still waiting for the guardian; the fourth new
            operations.record_consent(entry, teacher, display=True, use=True, method=ConsentMethod.paper)
        if i < 3:
            operations.approve(entry, facilitator)
