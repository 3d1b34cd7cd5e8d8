"""Synthetic Chinese customer records with planted duplicates and ground truth.

Feeds the duplicate-detection benchmark (our matcher and splink) with lists that look like
what a direct-selling company imports: purchased lists, ad responses, partner files and
web forms, where one person often appears several times in different shapes.

    python benchmarks/dedup_data.py var/dedup_100k.csv --rows 100000
    python benchmarks/dedup_data.py var/dedup_1m.csv --rows 1000000 --encoding gb18030

Every row carries `entity_id`, the real person or organisation behind it: rows sharing it
are duplicates, everything else must stay apart. About `dup_share` of the rows are extra
records of an entity that already has a row, each derived from the entity's base record
and perturbed by one to three realistic kinds (see DUPLICATE_KINDS). Hard negatives are
planted on purpose: namesakes (common names such as 张伟 several times in one city, even
one district) and families (two to four people at one address sharing one landline).

Standard library only, deterministic for a seed; rows come out shuffled.
"""

import argparse
import bisect
import codecs
import csv
import itertools
import json
import os
import random
import re
import sys
import time
import zlib
from collections import Counter
from collections.abc import Iterator

COLUMNS = [
    "external_id",
    "name",
    "mobile",
    "phone",
    "email",
    "wechat",
    "province",
    "city",
    "district",
    "address",
    "birthday",
    "gender",
    "source",
    "tags",
    "entity_id",
]
SOURCES = ("direct_response_ad", "purchased_list", "partner", "web_form", "ibo_referral", "call_in")
TAG_NAMES = ("高意向", "老客户", "价格敏感", "需回访", "VIP")
DUPLICATE_KINDS = (
    "name_typo",  # one given-name character replaced by a look-alike (颖 → 颍)
    "name_swap",  # the two given-name characters swapped (张伟明 → 张明伟)
    "homophone",  # one given-name character replaced by a same-sound one (伟 → 玮)
    "traditional",  # traditional characters (张伟 → 張偉)
    "pinyin",  # name in pinyin (Zhang Wei, ZHANG Wei, Wei Zhang, zhangwei)
    "org_name_variant",  # organisation name shortened or prefixed (深圳市康泰…有限公司 → 康泰…)
    "landline_instead",  # mobile missing, a landline given instead
    "phone_format",  # +86 138 0013 8000, 138-0013-8000, 0086-13800138000 …
    "address_abbrev",  # 广东深圳南山…, province left out, suffixes dropped
    "email_case",  # Zhangwei88@QQ.com
    "missing_fields",  # email, birthday, address, mobile … left blank
)
NAME_KINDS = frozenset(DUPLICATE_KINDS[:6])

_SEP = "\x1f"  # packs one row into one string while the rows wait to be shuffled
_FIELDS = tuple(COLUMNS[1:])  # external_id is given on the way out, in shuffled order
_MOBILE_STEP = 71_234_567  # coprime with 10**8: counter → suffix is a bijection
_LANDLINE_STEP = 7_654_321  # coprime with 10**6 and 10**7


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# ----------------------------------------------------------------------------------------
# Reference tables (weights are relative; population figures in units of 10,000)
# ----------------------------------------------------------------------------------------

# Surnames by approximate share of the population (per 10,000), double surnames rare.
_SURNAMES = """
王712 李709 张641 刘535 陈461 杨310 黄223 赵200 吴181 周177 徐133 孙121 马111 朱107 胡105
郭97 何91 林87 罗86 高85 郑70 梁68 谢66 宋57 唐56 许54 韩53 冯52 邓51 曹50 彭49 曾48 肖46
田46 董45 袁43 潘42 于41 蒋41 蔡40 余39 杜38 叶38 程37 苏36 魏35 吕34 丁33 任32 沈31 姚31
卢30 姜29 崔28 钟28 谭27 陆27 汪26 范26 金25 石25 廖24 贾24 夏23 韦22 付22 方21 白21 邹20
孟20 熊19 秦19 邱19 江18 尹18 薛17 闫17 段16 雷16 侯15 龙15 史15 陶14 黎14 贺14 顾13 毛13
郝13 龚12 邵12 万12 钱11 严11 覃11 武11 戴11 莫10 孔10 向10 汤10
欧阳3 司徒1 上官1 司马1 诸葛1 东方1 皇甫1 慕容1
"""
# One-character given names, by gender.
_GIVEN1_M = """
伟15 强11 磊12 军12 勇11 杰10 涛11 明10 超10 刚9 辉8 斌7 鹏7 浩7 峰7 波7 亮6 鑫5 宇6
凯5 健5 林4 飞5 龙4 东4 俊4 文4 博3 帅3 毅3 平4 华4 成3 建3 洋4 敏3
"""
_GIVEN1_F = """
芳14 娜12 敏10 静12 丽11 艳11 娟10 霞10 燕10 玲9 婷9 红8 萍8 雪7 琳7 颖6 倩6 慧6 莉5
丹5 晶5 琴5 梅5 兰3 英4 蕾3 欣4 悦3 怡3 洁4 云3 洋3 华3 平3 杰2
"""
# Two-character given names common as a whole.
_GIVEN2_M = """
建国10 建华10 国强8 志强12 志明6 建军10 海涛8 建平6 晓东6 浩然6 子轩6 梓轩5 宇轩5 俊杰8
文博4 国庆5 卫东5 建伟5 永强5 海峰5 志刚6 立新4 红军4 家豪4 宇航3 明轩3 浩宇4 晓明5 伟明3
"""
_GIVEN2_F = """
秀英16 秀兰8 桂英8 玉兰8 秀珍10 丽娟8 海燕10 春梅8 桂兰8 玉梅6 丽华6 晓燕7 欣怡6 雨萱5
梓涵5 子涵6 诗涵5 一诺3 思琪5 婷婷8 丹丹6 晶晶5 佳怡5 雅婷5 红梅6 秋菊3 美玲4 淑珍4 玉珍4
春燕4 晓红5 丽萍5 小红4 雪梅4
"""
# Composed two-character given names: first character + second character.
_GIVEN_FIRST_M = "志建国文明晓海俊子宇浩家永德天金振新嘉思伟立学春庆小宏"
_GIVEN_SECOND_M = "伟强军明华平杰峰波辉涛斌鹏龙林东成刚勇超宇轩豪博然阳亮鑫凯涵"
_GIVEN_FIRST_F = "秀丽玉桂晓海春美雅静欣思雨梦佳诗子婉淑慧亚丹小红艳金彩凤"
_GIVEN_SECOND_F = "英兰芳娟华梅燕霞红琴云萍玲婷怡琪涵萱颖丽敏洁娜雪瑶琳悦珍"
# The most frequent full names in China, with gender; namesake groups are drawn from these.
_TOP_NAMES = """
张伟m 王伟m 王芳f 李伟m 李娜f 张敏f 李静f 王静f 刘伟m 王秀英f 张丽f 李秀英f 王丽f 张静f
张秀英f 李强m 王敏f 李敏f 王磊m 刘洋m 王艳f 王勇m 李军m 张勇m 李杰m 张杰m 张磊m 王强m
李娟f 王军m 张艳f 张涛m 王涛m 李艳f 王超m 李明m 李勇m 王娟f 刘杰m 刘敏f 李霞f 李丽f 张军m
王杰m 张强m 王秀兰f 王刚m 王平f 刘芳f 张燕f 陈静f 刘军m 陈伟m 杨伟m 黄伟m
"""
_ORG_BRANDS = _words(
    "康泰 永新 恒达 金源 天和 瑞丰 嘉禾 宏图 百合 华康 益寿 仁和 福临 安康 万家 惠民 鑫源 同心 "
    "德润 丰泰 "
)
_ORG_COMPANIES = _words("健康科技 生物科技 贸易 商贸 保健品销售 日用品")
_ORG_SHOPS = _words("大药房 日化商行 养生馆 保健品商行 美容院 母婴用品店 连锁超市")

