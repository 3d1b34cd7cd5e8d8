"""What a member number may hold: letters, digits, dots, hyphens and underscores, a
letter or digit first, so that it is safe in a URL path segment. The model's validator
and the D.csv reader both use this."""

MEMBER_ID_CHARS = r"[0-9A-Za-z][0-9A-Za-z._-]*"
MEMBER_ID_MAX = 40
