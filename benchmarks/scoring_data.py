"""A synthetic won/lost lead history with Chinese provinces, sources, campaigns and
products, for the lead scoring benchmark and tests.

The truth is a log-odds sum the scorer cannot see whole: per-value effects of source,
province, product and campaign; two hidden traits per lead (the person's intent, the
rep's diligence) that move both the outcome and the observed activity (so response
time, follow-ups and age are correlated, which naive Bayes double-counts); curved
effects of response time and follow-ups; and interactions — a campaign works best on
the product it advertises, an owned customer calling in is a near-sure thing, a call-in
at the weekend goes unanswered. Outcomes are drawn from it, so no model reaches AUC 1;
`truth` is the best any model could rank with.
"""

import numpy as np

from guanxi.sales.scoring.table import Table

SOURCES = ["web_form", "campaign", "call_in", "ibo_referral", "import", "other"]
SOURCE_P = [0.30, 0.25, 0.14, 0.12, 0.14, 0.05]
SOURCE_EFFECT = {
    "web_form": 0.0,
    "campaign": -0.2,
    "call_in": 0.6,
    "ibo_referral": 0.8,
    "import": -1.0,
    "other": -0.4,
}
PROVINCES = [
    "广东省",
    "江苏省",
    "山东省",
    "浙江省",
    "河南省",
    "四川省",
    "湖北省",
    "福建省",
    "湖南省",
    "安徽省",
    "上海市",
    "河北省",
    "北京市",
    "陕西省",
    "江西省",
    "重庆市",
    "辽宁省",
    "云南省",
    "广西壮族自治区",
    "山西省",
    "内蒙古自治区",
    "贵州省",
    "新疆维吾尔自治区",
    "天津市",
    "黑龙江省",
    "吉林省",
    "甘肃省",
    "海南省",
    "宁夏回族自治区",
    "青海省",
    "西藏自治区",
]
PRODUCTS = [
    "净水器",
    "空气净化器",
    "灵芝孢子粉",
    "蛋白质粉",
    "护肤套装",
    "营养餐",
    "保健茶",
    "厨具套装",
]
PRODUCT_EFFECT = [0.3, 0.1, 0.4, 0.0, -0.2, -0.1, -0.3, 0.2]
KNOWN = ["new", "known", "owned"]
ARRIVAL = ["workday", "evening", "weekend"]


def generate(n: int, *, seed: int = 7, days: int = 730) -> tuple[Table, np.ndarray, np.ndarray]:
    """(table, won, truth log-odds) of n leads, oldest first (arrival order)."""
    rng = np.random.default_rng(seed)
    world = np.random.default_rng(seed + 1000)  # the fixed effects, apart from the leads
    province_p = 1.0 / np.arange(1, len(PROVINCES) + 1) ** 0.8
    province_effect = world.normal(0, 0.3, len(PROVINCES))
    codes = [f"{ch}{2400 + i:04d}" for i, ch in enumerate("TWDXS" * 8)]  # 40 campaigns
    code_product = world.integers(0, len(PRODUCTS), len(codes))
    code_quality = world.normal(0, 0.5, len(codes))

    t = np.sort(rng.uniform(0, 1, n))  # arrival, as a share of the period
    source = rng.choice(len(SOURCES), n, p=SOURCE_P)
    src = np.array(SOURCES, dtype=object)[source]
    province = rng.choice(len(PROVINCES), n, p=province_p / province_p.sum())
    has_province = rng.random(n) > 0.08
    product = rng.integers(0, len(PRODUCTS), n)
    with_code = np.isin(src, ["campaign", "web_form"]) & (rng.random(n) < 0.7)
    code = rng.integers(0, len(codes), n)
    on_target = with_code & (rng.random(n) < 0.55)  # drawn in by the advertised product
    product = np.where(on_target, code_product[code], product)
    has_product = rng.random(n) > 0.1
    known = rng.choice(3, n, p=[0.7, 0.2, 0.1])
    arrival = rng.choice(3, n, p=[0.6, 0.25, 0.15])
    intent, diligence = rng.normal(0, 1, n), rng.normal(0, 1, n)

    contacted = rng.random(n) < 1 / (1 + np.exp(-(1.4 + 0.9 * diligence - 0.6 * (arrival == 2))))
    hours = np.exp(rng.normal(np.log(6) - 0.8 * diligence, 1.2))
    follow_ups = rng.poisson(np.exp(0.5 + 0.35 * diligence + 0.35 * intent)) * contacted

    logit = (
        -1.8
        + np.vectorize(SOURCE_EFFECT.get)(src)
        + np.where(has_province, province_effect[province], 0.0)
        + np.where(has_product, np.array(PRODUCT_EFFECT)[product], 0.0)
        + np.where(with_code, code_quality[code] + 0.8 * (product == code_product[code]), 0.0)
        + np.array([0.0, 0.5, 0.3])[known]
        + np.array([0.0, -0.1, -0.2])[arrival]
        + 1.1 * ((src == "call_in") & (known == 2))
        - 0.9 * ((src == "call_in") & (arrival == 2))
        + 0.6 * ((src == "ibo_referral") & (known >= 1))
        + np.where(contacted, 0.7 * (hours < 1) - 0.35 * np.log1p(hours), -1.3)
        + 0.55 * np.minimum(follow_ups, 3)
        - 0.2 * np.maximum(follow_ups - 5, 0)
        + 0.9 * intent
        + 0.3 * diligence
        + 0.3 * t  # the company gets better at selling
    )
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    decided_after = rng.gamma(2.0, np.where(won, 7.0, 4.0))
    table = Table(
        {
            "source": src,
            "province": np.where(has_province, np.array(PROVINCES, dtype=object)[province], ""),
            "campaign": np.where(with_code, np.array(codes, dtype=object)[code], ""),
            "interest": np.where(has_product, np.array(PRODUCTS, dtype=object)[product], ""),
            "known": np.array(KNOWN, dtype=object)[known],
            "arrival": np.array(ARRIVAL, dtype=object)[arrival],
            "response_hours": np.where(contacted, hours, np.nan),
            "follow_ups": follow_ups.astype(float),
            "age_days": np.minimum(decided_after, 30.0),
        }
    )
    return table, won, logit