# Pinyin of every character the generator draws names from (surnames read as surnames).
_PINYIN = """
王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu
孙sun 马ma 朱zhu 胡hu 郭guo 何he 林lin 罗luo 高gao 郑zheng 梁liang 谢xie
宋song 唐tang 许xu 韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian
董dong 袁yuan 潘pan 于yu 蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei
吕lv 丁ding 任ren 沈shen 姚yao 卢lu 姜jiang 崔cui 钟zhong 谭tan 陆lu
汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei 付fu 方fang 白bai 邹zou
孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 段duan 雷lei 侯hou
龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan 钱qian
严yan 覃qin 武wu 戴dai 莫mo 孔kong 向xiang 汤tang 欧ou 阳yang 司si 徒tu
上shang 官guan 诸zhu 葛ge 东dong 皇huang 甫fu 慕mu 容rong 伟wei 强qiang
磊lei 军jun 勇yong 杰jie 涛tao 明ming 超chao 刚gang 辉hui 斌bin 鹏peng
浩hao 峰feng 波bo 亮liang 鑫xin 宇yu 凯kai 健jian 飞fei 俊jun 文wen 博bo
帅shuai 毅yi 平ping 华hua 成cheng 建jian 洋yang 敏min 芳fang 娜na 静jing
丽li 艳yan 娟juan 霞xia 燕yan 玲ling 婷ting 红hong 萍ping 雪xue 琳lin
颖ying 倩qian 慧hui 莉li 丹dan 晶jing 琴qin 梅mei 兰lan 英ying 蕾lei 欣xin
悦yue 怡yi 洁jie 云yun 国guo 志zhi 海hai 晓xiao 然ran 子zi 轩xuan 梓zi
庆qing 卫wei 永yong 立li 新xin 家jia 豪hao 航hang 秀xiu 桂gui 玉yu 珍zhen
春chun 雨yu 萱xuan 涵han 诗shi 一yi 诺nuo 思si 琪qi 佳jia 雅ya 秋qiu 菊ju
美mei 淑shu 小xiao 德de 天tian 振zhen 嘉jia 学xue 宏hong 梦meng 婉wan 亚ya
彩cai 凤feng 瑶yao 康kang 泰tai 恒heng 达da 源yuan 和he 瑞rui 丰feng 禾he
图tu 百bai 合he 益yi 寿shou 仁ren 福fu 临lin 安an 惠hui 民min 同tong 心xin
润run
"""

# Look-alike characters (形近字): what a hurried data-entry clerk or OCR produces.
_LOOKALIKE = """
伟纬 芳芬 娜哪挪 明朋 军车 洋详祥 涛祷 娟涓绢 婷停 玲铃伶 琳淋 萍苹坪 平乎 霞瑕暇 丽郦俪
勇涌 刚钢岗 峰锋蜂 浩皓 辉挥 超起 宇字 英瑛映 华毕 梅海 海诲 玉王 慧彗 倩情晴 晶品 颖颍
莉利 丹舟 雪雷 建健 国固 志忠 秀透 桂挂 春泰 晓骁 俊峻骏 嘉喜 佳住 婉惋 雅稚 凯恺 然燃
阳阴 宁守 东冻 成诚 龙尤 波坡 博搏 帅师 新薪 云去 洁结 瑶遥 琪祺 萱喧 怡恰 振赈 学觉
庆庄 永水 天夭 金全 思恩 子予 雨两 诗侍 美姜 亚业 珍玲
"""
# Same-sound characters (同音字): what a pinyin input method or a phone call produces.
_HOMOPHONE = """
伟玮炜威维 芳方舫 娜纳 敏民闽 静靖婧晶 丽莉俐利 强蔷 磊蕾 军君钧俊 洋阳扬 勇永涌 艳燕彦
杰洁捷 娟鹃涓 涛韬滔 明铭鸣 超潮 秀绣 霞侠 平萍苹 刚钢纲 桂贵 英瑛莹颖 华桦骅 玉钰毓 萍平
红虹宏鸿 兰岚澜 梅玫 辉晖徽 文雯 婷亭霆 雪学 琳林霖 晨辰宸 阳洋扬 佳嘉家 颖莹影 宇羽禹雨
鹏朋 浩昊皓 凯恺铠 欣新馨鑫 怡宜仪 轩萱宣 涵含晗 博柏伯 峰锋枫丰 斌彬滨 燕雁艳 建健剑
国帼 志智治 春纯淳 梓子紫 子梓 俊峻骏 晓小筱 玲铃灵凌 倩茜 慧惠蕙 莉丽俐 晶菁精 琴芹勤
蕾磊 悦月越 亮靓 鑫欣新馨 健建 林琳霖 飞菲非 龙隆珑 东冬栋 毅义艺 云芸韵 萱宣 琪琦淇
瑶遥尧 洁捷 雅娅亚 婉琬 淑舒 美媚 亚娅 珍贞真 然冉 豪昊 成诚承 波博 天添 金锦晋 振震
永咏 立力 学雪 庆卿清 家嘉 嘉佳 思斯丝 雨语羽 诗施 新欣 彩采 凤风
"""
# Simplified → traditional, for every character we have one for.
_TRADITIONAL = """
张張 伟偉 刘劉 陈陳 黄黃 杨楊 赵趙 吴吳 华華 丽麗 强強 军軍 国國 东東 红紅 孙孫 马馬
郑鄭 罗羅 谢謝 许許 韩韓 冯馮 邓鄧 叶葉 苏蘇 吕呂 卢盧 钟鍾 谭譚 陆陸 贾賈 韦韋 邹鄒
闫閆 龙龍 贺賀 顾顧 龚龔 万萬 钱錢 严嚴 汤湯 蒋蔣 欧歐 阳陽 诸諸 静靜 艳艷 杰傑 涛濤
刚剛 兰蘭 辉輝 颖穎 鹏鵬 凯凱 轩軒 晓曉 庆慶 卫衛 云雲 宁寧 飞飛 凤鳳 亚亞 诗詩 梦夢
铭銘 晖暉 丰豐 长長 进進 胜勝 维維 纬緯 韬韜 钢鋼 玮瑋 炜煒 莹瑩 鹃鵑 铃鈴 岚嵐 澜瀾
洁潔 学學 帅帥 诺諾 达達 图圖 寿壽 临臨 润潤 药藥 贸貿 养養 馆館 婴嬰 连連 锁鎖 广廣
门門 汉漢 兴興 贵貴 宝寶 荣榮 爱愛 乐樂 泽澤 伦倫 义義 业業 丝絲 纯純 钰鈺 韵韻 骏駿
"""

