#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "repr.h"

static int parse(const char *s, mr_value *v, mr_err *err)
{
    return mr_repr_parse(s, strlen(s), v, err);
}

static void ints(void **state)
{
    (void)state;
    mr_err err;
    int64_t i;
    assert_int_equal(mr_repr_int("42\r\n", 4, &i, &err), 0);
    assert_int_equal(i, 42);
    assert_int_equal(mr_repr_int("-22", 3, &i, &err), 0);
    assert_int_equal(i, -22);
    assert_int_equal(mr_repr_int("9223372036854775807", 19, &i, &err), 0);
    assert_true(i == INT64_MAX);
    assert_int_equal(mr_repr_int("-9223372036854775808", 20, &i, &err), 0);
    assert_true(i == INT64_MIN);
    assert_int_equal(mr_repr_int("9223372036854775808", 19, &i, &err), -1);
    assert_non_null(strstr(err.msg, "too large"));
    assert_int_equal(mr_repr_int("-", 1, &i, &err), -1);
    assert_int_equal(mr_repr_int("12 34", 5, &i, &err), -1);
    assert_non_null(strstr(err.msg, "more text"));
    /* a bool is not an int: the message names what came back */
    assert_int_equal(mr_repr_int("True", 4, &i, &err), -1);
    assert_non_null(strstr(err.msg, "is a bool where an int was expected"));
}

static void bools_none(void **state)
{
    (void)state;
    mr_err err;
    bool b;
    assert_int_equal(mr_repr_bool("True\r\n", 6, &b, &err), 0);
    assert_true(b);
    assert_int_equal(mr_repr_bool(" False", 6, &b, &err), 0);
    assert_false(b);
    assert_int_equal(mr_repr_bool("Truex", 5, &b, &err), -1);
    mr_value v;
    assert_int_equal(parse("None", &v, &err), 0);
    assert_int_equal(v.type, MR_V_NONE);
    mr_value_free(&v);
}

static void bytes_escapes(void **state)
{
    (void)state;
    mr_err err;
    mr_value v;
    assert_int_equal(parse("b'\\xd2\\xcd1\\x80\\x00\\n\\r\\t\\\\\\'\"ok'", &v, &err), 0);
    assert_int_equal(v.type, MR_V_BYTES);
    assert_int_equal(v.len, 13);
    assert_memory_equal(v.data, "\xd2\xcd" "1\x80\x00\n\r\t\\'\"ok", 13);
    mr_value_free(&v);
    /* MicroPython switches to double quotes when the bytes hold a ' */
    assert_int_equal(parse("b\"it's\"", &v, &err), 0);
    assert_int_equal(v.len, 4);
    assert_memory_equal(v.data, "it's", 4);
    mr_value_free(&v);
    assert_int_equal(parse("b''", &v, &err), 0);
    assert_int_equal(v.len, 0);
    mr_value_free(&v);
    assert_int_equal(parse("b'\\xg0'", &v, &err), -1);
    assert_non_null(strstr(err.msg, "\\x escape"));
    assert_int_equal(parse("b'\\q'", &v, &err), -1);
    assert_int_equal(parse("b'abc", &v, &err), -1);
    assert_non_null(strstr(err.msg, "unterminated"));
    assert_int_equal(parse("b'\\'", &v, &err), -1);
    assert_int_equal(parse("b'\xc3\xa9'", &v, &err), -1);
}

static void strings(void **state)
{
    (void)state;
    mr_err err;
    mr_value v;
    assert_int_equal(parse("'lib/a.py'", &v, &err), 0);
    assert_int_equal(v.type, MR_V_STR);
    assert_string_equal((char *)v.data, "lib/a.py");
    mr_value_free(&v);
    assert_int_equal(parse("'caf\xc3\xa9\\x7f'", &v, &err), 0);
    assert_int_equal(v.len, 6);
    mr_value_free(&v);
    assert_int_equal(parse("'\\xe9'", &v, &err), 0); /* U+00E9 as UTF-8 */
    assert_int_equal(v.len, 2);
    assert_memory_equal(v.data, "\xc3\xa9", 2);
    mr_value_free(&v);
}

static void sequences(void **state)
{
    (void)state;
    mr_err err;
    mr_value v;
    assert_int_equal(parse("[('a.py', 32768, 0, 12), ('lib', 16384, 0, 0)]", &v, &err), 0);
    assert_int_equal(v.type, MR_V_LIST);
    assert_int_equal(v.n, 2);
    assert_int_equal(v.items[0].type, MR_V_TUPLE);
    assert_int_equal(v.items[0].n, 4);
    assert_string_equal((char *)v.items[0].items[0].data, "a.py");
    assert_int_equal(v.items[1].items[1].i, 16384);
    mr_value_free(&v);
    assert_int_equal(parse("(1,)", &v, &err), 0);
    assert_int_equal(v.n, 1);
    mr_value_free(&v);
    assert_int_equal(parse("()", &v, &err), 0);
    assert_int_equal(v.n, 0);
    mr_value_free(&v);
    assert_int_equal(parse("[1, 2,]", &v, &err), 0);
    mr_value_free(&v);
    assert_int_equal(parse("(1)", &v, &err), -1);
    assert_int_equal(parse("[1 2]", &v, &err), -1);
    assert_int_equal(parse("[1, 2", &v, &err), -1);
    assert_int_equal(parse("[,]", &v, &err), -1);
}

static void rejects_others(void **state)
{
    (void)state;
    mr_err err;
    mr_value v;
    const char *bad[] = {"", "  ", "<memoryview>", "1.5", "{}", "{'a': 1}", "0x10", "abc",
                         "bytearray(b'')", "Traceback (most recent call last):"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i], &v, &err), -1);
        assert_non_null(strstr(err.msg, "unexpected reply from the board"));
    }
    /* the message quotes what came back */
    assert_int_equal(parse("<memoryview>", &v, &err), -1);
    assert_non_null(strstr(err.msg, "<memoryview>"));
}

static void bounded_nesting(void **state)
{
    (void)state;
    mr_err err;
    mr_value v;
    char deep[200];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        deep[n++] = '[';
    for (int i = 0; i < 40; i++)
        deep[n++] = ']';
    assert_int_equal(mr_repr_parse(deep, n, &v, &err), -1);
    assert_non_null(strstr(err.msg, "nested too deeply"));
    n = 0;
    for (int i = 0; i < 10; i++)
        deep[n++] = '[';
    for (int i = 0; i < 10; i++)
        deep[n++] = ']';
    assert_int_equal(mr_repr_parse(deep, n, &v, &err), 0);
    mr_value_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ints),          cmocka_unit_test(bools_none),
        cmocka_unit_test(bytes_escapes), cmocka_unit_test(strings),
        cmocka_unit_test(sequences),     cmocka_unit_test(rejects_others),
        cmocka_unit_test(bounded_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
