#!/bin/sh
# The image's entrypoint: gives the command (the API or the worker) an ADMIN_TOKEN and a SECRETS_KEY, then
# becomes that command (exec, so it receives SIGTERM itself).
#
# A variable set in the environment wins and nothing is written for it: that is how a production
# deployment brings its own. Otherwise the value is read from SECRETS_DIR (a volume docker-compose.yml shares
# between the API and the worker), and generated there first if it is not there yet: `docker compose up` on a
# fresh checkout needs no file to copy and no secret to invent, and no placeholder works anywhere.
# The admin token is printed once, by the container that generated it (the API: the worker starts after it).
set -eu

SECRETS_DIR="${VIGIL_SECRETS_DIR:-/var/lib/vigil/secrets}"
generated=''

# 32 random bytes as 64 hex digits, from Node's CSPRNG (the image has no openssl).
new_secret() {
  node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))"
}

# provide NAME: exports NAME from the environment, else from SECRETS_DIR/NAME, generating that file if missing.
provide() {
  name=$1
  eval "given=\${$name:-}"
  if [ -n "$given" ]; then
    return 0
  fi
  file="$SECRETS_DIR/$name"
  if [ ! -e "$file" ]; then
    mkdir -p "$SECRETS_DIR"
    # Written whole under a temporary name first (mktemp: mode 600), so no reader ever sees half a secret.
    tmp=$(mktemp "$SECRETS_DIR/.$name.XXXXXX")
    new_secret >"$tmp"
    # ln (link(2)) creates the name only if it does not exist, atomically and without a lock: when two
    # containers start together, one wins and both read its value. mv (rename(2)) would replace a secret
    # the other container may already be using.
    if ln "$tmp" "$file" 2>/dev/null; then
      generated="$generated $name"
    fi
    rm -f "$tmp"
  fi
  value=$(cat "$file")
  if [ -z "$value" ]; then
    echo "vigil-entrypoint: $file is empty; delete it to have a new $name generated, or set $name" >&2
    exit 1
  fi
  export "$name=$value"
}

provide ADMIN_TOKEN
provide SECRETS_KEY

case " $generated " in
  *' ADMIN_TOKEN '*)
    cat >&2 <<MESSAGE
------------------------------------------------------------------------------------------------------------
Vigil generated its admin token. It is shown this once; admin calls take "Authorization: Bearer <token>".

    ADMIN_TOKEN=$ADMIN_TOKEN

It is kept in the vigil-secrets volume ($SECRETS_DIR/ADMIN_TOKEN), shared by the API and the worker.
To replace it: docker compose exec api rm $SECRETS_DIR/ADMIN_TOKEN
               docker compose up -d --force-recreate api worker    (the new one is printed here)
Or set ADMIN_TOKEN (and SECRETS_KEY) in the environment of both services: a value set there wins.
------------------------------------------------------------------------------------------------------------
MESSAGE
    ;;
esac

exec "$@"
