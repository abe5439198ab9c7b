# Whole screens, as tig's tests do: keys from $MPROMFS_TUI_KEYS, the screen's text
# from $MPROMFS_TUI_DUMP at exit, at a fixed 80x24, compared with the expected
# screens in tests/tui/screens/ (UPDATE_SCREENS=1 rewrites them after a change that
# is meant). No terminal is needed: the program draws to /dev/null.
. "$MPROMFS_ROOT/tests/lib/testlib.sh"
expected="$MPROMFS_ROOT/tests/tui/screens"
# The board is named relative to $T; HOME is where the local pane starts and holds
# only the tree, so every path on screen is the same in every run.
mkdir -p "$T/home" "$T/out"
cd "$T"
"$MPROMFS" sim create pristine >/dev/null
"$MPROMFS" deploy -d sim:pristine -p 0 --no-mpy "$MPROMFS_ROOT/examples/app" >/dev/null
cd "$T/home"
mkdir -p tree/lib
printf 'import lib.tool\nlib.tool.run()\n' > tree/main.py
printf 'def run():\n    print("tool")\n' > tree/lib/tool.py
# a tiny .mpy: v6 bytecode header, 1 qstr ("tool.py"), no constants
printf 'M\006\000\037\001\000\016tool.py\000' > tree/lib/tool.mpy
printf '\001\002\003' > tree/table.bin

screen() { # NAME KEYS
    rm -rf "$T/board"; cp -r "$T/pristine" "$T/board"
    (cd "$T" && HOME="$T/home" LINES=24 COLUMNS=80 TERM=dumb MPROMFS_TUI_KEYS="$2" \
        MPROMFS_TUI_DUMP="$T/out/$1.raw" "$MPROMFS" -d sim:board -C "$T/home" > "$T/out/$1.log" 2>&1) ||
        { cat "$T/out/$1.log"; fail "$1: exit status"; }
    # a deploy's duration varies from run to run
    sed -e 's/time: [0-9.]* s/time: N s/' "$T/out/$1.raw" > "$T/out/$1.txt"
    if [ "${UPDATE_SCREENS:-}" = 1 ]; then
        cp "$T/out/$1.txt" "$expected/$1.txt"
    elif ! diff -u "$expected/$1.txt" "$T/out/$1.txt"; then
        fail "screen $1 differs from tests/tui/screens/$1.txt"
    fi
}
screen main ''
screen board '<Tab><Enter>'
screen map '<Tab>m'
screen map-grid '<Tab>m<Tab><Right>'
screen map-plan '/tree<Enter><Tab>mdc'
screen inspect '<Tab><Enter>/main<Enter>i'
screen records '<Tab><Enter>R'
screen mpy '/tree<Enter><Enter>/lib<Enter><Enter>/tool.mpy<Enter>iM'
screen help '?'
screen deploy-plan '/tree<Enter>d'
screen deploy-done '/tree<Enter>dy'
screen deployed '/tree<Enter>dyq'
screen deploy-cancel '/tree<Enter>dy<Wait>c'
screen cancelled '/tree<Enter>dy<Wait>cq'
screen diff '/tree<Enter>D'
screen edit '<Tab><Enter>e<Tab>/tree<Enter><Enter>/table<Enter>+'
screen edit-commit '<Tab><Enter>e<Tab>/tree<Enter><Enter>/table<Enter>+w'
screen edit-committed '<Tab><Enter>e<Tab>/tree<Enter><Enter>/table<Enter>+wyq'
