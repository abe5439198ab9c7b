/* The subset interpreter: each statement form, expression, builtin and module the
 * board offers, every error type with MicroPython's wording, and hostile programs
 * (deep nesting, huge literals, endless loops) that must end with an error, not hang
 * or crash. Runs against an in-memory board. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "py.h"
#include "py_board_mem.h"
#include "testfiles.h"

typedef struct buf {
    char *d;
    size_t n;
} buf;

static void put(void *ctx, const char *s, size_t n)
{
    buf *b = ctx;
    b->d = realloc(b->d, b->n + n + 1);
    memcpy(b->d + b->n, s, n);
    b->n += n;
    b->d[b->n] = 0;
}

typedef struct world {
    py_mem_board board;
    py_vm *vm;
    buf out, err;
} world;

static void put_out(void *ctx, const char *s, size_t n)
{
    put(&((world *)ctx)->out, s, n);
}

static void put_err(void *ctx, const char *s, size_t n)
{
    put(&((world *)ctx)->err, s, n);
}

static world *make_world(py_caps caps, py_limits limits)
{
    world *w = calloc(1, sizeof *w);
    py_part p0 = {.size = 128 * 1024, .base = 0x08100000, .erase_unit = 4096, .write_min = 16,
                  .writable = true};
    py_part p1 = {.size = 64 * 1024, .base = 0x10180000, .erase_unit = 4096, .write_min = 4,
                  .writable = true, .block_device = true};
    assert_int_equal(py_mem_board_add(&w->board, &p0), 0);
    assert_int_equal(py_mem_board_add(&w->board, &p1), 0);
    py_config cfg = {.board = &py_mem_board_ops, .board_ctx = &w->board, .caps = caps,
                     .limits = limits, .machine = "test board"};
    w->vm = py_vm_new(&cfg);
    assert_non_null(w->vm);
    return w;
}

static void free_world(world *w)
{
    py_vm_free(w->vm);
    py_mem_board_free(&w->board);
    free(w->out.d);
    free(w->err.d);
    free(w);
}

static int run(world *w, const char *src)
{
    w->out.n = w->err.n = 0;
    if (w->out.d)
        w->out.d[0] = 0;
    if (w->err.d)
        w->err.d[0] = 0;
    return py_vm_exec(w->vm, src, strlen(src), put_out, put_err, w);
}

static const char *out_of(world *w)
{
    return w->out.d ? w->out.d : "";
}

static const char *err_of(world *w)
{
    return w->err.d ? w->err.d : "";
}

static int setup(void **state)
{
    *state = make_world(py_all_caps(), (py_limits){0});
    return 0;
}

static int teardown(void **state)
{
    free_world(*state);
    return 0;
}

/* ---- programs with known output ------------------------------------------------- */
typedef struct okcase {
    const char *src;
    const char *out;
} okcase;

