"""Our JWTs as their consumers read them: joserfc and PyJWT, independent of the server, verify /api/auth/token with
/api/auth/jwks the way a service beside a Better Auth server would: the signature, `iss` and `aud` equal to the
public URL's origin, `iat` not in the future (joserfc refuses a fractional one within its first second), and the
user claims Better Auth's JWT plugin puts in.

Usage: API_BASE=http://127.0.0.1:8000 ORIGIN=https://todo.example.com TOKEN=<session token> python jwt_check.py
"""

import json
import os
import sys
import time
import urllib.request

import jwt as pyjwt
from joserfc import jwt
from joserfc.jwk import KeySet

API, ORIGIN, SESSION = os.environ["API_BASE"], os.environ["ORIGIN"], os.environ["TOKEN"]


def check(condition, what):
    if not condition:
        print(f"FAIL  {what}", file=sys.stderr)
        sys.exit(1)
    print(f"  ok  {what}")


def get(path):
    request = urllib.request.Request(API + path, headers={"Authorization": f"Bearer {SESSION}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


keys = get("/api/auth/jwks")
key_set = KeySet.import_key_set(keys)
registry = jwt.JWTClaimsRegistry(
    iss={"essential": True, "value": ORIGIN}, aud={"essential": True, "value": ORIGIN},
    sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
)
# A token is checked the moment it arrives, many times, so some land within the second it was issued in.
for attempt in range(20):
    token = get("/api/auth/token")["token"]
    decoded = jwt.decode(token, key_set, algorithms=["EdDSA"])
    registry.validate(decoded.claims)  # raises on an iat in the future, a wrong iss or aud, an expired token
    time.sleep(0.05)
check(True, "joserfc verifies 20 fresh tokens at once: signature, iss/aud = origin, iat not in the future")
claims = decoded.claims
check(isinstance(claims["iat"], int) and isinstance(claims["exp"], int) and claims["exp"] - claims["iat"] == 900,
      "iat and exp are whole seconds, 15 minutes apart")
check(all(field in claims for field in ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"]),
      f"the user's fields are in the token as Better Auth puts them ({sorted(claims)})")
check(claims["id"] == claims["sub"] and claims["image"] is None, "id equals sub; a missing image is null")

header = pyjwt.get_unverified_header(token)
jwk = next(key for key in keys["keys"] if key["kid"] == header["kid"])
payload = pyjwt.decode(token, pyjwt.PyJWK(jwk).key, algorithms=["EdDSA"], audience=ORIGIN, issuer=ORIGIN, leeway=0)
check(payload["sub"] == claims["sub"], "PyJWT verifies it too, with no leeway")
try:
    pyjwt.decode(token, pyjwt.PyJWK(jwk).key, algorithms=["EdDSA"], audience=ORIGIN + "/api/auth", issuer=ORIGIN)
    check(False, "another audience is refused")
except pyjwt.InvalidAudienceError:
    check(True, "another audience is refused")
print("JWT consumer checks passed")
