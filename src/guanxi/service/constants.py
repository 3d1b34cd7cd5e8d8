"""Limits of the service centre's texts."""

SUBJECT_MAX = 200
BODY_MAX = 4000
ANSWER_MAX = 4000
SEARCH_MAX = 100  # characters of a question-bank search
SEARCH_LIMIT_MAX = 100