static const okcase ok_cases[] = {
    /* literals and repr */
    {"print(1, -2, 0x1f, 0o17, 0b101, 1_000)", "1 -2 31 15 5 1000\r\n"},
    {"print(-9223372036854775808, 9223372036854775807)", "-9223372036854775808 9223372036854775807\r\n"},
    {"print(repr(b'a\\x00\\n\\r\\t\\\\\\'z'))", "b\"a\\x00\\n\\r\\t\\\\'z\"\r\n"},
    {"print(repr(b'q\\'\"'))", "b'q\\'\"'\r\n"},
    {"print(repr(b\"it's\"), repr('a\"b'), repr(\"x'\"))", "b\"it's\" 'a\"b' \"x'\"\r\n"},
    {"print(repr('s'), 's', repr(None), True, False)", "'s' s None True False\r\n"},
    {"print((), (1,), (1, 2), [], [1, [2]], 'a' 'b', b'c' b'd')",
     "() (1,) (1, 2) [] [1, [2]] ab b'cd'\r\n"},
    {"print(repr(bytearray(b'ab')), bytearray(3))", "bytearray(b'ab') bytearray(b'\\x00\\x00\\x00')\r\n"},
    {"print('''tri\nple''')", "tri\r\nple\r\n"},
    /* statements */
    {"x=1\ny=x+1;z=y*3\nprint(x,y,z)", "1 2 6\r\n"},
    {"a=b=5\nprint(a,b)", "5 5\r\n"},
    {"a,b=1,2\nprint(a,b)\n(c,d)=[3,4]\nprint(c,d)", "1 2\r\n3 4\r\n"},
    {"x=[0,0]\nx[1]=7\nprint(x)", "[0, 7]\r\n"},
    {"n=1\nn+=2\nn*=3\nn-=1\nn//=3\nprint(n)", "2\r\n"},
    {"pass\nif 1:\n pass\nprint('ok')", "ok\r\n"},
    {"if 0:\n print(1)\nelse:\n print(2)", "2\r\n"},
    {"x=3\nif x==1:\n print('a')\nelif x==3:\n print('c')\nelse:\n print('e')", "c\r\n"},
    {"for i in range(3):\n for j in range(2):\n  print(i,j)",
     "0 0\r\n0 1\r\n1 0\r\n1 1\r\n2 0\r\n2 1\r\n"},
    {"for a,b in [(1,2),(3,4)]: print(a+b)", "3\r\n7\r\n"},
    {"for c in b'AB': print(c)", "65\r\n66\r\n"},
    {"if True: print('one-line')", "one-line\r\n"},
    {"try:\n x=1//0\nexcept ZeroDivisionError:\n print('caught')", "caught\r\n"},
    {"try:\n import nothere\nexcept ImportError:\n print('no')", "no\r\n"},
    {"try:\n undefined\nexcept (TypeError, NameError):\n print('t')", "t\r\n"},
    {"try:\n [][1]\nexcept LookupError:\n print('lookup')", "lookup\r\n"},
    {"try:\n [][1]\nexcept Exception:\n print('e')", "e\r\n"},
    {"try:\n [][1]\nexcept:\n pass\nprint('after')", "after\r\n"},
    {"try:\n try:\n  1//0\n except TypeError:\n  print('no')\nexcept ZeroDivisionError:\n print('outer')",
     "outer\r\n"},
    {"import vfs, sys as s\nprint(s.implementation.name)", "micropython\r\n"},
    {"from binascii import hexlify as h, crc32\nprint(h(b'\\x01\\xab'), crc32(b'abc'))",
     "b'01ab' 891568578\r\n"},
    {"# comment only\n\n  \nprint(1) # trailing\n", "1\r\n"},
    {"x = (1 +\n     2)\nprint(x)", "3\r\n"},
    {"x = 1 + \\\n 2\nprint(x)", "3\r\n"},
    /* expressions */
    {"print(7//2, -7//2, 7%3, -7%3, 7%-3, 2*3+4, 2*(3+4), 10-2-3)", "3 -4 1 2 -2 10 14 5\r\n"},
    {"print(6&3, 6|3, 6^3, 1<<10, 1024>>3, -1>>5, ~5, -(-3), +4)", "2 7 5 1024 128 -1 -6 3 4\r\n"},
    {"print(1<2, 2<=2, 3>4, 4>=4, 1==1, 1!=1, 1<2<3, 3>2>2)", "True True False True True False True False\r\n"},
    {"print(2 in [1,2], 5 not in (1,2), 'b' in 'abc', b'b' in b'abc', 98 in b'abc')",
     "True True True True True\r\n"},
    {"print(None is None, 1 is not None, not 0, not [1])", "True True True False\r\n"},
    {"print(0 or 5, 3 and 4, [] or [], 1 and 0, 0 and 1//0)", "5 4 [] 0 0\r\n"},
    {"print(isinstance(-1,int) and -1<0, isinstance(b'',int) and b''<0)", "True False\r\n"},
    {"print('yes' if 1 else 'no', 'yes' if 0 else 'no')", "yes no\r\n"},
    {"print([x*x for x in range(5)], [c for c in b'ab'], [x for x in range(9) if x%3==0])",
     "[0, 1, 4, 9, 16] [97, 98] [0, 3, 6]\r\n"},
    {"print(b'ab'+b'c', 'a'+'b', [1]+[2], (1,)+(2,), b'ab'*2, 3*'x', [0]*3)",
     "b'abc' ab [1, 2] (1, 2) b'abab' xxx [0, 0, 0]\r\n"},
    {"b=b'abcdef'\nprint(b[0], b[-1], b[1:3], b[:2], b[4:], b[-2:], b[:], b[5:1], b[-100:100])",
     "97 102 b'bc' b'ab' b'ef' b'ef' b'abcdef' b'' b'abcdef'\r\n"},
    {"s='hello'\nprint(s[1], s[1:-1], (1,2,3)[1:], [1,2,3][::])", "e ell (2, 3) [1, 2, 3]\r\n"},
    {"print((1,2)<(1,3), 'a'<'b', b'a'<b'ab', [1]==[1], (1,)==[1], b'a'==bytearray(b'a'))",
     "True True True True False True\r\n"},
    /* builtins */
    {"print(len(b'abc'), len('ab'), len([1]), len(()), len(range(10)), len(range(0,10,3)), len(range(5,0,-2)))",
     "3 2 1 0 10 4 3\r\n"},
    {"print(list(range(3)), list(range(1,10,4)), list(range(3,0,-1)), tuple(b'ab'))",
     "[0, 1, 2] [1, 5, 9] [3, 2, 1] (97, 98)\r\n"},
    {"print(bytes(3), bytes([65,66]), bytes(b'x'), bytes('hi','utf-8'), bytes(range(2)))",
     "b'\\x00\\x00\\x00' b'AB' b'x' b'hi' b'\\x00\\x01'\r\n"},
    {"print(int('42'), int('-0x10', 16), int('ff', 16), int(True), int(' 7 '), int('0b11', 0))",
     "42 -16 255 1 7 3\r\n"},
    {"print(min(3,1,2), max(3,1,2), min([4,2]), max(b'az'), abs(-5), sum([1,2,3]))", "1 3 2 122 5 6\r\n"},
    {"print(hasattr(bytes,'fromhex'), hasattr(b'','hex'), hasattr(1,'x'), hasattr(int,'from_bytes'))",
     "True True False True\r\n"},
    {"print(getattr(b'', 'nope', 'dflt'))", "dflt\r\n"},
    {"print(repr(1), repr([b'x']), str(5), str(b'a'), bool(0), bool([0]))", "1 [b'x'] 5 b'a' False True\r\n"},
    {"print(b'\\x01\\xff'.hex(), b'ab'.hex(':'), bytes.fromhex('01 ff'), bytes.fromhex(''))",
     "01ff 61:62 b'\\x01\\xff' b''\r\n"},
    {"print(int.from_bytes(b'\\x01\\x00', 'little'), int.from_bytes(b'\\x01\\x00', 'big'))", "1 256\r\n"},
    {"print(b'ab'.decode(), 'ab'.encode(), 'abc'.startswith('ab'), b'abc'.endswith(b'bc'))",
     "ab b'ab' True True\r\n"},
    {"l=[]\nl.append(1)\nl.extend([2,3])\nprint(l, ','.join(['a','b']), ' x '.strip())", "[1, 2, 3] a,b x\r\n"},
    {"b=bytearray(2)\nb[0]=255\nb.append(1)\nprint(b)", "bytearray(b'\\xff\\x00\\x01')\r\n"},
    {"m=memoryview(b'abcd')\nprint(len(m), m[1], bytes(m[1:3]), m[1:3].hex())", "4 98 b'bc' 6263\r\n"},
    {"print(1, 2, sep='-', end='!\\n')", "1-2!\r\n"},
    {"print()", "\r\n"},
    {"x=help()", "Welcome to a simulated MicroPython board (mpromfs sim serve).\r\n"
                 "It runs a small subset of Python: what mpremote's romfs commands and\r\n"
                 "mpromfs's serial client send. Try:\r\n"
                 "  import vfs\r\n  vfs.rom_ioctl(1)\r\n  bytes(memoryview(vfs.rom_ioctl(2, 0))[:12])\r\n"
                 "Control commands: CTRL-A raw REPL, CTRL-B friendly REPL, CTRL-C interrupt,\r\n"
                 "CTRL-D soft reset.\r\n"},
    {"print(__name__, int.__name__, repr(len), repr(bytes), repr(range(2)), repr(range(0,6,2)))",
     "__main__ int <function len> <class 'bytes'> range(0, 2) range(0, 6, 2)\r\n"},
    /* modules */
    {"from binascii import a2b_base64, b2a_base64\nprint(a2b_base64(b'aGVsbG8='), a2b_base64('aGk='), b2a_base64(b'hello'))",
     "b'hello' b'hi' b'aGVsbG8=\\n'\r\n"},
    {"import binascii\nprint(binascii.b2a_base64(b'', newline=False), binascii.unhexlify('0aff'))",
     "b'' b'\\n\\xff'\r\n"},
    {"import hashlib\nh=hashlib.sha256(b'ab')\nh.update(b'c')\nprint(h.digest().hex())",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\r\n"},
    {"import hashlib\nprint(hashlib.sha256().digest().hex()[:16])", "e3b0c44298fc1c14\r\n"},
    {"from io import BytesIO\nf=BytesIO(b'abcdef')\nprint(f.read(2), f.read(), f.read())", "b'ab' b'cdef' b''\r\n"},
    /* raw deflate of b'hello hello hello\n', window bits 9 (what mpremote sends) */
    {"from binascii import a2b_base64\nfrom io import BytesIO\nfrom deflate import DeflateIO,RAW\n"
     "print(DeflateIO(BytesIO(a2b_base64(b'y0jNyclXyECQXAA=')),RAW,9).read())",
     "b'hello hello hello\\n'\r\n"},
    {"import deflate\nprint(deflate.AUTO, deflate.RAW, deflate.ZLIB, deflate.GZIP)", "0 1 2 3\r\n"},
    {"import gc\ngc.collect()\nprint(gc.mem_free() > 0)", "True\r\n"},
    {"import sys\nprint(sys.implementation.version[:2], sys.path)", "(1, 25) ['', '/rom', '/rom/lib']\r\n"},
    {"import ubinascii, uio\nprint(ubinascii.hexlify(b'A'))", "b'41'\r\n"},
};

static void ok_programs(void **state)
{
    world *w = *state;
    for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
        int rc = run(w, ok_cases[i].src);
        if (rc != PY_OK || strcmp(out_of(w), ok_cases[i].out) != 0)
            fail_msg("program %zu:\n%s\n--- got rc %d, out:\n%s\n--- err:\n%s\n--- wanted:\n%s", i,
                     ok_cases[i].src, rc, out_of(w), err_of(w), ok_cases[i].out);
    }
}

