"""JWT authentication through edx-drf-extensions, configured as the LMS configures it.

The token is built as the LMS builds an access token (claims ``iss``, ``aud``, ``preferred_username``,
``user_id``, ``email``, ``iat``, ``exp``, ``version``, ``scopes``, ``filters``, ``is_restricted``),
signed RS512 with the LMS's private key whose public half is in ``JWT_PUBLIC_SIGNING_JWK_SET``, and
sent as ``Authorization: JWT <token>``.
"""
import json
import time

import pytest
from rest_framework.settings import APISettings

from .conftest import API, YEAR

pytest.importorskip("edx_rest_framework_extensions")  # which brings PyJWT and cryptography

# pylint: disable=wrong-import-position,wrong-import-order
import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402
from jwt.algorithms import RSAAlgorithm  # noqa: E402

ISSUER, AUDIENCE, SECRET = "http://lms.example.com/oauth2", "lms-key", "a-shared-secret-of-thirty-two-bytes!"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


LMS_KEY, OTHER_KEY = new_key(), new_key()


def jwt_auth(public_keys=True):
    settings = {
        "JWT_ISSUERS": [{"ISSUER": ISSUER, "AUDIENCE": AUDIENCE, "SECRET_KEY": SECRET}],
        "JWT_ISSUER": ISSUER,
        "JWT_AUDIENCE": AUDIENCE,
        "JWT_SECRET_KEY": SECRET,
        "JWT_DECODE_HANDLER": "edx_rest_framework_extensions.auth.jwt.decoder.jwt_decode_handler",
        "JWT_AUTH_HEADER_PREFIX": "JWT",
        "JWT_VERIFY_AUDIENCE": True,
    }
    if public_keys:
        settings["JWT_PUBLIC_SIGNING_JWK_SET"] = json.dumps(
            {"keys": [json.loads(RSAAlgorithm.to_jwk(LMS_KEY.public_key()))]})
    return settings


def configure(settings, monkeypatch, jwt_settings):
    """Set JWT_AUTH. drf-jwt reads it once, when first imported (in the LMS the setting is there by
    then); here its settings object is rebuilt from the overridden setting."""
    from rest_framework_jwt import authentication, settings as drf_jwt  # pylint: disable=import-outside-toplevel
    settings.JWT_AUTH = jwt_settings
    monkeypatch.setattr(authentication, "api_settings", APISettings(jwt_settings, drf_jwt.DEFAULTS,
                                                                    drf_jwt.IMPORT_STRINGS))


@pytest.fixture
def lms_jwt_settings(settings, monkeypatch):
    configure(settings, monkeypatch, jwt_auth())


def token_for(user, *, key=LMS_KEY, expires_in=600, issuer=ISSUER):
    now = int(time.time())
    payload = {
        "iss": issuer, "aud": AUDIENCE, "preferred_username": user.username, "user_id": user.pk,
        "email": user.email, "iat": now, "exp": now + expires_in, "version": "1.2.0", "scopes": ["read"],
        "filters": [], "is_restricted": False,
    }
    return jwt.encode(payload, key, algorithm="RS512")


def call(client_for, path, token):
    return client_for(None).get(API + path, HTTP_AUTHORIZATION=f"JWT {token}")


@pytest.mark.usefixtures("lms_jwt_settings")
def test_jwt_learner_gets_own_hours_and_is_refused_others(client_for, users):
    token = token_for(users["learner"])
    mine = call(client_for, f"me/hours/?year={YEAR}", token)
    assert mine.status_code == 200 and mine.json()["total"] == "32.00"
    assert call(client_for, f"members/target/hours/?year={YEAR}", token).status_code == 404
    assert call(client_for, "organizations/", token).status_code == 403


@pytest.mark.usefixtures("lms_jwt_settings")
def test_jwt_org_admin_sees_the_subtree(client_for, users, tree):
    response = call(client_for, f"organizations/{tree['g1'].pk}/compliance/?year={YEAR}", token_for(users["admin_g1"]))
    assert response.status_code == 200 and response.json()["organization"]["members"] == 3


@pytest.mark.usefixtures("lms_jwt_settings")
@pytest.mark.parametrize("bad", [{"key": OTHER_KEY}, {"expires_in": -60}, {"issuer": "http://evil.example.com"}])
def test_bad_tokens_get_401(client_for, users, bad):
    response = call(client_for, "me/hours/", token_for(users["learner"], **bad))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("JWT")


@pytest.mark.usefixtures("lms_jwt_settings")
def test_anonymous_gets_401_when_jwt_is_configured(client_for, users):  # pylint: disable=unused-argument
    response = client_for(None).get(API + "me/hours/")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("JWT")


def test_without_jwt_settings_a_token_is_ignored_not_an_error(client_for, users, settings):
    """A site without JWT_AUTH (the demo) only authenticates sessions: a token header is refused cleanly."""
    assert not getattr(settings, "JWT_AUTH", None)
    assert call(client_for, "me/hours/", token_for(users["learner"])).status_code == 403
    assert client_for("learner").get(API + "me/hours/").status_code == 200


def test_without_public_signing_keys_jwt_stays_off(client_for, users, settings, monkeypatch):
    """With a shared secret only, edx-drf-extensions would accept a token signed with any key."""
    configure(settings, monkeypatch, jwt_auth(public_keys=False))
    forged = jwt.encode({"preferred_username": "learner", "iss": ISSUER, "aud": AUDIENCE, "iat": int(time.time()),
                         "exp": int(time.time()) + 600}, "not-the-secret-not-the-secret-32b", algorithm="HS256")
    assert call(client_for, "me/hours/", forged).status_code == 403
