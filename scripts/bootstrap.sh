#!/usr/bin/env bash
# Installs what the tests need from Debian (Chromium, a CJK font, gettext, MariaDB client
# headers) when it is missing and we may install it; starts MariaDB for DB=mysql.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
pkg-config --exists mysqlclient 2>/dev/null || need+=(default-libmysqlclient-dev pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "bootstrap: please install with apt: ${need[*]}" >&2
  fi
fi
if [ "${DB:-}" = "mysql" ] && ! mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  echo "bootstrap: starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  for _ in $(seq 30); do mysqladmin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