/* ---- errors, as MicroPython words them --------------------------------------- */
typedef struct errcase {
    const char *src;
    const char *last_line; /* the exception line of the traceback */
    int line;              /* the line the traceback names */
} errcase;

static const errcase err_cases[] = {
    {"x=1+", "SyntaxError: invalid syntax", 1},
    {"print(1)\n)", "SyntaxError: invalid syntax", 2},
    {"x = = 1", "SyntaxError: invalid syntax", 1},
    {"1 = x", "SyntaxError: invalid syntax", 1},
    {"'abc", "SyntaxError: unterminated string", 1},
    {"b'\\xzz'", "SyntaxError: invalid \\x escape", 1},
    {"x $ 1", "SyntaxError: invalid syntax", 1},
    {"if 1:\nprint(2)", "IndentationError: expected an indented block", 2},
    {"  print(1)", "IndentationError: unexpected indent", 1},
    {"if 1:\n    x=1\n  y=2", "IndentationError: unindent doesn't match any outer indent level", 3},
    {"while 1: pass", "NotImplementedError: 'while' is not supported by this simulated board", 1},
    {"def f(): pass", "NotImplementedError: 'def' is not supported by this simulated board", 1},
    {"class A: pass", "NotImplementedError: 'class' is not supported by this simulated board", 1},
    {"with x: pass", "NotImplementedError: 'with' is not supported by this simulated board", 1},
    {"return 1", "NotImplementedError: 'return' is not supported by this simulated board", 1},
    {"raise ValueError", "NotImplementedError: 'raise' is not supported by this simulated board", 1},
    {"del x", "NotImplementedError: 'del' is not supported by this simulated board", 1},
    {"x = lambda: 1", "NotImplementedError: lambda is not supported by this simulated board", 1},
    {"x = {}", "NotImplementedError: dict and set displays are not supported by this simulated board", 1},
    {"x = 1.5", "NotImplementedError: floating-point numbers are not supported by this simulated board", 1},
    {"x = 1/2", "NotImplementedError: true division (floats) is not supported by this simulated board", 1},
    {"x = 2**3", "NotImplementedError: the ** operator is not supported by this simulated board", 1},
    {"x = f'a'", "NotImplementedError: f-strings are not supported by this simulated board", 1},
    {"import os.path", "NotImplementedError: dotted module names are not supported by this simulated board", 1},
    {"from vfs import *", "NotImplementedError: 'from ... import *' is not supported by this simulated board", 1},
    {"x = b'ab'[::2]", "NotImplementedError: slice steps are not supported by this simulated board", 1},
    {"print(*[1])", "NotImplementedError: *args and **kwargs are not supported by this simulated board", 1},
    {"try:\n pass\nfinally:\n pass", "NotImplementedError: 'finally' is not supported by this simulated board", 3},
    {"try:\n x\nexcept NameError as e:\n pass", "NotImplementedError: 'except ... as NAME' is not supported by this simulated board", 3},
    {"x = open('f')", "NotImplementedError: builtin 'open' is not supported by this simulated board", 1},
    {"x = '%d' % 1", "NotImplementedError: %-formatting is not supported by this simulated board", 1},
    {"x = 99999999999999999999", "OverflowError: int literal too big for this simulated board (64-bit ints)", 1},
    {"x = 9223372036854775807 + 1", "OverflowError: result doesn't fit in a 64-bit int on this simulated board", 1},
    {"x = 1 << 64", "OverflowError: result doesn't fit in a 64-bit int on this simulated board", 1},
    {"print(1)\nprint(y)", "NameError: name 'y' isn't defined", 2},
    {"import nothere", "ImportError: no module named 'nothere'", 1},
    {"from vfs import nothere", "ImportError: can't import name nothere", 1},
    {"import vfs\nvfs.nothere", "AttributeError: 'module' object has no attribute 'nothere'", 2},
    {"bytes.nothere", "AttributeError: type object 'bytes' has no attribute 'nothere'", 1},
    {"(1).x", "AttributeError: 'int' object has no attribute 'x'", 1},
    {"1 + 'a'", "TypeError: unsupported types for __add__: 'int', 'str'", 1},
    {"'a' + 1", "TypeError: can't convert 'int' object to str implicitly", 1},
    {"len(5)", "TypeError: object of type 'int' has no len()", 1},
    {"5()", "TypeError: 'int' object isn't callable", 1},
    {"5[0]", "TypeError: 'int' object isn't subscriptable", 1},
    {"for x in 5: pass", "TypeError: 'int' object isn't iterable", 1},
    {"b'a'[0] = 1", "TypeError: 'bytes' object doesn't support item assignment", 1},
    {"repr(1, 2)", "TypeError: function takes 1 positional arguments but 2 were given", 1},
    {"int('x')", "ValueError: invalid syntax for integer with base 10", 1},
    {"bytes.fromhex('zz')", "ValueError: non-hex digit found", 1},
    {"bytes(-1)", "ValueError: negative count", 1},
    {"a, b = [1]", "ValueError: need more than 1 values to unpack", 1},
    {"[1][5]", "IndexError: index out of range", 1},
    {"1 // 0", "ZeroDivisionError: divide by zero", 1},
    {"1 % 0", "ZeroDivisionError: divide by zero", 1},
    {"import vfs\nvfs.umount('/nothing')", "OSError: [Errno 22] EINVAL", 2},
    {"import vfs\nvfs.VfsRom(b'not romfs')", "OSError: [Errno 19] ENODEV", 2},
    {"from binascii import a2b_base64\na2b_base64(b'abcde')", "ValueError: incorrect padding", 2},
    {"import hashlib\nh=hashlib.sha256()\nh.digest()\nh.update(b'')", "ValueError: hash is final", 4},
    {"try:\n x\nexcept len:\n pass", "TypeError: catching classes that do not inherit from BaseException is not allowed", 3},
};

