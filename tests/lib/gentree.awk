# A random source tree from a fixed seed, for round-trip tests. Usage:
#   LC_ALL=C awk -v seed=N -v root=DIR -v files=N -f gentree.awk
# Directories nest up to 7 deep; some stay empty. Names are 1..40 characters from
# [A-Za-z0-9_.-] plus names of exactly 127 and 128 characters (varuint boundary);
# sizes include 0, 127/128 and 16383/16384 (varuint boundaries) and random ones;
# contents are arbitrary bytes 0-255.
function rnd(n) { return int(rand() * n) }
function name(len,   s, i, cs) {
    cs = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
    do {
        s = ""
        for (i = 0; i < len; i++) s = s substr(cs, rnd(length(cs)) + 1, 1)
    } while (s == "." || s == ".." || (s in used))
    used[s] = 1
    return s
}
function pickname(r) {
    r = rnd(20)
    if (r == 0) return name(127)
    if (r == 1) return name(128)
    return name(1 + rnd(40))
}
function picksize(r) {
    r = rnd(12)
    if (r == 0) return 0
    if (r == 1) return 127
    if (r == 2) return 128
    if (r == 3) return 16383
    if (r == 4) return 16384
    if (r == 5) return 1
    return rnd(3000)
}
BEGIN {
    srand(seed)
    ndirs = 1; dirs[0] = root; depth[0] = 0
    system("mkdir -p '" root "'")
    for (f = 0; f < files; f++) {
        # sometimes a new directory under a random existing one
        if (rnd(4) == 0) {
            p = rnd(ndirs)
            if (depth[p] < 7) {
                d = dirs[p] "/" pickname()
                system("mkdir -p '" d "'")
                dirs[ndirs] = d; depth[ndirs] = depth[p] + 1; ndirs++
            }
        }
        path = dirs[rnd(ndirs)] "/" pickname()
        size = picksize()
        printf "" > path
        for (i = 0; i < size; i++) printf "%c", rnd(256) > path
        close(path)
    }
    # a few empty directories, one nested deep
    for (k = 0; k < 3; k++) system("mkdir -p '" dirs[rnd(ndirs)] "/" pickname() "'")
    system("mkdir -p '" root "/e1/e2/e3/e4/e5/e6/e7/e8'")
}
