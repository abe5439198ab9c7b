#!/bin/sh
# Install what the build and the tests need from Debian's packages, and nothing
# that is already there. apt-get runs through sudo when we are not root.
set -eu

missing=""
need_pkg() { # pkg-config module, Debian package
    pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_bin() { # command, Debian package
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_bin pkg-config pkg-config
need_bin cc gcc
need_bin make make
if command -v pkg-config >/dev/null 2>&1; then
    need_pkg ncursesw libncurses-dev
    need_pkg libserialport libserialport-dev
    need_pkg libmagic libmagic-dev
    need_pkg zlib zlib1g-dev
    need_pkg cmocka libcmocka-dev
else
    missing="$missing libncurses-dev libserialport-dev libmagic-dev zlib1g-dev libcmocka-dev"
fi
need_bin clang clang
need_bin tmux tmux
need_bin file file
# The end-to-end tests check JSON output and make a socket with a line of Python.
need_bin python3 python3
# libFuzzer's runtime ships separately from the clang driver on Debian.
if command -v clang >/dev/null 2>&1; then
    rt=$(clang -print-resource-dir 2>/dev/null)/lib/linux/libclang_rt.fuzzer-x86_64.a
    case "$(uname -m)" in x86_64) [ -f "$rt" ] || missing="$missing libclang-rt-dev" ;; esac
fi
[ -f /usr/share/misc/magic.mgc ] || [ -f /usr/lib/file/magic.mgc ] || missing="$missing libmagic-mgc"
# A UTF-8 locale, so that the TUI tests see wide characters as a user would.
locale -a 2>/dev/null | grep -qi '^C\.utf-\?8$' || missing="$missing locales"

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