static void error_programs(void **state)
{
    world *w = *state;
    for (size_t i = 0; i < sizeof err_cases / sizeof err_cases[0]; i++) {
        int rc = run(w, err_cases[i].src);
        const char *e = err_of(w);
        char want_line[64];
        snprintf(want_line, sizeof want_line, "  File \"<stdin>\", line %d", err_cases[i].line);
        char want_last[300];
        snprintf(want_last, sizeof want_last, "%s\r\n", err_cases[i].last_line);
        size_t el = strlen(e), wl = strlen(want_last);
        if (rc != PY_EXCEPTION || strncmp(e, "Traceback (most recent call last):\r\n", 36) != 0 ||
            !strstr(e, want_line) || el < wl || strcmp(e + el - wl, want_last) != 0)
            fail_msg("program %zu:\n%s\n--- got rc %d, err:\n%s--- wanted last line: %s (line %d)", i,
                     err_cases[i].src, rc, e, err_cases[i].last_line, err_cases[i].line);
    }
}

/* Compile errors have no block name; runtime errors are "in <module>", as on a board. */
static void traceback_shapes(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "x=1+"), PY_EXCEPTION);
    assert_string_equal(err_of(w), "Traceback (most recent call last):\r\n  File \"<stdin>\", line 1\r\n"
                                   "SyntaxError: invalid syntax\r\n");
    assert_int_equal(run(w, "print('a')\nx"), PY_EXCEPTION);
    assert_string_equal(out_of(w), "a\r\n");
    assert_string_equal(err_of(w), "Traceback (most recent call last):\r\n  File \"<stdin>\", line 2, in <module>\r\n"
                                   "NameError: name 'x' isn't defined\r\n");
}

