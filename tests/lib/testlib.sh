# Shared helpers for the end-to-end shell tests. Source it: . "$MPROMFS_ROOT/tests/lib/testlib.sh"
set -eu
: "${MPROMFS:?run through tests/run.sh or set MPROMFS}"
T=$(mktemp -d "${TMPDIR:-/tmp}/mpromfs-test.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_status CODE CMD...: run, fail unless it exits with CODE; output in $T/out, $T/err
expect_status() {
    want=$1; shift
    set +e; "$@" >"$T/out" 2>"$T/err"; got=$?; set -e
    [ "$got" -eq "$want" ] || { cat "$T/out" "$T/err" >&2; fail "'$*' exited $got, wanted $want"; }
}
# contains FILE TEXT: fail unless FILE contains the fixed string TEXT
contains() { grep -qF -- "$2" "$1" || { cat "$1" >&2; fail "$1 lacks '$2'"; }; }