# Province (official/short), then its prefecture-level cities: official/short name, area
# code, digits of a local landline number, population (10,000s), districts and counties.
_PLACES = """
北京市/北京
    北京市/北京 010 8 2185 朝阳区 海淀区 丰台区 东城区 昌平区
天津市/天津
    天津市/天津 022 8 1363 和平区 南开区 河西区 滨海新区 武清区
上海市/上海
    上海市/上海 021 8 2487 浦东新区 徐汇区 静安区 闵行区 黄浦区
重庆市/重庆
    重庆市/重庆 023 8 3213 渝中区 江北区 渝北区 沙坪坝区 万州区
河北省/河北
    石家庄市/石家庄 0311 8 1120 长安区 桥西区 裕华区 正定县
    唐山市/唐山 0315 7 770 路南区 路北区 丰润区 迁安市
    保定市/保定 0312 7 920 竞秀区 莲池区 涿州市 高碑店市
    邯郸市/邯郸 0310 7 940 丛台区 邯山区 复兴区 武安市
    廊坊市/廊坊 0316 7 550 广阳区 安次区 三河市
山西省/山西
    太原市/太原 0351 7 540 小店区 迎泽区 杏花岭区 万柏林区
    大同市/大同 0352 7 310 平城区 云冈区 新荣区
    运城市/运城 0359 7 470 盐湖区 永济市 河津市
    长治市/长治 0355 7 318 潞州区 上党区 屯留区
内蒙古自治区/内蒙古
    呼和浩特市/呼和浩特 0471 7 350 新城区 回民区 赛罕区 玉泉区
    包头市/包头 0472 7 270 昆都仑区 青山区 东河区
    赤峰市/赤峰 0476 7 400 红山区 松山区 元宝山区
    鄂尔多斯市/鄂尔多斯 0477 7 220 东胜区 康巴什区 准格尔旗
辽宁省/辽宁
    沈阳市/沈阳 024 8 910 和平区 沈河区 皇姑区 铁西区 浑南区
    大连市/大连 0411 8 745 中山区 西岗区 沙河口区 甘井子区
    鞍山市/鞍山 0412 7 330 铁东区 铁西区 立山区
    锦州市/锦州 0416 7 270 古塔区 凌河区 太和区
吉林省/吉林
    长春市/长春 0431 8 900 朝阳区 南关区 宽城区 绿园区
    吉林市/吉林 0432 8 360 船营区 昌邑区 丰满区
    四平市/四平 0434 7 180 铁西区 铁东区 双辽市
    延边朝鲜族自治州/延边 0433 7 190 延吉市 图们市 珲春市
黑龙江省/黑龙江
    哈尔滨市/哈尔滨 0451 8 1000 南岗区 道里区 道外区 香坊区
    齐齐哈尔市/齐齐哈尔 0452 7 400 龙沙区 建华区 铁锋区
    大庆市/大庆 0459 7 280 萨尔图区 让胡路区 龙凤区
    牡丹江市/牡丹江 0453 7 230 东安区 爱民区 西安区
江苏省/江苏
    南京市/南京 025 8 940 鼓楼区 玄武区 秦淮区 建邺区 江宁区
    苏州市/苏州 0512 8 1280 姑苏区 吴中区 相城区 吴江区 昆山市
    无锡市/无锡 0510 8 750 梁溪区 滨湖区 新吴区 江阴市
    常州市/常州 0519 8 530 天宁区 钟楼区 新北区 武进区
    徐州市/徐州 0516 8 900 鼓楼区 云龙区 泉山区 铜山区
    南通市/南通 0513 8 770 崇川区 通州区 海门区
浙江省/浙江
    杭州市/杭州 0571 8 1240 西湖区 上城区 拱墅区 滨江区 余杭区
    宁波市/宁波 0574 8 950 海曙区 鄞州区 江北区 北仑区 慈溪市
    温州市/温州 0577 8 960 鹿城区 龙湾区 瓯海区 瑞安市 乐清市
    金华市/金华 0579 8 710 婺城区 金东区 义乌市 东阳市
    绍兴市/绍兴 0575 8 530 越城区 柯桥区 上虞区 诸暨市
    台州市/台州 0576 8 660 椒江区 黄岩区 路桥区 温岭市
安徽省/安徽
    合肥市/合肥 0551 8 960 蜀山区 包河区 庐阳区 瑶海区
    芜湖市/芜湖 0553 7 370 镜湖区 鸠江区 弋江区
    阜阳市/阜阳 0558 7 820 颍州区 颍东区 颍泉区 临泉县
    安庆市/安庆 0556 7 420 迎江区 大观区 宜秀区 桐城市
福建省/福建
    福州市/福州 0591 8 840 鼓楼区 台江区 仓山区 晋安区 福清市
    厦门市/厦门 0592 7 530 思明区 湖里区 集美区 海沧区
    泉州市/泉州 0595 8 880 鲤城区 丰泽区 晋江市 石狮市 南安市
    漳州市/漳州 0596 7 510 芗城区 龙文区 龙海区
江西省/江西
    南昌市/南昌 0791 8 650 东湖区 西湖区 青山湖区 红谷滩区
    赣州市/赣州 0797 7 900 章贡区 南康区 赣县区 瑞金市
    九江市/九江 0792 7 460 浔阳区 濂溪区 柴桑区
    上饶市/上饶 0793 7 650 信州区 广丰区 广信区
山东省/山东
    济南市/济南 0531 8 940 历下区 市中区 槐荫区 天桥区 历城区
    青岛市/青岛 0532 8 1030 市南区 市北区 崂山区 黄岛区 城阳区
    烟台市/烟台 0535 7 710 芝罘区 莱山区 福山区 龙口市
    潍坊市/潍坊 0536 7 940 奎文区 潍城区 寿光市 青州市
    临沂市/临沂 0539 7 1100 兰山区 罗庄区 河东区 沂南县
    济宁市/济宁 0537 7 830 任城区 兖州区 曲阜市 邹城市
河南省/河南
    郑州市/郑州 0371 8 1280 金水区 二七区 中原区 管城回族区 惠济区
    洛阳市/洛阳 0379 8 710 西工区 老城区 涧西区 洛龙区
    南阳市/南阳 0377 8 970 宛城区 卧龙区 邓州市
    周口市/周口 0394 7 900 川汇区 淮阳区 项城市
    新乡市/新乡 0373 7 620 红旗区 卫滨区 牧野区 辉县市
    商丘市/商丘 0370 7 780 梁园区 睢阳区 永城市
湖北省/湖北
    武汉市/武汉 027 8 1370 江汉区 武昌区 洪山区 汉阳区 江岸区
    宜昌市/宜昌 0717 7 400 西陵区 伍家岗区 夷陵区 宜都市
    襄阳市/襄阳 0710 7 530 襄城区 樊城区 襄州区 枣阳市
    荆州市/荆州 0716 7 520 沙市区 荆州区 松滋市 洪湖市
湖南省/湖南
    长沙市/长沙 0731 8 1040 岳麓区 芙蓉区 天心区 开福区 雨花区
    株洲市/株洲 0731 8 390 天元区 荷塘区 芦淞区 石峰区
    衡阳市/衡阳 0734 7 660 蒸湘区 石鼓区 珠晖区 雁峰区
    岳阳市/岳阳 0730 7 500 岳阳楼区 云溪区 君山区 汨罗市
    常德市/常德 0736 7 530 武陵区 鼎城区 津市市
广东省/广东
    广州市/广州 020 8 1880 天河区 越秀区 海珠区 白云区 番禺区
    深圳市/深圳 0755 8 1770 南山区 福田区 罗湖区 宝安区 龙岗区
    东莞市/东莞 0769 8 1050 南城街道 东城街道 长安镇 虎门镇
    佛山市/佛山 0757 8 950 禅城区 南海区 顺德区 三水区 高明区
    珠海市/珠海 0756 7 250 香洲区 斗门区 金湾区
    汕头市/汕头 0754 8 550 金平区 龙湖区 濠江区 潮阳区 澄海区
    惠州市/惠州 0752 7 600 惠城区 惠阳区 博罗县 惠东县
广西壮族自治区/广西
    南宁市/南宁 0771 7 880 青秀区 兴宁区 江南区 西乡塘区
    柳州市/柳州 0772 7 420 城中区 鱼峰区 柳南区 柳北区
    桂林市/桂林 0773 7 490 秀峰区 叠彩区 象山区 七星区 阳朔县
    玉林市/玉林 0775 7 580 玉州区 福绵区 北流市
海南省/海南
    海口市/海口 0898 8 290 龙华区 美兰区 秀英区 琼山区
    三亚市/三亚 0898 8 100 吉阳区 天涯区 海棠区 崖州区
    儋州市/儋州 0898 8 95 那大镇 白马井镇
四川省/四川
    成都市/成都 028 8 2120 锦江区 武侯区 青羊区 金牛区 成华区
    绵阳市/绵阳 0816 7 490 涪城区 游仙区 安州区 江油市
    南充市/南充 0817 7 560 顺庆区 高坪区 嘉陵区 阆中市
    宜宾市/宜宾 0831 7 460 翠屏区 南溪区 叙州区
    德阳市/德阳 0838 7 350 旌阳区 罗江区 广汉市 什邡市
    泸州市/泸州 0830 7 430 江阳区 龙马潭区 纳溪区
贵州省/贵州
    贵阳市/贵阳 0851 8 600 南明区 云岩区 观山湖区 花溪区
    遵义市/遵义 0851 8 660 红花岗区 汇川区 播州区 仁怀市
    六盘水市/六盘水 0851 8 300 钟山区 水城区 盘州市
    毕节市/毕节 0851 8 690 七星关区 大方县 黔西市
云南省/云南
    昆明市/昆明 0871 8 850 五华区 盘龙区 官渡区 西山区 呈贡区
    曲靖市/曲靖 0874 7 580 麒麟区 沾益区 马龙区 宣威市
    大理白族自治州/大理 0872 7 330 大理市 祥云县 宾川县
    红河哈尼族彝族自治州/红河 0873 7 450 蒙自市 个旧市 开远市 弥勒市
西藏自治区/西藏
    拉萨市/拉萨 0891 7 87 城关区 堆龙德庆区 达孜区
    日喀则市/日喀则 0892 7 80 桑珠孜区 江孜县 拉孜县
    林芝市/林芝 0894 7 24 巴宜区 工布江达县 波密县
陕西省/陕西
    西安市/西安 029 8 1300 雁塔区 碑林区 莲湖区 未央区 长安区
    咸阳市/咸阳 029 8 420 秦都区 渭城区 兴平市
    宝鸡市/宝鸡 0917 7 330 渭滨区 金台区 陈仓区
    榆林市/榆林 0912 7 360 榆阳区 横山区 神木市
甘肃省/甘肃
    兰州市/兰州 0931 7 440 城关区 七里河区 西固区 安宁区
    天水市/天水 0938 7 300 秦州区 麦积区 甘谷县
    酒泉市/酒泉 0937 7 100 肃州区 玉门市 敦煌市
    白银市/白银 0943 7 150 白银区 平川区 靖远县
青海省/青海
    西宁市/西宁 0971 7 250 城东区 城中区 城西区 城北区
    海东市/海东 0972 7 135 乐都区 平安区 民和回族土族自治县
    海西蒙古族藏族自治州/海西 0977 7 47 德令哈市 格尔木市
宁夏回族自治区/宁夏
    银川市/银川 0951 7 290 兴庆区 金凤区 西夏区 永宁县
    石嘴山市/石嘴山 0952 7 75 大武口区 惠农区 平罗县
    吴忠市/吴忠 0953 7 140 利通区 红寺堡区 青铜峡市
新疆维吾尔自治区/新疆
    乌鲁木齐市/乌鲁木齐 0991 7 410 天山区 沙依巴克区 新市区 水磨沟区
    克拉玛依市/克拉玛依 0990 7 49 克拉玛依区 独山子区 白碱滩区
    喀什地区/喀什 0998 7 450 喀什市 疏附县 疏勒县
    伊犁哈萨克自治州/伊犁 0999 7 280 伊宁市 奎屯市 霍尔果斯市
"""

