"""References customers can read aloud, and secret status-link tokens that are stored only as a hash."""
import hashlib
import re
import secrets

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing that is misread on a phone or misheard on the line.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
REFERENCE_LENGTH = 8
TOKEN_BYTES = 24  # 192 random bits


def new_reference() -> str:
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """What a customer typed, as the stored form: upper case, spaces and dashes ignored."""
    chars = re.sub(r"[^0-9A-Za-z]", "", text or "").upper()
    if len(chars) != REFERENCE_LENGTH:
        return chars
    return f"{chars[:4]}-{chars[4:]}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_draft_key() -> str:
    return secrets.token_urlsafe(24)


DRAFT_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_draft_key(text: str | None) -> bool:
    """Could this be a key `new_draft_key` made? (It comes back from the browser: anything can be in it.)"""
    return bool(text) and DRAFT_KEY.fullmatch(text) is not None
