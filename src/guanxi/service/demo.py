"""Demo data of the service centre: a question bank for a direct-selling health-products
company and a few customers' requests, one of them answered. Safe to run twice."""

import datetime

from django.db import transaction
from django.utils import timezone

from guanxi.core.choices import UserKind
from guanxi.core.models import User
from guanxi.customers.models import Party
from guanxi.service.choices import QuestionCategory as C
from guanxi.service.choices import RequestChannel
from guanxi.service.models import Question, ServiceRequest
from guanxi.service.services import service_request_answer, service_request_create

QUESTIONS = [
    # category, question, answer, keywords
    (
        C.ORDERING,
        "怎样订购产品？",
        "您可以通过会员门户在线下单，拨打客服热线 400-800-1234 由客服代下单，"
        "或请为您服务的直销员代为下单；也可以到各地体验店现场购买。",
        "订货 下单 购买 买 热线",
    ),
    (
        C.ORDERING,
        "下单后多久需要付款？",
        "订单提交后请在 7 天内完成付款；逾期未付款的订单，系统会通过短信或邮件发送催款提醒。",
        "付款 支付 催款 取消",
    ),
    (
        C.DELIVERY,
        "配送需要多长时间？运费怎么算？",
        "付款后 48 小时内发货，江浙沪一般 1–2 天送达，其他地区 3–5 天。"
        "单笔订单满 299 元免运费，不满收取 12 元。也可以选择到体验店自提。",
        "配送 快递 发货 运费 自提 物流",
    ),
    (
        C.DELIVERY,
        "如何查询物流进度？",
        "在会员门户“我的订单”中可以看到快递公司和运单号，点击即可查看物流进度；也可以致电客服查询。",
        "物流 快递单号 查询 跟踪",
    ),
    (
        C.RETURNS,
        "产品可以退货吗？",
        "根据《直销管理条例》，购买之日起 30 天内，未开封的产品可以办理退货，"
        "我们在收到退货申请后 7 天内按发票价格退款。已开封的产品如有质量问题请联系客服处理。",
        "退货 退款 未开封 30天 换货",
    ),
    (
        C.RETURNS,
        "退款多久到账？",
        "退货申请受理后 7 天内原路退回；银行卡到账时间以银行为准，一般 1–3 个工作日。",
        "退款 到账 原路退回",
    ),
    (
        C.POINTS,
        "积分怎样获得？可以兑换什么？",
        "每消费 10 元累计 1 积分，部分活动产品另有奖励积分。积分可以在“积分兑换”中兑换产品，"
        "兑换订单不收取货款。",
        "积分 兑换 积分换产品 奖励",
    ),
    (
        C.POINTS,
        "积分会过期吗？",
        "积分自获得之日起 24 个月内有效，到期未使用的积分将自动清零；"
        "会员门户会提前提醒即将过期的积分。",
        "积分 过期 有效期 清零",
    ),
    (
        C.MEMBERSHIP,
        "如何注册成为会员？",
        "在会员门户填写手机号、姓名并设置密码即可注册，注册时可以选择是否接收新品资讯。"
        "会员购物享受会员价。",
        "会员 注册 会员价 开户",
    ),
    (
        C.MEMBERSHIP,
        "怎样修改手机号或收货地址？",
        "登录会员门户，在“我的资料”中修改；为保护您的个人信息，修改手机号需要短信验证。",
        "修改 资料 手机号 地址 个人信息",
    ),
    (
        C.DISTRIBUTORS,
        "怎样成为直销员？",
        "年满 18 周岁、具有完全民事行为能力的人员，经培训并考试合格、签订推销合同、"
        "取得直销员证后，方可从事直销活动。在校学生、教师、医务人员、公务员和现役军人不得成为直销员。",
        "直销员 经销商 加盟 直销员证 推荐人",
    ),
    (
        C.INVOICES,
        "可以开发票吗？",
        "可以。下单时填写发票抬头和税号，或在订单完成后 30 天内到会员门户申请开具电子发票，"
        "电子发票会发送到您的邮箱。",
        "发票 电子发票 抬头 税号 报销",
    ),
    (
        C.PRODUCTS,
        "保健食品能代替药物吗？",
        "不能。保健食品不能代替药物治疗疾病，如有身体不适请及时就医；服用前请阅读产品标签和说明书。",
        "保健食品 药物 治疗 说明书",
    ),
]

REQUESTS = [
    # channel, subject, body, answer (or "")
    (
        RequestChannel.PHONE,
        "订单还没有收到",
        "上周五下的订单，到现在还没有收到快递，麻烦帮忙查一下。",
        "已为您查询：包裹因天气原因在中转站滞留，预计明天送达，给您带来不便非常抱歉。",
    ),
    (
        RequestChannel.WECHAT,
        "灵芝茶未开封可以退吗",
        "买了两盒灵芝茶，还没有开封，买多了，想退一盒。",
        "",
    ),
    (
        RequestChannel.EMAIL,
        "申请开具发票",
        "请为我上个月的订单开具电子发票，抬头为个人。",
        "",
    ),
]


@transaction.atomic
def demo_load() -> dict:
    """Fill the question bank and file a few requests; return how many of each were added."""
    added = {"questions": 0, "requests": 0}
    for position, (category, question, answer, keywords) in enumerate(QUESTIONS, start=1):
        _obj, created = Question.objects.get_or_create(
            question=question,
            defaults={
                "answer": answer,
                "category": category,
                "keywords": keywords,
                "position": position * 10,
            },
        )
        added["questions"] += created
    staff = User.objects.filter(kind=UserKind.STAFF, is_active=True)
    agent = staff.filter(username="agent").first() or staff.filter(is_superuser=True).first()
    parties = list(Party.objects.filter(merged_into__isnull=True).order_by("id")[: len(REQUESTS)])
    if agent is None or ServiceRequest.objects.exists():
        return added
    now = timezone.now()
    for hours, (party, (channel, subject, body, answer)) in enumerate(
        zip(parties, REQUESTS, strict=False), start=1
    ):
        request = service_request_create(
            actor=agent,
            party=party,
            subject=subject,
            body=body,
            channel=channel,
            now=now - datetime.timedelta(hours=6 * hours),
        )
        if answer:
            service_request_answer(actor=agent, request=request, answer=answer)
        added["requests"] += 1
    return added