_MOBILE_PREFIXES = """
138:8 139:8 137:6 136:6 135:6 134:4 130:4 131:3 132:3 133:4 150:5 151:5 152:4 153:3 155:3
156:3 157:2 158:5 159:5 166:4 173:2 176:2 177:3 178:2 180:3 181:3 182:4 183:3 185:3 186:5
187:4 188:4 189:5 191:1 198:2 199:3
"""
_ROADS = _words(
    "人民路 解放路 中山路 建设路 和平路 长江路 黄河路 新华路 文化路 胜利路 友谊路 光明路 朝阳路 "
    "青年路 学府路 科技路 工业大道 滨江路 迎宾大道 北京路 南京路 延安路 东风路 幸福路 花园路 "
    "府前街 中心大街 健康路 振兴路 复兴路 民主路 团结路 滨河路 湖滨路 环城路 新城大道 世纪大道 "
    "建国路 园林路 体育路"
)
_ESTATES = _words(
    "阳光 锦绣 翠苑 碧水 金色 幸福 华庭 名都 丽景 和谐 东方 江南 春天 枫林 绿洲 龙湖 香榭 御景 "
    "君悦 海棠 紫荆 桂园 颐和 书香"
)
_ESTATE_KINDS = _words("花园 小区 家园 苑 公寓 名苑 新村 华府")
_OFFICE_BUILDINGS = _words("国际大厦 商务中心 金融大厦 科技大厦 国贸中心 时代广场")
_TOWNS = _words("城关镇 新兴镇 太平镇 永安镇 长乐镇 龙泉镇 青石镇 和平乡 安乐乡")
_VILLAGES = _words("张家 李家 王庄 刘营 柳树 杨柳 新村 红旗 东风 石桥 河西 前进")
_ENGLISH = _words(
    "Lucy Tony Jack Kevin Amy Coco Lily Cindy Eric Leo Jason Vicky Grace Helen Linda Sunny "
    "Mike Annie Judy Alex Candy Rose"
)
_DOMAINS = "qq.com30 163.com25 126.com12 sina.com6 gmail.com4 hotmail.com4 foxmail.com4 "
_DOMAINS += "sohu.com3 139.com3 yeah.net2 aliyun.com2"
_QQ_LENGTHS = "6:4 7:10 8:20 9:36 10:30"
_SOURCE_WEIGHTS = (25, 25, 10, 15, 15, 10)
# Birth years by decade of direct-selling customers: 1950s … 2000–2005.
_DECADES = ((1950, 1959, 8), (1960, 1969, 22), (1970, 1979, 28), (1980, 1989, 24))
_DECADES += ((1990, 1999, 14), (2000, 2005, 4))
_KIND_WEIGHTS = {
    "name_typo": 8,
    "name_swap": 4,
    "homophone": 8,
    "traditional": 5,
    "pinyin": 6,
    "org_name_variant": 12,
    "landline_instead": 5,
    "phone_format": 12,
    "address_abbrev": 10,
    "missing_fields": 12,
    "email_case": 5,
}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_SUFFIX = re.compile(r"(回族土族自治县|回族区|新区|街道|区|县|市|旗|镇)$")


def _weights(spec: str) -> list[tuple[str, int]]:
    out = []
    for token in spec.split():
        match = re.fullmatch(r"(.+?):?(\d+)", token)
        out.append((match.group(1), int(match.group(2))))
    return out


def _char_map(spec: str) -> dict[str, str]:
    return {token[0]: token[1:] for token in spec.split()}


