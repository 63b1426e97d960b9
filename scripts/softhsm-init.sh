#!/usr/bin/env bash
# Creates a throwaway SoftHSM2 token for tests, CI and development, never a production HSM.
#
#   scripts/softhsm-init.sh DIR [TOKEN_LABEL] [USER_PIN] [SO_PIN]
#
# Everything lives under DIR (its own softhsm2.conf and tokendir), so the system tokendir
# (/var/lib/softhsm/tokens) is never touched and deleting DIR deletes the token and its keys.
# PINs not given are random. Prints the environment Cloison needs, one KEY=value per line:
#   eval "$(scripts/softhsm-init.sh /tmp/hsm)"   or   scripts/softhsm-init.sh /tmp/hsm > hsm.env
set -euo pipefail

usage() {
  echo "usage: $0 DIR [TOKEN_LABEL] [USER_PIN] [SO_PIN]" >&2
  exit 64
}

[ $# -ge 1 ] && [ $# -le 4 ] || usage
dir=$1
label=${2:-cloison-dev}
# 16 hex characters: within SoftHSM's 4..255 PIN length, and safe to print unquoted.
random_pin() { od -An -N8 -tx1 /dev/urandom | tr -d ' \n'; }
pin=${3:-$(random_pin)}
so_pin=${4:-$(random_pin)}

# The output is parsed as plain KEY=value lines (by tests and env files): keep values that
# need no quoting rather than invent an escaping scheme.
for value in "$dir" "$label" "$pin" "$so_pin"; do
  if [[ ! $value =~ ^[A-Za-z0-9_./:-]+$ ]]; then
    echo "$0: '$value' must only contain letters, digits and _ . / : -" >&2
    exit 64
  fi
done
if ((${#pin} < 4 || ${#so_pin} < 4)); then
  echo "$0: PINs must be at least 4 characters (SoftHSM2 minimum)" >&2
  exit 64
fi

if ! command -v softhsm2-util > /dev/null; then
  echo "$0: softhsm2-util not found: apt-get install softhsm2" >&2
  exit 69
fi

module=""
for candidate in \
  /usr/lib/softhsm/libsofthsm2.so \
  "/usr/lib/$(uname -m)-linux-gnu/softhsm/libsofthsm2.so" \
  /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so \
  /usr/local/lib/softhsm/libsofthsm2.so \
  /usr/lib64/pkcs11/libsofthsm2.so \
  /opt/homebrew/lib/softhsm/libsofthsm2.so; do
  if [ -f "$candidate" ]; then
    module=$candidate
    break
  fi
done
if [ -z "$module" ]; then
  echo "$0: libsofthsm2.so not found in the usual places; is softhsm2 installed?" >&2
  exit 69
fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tokendir=$dir/tokens
# A second token with the same label in the same tokendir would make the label ambiguous.
if [ -d "$tokendir" ] && [ -n "$(ls -A "$tokendir")" ]; then
  echo "$0: $tokendir already holds a token; use a fresh directory" >&2
  exit 73
fi
mkdir -p "$tokendir"
chmod 700 "$dir" "$tokendir"

conf=$dir/softhsm2.conf
cat > "$conf" << EOF
# Throwaway SoftHSM2 token made by scripts/softhsm-init.sh; not for production keys.
directories.tokendir = $tokendir
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
EOF

SOFTHSM2_CONF=$conf softhsm2-util --init-token --free --label "$label" \
  --so-pin "$so_pin" --pin "$pin" > /dev/null

echo "SOFTHSM2_CONF=$conf"
echo "CLOISON_PKCS11_MODULE=$module"
echo "CLOISON_PKCS11_TOKEN_LABEL=$label"
echo "CLOISON_PKCS11_PIN=$pin"
