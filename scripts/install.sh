#!/usr/bin/env bash
# Installs Sluice as a systemd service:
#   /usr/bin/sluice                          launcher (from scripts/sluice-installed.sh)
#   /usr/lib/sluice/sluice.jar               the runnable jar
#   /etc/sluice/sluice.yaml, sluice.env      config and JVM options, installed once and never overwritten
#   /usr/lib/systemd/system/sluice.service   the unit
#   /usr/lib/sysusers.d/sluice.conf          the sluice user and group
#   /usr/lib/tmpfiles.d/sluice.conf          /var/lib/sluice and the ownership of /etc/sluice
# Then, on a host where systemd runs, creates the user and directories and enables the unit (it does not
# start or restart it). Running it again upgrades the program files and keeps the config.
#
# With DESTDIR=/some/dir everything goes under that directory and nothing else on the system changes
# (staged install, e.g. for packaging or an image build).
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: scripts/install.sh [--jar PATH]
  --jar PATH   install this jar instead of lb-admin/target/sluice.jar (built with Maven when missing)
environment:
  DESTDIR      install under this directory instead of /, without touching the running system
USAGE
}

say() { printf 'sluice install: %s\n' "$*"; }
die() { printf 'sluice install: error: %s\n' "$*" >&2; exit 1; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=""
while [ $# -gt 0 ]; do
    case $1 in
        --jar) [ $# -ge 2 ] || { usage >&2; exit 2; }; jar=$2; shift 2 ;;
        --jar=*) jar=${1#--jar=}; shift ;;
        -h|--help) usage; exit 0 ;;
        *) printf 'sluice install: unknown argument: %s\n' "$1" >&2; usage >&2; exit 2 ;;
    esac
done

destdir=${DESTDIR:-}
if [ -n "$destdir" ]; then
    case $destdir in /*) ;; *) destdir=$PWD/$destdir ;; esac
    destdir=${destdir%/}
fi
if [ -z "$destdir" ] && [ "$(id -u)" -ne 0 ]; then
    die "installing into / needs root: run it with sudo, or set DESTDIR=DIR for a staged install"
fi

# Directories must be traversable by the sluice user whatever the caller's umask.
umask 022

if [ -z "$jar" ]; then
    jar=$repo_root/lb-admin/target/sluice.jar
    if [ ! -f "$jar" ]; then
        command -v mvn >/dev/null || die "$jar is missing and Maven (mvn) is not installed to build it"
        say "building $jar (mvn -B -q -DskipTests package)"
        (cd "$repo_root" && mvn -B -q -DskipTests package) || die "the build failed; see the Maven output above"
        [ -f "$jar" ] || die "the build finished but did not produce $jar"
    fi
fi
[ -f "$jar" ] && [ -r "$jar" ] || die "jar not found or unreadable: $jar"

# Copies SOURCE to DESTDIR+TARGET with MODE through a temporary file and a rename, so a running service
# keeps the old file it has open and never sees a half-written one.
put() {
    local mode=$1 source=$2 target=$3
    local path=$destdir$target
    install -m "$mode" "$source" "$path.new.$$"
    mv -f "$path.new.$$" "$path"
    say "installed $target"
}

# Installs a config file only when none exists: local edits always win.
put_config() {
    local mode=$1 source=$2 target=$3
    if [ -e "$destdir$target" ]; then
        say "kept existing $target"
    else
        put "$mode" "$source" "$target"
    fi
}

install -d -m 0755 "$destdir/usr/bin" "$destdir/usr/lib/sluice" "$destdir/usr/lib/systemd/system" \
    "$destdir/usr/lib/sysusers.d" "$destdir/usr/lib/tmpfiles.d"
install -d -m 0750 "$destdir/etc/sluice"

put 0644 "$jar" /usr/lib/sluice/sluice.jar
put 0755 "$repo_root/scripts/sluice-installed.sh" /usr/bin/sluice
put 0644 "$repo_root/systemd/sluice.service" /usr/lib/systemd/system/sluice.service
put 0644 "$repo_root/systemd/sluice.sysusers" /usr/lib/sysusers.d/sluice.conf
put 0644 "$repo_root/systemd/sluice.tmpfiles" /usr/lib/tmpfiles.d/sluice.conf
put_config 0640 "$repo_root/systemd/sluice.yaml" /etc/sluice/sluice.yaml
put_config 0640 "$repo_root/systemd/sluice.env" /etc/sluice/sluice.env

if [ -n "$destdir" ]; then
    say "staged install under $destdir: no user created, no unit enabled, nothing else changed"
    exit 0
fi

if [ ! -d /run/systemd/system ]; then
    say "systemd is not running here: the sluice user and /var/lib/sluice are created at the next boot;"
    say "then enable the service with: systemctl enable --now sluice"
    exit 0
fi

systemd-sysusers /usr/lib/sysusers.d/sluice.conf
systemd-tmpfiles --create /usr/lib/tmpfiles.d/sluice.conf
systemctl daemon-reload
systemctl enable sluice.service
if systemctl is-active --quiet sluice.service; then
    say "done; sluice is running the previous version: systemctl restart sluice"
else
    say "done; start it with: systemctl start sluice"
fi