_PY = dict(re.findall(r"([^\x00-\x7f])([a-z]+)", _PINYIN))
_LOOKS = _char_map(_LOOKALIKE)
_SOUNDS = _char_map(_HOMOPHONE)
_TRAD = _char_map(_TRADITIONAL)
_TRAD_TABLE = str.maketrans(_TRAD)


def _short(name: str) -> str:
    """District or county without its suffix: 南山区 → 南山, 民和回族土族自治县 → 民和."""
    stripped = _SUFFIX.sub("", name)
    return stripped if len(stripped) >= 2 else name


class _City:
    __slots__ = ("province", "province_short", "name", "short", "area", "digits", "districts")

    def __init__(self, province, province_short, name, short, area, digits, districts):
        self.province = province
        self.province_short = province_short
        self.name = name
        self.short = short
        self.area = area
        self.digits = digits
        self.districts = districts


def _parse_places() -> list[tuple[_City, int]]:
    cities = []
    province = province_short = ""
    for line in _PLACES.strip().splitlines():
        if not line.startswith(" "):
            province, province_short = line.split("/")
            continue
        names, area, digits, population, *districts = line.split()
        name, short = names.split("/")
        city = _City(province, province_short, name, short, area, int(digits), tuple(districts))
        cities.append((city, int(population)))
    return cities


_CITIES = _parse_places()


def _picker(pairs, rnd):
    """A function drawing one item, with the given relative weights."""
    items = tuple(item for item, _ in pairs)
    cum = list(itertools.accumulate(weight for _, weight in pairs))
    total = cum[-1]
    right = bisect.bisect_right
    return lambda: items[right(cum, rnd() * total)]


def _phone_key(raw: str) -> str:
    """Digits of a phone number without country code and trunk zero, for comparisons."""
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits.lstrip("0")


def _findable(base: dict, dup: dict) -> bool:
    """A duplicate shares a key, or a recognisable name plus birthday, landline or street."""
    if base["mobile"] and _phone_key(dup["mobile"]) == base["mobile"]:
        return True
    if base["email"] and dup["email"].lower() == base["email"].lower():
        return True
    if base["wechat"] and dup["wechat"] == base["wechat"]:
        return True
    # Every name kind keeps the name recognisable (a variant of the base name).
    if base["birthday"] and dup["birthday"] == base["birthday"]:
        return True
    if base["phone"] and _phone_key(dup["phone"]) == _phone_key(base["phone"]):
        return True
    return bool(base["address"]) and dup["address"].endswith(base["address"])