/* ---- state between programs -------------------------------------------------- */
static void variables_persist_until_reset(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "buf=b'kept'\nimport vfs"), PY_OK);
    assert_int_equal(run(w, "print(buf, vfs.rom_ioctl(1))"), PY_OK);
    assert_string_equal(out_of(w), "b'kept' 2\r\n");
    py_vm_soft_reset(w->vm);
    assert_int_equal(run(w, "print(buf)"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "NameError: name 'buf' isn't defined"));
    assert_int_equal(run(w, "vfs"), PY_EXCEPTION);
}

/* Put the golden basic.romfs at the start of partition 0, as if deployed. */
static void put_golden(world *w)
{
    size_t n;
    uint8_t *img = tf_read(tf_golden("basic.romfs"), &n);
    assert_non_null(img);
    assert_true(n < w->board.part[0].info.size);
    memcpy(w->board.part[0].bytes, img, n);
    free(img);
}

static void mount_state(void **state)
{
    world *w = *state;
    /* an erased partition 0 is not mounted at boot */
    assert_int_equal(run(w, "import vfs\nvfs.umount('/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 22] EINVAL"));
    /* with an image, a soft reset mounts it: the first umount works, the second is EINVAL */
    put_golden(w);
    py_vm_soft_reset(w->vm);
    assert_int_equal(run(w, "import vfs\nvfs.umount('/rom')"), PY_OK);
    assert_int_equal(run(w, "vfs.umount('/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 22] EINVAL"));
    /* mpremote's deploy prelude tolerates that */
    assert_int_equal(run(w, "import vfs\ntry:\n vfs.umount('/rom')\nexcept:\n pass"), PY_OK);
    py_vm_soft_reset(w->vm);
    assert_int_equal(run(w, "import vfs\nvfs.umount('/rom')\nprint('ok')"), PY_OK);
    assert_string_equal(out_of(w), "ok\r\n");
}

