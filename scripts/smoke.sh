#!/usr/bin/env bash
# Production smoke run (issue 9): the production configuration (DEBUG=false, static files collected with hashed
# names, gunicorn, PostgreSQL), reached as nginx would reach it (X-Forwarded-Proto: https, X-Forwarded-For), then
# scripts/smoke_client.py fetches /health/, the sign-in page, a static file and a signed-in staff page, signing
# in with a password and a real TOTP code. Any 5xx, or any page not as expected, fails the run.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/opcc_smoke scripts/smoke.sh
#
# The database must exist (it is migrated here) and should be a throw-away one: a staff member
# smoke-admin@smoke.invalid is created in it. CI (.ci/run) runs this after the PostgreSQL suite.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to a throw-away PostgreSQL database}"
case "$DATABASE_URL" in postgres*) ;; *) echo "smoke: DATABASE_URL must be PostgreSQL" >&2; exit 2 ;; esac

PY=.venv/bin/python
WORK="$(mktemp -d)"
PORT="$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
GUNICORN_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID" && wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# The production environment, as in docs/deployment.md's environment file.
export DEBUG=false
export SECRET_KEY="smoke-$($PY -c 'import secrets; print(secrets.token_urlsafe(48))')"
export ALLOWED_HOSTS=127.0.0.1
export SITE_URL="https://127.0.0.1:$PORT"
export VAR_DIR="$WORK/var"
export BEHIND_PROXY=true TRUSTED_PROXY_COUNT=1
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
unset REQUIRE_2FA  # production default: on
export SMOKE_EMAIL=smoke-admin@smoke.invalid
export SMOKE_PASSWORD="smoke-$($PY -c 'import secrets; print(secrets.token_urlsafe(24))')"
export SMOKE_TOTP_KEY="$($PY -c 'import secrets; print(secrets.token_hex(20))')"

$PY manage.py migrate --no-input -v0
$PY manage.py collectstatic --no-input -v0
# A member of staff with an enrolled authenticator app (production requires two-factor sign-in for staff).
$PY manage.py shell -v0 -c "
import os
from django_otp.plugins.otp_totp.models import TOTPDevice
from commissioning.accounts.models import User
user = User.objects.filter(email=os.environ['SMOKE_EMAIL']).first() or User.objects.create_superuser(
    os.environ['SMOKE_EMAIL'], os.environ['SMOKE_PASSWORD'], display_name='Smoke test')
user.set_password(os.environ['SMOKE_PASSWORD']); user.save()
TOTPDevice.objects.filter(user=user).delete()
TOTPDevice.objects.create(user=user, name='smoke', key=os.environ['SMOKE_TOTP_KEY'], confirmed=True)
"

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 \
  --access-logfile "$WORK/access.log" --error-logfile "$WORK/error.log" &
GUNICORN_PID=$!

status=0
$PY scripts/smoke_client.py "http://127.0.0.1:$PORT" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- gunicorn error log ---" >&2
  tail -n 80 "$WORK/error.log" >&2 || true
fi
exit "$status"
