import secrets

# Letters and digits that cannot be misread for one another over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def new_reference() -> str:
    """Return a random code such as CB-7K2QX9 that staff can read to a caller."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"CB-{body}"