/* os on the mounted image, as mpromfs's reset_and_list reads it (WIRE.md) */
static void os_on_rom(void **state)
{
    world *w = *state;
    put_golden(w);
    py_vm_soft_reset(w->vm);
    assert_int_equal(run(w, "import os\nprint(os.listdir('/'), os.listdir('/rom'))\n"
                            "print(repr([(e[0],e[1]) for e in os.ilistdir('/rom')]))\n"
                            "print(repr([(e,os.stat('/rom/lib/'+e)[0]) for e in os.listdir('/rom/lib')]))\n"
                            "print(os.stat('/rom/main.py')[6], os.stat('/rom')[0], list(os.ilistdir('/rom/data'))[0])"),
                     PY_OK);
    assert_string_equal(out_of(w),
                        "['rom'] ['README.txt', 'data', 'lib', 'main.py', 'utils.py']\r\n"
                        "[('README.txt', 32768), ('data', 16384), ('lib', 16384), ('main.py', 32768), ('utils.py', 32768)]\r\n"
                        "[('helper.py', 32768)]\r\n"
                        "69 16384 ('config.json', 32768, 0, 36)\r\n");
    assert_int_equal(run(w, "os.listdir('/rom/nothere')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 2] ENOENT"));
    assert_int_equal(run(w, "os.listdir('/rom/main.py')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 20] ENOTDIR"));
    assert_int_equal(run(w, "os.stat('/flash')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "ENOENT"));
    /* unmounted: nothing at /rom */
    assert_int_equal(run(w, "import vfs\nvfs.umount('/rom')\nprint(os.listdir('/'))"), PY_OK);
    assert_string_equal(out_of(w), "[]\r\n");
    assert_int_equal(run(w, "os.listdir('/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "ENOENT"));
    /* mounting partition 0 again through VfsRom */
    assert_int_equal(run(w, "vfs.mount(vfs.VfsRom(vfs.rom_ioctl(2,0)),'/rom')\nprint(len(os.listdir('/rom')))"), PY_OK);
    assert_string_equal(out_of(w), "5\r\n");
    /* the image erased under the mount: an I/O error, not a crash */
    memset(w->board.part[0].bytes, 0xff, 4096);
    assert_int_equal(run(w, "os.listdir('/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 5] EIO"));
}

/* ---- the flash through rom_ioctl -------------------------------------------------- */
static void rom_ioctl_memoryview_partition(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "import vfs\ndev=vfs.rom_ioctl(2,0)\n"
                            "print(isinstance(dev,int) and dev<0, hasattr(dev,'ioctl'), len(dev), vfs.rom_ioctl(6,0))\n"
                            "print(bytes(memoryview(dev)[:4]))"),
                     PY_OK);
    assert_string_equal(out_of(w), "False False 131072 4096\r\nb'\\xff\\xff\\xff\\xff'\r\n");
    /* erase returns the minimum write size; the range is rounded out to whole units */
    assert_int_equal(run(w, "print(vfs.rom_ioctl(3,0,0,100), vfs.rom_ioctl(3,0,8192))"), PY_OK);
    assert_string_equal(out_of(w), "16 16\r\n");
    assert_int_equal(w->board.part[0].erases, 2);
    assert_int_equal(run(w, "print(vfs.rom_ioctl(4,0,16,b'0123456789abcdef'), vfs.rom_ioctl(5,0))\n"
                            "print(bytes(dev[16:20]), dev[16], uctypes_missing if 0 else 1)"),
                     PY_OK);
    assert_string_equal(out_of(w), "0 0\r\nb'0123' 48 1\r\n");
    assert_memory_equal(w->board.part[0].bytes + 16, "0123456789abcdef", 16);
    /* port answers: bad id, misaligned write, range past the end, unknown op */
    assert_int_equal(run(w, "print(vfs.rom_ioctl(2,5), vfs.rom_ioctl(4,0,3,b'x'), "
                            "vfs.rom_ioctl(3,0,0,999999), vfs.rom_ioctl(9,0), vfs.rom_ioctl(2))"),
                     PY_OK);
    assert_string_equal(out_of(w), "-22 -22 -22 -22 -22\r\n");
    assert_int_equal(run(w, "import uctypes\nprint(hex_missing if 0 else uctypes.addressof(dev), "
                            "uctypes.addressof(memoryview(dev)[16:]))"),
                     PY_OK);
    assert_string_equal(out_of(w), "135266304 135266320\r\n");
    /* the view is read-only */
    assert_int_equal(run(w, "dev[0]=1"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "TypeError: 'memoryview' object doesn't support item assignment"));
}

static void rom_ioctl_block_partition(void **state)
{
    world *w = *state;
    assert_int_equal(run(w, "import vfs\ndev=vfs.rom_ioctl(2,1)\n"
                            "print(hasattr(dev,'ioctl'), dev.ioctl(4,0), dev.ioctl(5,0), dev.ioctl(1,0), dev.ioctl(99,0))\n"
                            "print(vfs.rom_ioctl(6,1), vfs.rom_ioctl(3,1,4096), vfs.rom_ioctl(4,1,0,b'abcd'))"),
                     PY_OK);
    assert_string_equal(out_of(w), "True 16 4096 0 None\r\n-22 -22 -22\r\n");
    /* writeblocks without offset erases first; with offset it only programs (AND) */
    assert_int_equal(run(w, "dev.writeblocks(1,b'\\x0f'*8)\ndev.writeblocks(1,b'\\xf3\\xf3\\xf3\\xf3',4)\n"
                            "b=bytearray(8)\ndev.readblocks(1,b)\nprint(b)\n"
                            "b2=bytearray(2)\ndev.readblocks(1,b2,6)\nprint(b2, bytes(memoryview(dev)[4096:4098]))"),
                     PY_OK);
    assert_string_equal(out_of(w), "bytearray(b'\\x0f\\x0f\\x0f\\x0f\\x03\\x03\\x03\\x03')\r\n"
                                   "bytearray(b'\\x03\\x03') b'\\x0f\\x0f'\r\n");
    assert_int_equal(run(w, "print(dev.ioctl(6,1))\nprint(bytes(memoryview(dev)[4096:4098]))"), PY_OK);
    assert_string_equal(out_of(w), "0\r\nb'\\xff\\xff'\r\n");
    assert_int_equal(run(w, "import uctypes\nprint(uctypes.addressof(dev))"), PY_OK);
    assert_string_equal(out_of(w), "270008320\r\n");
    assert_int_equal(run(w, "len(dev)"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "TypeError: object of type 'Flash' has no len()"));
    assert_int_equal(run(w, "dev.writeblocks(1,b'abc',1)"), PY_EXCEPTION); /* misaligned */
    assert_non_null(strstr(err_of(w), "OSError: [Errno 22] EINVAL"));
    assert_int_equal(run(w, "dev.readblocks(99,bytearray(1))"), PY_EXCEPTION);
    assert_int_equal(run(w, "dev.readblocks(0,b'immutable')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "TypeError"));
}

static void vfsrom_mount(void **state)
{
    world *w = *state;
    /* an image header in partition 0: d2 cd 31, payload length 2, two bytes */
    memcpy(w->board.part[0].bytes, "\xd2\xcd\x31\x02\x01\x00", 6);
    assert_int_equal(run(w, "import vfs\nfs=vfs.VfsRom(vfs.rom_ioctl(2,0))\n"
                            "vfs.mount(fs,'/rom')\nprint('mounted')"),
                     PY_OK);
    assert_string_equal(out_of(w), "mounted\r\n");
    assert_int_equal(run(w, "vfs.mount(fs,'/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "OSError: [Errno 1] EPERM"));
    /* a length that runs past the partition is not a ROMFS */
    memcpy(w->board.part[0].bytes, "\xd2\xcd\x31\xff\xff\xff\x7f", 7);
    assert_int_equal(run(w, "vfs.VfsRom(vfs.rom_ioctl(2,0))"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "ENODEV"));
    /* a VfsRom over RAM bytes checks, but only partitions mount */
    assert_int_equal(run(w, "fs=vfs.VfsRom(b'\\xd2\\xcd\\x31\\x00')\nvfs.umount('/rom')\nvfs.mount(fs,'/rom')"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "NotImplementedError"));
}

/* ---- capabilities switched off ------------------------------------------------------ */
static void missing_features(void **state)
{
    (void)state;
    py_caps caps = py_all_caps();
    caps.deflate = caps.hashlib = caps.uctypes = caps.romfs = false;
    world *w = make_world(caps, (py_limits){0});
    assert_int_equal(run(w, "import vfs\nprint(hasattr(vfs,'rom_ioctl'))"), PY_OK);
    assert_string_equal(out_of(w), "False\r\n");
    const char *missing[] = {"from deflate import DeflateIO,RAW", "import hashlib", "import uctypes"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(run(w, missing[i]), PY_EXCEPTION);
        assert_non_null(strstr(err_of(w), "ImportError: no module named"));
    }
    /* what stays: binascii, io */
    assert_int_equal(run(w, "from binascii import a2b_base64\nfrom io import BytesIO"), PY_OK);
    free_world(w);
}

/* ---- hostile programs ----------------------------------------------------------- */
static void hostile_nesting(void **state)
{
    world *w = *state;
    size_t n = 100000;
    char *src = malloc(2 * n + 8);
    memset(src, '(', n);
    memcpy(src + n, "1", 1);
    memset(src + n + 1, ')', n);
    src[2 * n + 1] = 0;
    assert_int_equal(run(w, src), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    memset(src, '-', n);
    strcpy(src + n, "1");
    assert_int_equal(run(w, src), PY_EXCEPTION);
    memset(src, '[', n);
    strcpy(src + n, "]");
    assert_int_equal(run(w, src), PY_EXCEPTION);
    /* "not not not ..." */
    char *nots = malloc(4 * n + 8);
    for (size_t i = 0; i < n; i++)
        memcpy(nots + 4 * i, "not ", 4);
    strcpy(nots + 4 * n, "1");
    assert_int_equal(run(w, nots), PY_EXCEPTION);
    free(nots);
    /* deeply nested blocks */
    char *blk = malloc(n * 3);
    size_t k = 0;
    for (int d = 0; d < 200; d++) {
        memset(blk + k, ' ', (size_t)d);
        k += (size_t)d;
        memcpy(blk + k, "if 1:\n", 6);
        k += 6;
    }
    memset(blk + k, ' ', 200);
    k += 200;
    strcpy(blk + k, "pass\n");
    assert_int_equal(run(w, blk), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    free(blk);
    free(src);
    /* the machine still works */
    assert_int_equal(run(w, "print(1)"), PY_OK);
}

static void hostile_sizes(void **state)
{
    (void)state;
    py_limits lim = {.max_source = 4096, .max_steps = 10000, .max_alloc = 1 << 20};
    world *w = make_world(py_all_caps(), lim);
    /* endless loops end at the step limit */
    assert_int_equal(run(w, "for i in range(1000000000):\n pass"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "RuntimeError: program too long-running"));
    assert_int_equal(run(w, "l=[0]\nfor x in l:\n l.append(x)"), PY_EXCEPTION);
    /* allocations end at the budget */
    assert_int_equal(run(w, "x=bytes(10000000)"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    assert_int_equal(run(w, "x=b'ab'*100000000"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    assert_int_equal(run(w, "x=[1]\nfor i in range(40):\n x=x+x"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    /* repeating nothing a huge number of times ends at once */
    assert_int_equal(run(w, "print(len(b''*(1<<62)), []*(1<<62), ()*(1<<62), ''*(1<<62))"), PY_OK);
    assert_string_equal(out_of(w), "0 [] () \r\n");
    /* loops inside builtins are bounded by the allocation budget */
    assert_int_equal(run(w, "sum(range(1<<60))"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    assert_int_equal(run(w, "max(range(1<<60))"), PY_EXCEPTION);
    assert_int_equal(run(w, "bytes(range(1<<60))"), PY_EXCEPTION);
    assert_int_equal(run(w, "a=[]\na.append(a)\nb=[]\nb.append(b)\nprint(a==b)"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "RuntimeError: maximum recursion depth exceeded"));
    assert_int_equal(run(w, "x=[]\nfor i in range(1000): x=[x]\nprint(x)"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "RuntimeError: maximum recursion depth exceeded"));
    /* a program larger than the board accepts */
    char big[5000];
    memset(big, ' ', sizeof big - 1);
    big[0] = '1';
    big[sizeof big - 1] = 0;
    assert_int_equal(run(w, big), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "MemoryError"));
    /* a huge literal run through bytes(): bounded too */
    assert_int_equal(run(w, "x=bytes(range(0))\nprint(len(x))"), PY_OK);
    assert_int_equal(run(w, "print('ok')"), PY_OK);
    assert_string_equal(out_of(w), "ok\r\n");
    free_world(w);
}

static void hostile_bytes(void **state)
{
    world *w = *state;
    /* NUL bytes, high bytes and control characters are errors, not crashes */
    const char src[] = "x=1\0\xff\x01";
    assert_int_equal(py_vm_exec(w->vm, src, sizeof src - 1, put_out, put_err, w), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "SyntaxError"));
    assert_int_equal(run(w, "b'\xe9'"), PY_EXCEPTION);
    assert_int_equal(run(w, "\xe9 = 1\nprint(\xe9)"), PY_OK);
}

static bool interrupt_now(void *ctx)
{
    int *calls = ctx;
    return ++*calls >= 3;
}

static void ctrl_c_interrupts(void **state)
{
    world *w = *state;
    int calls = 0;
    py_vm_set_interrupt(w->vm, interrupt_now, &calls);
    assert_int_equal(run(w, "for i in range(100000000):\n x=i"), PY_EXCEPTION);
    assert_non_null(strstr(err_of(w), "KeyboardInterrupt: \r\n"));
    /* a bare except catches it, as in MicroPython */
    calls = 0;
    assert_int_equal(run(w, "try:\n for i in range(100000000):\n  x=i\nexcept:\n print('stopped')"), PY_OK);
    assert_string_equal(out_of(w), "stopped\r\n");
    calls = 0;
    assert_int_equal(run(w, "try:\n for i in range(100000000):\n  x=i\nexcept Exception:\n print('no')"),
                     PY_EXCEPTION);
    py_vm_set_interrupt(w->vm, NULL, NULL);
}

static void power_cut_stops_program(void **state)
{
    world *w = *state;
    w->board.power_cut_after = 2;
    assert_int_equal(run(w, "import vfs\nvfs.rom_ioctl(3,0,4096)\n"
                            "try:\n vfs.rom_ioctl(4,0,0,bytes(16))\nexcept:\n print('never')\nprint('never')"),
                     PY_POWER_CUT);
    assert_string_equal(out_of(w), "");
    assert_string_equal(err_of(w), "");
}

static void needs_more_input(void **state)
{
    (void)state;
    assert_false(py_needs_more_input("x=1", 3));
    assert_true(py_needs_more_input("for i in x:", 11));
    assert_true(py_needs_more_input("if 1:  # c", 10));
    assert_true(py_needs_more_input("if 1:\n x=1", 10));
    assert_false(py_needs_more_input("if 1:\n x=1\n", 11));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(ok_programs, setup, teardown),
        cmocka_unit_test_setup_teardown(error_programs, setup, teardown),
        cmocka_unit_test_setup_teardown(traceback_shapes, setup, teardown),
        cmocka_unit_test_setup_teardown(variables_persist_until_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(mount_state, setup, teardown),
        cmocka_unit_test_setup_teardown(os_on_rom, setup, teardown),
        cmocka_unit_test_setup_teardown(rom_ioctl_memoryview_partition, setup, teardown),
        cmocka_unit_test_setup_teardown(rom_ioctl_block_partition, setup, teardown),
        cmocka_unit_test_setup_teardown(vfsrom_mount, setup, teardown),
        cmocka_unit_test(missing_features),
        cmocka_unit_test_setup_teardown(hostile_nesting, setup, teardown),
        cmocka_unit_test(hostile_sizes),
        cmocka_unit_test_setup_teardown(hostile_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(ctrl_c_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(power_cut_stops_program, setup, teardown),
        cmocka_unit_test(needs_more_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
