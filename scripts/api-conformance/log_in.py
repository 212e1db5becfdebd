"""Log in to an Outlet Inspector server and print the bearer token.

Usage: log_in.py BASE_URL BADGE_NO PASSWORD [DEVICE_ID PUBLIC_KEY]

Without DEVICE_ID and PUBLIC_KEY, each call registers a new device id with a fixed, valid Ed25519
public key, so every call gets its own token. With them, the call logs in on that device (the
public key in standard base64), so the records that device signed verify for the account. Exits
with status 1 and the server's error when the login is rejected.
"""

import base64
import json
import sys
import urllib.error
import urllib.request
import uuid

# The compressed Edwards point of the Ed25519 base point: a valid public key whose private half
# this script never needs, because it signs nothing.
BASE_POINT = bytes.fromhex("58" + "66" * 31)


def log_in(base_url: str, badge_no: str, password: str, device_id: str, public_key: str) -> str:
    body = {
        "badge_no": badge_no,
        "password": password,
        "device": {
            "device_id": device_id,
            "public_key": public_key,
            "label": "api-conformance",
        },
    }
    request = urllib.request.Request(
        f"{base_url}/api/v1/session",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["token"]


def main() -> int:
    if len(sys.argv) not in (4, 6):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base_url, badge_no, password = sys.argv[1:4]
    if len(sys.argv) == 6:
        device_id, public_key = sys.argv[4:6]
    else:
        device_id, public_key = str(uuid.uuid4()), base64.b64encode(BASE_POINT).decode()
    try:
        print(log_in(base_url, badge_no, password, device_id, public_key))
    except urllib.error.HTTPError as error:
        print(f"log_in.py: login as {badge_no} failed with {error.code}: {error.read().decode(errors='replace')}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
