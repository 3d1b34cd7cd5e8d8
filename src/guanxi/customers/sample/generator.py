"""Deterministic Chinese sample data for the demo, `guanxi seed` and benchmarks."""

import datetime
import random
from dataclasses import dataclass

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇鹏浩凯欣怡婷雪"
    "琳晨阳佳颖子涵梓轩雨萱博文思远嘉怡俊杰晓燕志强海燕春梅秋菊国庆建国卫东红梅"
)
COMPANY_WORDS = ["华润", "康泰", "永新", "恒达", "金源", "天和", "瑞丰", "嘉禾", "宏图", "百合"]
COMPANY_KINDS = ["贸易有限公司", "健康科技有限公司", "大药房", "日化商行", "连锁超市"]
PLACES = [
    ("上海市", "上海市", ["浦东新区", "徐汇区", "静安区", "闵行区"]),
    ("北京市", "北京市", ["朝阳区", "海淀区", "东城区", "丰台区"]),
    ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"]),
    ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"]),
    ("浙江省", "杭州市", ["西湖区", "滨江区", "拱墅区", "余杭区"]),
    ("江苏省", "南京市", ["鼓楼区", "玄武区", "建邺区", "江宁区"]),
    ("四川省", "成都市", ["锦江区", "武侯区", "高新区", "青羊区"]),
    ("湖北省", "武汉市", ["江汉区", "武昌区", "洪山区", "汉阳区"]),
]
STREETS = ["人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "花园街", "文化路", "新华路"]
MOBILE_PREFIXES = [
    "138",
    "139",
    "137",
    "136",
    "135",
    "150",
    "151",
    "158",
    "186",
    "188",
    "189",
    "177",
]
SUBJECTS = {
    "call": [
        "回访新品试用感受",
        "确认订单收货",
        "邀请参加产品说明会",
        "询问复购意向",
        "售后满意度回访",
    ],
    "visit": ["上门讲解营养方案", "体验店到店咨询", "送货并演示使用"],
    "email": ["寄送电子产品目录", "会员积分到期提醒"],
    "sms": ["生日祝福短信", "活动报名确认"],
    "direct_mail": ["寄送春季新品目录 DM", "寄送会员专刊"],
    "note": ["客户偏好：晚上联系", "家人也对保健品感兴趣"],
}
BODIES = [
    "客户对产品效果满意，希望下月继续购买。",
    "客户暂时没有需求，约定两周后再联系。",
    "已解答关于成分和食用方法的问题。",
    "客户提出价格偏高，已介绍会员价和积分兑换。",
    "客户询问能否介绍朋友加入，已说明推荐流程。",
    "",
]
TAGS = ["高意向", "老客户", "价格敏感", "需回访", "VIP", "社区团购", "展会客户"]


@dataclass
class SampleParty:
    name: str
    is_org: bool
    gender: str
    birthday: datetime.date | None
    mobile: str
    province: str
    city: str
    district: str
    street: str
    email: str


class SampleGenerator:
    """Reproducible stream of realistic parties; the same seed gives the same data."""

    def __init__(self, seed: int = 2026):
        self.rng = random.Random(seed)

    def person_name(self) -> str:
        rng = self.rng
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        return rng.choice(SURNAMES) + given

    def mobile(self, index: int | None = None) -> str:
        if index is not None:  # unique per index, for bulk seeding
            prefix = MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]
            return f"{prefix}{(index * 7919) % 100_000_000:08d}"
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def party(self, index: int | None = None) -> SampleParty:
        rng = self.rng
        is_org = rng.random() < 0.06
        name = (
            (rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_KINDS))
            if is_org
            else self.person_name()
        )
        province, city, districts = rng.choice(PLACES)
        birthday = None
        if not is_org and rng.random() < 0.7:
            birthday = datetime.date(
                rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28)
            )
        return SampleParty(
            name=name,
            is_org=is_org,
            gender="" if is_org else rng.choice(["female", "female", "male"]),
            birthday=birthday,
            mobile=self.mobile(index),
            province=province,
            city=city,
            district=rng.choice(districts),
            street=(
                f"{rng.choice(STREETS)}{rng.randint(1, 999)}号"
                f"{rng.randint(1, 30)}栋{rng.randint(101, 2808)}室"
            ),
            email=f"user{index if index is not None else rng.randrange(10**7)}@example.cn"
            if rng.random() < 0.3
            else "",
        )

    def interaction(self) -> tuple[str, str, str]:
        kind = self.rng.choice(list(SUBJECTS))
        return kind, self.rng.choice(SUBJECTS[kind]), self.rng.choice(BODIES)