class _Builder:
    """Draws entities, their base records and duplicates; collects the packed rows."""

    def __init__(self, seed: int):
        rng = random.Random(seed)
        self.rng = rng
        rnd = self.rnd = rng.random
        self.randint = rng.randint
        self.choice = rng.choice
        self.surname = _picker(_weights(_SURNAMES), rnd)
        self.given1 = {"male": _picker(_weights(_GIVEN1_M), rnd)}
        self.given1["female"] = _picker(_weights(_GIVEN1_F), rnd)
        self.given2 = {"male": _picker(_weights(_GIVEN2_M), rnd)}
        self.given2["female"] = _picker(_weights(_GIVEN2_F), rnd)
        self.given_parts = {
            "male": (_GIVEN_FIRST_M, _GIVEN_SECOND_M),
            "female": (_GIVEN_FIRST_F, _GIVEN_SECOND_F),
        }
        self.top_names = _words(_TOP_NAMES)
        self.city = _picker(_CITIES, rnd)
        self.district_pickers = {}
        for city, _ in _CITIES:
            pairs = [(d, w) for d, w in zip(city.districts, (5, 4, 3, 2, 2), strict=False)]
            self.district_pickers[city.name] = _picker(pairs, rnd)
        self.mobile_prefix = _picker(_weights(_MOBILE_PREFIXES), rnd)
        self.domain = _picker(_weights(_DOMAINS), rnd)
        self.qq_length = _picker([(int(a), int(b)) for a, b in _weights(_QQ_LENGTHS)], rnd)
        self.source = _picker(list(zip(SOURCES, _SOURCE_WEIGHTS, strict=True)), rnd)
        years = [(y, w) for first, last, w in _DECADES for y in range(first, last + 1)]
        self.year = _picker(years, rnd)
        self.mobile_counter = 0
        self.mobile_offset = rng.randrange(10**8)
        self.landline_counters: dict[str, int] = {}
        self.landline_offset = rng.randrange(10**6)
        self.emails: set[str] = set()
        self.wechats: set[str] = set()
        self.streets: set[int] = set()
        self.rows: list[str] = []
        self.kinds = Counter({kind: 0 for kind in DUPLICATE_KINDS})

    # -- identifiers -----------------------------------------------------------------

    def new_mobile(self) -> str:
        suffix = (self.mobile_counter * _MOBILE_STEP + self.mobile_offset) % 10**8
        self.mobile_counter += 1
        return f"{self.mobile_prefix()}{suffix:08d}"

    def new_landline(self, city: _City) -> str:
        count = self.landline_counters.get(city.area, 0)
        self.landline_counters[city.area] = count + 1
        width = city.digits - 1
        tail = f"{(count * _LANDLINE_STEP + self.landline_offset) % 10**width:0{width}d}"
        first = self.randint(2, 8)
        if first == 8 and tail[0] == "0":  # no 80… numbers in Beijing and Shanghai
            first = self.randint(2, 7)
        return f"{city.area}-{first}{tail}"

    def birthday(self, year: int | None = None) -> str:
        year = year or self.year()
        month = self.randint(1, 12)
        last = 29 if month == 2 and year % 4 == 0 else _MONTH_DAYS[month - 1]
        return f"{year}-{month:02d}-{self.randint(1, last):02d}"

    def email(self, full: str, initials: str, year: str) -> str:
        rnd, randint = self.rnd, self.randint
        r = rnd()
        if r < 0.4:
            length = self.qq_length()
            local, domain = str(randint(10 ** (length - 1), 10**length - 1)), "qq.com"
        else:
            domain = self.domain()
            if r < 0.55:
                local = full + (year if year and rnd() < 0.6 else str(randint(1, 9999)))
            elif r < 0.65:
                local = full + (year[2:] if year else str(randint(10, 99)))
            elif r < 0.73:
                local = f"{full}{randint(100, 999)}" if rnd() < 0.5 else full
            elif r < 0.82:
                local = f"{initials}{randint(100, 999999)}"
            elif r < 0.9:
                local = f"{self.choice(_ENGLISH).lower()}{randint(1, 9999)}"
            else:
                local = f"{full}_{randint(1, 999)}"
        address = f"{local}@{domain}"
        while address in self.emails:
            local += str(randint(0, 9))
            address = f"{local}@{domain}"
        self.emails.add(address)
        return address

    def wechat(self, full: str, initials: str, year: str, mobile: str) -> str:
        rnd, randint = self.rnd, self.randint
        r = rnd()
        if r < 0.25:
            alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
            wechat = "wxid_" + "".join(self.choice(alphabet) for _ in range(randint(10, 14)))
        elif r < 0.5:
            wechat = full + (year or str(randint(10, 9999)))
        elif r < 0.65:
            wechat = f"{self.choice(_ENGLISH)}_{full[: randint(3, 8)]}"
        elif r < 0.8 and mobile:
            wechat = initials + mobile
        else:
            wechat = f"{full}-{randint(1, 999)}"
        wechat = wechat[:18]
        while len(wechat) < 6 or wechat.lower() in self.wechats:  # WeChat IDs ignore case
            wechat += str(randint(0, 9))
            if len(wechat) > 20:
                wechat = f"{initials}{randint(10**8, 10**10)}"
        self.wechats.add(wechat.lower())
        return wechat

    # -- names and places ------------------------------------------------------------

    def given_name(self, gender: str) -> str:
        r = self.rnd()
        single = 0.3 if gender == "male" else 0.25
        if r < single:
            return self.given1[gender]()
        if r < single + 0.18:
            return self.given2[gender]()
        first, second = self.given_parts[gender]
        return self.choice(first) + self.choice(second)

    def street(self, district: str) -> str:
        rnd, randint, choice = self.rnd, self.randint, self.choice
        room = f"{randint(1, 33)}{randint(1, 4):02d}"
        r = rnd()
        if district.endswith("县") and r < 0.4:
            return f"{choice(_TOWNS)}{choice(_VILLAGES)}村{randint(1, 12)}组{randint(1, 99)}号"
        if r < 0.35:
            return f"{choice(_ROADS)}{randint(1, 688)}号{randint(1, 32)}栋{room}室"
        estate = choice(_ESTATES) + choice(_ESTATE_KINDS)
        if r < 0.65:
            return f"{estate}{randint(1, 32)}栋{randint(1, 6)}单元{room}"
        if r < 0.85:
            building = f"{randint(1, 32)}-{randint(1, 6)}-{room}"
            return f"{choice(_ROADS)}{randint(1, 688)}号{estate}{building}"
        return f"{choice(_ROADS)}{randint(1, 999)}弄{randint(1, 120)}号{room}室"

    def unique(self, city: _City, draw, *args) -> str:
        """A street address nobody else in the city has (families share theirs on purpose)."""
        while True:
            street = draw(*args)
            key = zlib.crc32(f"{city.name}{street}".encode())  # a false alarm only redraws
            if key not in self.streets:
                self.streets.add(key)
                return street

    def office(self) -> str:
        rnd, randint, choice = self.rnd, self.randint, self.choice
        road = f"{choice(_ROADS)}{randint(1, 688)}号"
        if rnd() < 0.5:
            return f"{road}{choice(_OFFICE_BUILDINGS)}{randint(2, 38)}楼{randint(1, 30):02d}室"
        if rnd() < 0.5:
            return f"{road}{randint(1, 60)}号铺"
        return f"{choice(_ESTATES)}科技园{randint(1, 20)}栋{randint(1, 12)}楼{randint(1, 20)}室"

    # -- base records ----------------------------------------------------------------

    def tags(self) -> str:
        r = self.rnd()
        if r < 0.6:
            return ""
        picked = self.rng.sample(range(len(TAG_NAMES)), 1 if r < 0.88 else 2 if r < 0.97 else 3)
        return "|".join(TAG_NAMES[i] for i in sorted(picked))

    def person(
        self,
        entity: str,
        surname: str,
        given: str,
        gender: str,
        city: _City,
        district: str,
        *,
        street: str,
        phone: str = "",
        birthday: str = "",
        p_mobile: float = 0.9,
        p_email: float = 0.35,
        p_wechat: float = 0.2,
    ) -> dict:
        rnd = self.rnd
        mobile = self.new_mobile() if rnd() < p_mobile else ""
        syllables = [_PY[c] for c in surname + given]
        full = "".join(syllables)
        initials = "".join(s[0] for s in syllables)
        year = birthday[:4]
        return {
            "name": surname + given,
            "mobile": mobile,
            "phone": phone,
            "email": self.email(full, initials, year) if rnd() < p_email else "",
            "wechat": self.wechat(full, initials, year, mobile) if rnd() < p_wechat else "",
            "province": city.province,
            "city": city.name,
            "district": district,
            "address": street,
            "birthday": birthday,
            "gender": gender if rnd() < 0.95 else "",
            "source": self.source(),
            "tags": self.tags(),
            "entity_id": entity,
            "_surname": surname,
            "_given": given,
            "_city": city,
            "_org": False,
        }

    def organisation(self, entity: str) -> dict:
        rnd, choice = self.rnd, self.choice
        city = self.city()
        district = self.district_pickers[city.name]()
        brand = choice(_ORG_BRANDS)
        if rnd() < 0.5:
            prefix = city.name if city.name.endswith("市") else city.short
            name = f"{prefix}{brand}{choice(_ORG_COMPANIES)}有限公司"
        elif rnd() < 0.5:
            name = f"{brand}{choice(_ORG_SHOPS)}（{_short(district)}店）"
        else:
            name = f"{brand}{choice(_ORG_SHOPS)}"
        mobile = self.new_mobile() if rnd() < 0.7 else ""
        full = "".join(_PY[c] for c in brand)
        initials = "".join(_PY[c][0] for c in brand)
        return {
            "name": name,
            "mobile": mobile,
            "phone": self.new_landline(city) if rnd() < 0.8 else "",
            "email": self.email(full, initials, "") if rnd() < 0.4 else "",
            "wechat": self.wechat(full, initials, "", mobile) if rnd() < 0.15 else "",
            "province": city.province,
            "city": city.name,
            "district": district if rnd() < 0.95 else "",
            "address": self.unique(city, self.office) if rnd() < 0.95 else "",
            "birthday": "",
            "gender": "",
            "source": self.source(),
            "tags": self.tags(),
            "entity_id": entity,
            "_surname": "",
            "_given": "",
            "_city": city,
            "_org": True,
        }

    def single(self, entity: str) -> dict:
        rnd = self.rnd
        gender = "female" if rnd() < 0.58 else "male"
        city = self.city()
        district = self.district_pickers[city.name]() if rnd() < 0.9 else ""
        return self.person(
            entity,
            self.surname(),
            self.given_name(gender),
            gender,
            city,
            district,
            street=self.unique(city, self.street, district) if rnd() < 0.75 else "",
            phone=self.new_landline(city) if rnd() < 0.21 else "",
            birthday=self.birthday() if rnd() < 0.7 else "",
        )

    def namesakes(self, entities: list[str]) -> list[dict]:
        """Distinct people with one common full name in one city, often one district."""
        name = self.choice(self.top_names)
        surname, given, gender = name[0], name[1:-1], "male" if name[-1] == "m" else "female"
        city = self.city()
        shared = self.district_pickers[city.name]()
        people, birthdays = [], set()
        for entity in entities:
            district = shared if self.rnd() < 0.65 else self.district_pickers[city.name]()
            birthday = ""
            if self.rnd() < 0.85:
                birthday = self.birthday()
                while birthday in birthdays:
                    birthday = self.birthday()
                birthdays.add(birthday)
            street = self.unique(city, self.street, district) if self.rnd() < 0.75 else ""
            people.append(
                self.person(
                    entity,
                    surname,
                    given,
                    gender,
                    city,
                    district,
                    street=street,
                    phone=self.new_landline(city) if self.rnd() < 0.2 else "",
                    birthday=birthday,
                    p_mobile=0.95,
                )
            )
        return people

    def family(self, entities: list[str]) -> list[dict]:
        """Two to four people at one address sharing one landline (spouse, child, parent)."""
        rnd, randint = self.rnd, self.randint
        size = len(entities)
        head_gender = "male" if rnd() < 0.5 else "female"
        head_year = randint(1958, 1990)
        roles = ["spouse", "child", "parent"][: size - 1]
        if size == 2:
            roles = [self.choice(("spouse", "spouse", "spouse", "child", "parent"))]
        elif size == 4 and rnd() < 0.4:
            roles = ["spouse", "child", "child"]
        head_surname = self.surname()
        members = [(head_surname, head_gender, head_year, 0.9)]
        spouse_surname = ""
        for role in roles:
            if role == "spouse":
                spouse_surname = self.surname()
                gender = "female" if head_gender == "male" else "male"
                year = min(2005, max(1950, head_year + randint(-5, 5)))
                members.append((spouse_surname, gender, year, 0.85))
                continue
            if role == "child" and head_year + 22 > 2005:
                role = "parent"
            if role == "parent" and head_year - 20 < 1950:
                role = "child"
            gender = "male" if rnd() < 0.5 else "female"
            if role == "child":
                father = head_surname if head_gender == "male" else spouse_surname
                year = min(2005, head_year + randint(22, 35))
                members.append((father or head_surname, gender, year, 0.75))
            else:
                surname = head_surname if gender == "male" else self.surname()
                year = max(1950, head_year - randint(20, 35))
                members.append((surname, gender, year, 0.6))
        city = self.city()
        district = self.district_pickers[city.name]()
        street = self.unique(city, self.street, district)
        landline = self.new_landline(city)
        people, names, birthdays = [], set(), set()
        for entity, (surname, gender, year, p_mobile) in zip(entities, members, strict=True):
            given = self.given_name(gender)
            while surname + given in names:
                given = self.given_name(gender)
            names.add(surname + given)
            birthday = ""
            if rnd() < 0.75:
                birthday = self.birthday(year)
                while birthday in birthdays:
                    birthday = self.birthday(year)
                birthdays.add(birthday)
            people.append(
                self.person(
                    entity,
                    surname,
                    given,
                    gender,
                    city,
                    district,
                    street=street,
                    phone=landline,
                    birthday=birthday,
                    p_mobile=p_mobile,
                    p_email=0.25,
                    p_wechat=0.15,
                )
            )
        return people

    # -- duplicates ------------------------------------------------------------------

    def applicable(self, base: dict) -> list[tuple[str, int]]:
        given = base["_given"]
        kinds = []
        if base["_org"]:
            kinds.append("org_name_variant")
        else:
            if any(c in _LOOKS for c in given):
                kinds.append("name_typo")
            if len(given) == 2 and given[0] != given[1]:
                kinds.append("name_swap")
            if any(c in _SOUNDS for c in given):
                kinds.append("homophone")
            kinds.append("pinyin")
        if any(c in _TRAD for c in base["name"]):
            kinds.append("traditional")
        if base["mobile"]:
            kinds.append("landline_instead")
        if base["mobile"] or base["phone"]:
            kinds.append("phone_format")
        if base["address"]:
            kinds.append("address_abbrev")
        kinds.append("missing_fields")  # checked when applied: something left to blank
        if base["email"]:
            kinds.append("email_case")
        return [(kind, _KIND_WEIGHTS[kind]) for kind in kinds]

    def choose_kinds(self, options: list[tuple[str, int]]) -> list[str]:
        r = self.rnd()
        count = 1 if r < 0.5 else 2 if r < 0.85 else 3
        options = list(options)
        chosen = []
        while options and len(chosen) < count:
            cum = list(itertools.accumulate(weight for _, weight in options))
            index = bisect.bisect_right(cum, self.rnd() * cum[-1])
            kind = options[index][0]
            chosen.append(kind)
            if kind in NAME_KINDS:
                options = [option for option in options if option[0] not in NAME_KINDS]
            else:
                del options[index]
        return sorted(chosen, key=DUPLICATE_KINDS.index)

    def variant_name(self, base: dict, kind: str) -> str:
        surname, given, choice = base["_surname"], base["_given"], self.choice
        if kind == "traditional":
            return base["name"].translate(_TRAD_TABLE)
        if kind == "name_swap":
            return surname + given[::-1]
        if kind in ("name_typo", "homophone"):
            table = _LOOKS if kind == "name_typo" else _SOUNDS
            spots = [i for i, c in enumerate(given) if c in table]
            i = choice(spots)
            return surname + given[:i] + choice(table[given[i]]) + given[i + 1 :]
        if kind == "pinyin":
            sur = "".join(_PY[c] for c in surname).capitalize()
            syllables = [_PY[c] for c in given]
            giv = "".join(syllables).capitalize()
            r = self.rnd()
            if r < 0.35:
                return f"{sur} {giv}"
            if r < 0.55:
                return f"{sur.upper()} {giv}"
            if r < 0.75:
                return f"{giv} {sur}"
            if r < 0.9:
                return (sur + giv).lower()
            if len(syllables) == 2:
                return f"{sur} {'-'.join(s.capitalize() for s in syllables)}"
            return f"{sur} {giv}".upper()
        # org_name_variant
        name, city = base["name"], base["_city"]
        if "（" in name:
            return name.split("（")[0] if self.rnd() < 0.5 else name.replace("（", "").rstrip("）")
        if name.endswith("有限公司"):
            core = name.removeprefix(city.name).removeprefix(city.short)
            r = self.rnd()
            if r < 0.4:
                return core
            if r < 0.7:
                return city.short + core
            return city.short + core.removesuffix("有限公司")
        return city.short + name

    def format_phone(self, number: str) -> str:
        r = self.rnd()
        if "-" in number:  # landline: area-local
            area, local = number.split("-")
            half = len(local) - 4
            if r < 0.3:
                return f"({area}){local}"
            if r < 0.55:
                return f"{area} {local[:half]} {local[half:]}"
            if r < 0.8:
                return f"+86 {area[1:]} {local[:half]} {local[half:]}"
            return f"{area}{local}"
        m = number
        if r < 0.25:
            return f"+86 {m[:3]} {m[3:7]} {m[7:]}"
        if r < 0.45:
            return f"{m[:3]}-{m[3:7]}-{m[7:]}"
        if r < 0.6:
            return f"0086-{m}"
        if r < 0.75:
            return f"{m[:3]} {m[3:7]} {m[7:]}"
        if r < 0.9:
            return f"+86{m}"
        return f"+86-{m}"

    def abbreviate_address(self, dup: dict, base: dict) -> None:
        city: _City = base["_city"]
        district, street = base["district"], base["address"]
        municipality = city.province_short == city.short
        r = self.rnd()
        if r < 0.3:
            dup["province"] = city.province_short
            dup["city"] = city.short
            dup["district"] = _short(district) if district else ""
            return
        if r < 0.5:
            dup["province"] = ""
            return
        if r < 0.7:
            text = f"{city.name}{district}{street}"
        elif r < 0.85:
            region = city.short if municipality else city.province_short + city.short
            text = f"{region}{_short(district) if district else ''}{street}"
        else:
            text = f"{city.short}{district}{street}"
        dup.update(province="", city="", district="", address=text)

    def change_email_case(self, email: str) -> str:
        local, domain = email.split("@")
        r = self.rnd()
        if r < 0.4 and not local.isdigit():
            return f"{local.capitalize()}@{domain}"
        if r < 0.7:
            return f"{local}@{domain.upper()}"
        if r < 0.85:
            return email.upper()
        return f"{local.capitalize()}@{domain.split('.')[0].upper()}.{domain.split('.', 1)[1]}"

    def perturb(self, base: dict, kinds: list[str]) -> dict | None:
        dup = {field: base[field] for field in _FIELDS}
        touched = set()
        for kind in kinds:
            if kind in NAME_KINDS:
                dup["name"] = self.variant_name(base, kind)
            elif kind == "landline_instead":
                dup["mobile"] = ""
                dup["phone"] = base["phone"] or self.new_landline(base["_city"])
                touched.update(("mobile", "phone"))
            elif kind == "phone_format":
                field = "mobile" if dup["mobile"] else "phone"
                dup[field] = self.format_phone(dup[field])
                touched.add(field)
            elif kind == "address_abbrev":
                self.abbreviate_address(dup, base)
                touched.update(("address", "district"))
            elif kind == "missing_fields":
                fields = ("mobile", "email", "birthday", "address", "wechat", "gender", "district")
                candidates = [f for f in fields if dup[f] and f not in touched]
                if not candidates:
                    return None
                count = 2 if len(candidates) > 1 and self.rnd() < 0.3 else 1
                for field in self.rng.sample(candidates, count):
                    dup[field] = ""
                touched.update(candidates)
            elif kind == "email_case":
                dup["email"] = self.change_email_case(dup["email"])
                touched.add("email")
        return dup

    def duplicate(self, base: dict, options: list[tuple[str, int]]) -> dict:
        for _ in range(8):
            kinds = self.choose_kinds(options)
            dup = self.perturb(base, kinds)
            if dup is not None and _findable(base, dup):
                break
        else:  # a name variant alone keeps every key of the base record
            kinds = [next(kind for kind, _ in options if kind in NAME_KINDS)]
            dup = self.perturb(base, kinds)
        self.kinds.update(kinds)
        if self.rnd() < 0.7:
            dup["source"] = self.choice([s for s in SOURCES if s != base["source"]])
        dup["tags"] = self.tags()
        return dup

    def emit(self, base: dict, extra: int) -> None:
        rows = self.rows
        rows.append(_SEP.join([base[field] for field in _FIELDS]))
        if not extra:
            return
        if not (base["mobile"] or base["email"] or base["wechat"]) and not (
            base["birthday"] or base["phone"] or base["address"]
        ):
            base["mobile"] = self.new_mobile()  # so that its duplicates can be found at all
            rows[-1] = _SEP.join([base[field] for field in _FIELDS])
        options = self.applicable(base)
        for _ in range(extra):
            dup = self.duplicate(base, options)
            rows.append(_SEP.join([dup[field] for field in _FIELDS]))


