#!/bin/sh
# /usr/bin/sluice: runs the installed Sluice jar. Installed by scripts/install.sh from this file.
# Takes the same sub-commands as ./sluice in a checkout: run, validate, version. ./sluice starts the JVM
# through this script too, with its own jar and default options.
#
# Environment:
#   SLUICE_JAVA       the java binary to use (default: $JAVA_HOME/bin/java, else java from PATH)
#   JAVA_HOME         a Java 17+ installation
#   SLUICE_JAVA_OPTS  JVM options; when unset, read from /etc/sluice/sluice.env if readable
#   SLUICE_JAR        another jar to run, e.g. to validate a config with a new version before upgrading
#   SLUICE_PRINT_JAVA_OPTIONS=1  print the JVM options java would be started with, on one line, and exit
#                     without starting it (./sluice bench reports them so)
#
# It execs the JVM, so under systemd the JVM is the service's main process: it receives the signals
# and is the process allowed to send notifications (NotifyAccess=main).
set -eu

SLUICE_JAR=${SLUICE_JAR:-/usr/lib/sluice/sluice.jar}
SLUICE_ENV_FILE=/etc/sluice/sluice.env

if [ -z "${SLUICE_JAVA_OPTS+set}" ] && [ -r "$SLUICE_ENV_FILE" ]; then
    # Outside systemd (an administrator running "sluice validate"), use the service's JVM options.
    . "$SLUICE_ENV_FILE"
fi

if [ -n "${SLUICE_JAVA:-}" ]; then
    java_bin=$SLUICE_JAVA
elif [ -n "${JAVA_HOME:-}" ]; then
    java_bin=$JAVA_HOME/bin/java
elif java_bin=$(command -v java); then
    :
else
    echo "sluice: no Java runtime found: install Java 17 or later, or set JAVA_HOME or SLUICE_JAVA" >&2
    exit 1
fi
if [ ! -x "$java_bin" ]; then
    echo "sluice: $java_bin is not an executable Java runtime (check SLUICE_JAVA and JAVA_HOME)" >&2
    exit 1
fi
if [ ! -r "$SLUICE_JAR" ]; then
    echo "sluice: $SLUICE_JAR is missing or unreadable: reinstall with scripts/install.sh" >&2
    exit 1
fi

# The feature release of the java binary $1 (17, 25, ...): from its JDK's release file, else from -version; 0 when
# neither tells.
java_feature() {
    release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
    feature=
    if [ -r "$release" ]; then
        feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
    fi
    if [ -z "$feature" ]; then
        feature=$("$1" -version 2>&1 | sed -n '1s/^[^"]*"\([0-9]*\).*/\1/p')
    fi
    echo "${feature:-0}"
}

# Java 23 and later warn when sun.misc.Unsafe's memory access is used (Chronicle Map and Netty use it), and Netty on
# Java 25 and later stops using it unless it is allowed: allow it unless the options say, so that there are no warnings
# and Netty takes the buffer paths it takes on Java 17, which the tests run.
unsafe_opt=
case " ${SLUICE_JAVA_OPTS:-} " in
    *" --sun-misc-unsafe-memory-access="*) ;;
    *) if [ "$(java_feature "$java_bin")" -ge 23 ]; then unsafe_opt=--sun-misc-unsafe-memory-access=allow; fi ;;
esac

# The options are a space-separated list: split them into words, but never expand * or ? in them.
set -f
if [ "${SLUICE_PRINT_JAVA_OPTIONS:-}" = 1 ]; then
    # shellcheck disable=SC2086 # word splitting is the point
    set -- ${SLUICE_JAVA_OPTS:-} $unsafe_opt
    echo "$*"
    exit 0
fi
exec "$java_bin" ${SLUICE_JAVA_OPTS:-} $unsafe_opt -jar "$SLUICE_JAR" "$@"
