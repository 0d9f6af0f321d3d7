#!/usr/bin/env bash
# Runs real ServiceStack clients against a running v2 gateway and counts their checks.
#   ROSETTA_V2_BASE_URL, ROSETTA_V2_COMPANY_ID, ROSETTA_V2_INTEGRATION_KEY: the gateway and tenant
#   ROSETTA_V2_KEAZ_USER_ID (optional): a user holding keaz, for the 403 check
#   ROSETTA_CLIENTS=dotnet,ts,python (default all); ROSETTA_CLIENTS_INSTALL=0 skips installs
#   --setup: only install and build, run nothing
# Every check prints one line `PASS|FAIL client/name: detail`; the last line is
# `N passed, M failed`. Exit 0 when all passed, 1 on failures, 2 on a setup error.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
setup_only=0
for a in "$@"; do
  case "$a" in
    --setup) setup_only=1 ;;
    *) echo "usage: $0 [--setup]" >&2; exit 2 ;;
  esac
done
install="${ROSETTA_CLIENTS_INSTALL:-1}"
IFS=, read -r -a clients <<<"${ROSETTA_CLIENTS:-dotnet,ts,python}"

fail_setup() { echo "setup error: $*" >&2; exit 2; }
timed() { # name, command...: runs it, says how long it took on stderr
  local name="$1"; shift; local t0=$SECONDS
  "$@" || return 1
  echo "setup: $name took $((SECONDS - t0)) s" >&2
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_mono() {
  as_root apt-get install -y -q mono-devel >/dev/null 2>&1 ||
    { as_root apt-get update -q >/dev/null 2>&1 && as_root apt-get install -y -q mono-devel >/dev/null; }
}

setup_dotnet() {
  if ! command -v mcs >/dev/null || ! command -v mono >/dev/null; then
    [ "$install" = 0 ] && fail_setup "mcs/mono missing (apt-get install mono-devel)"
    timed "apt-get install mono-devel" apt_mono || fail_setup "apt-get install mono-devel failed"
  fi
  local exe="$here/dotnet/bin/V2Client.exe" src="$here/dotnet/V2Client.cs"
  if [ ! -f "$exe" ] || [ "$src" -nt "$exe" ]; then
    mkdir -p "$here/dotnet/bin"
    mcs -nologo -out:"$exe" -r:System.Net.Http -r:System.Runtime.Serialization -r:System.Xml "$src" >&2 ||
      fail_setup "mcs failed to compile $src"
  fi
}

setup_ts() {
  command -v node >/dev/null || fail_setup "node missing"
  if [ ! -d "$here/ts/node_modules/@servicestack/client" ]; then
    [ "$install" = 0 ] && fail_setup "e2e/clients/ts/node_modules missing (npm ci)"
    timed "npm ci" sh -c "cd '$here/ts' && npm ci --no-audit --no-fund --silent" || fail_setup "npm ci failed"
  fi
}

setup_python() {
  local py="$here/python/.venv/bin/python"
  if ! "$py" -c 'import servicestack' 2>/dev/null; then
    [ "$install" = 0 ] && fail_setup "e2e/clients/python/.venv missing (python3 -m venv, pip install -r requirements.txt)"
    timed "venv + pip install" sh -c "python3 -m venv '$here/python/.venv' && '$here/python/.venv/bin/pip' install -q -r '$here/python/requirements.txt'" ||
      fail_setup "pip install failed"
  fi
}

for c in "${clients[@]}"; do
  case "$c" in
    dotnet|ts|python) "setup_$c" ;;
    *) fail_setup "unknown client '$c' (dotnet, ts, python)" ;;
  esac
done
[ "$setup_only" = 1 ] && { echo "setup done: ${clients[*]}"; exit 0; }

for v in ROSETTA_V2_BASE_URL ROSETTA_V2_COMPANY_ID ROSETTA_V2_INTEGRATION_KEY; do
  [ -n "${!v:-}" ] || fail_setup "$v is not set"
done

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for c in "${clients[@]}"; do
  case "$c" in
    dotnet) cmd=(mono "$here/dotnet/bin/V2Client.exe") ;;
    ts) cmd=(node "$here/ts/main.mjs") ;;
    python) cmd=("$here/python/.venv/bin/python" "$here/python/main.py") ;;
  esac
  t0=$SECONDS
  "${cmd[@]}" 2>&1 | tee -a "$out"
  rc=${PIPESTATUS[0]}
  # A client that dies without its own verdict must not pass silently.
  if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
    echo "FAIL $c/run: exited $rc" | tee -a "$out"
  elif [ "$rc" = 1 ] && ! grep -q "^FAIL $c/" "$out"; then
    echo "FAIL $c/run: exited 1 without a failed check" | tee -a "$out"
  fi
  echo "$c took $((SECONDS - t0)) s"
done
passed=$(grep -c '^PASS ' "$out")
failed=$(grep -c '^FAIL ' "$out")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
exit $?