def _build(n: int, seed: int, dup_share: float) -> tuple[list[str], dict]:
    if n < 0:
        raise ValueError("n must not be negative")
    if not 0 <= dup_share <= 0.5:
        raise ValueError("dup_share must be between 0 and 0.5")
    builder = _Builder(seed)
    rng, rnd, randint = builder.rng, builder.rnd, builder.randint
    dup_rows = round(n * dup_share)
    entity_count = n - dup_rows
    chunks = []  # extra rows per duplicated entity: mostly one, some two or three
    left = dup_rows
    while left:
        r = rnd()
        chunk = min(left, 1 if r < 0.8 else 2 if r < 0.95 else 3)
        chunks.append(chunk)
        left -= chunk
    extras = bytearray(entity_count)
    for index, chunk in zip(rng.sample(range(entity_count), len(chunks)), chunks, strict=True):
        extras[index] = chunk

    width = max(7, len(str(entity_count)))
    stats = Counter()
    same_name_city = Counter()
    index = 0
    while index < entity_count:
        r = rnd()
        group, size = "single", 1
        if r < 0.03:
            group = "organisation"
        elif r < 0.055 and entity_count - index >= 2:
            size = randint(2, 4) if r < 0.049 else min(randint(2, 6), randint(2, 6))
            group, size = "family" if r < 0.049 else "namesake", min(size, entity_count - index)
        entities = [f"E{i:0{width}d}" for i in range(index + 1, index + size + 1)]
        if group == "organisation":
            people = [builder.organisation(entities[0])]
        elif group == "single":
            people = [builder.single(entities[0])]
        elif group == "family":
            people = builder.family(entities)
            stats["families"] += 1
            stats["family_members"] += size
        else:
            people = builder.namesakes(entities)
            stats["namesake_groups"] += 1
            stats["namesake_members"] += size
        for offset, base in enumerate(people):
            extra = extras[index + offset]
            builder.emit(base, extra)
            if base["_org"]:
                stats["organisations"] += 1
            else:
                stats["persons"] += 1
                same_name_city[(base["name"], base["city"])] += 1
            if extra:
                stats["duplicate_entities"] += 1
                stats[f"entities_with_{extra + 1}_rows"] += 1
                stats["true_pairs"] += (extra + 1) * extra // 2
        index += size
    rng.shuffle(builder.rows)

    zhang_wei = [count for (name, _), count in same_name_city.items() if name == "张伟"]
    result = {
        "rows": len(builder.rows),
        "entities": entity_count,
        "persons": stats["persons"],
        "organisations": stats["organisations"],
        "duplicate_rows": dup_rows,
        "duplicate_entities": stats["duplicate_entities"],
        "entities_with_2_rows": stats["entities_with_2_rows"],
        "entities_with_3_rows": stats["entities_with_3_rows"],
        "entities_with_4_rows": stats["entities_with_4_rows"],
        "true_pairs": stats["true_pairs"],
        "kinds": dict(builder.kinds),
        "families": stats["families"],
        "family_members": stats["family_members"],
        "namesake_groups": stats["namesake_groups"],
        "namesake_members": stats["namesake_members"],
        "persons_sharing_name_and_city": sum(c for c in same_name_city.values() if c > 1),
        "zhang_wei_persons": sum(zhang_wei),
        "zhang_wei_cities_with_namesakes": sum(1 for c in zhang_wei if c > 1),
    }
    return builder.rows, result


