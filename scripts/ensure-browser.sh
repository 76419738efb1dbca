#!/usr/bin/env bash
# Makes sure Playwright has a Chromium to drive and Chinese fonts to render with.
# Fast and silent when both are present; installs Debian's packages as root on a fresh machine.
set -uo pipefail

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
log() { echo "[ensure-browser] $*"; }

as_root_with_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

status=0

if [ -x "$CHROMIUM_PATH" ]; then
  : # present
elif as_root_with_apt; then
  if ! apt_install chromium fonts-noto-cjk || [ ! -x "$CHROMIUM_PATH" ]; then
    log "could not install chromium at $CHROMIUM_PATH"
    status=1
  fi
else
  log "no chromium at $CHROMIUM_PATH and no root apt-get: trying npx playwright install chromium"
  if npx --no-install playwright install chromium; then
    # playwright.config.ts falls back to Playwright's own browser when CHROMIUM_PATH does not exist.
    log "installed Playwright's own chromium"
  else
    log "could not install a browser: set CHROMIUM_PATH to a Chromium binary"
    status=1
  fi
fi

has_cjk_font() {
  if command -v fc-list >/dev/null 2>&1; then
    # Not `grep -q`: it exits on the first match, fc-list dies of SIGPIPE, and pipefail calls that a failure.
    fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null
  else
    [ -n "$(find /usr/share/fonts -iname 'NotoSansCJK*' -print -quit 2>/dev/null)" ]
  fi
}

if ! has_cjk_font; then
  if as_root_with_apt; then
    apt_install fonts-noto-cjk || { log "could not install fonts-noto-cjk (Chinese text will render as boxes)"; }
  else
    log "Noto Sans CJK is missing and cannot be installed without root: screenshots will lack Chinese glyphs"
  fi
fi

exit "$status"
