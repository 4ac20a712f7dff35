#!/usr/bin/env bash
# Removes what scripts/install.sh installed. On a host where systemd runs, it first stops and disables the
# service. The config (/etc/sluice) and the state (/var/lib/sluice) stay unless --purge is given; the sluice
# user and group always stay (files elsewhere may still belong to them).
#
# With DESTDIR=/some/dir it removes the files under that directory only and changes nothing else.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: scripts/uninstall.sh [--purge]
  --purge      also delete /etc/sluice (config) and /var/lib/sluice (API changes, policy keys and quotas)
environment:
  DESTDIR      remove a staged install under this directory, without touching the running system
USAGE
}

say() { printf 'sluice uninstall: %s\n' "$*"; }
die() { printf 'sluice uninstall: error: %s\n' "$*" >&2; exit 1; }

purge=no
while [ $# -gt 0 ]; do
    case $1 in
        --purge) purge=yes; shift ;;
        -h|--help) usage; exit 0 ;;
        *) printf 'sluice uninstall: unknown argument: %s\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done

destdir=${DESTDIR:-}
if [ -n "$destdir" ]; then
    case $destdir in /*) ;; *) destdir=$PWD/$destdir ;; esac
    destdir=${destdir%/}
fi
if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
    die "uninstalling from / needs root: run it with sudo, or set DESTDIR=DIR for a staged install"
fi

unit=/usr/lib/systemd/system/sluice.service
systemd_running=no
if [ -z "$destdir" ] && [ -d /run/systemd/system ]; then
    systemd_running=yes
fi

if [ "$systemd_running" = yes ] && [ -e "$unit" ]; then
    say "stopping and disabling sluice.service"
    systemctl disable --now sluice.service
fi

for target in /usr/bin/sluice /usr/lib/sluice/sluice.jar "$unit" \
        /usr/lib/sysusers.d/sluice.conf /usr/lib/tmpfiles.d/sluice.conf; do
    if [ -e "$destdir$target" ]; then
        rm -f "$destdir$target"
        say "removed $target"
    fi
done
if [ -d "$destdir/usr/lib/sluice" ] && [ -z "$(ls -A "$destdir/usr/lib/sluice")" ]; then
    rmdir "$destdir/usr/lib/sluice"
fi

if [ "$systemd_running" = yes ]; then
    systemctl daemon-reload
fi

if [ "$purge" = yes ]; then
    for dir in /etc/sluice /var/lib/sluice; do
        if [ -e "$destdir$dir" ]; then
            rm -rf -- "$destdir$dir"
            say "purged $dir"
        fi
    done
else
    say "kept /etc/sluice and /var/lib/sluice (delete them with --purge)"
fi
say "done; the sluice user and group were kept"
