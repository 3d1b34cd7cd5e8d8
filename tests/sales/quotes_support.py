"""Shared set-up of the quote tests: a catalogue with the three price lists."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from guanxi.commerce.choices import PriceListKind
from guanxi.commerce.models import Category, PriceList, PriceListItem, Product


@dataclass
class Catalogue:
    retail: PriceList
    member: PriceList
    distributor: PriceList
    purifier: Product  # retail 2980, member 2680, distributor 2380
    filter: Product  # retail 198.50, member 178, distributor 158
    unpriced: Product  # on no list


def _product(sku, name, category, prices) -> Product:
    product = Product.objects.create(sku=sku, name=name, category=category)
    for kind, price in prices.items():
        PriceListItem.objects.create(
            price_list=PriceList.objects.get(kind=kind), product=product, price=Decimal(price)
        )
    return product


@pytest.fixture
def catalogue(db) -> Catalogue:
    lists = {k: PriceList.objects.create(kind=k, name=str(k.label)) for k in PriceListKind}
    shelf = Category.objects.create(name="家用净水")
    return Catalogue(
        retail=lists[PriceListKind.RETAIL],
        member=lists[PriceListKind.MEMBER],
        distributor=lists[PriceListKind.DISTRIBUTOR],
        purifier=_product(
            "RO-500",
            "反渗透净水器",
            shelf,
            {"retail": "2980", "member": "2680", "distributor": "2380"},
        ),
        filter=_product(
            "RO-F1", "复合滤芯", shelf, {"retail": "198.50", "member": "178", "distributor": "158"}
        ),
        unpriced=Product.objects.create(sku="RO-X", name="样机", category=shelf),
    )


def pdf_text(data: bytes) -> str:
    """The text drawn in a reportlab PDF in the Chinese CID font (UTF-16 strings inside
    ASCII85 + Flate streams), enough to check what a reader would show."""
    import base64
    import re
    import zlib

    shown = []
    for stream in re.finditer(rb"stream\r?\n(.*?)~>\s*endstream", data, re.S):
        content = zlib.decompress(base64.a85decode(b"<~" + stream.group(1) + b"~>", adobe=True))
        for literal in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", content, re.S):
            raw = re.sub(
                rb"\\([0-7]{1,3}|.)",
                lambda m: (
                    bytes([int(m.group(1), 8)])
                    if m.group(1)[:1].isdigit()
                    else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
                ),
                literal.group(1),
            )
            shown.append(raw.decode("utf-16-be", errors="replace"))
    return "".join(shown)
