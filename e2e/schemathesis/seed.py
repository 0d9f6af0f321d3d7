"""Logs in the seeded administrator on kashflow (both steps) and keaz, and writes the
schemathesis configuration with every dialect's credentials.

Usage: seed.py BASE_URL SEED_JSON OUT_TOML
SEED_JSON holds what the CLI printed: company_id, integration_key, usr_token, username,
email, password, memorable_word.
"""

import json
import sys
import urllib.request


def call(method, url, body):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.load(res)


def toml_string(s):
    return json.dumps(s)


def main():
    base, seed_path, out = sys.argv[1:4]
    seed = json.load(open(seed_path))
    step1 = call(
        "POST",
        f"{base}/kashflow/sessiontoken",
        {"UserName": seed["username"], "Password": seed["password"]},
    )
    word = seed["memorable_word"]
    chars = [
        {"Position": p["Position"], "Value": word[p["Position"] - 1]}
        for p in step1["MemorableWordList"]
    ]
    step2 = call(
        "PUT",
        f"{base}/kashflow/sessiontoken",
        {"TemporaryToken": step1["TemporaryToken"], "MemorableWordList": chars},
    )
    keaz = call(
        "POST", f"{base}/keaz/login", {"email": seed["email"], "password": seed["password"]}
    )
    auth = {
        "kashflow": {"KfToken": f"KfToken {step2['SessionToken']}"},
        "usr": {"Bearer": None},
        "keaz": {"TokenHeader": keaz["token"], "TokenQuery": keaz["token"]},
        "v2": {
            "CompanyId": str(seed["company_id"]),
            "IntegrationKey": seed["integration_key"],
        },
    }
    with open(out, "w") as f:
        for dialect, schemes in auth.items():
            f.write(f"# {dialect}\n")
            for name, key in schemes.items():
                f.write(f"[auth.openapi.{name}]\n")
                if key is None:
                    f.write(f"bearer = {toml_string(seed['usr_token'])}\n")
                else:
                    f.write(f"api_key = {toml_string(key)}\n")
            f.write("\n")


if __name__ == "__main__":
    main()
