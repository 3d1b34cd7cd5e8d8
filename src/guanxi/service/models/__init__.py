from guanxi.service.models.questions import Question
from guanxi.service.models.requests import ServiceRequest

__all__ = ["Question", "ServiceRequest"]
