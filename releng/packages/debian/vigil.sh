#!/bin/sh
# /usr/bin/vigil of the Debian package: the command line of the installed recorder. Without --data or VIGIL_DATA,
# root's commands go to the service's data directory (/var/lib/vigil) and run as the service's user vigil, so that
# 'sudo vigil camera list' talks to the running service and never makes files vigil cannot read.
set -e
home=/usr/lib/vigil
service_data=/var/lib/vigil
uses_own_data=false
for a in "$@"; do
  case "$a" in
    --data|--data=*) uses_own_data=true ;;
  esac
done
if [ "$(id -u)" -eq 0 ] && [ -z "$VIGIL_DATA" ] && [ "$uses_own_data" = false ] && [ -d "$service_data" ] \
    && id vigil >/dev/null 2>&1; then
  exec setpriv --reuid=vigil --regid=vigil --init-groups --reset-env \
    env VIGIL_DATA="$service_data" HOME="$service_data" PATH=/usr/bin:/bin LANG="${LANG:-C.UTF-8}" \
    "$home/bin/vigil" "$@"
fi
exec "$home/bin/vigil" "$@"