def _rows(packed: list[str]) -> Iterator[list[str]]:
    width = max(7, len(str(len(packed))))
    for i in range(len(packed)):
        values = packed[i].split(_SEP)
        packed[i] = ""  # release memory as we go
        yield [f"S{i + 1:0{width}d}", *values]


def generate(n: int, *, seed: int = 2026, dup_share: float = 0.2) -> Iterator[dict[str, str]]:
    """Exactly n shuffled rows (all values str, "" when missing), deterministic for a seed."""
    packed, _ = _build(n, seed, dup_share)
    for values in _rows(packed):
        yield dict(zip(COLUMNS, values, strict=True))


def write_csv(
    path, n: int, *, seed: int = 2026, dup_share: float = 0.2, encoding: str = "utf-8"
) -> dict:
    """Write a header and n rows to path; return the generation stats."""
    packed, stats = _build(n, seed, dup_share)
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(_rows(packed))
    return stats


def _detect_encoding(path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else gb18030."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


def true_pairs(rows_or_path) -> set[tuple[str, str]]:
    """All unordered pairs (sorted external_ids) of rows sharing an entity_id.

    Takes rows (dicts with external_id and entity_id) or the path of a CSV file written by
    write_csv (UTF-8 or GB18030).
    """
    by_entity: dict[str, list[str]] = {}
    if isinstance(rows_or_path, str | os.PathLike):
        encoding = _detect_encoding(rows_or_path)
        with open(rows_or_path, newline="", encoding=encoding) as handle:
            reader = csv.reader(handle)
            header = next(reader)
            ext, ent = header.index("external_id"), header.index("entity_id")
            for values in reader:
                by_entity.setdefault(values[ent], []).append(values[ext])
    else:
        for row in rows_or_path:
            by_entity.setdefault(row["entity_id"], []).append(row["external_id"])
    pairs = set()
    for ids in by_entity.values():
        if len(ids) > 1:
            for a, b in itertools.combinations(sorted(ids), 2):
                pairs.add((a, b))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="CSV file to write")
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dup-share", type=float, default=0.2)
    parser.add_argument("--encoding", default="utf-8", help="utf-8 (default) or gb18030")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    stats = write_csv(
        args.out, args.rows, seed=args.seed, dup_share=args.dup_share, encoding=args.encoding
    )
    stats["seconds"] = round(time.perf_counter() - started, 1)
    json.dump(stats, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
